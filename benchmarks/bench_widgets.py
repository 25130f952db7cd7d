"""Time from a control change to the updated view, in the kernel, for every widget control.

``make bench`` (benchmarks/run.py) reports these against the course's targets
(median under 30 ms, worst under 100 ms). A change is timed from setting the
control's value until the observers have redrawn the figure and rewritten the
HTML, which is all the kernel does before the front end repaints.
"""

from __future__ import annotations

import itertools
import os
import time

# Wall-clock time is what a student waits; LENINSMOSCOW_BENCH_CLOCK=cpu
# measures this process's CPU time instead, which other busy processes on a
# shared machine disturb far less.
_clock = time.process_time if os.environ.get("LENINSMOSCOW_BENCH_CLOCK") == "cpu" else time.perf_counter


def _cases():
    """(name, widget factory, control getter, values to cycle through)."""
    from leninsmoscow.widgets import (
        InflationExplorer,
        JourneyMap,
        MatchingQuestion,
        MultipleChoice,
        OrderingQuestion,
        PeopleExplorer,
        StrikeChart,
        TimelineExplorer,
    )

    def control(name):
        return lambda widget: widget.controls[name]

    return [
        ("TimelineExplorer years", TimelineExplorer, control("years"),
         [(1917, 1921), (1920, 1920), (1914, 1925), (1918, 1923), (1923, 1924), (1914, 1916)]),
        ("TimelineExplorer themes", TimelineExplorer, control("themes"),
         [("war",), ("comintern", "labour"), (), ("revolution", "economy", "reaction", "soviet politics")]),
        ("TimelineExplorer country", TimelineExplorer, control("country"),
         ["Germany", "All countries", "France", "Soviet Russia (RSFSR)"]),
        ("JourneyMap stop", JourneyMap, control("stop"), list(range(1, 12)) + list(range(10, 1, -1))),
        ("InflationExplorer month", InflationExplorer, control("month"), None),
        ("InflationExplorer scale", InflationExplorer, control("scale"), ["linear scale", "log scale"]),
        ("InflationExplorer price", InflationExplorer, control("price"), [0.0, 1.0, 12.5, 1000.0]),
        ("StrikeChart countries", StrikeChart, control("countries"),
         [("Britain",), ("France", "Italy"), (), ("Britain", "France", "Germany", "Italy", "United States")]),
        ("StrikeChart measure", StrikeChart, control("measure"), ["disputes", "workers involved", "days lost"]),
        ("StrikeChart index", StrikeChart, control("index"), [True, False]),
        ("PeopleExplorer trajectory", PeopleExplorer, control("trajectory"),
         ["stalinism", "left opposition", "All trajectories", "fascism"]),
        ("PeopleExplorer review", PeopleExplorer, control("review"),
         ["Named in the review", "Not named in the review", "Everyone"]),
        ("MultipleChoice choice", lambda: MultipleChoice("Q", ["a", "b", "c"], "b", "Because."), control("choice"),
         ["a", "b", "c"]),
        ("OrderingQuestion position", lambda: OrderingQuestion("Q", ["a", "b", "c"], ["c", "a", "b"], "Because."),
         lambda widget: widget.controls["positions"][0], ["a", "b", "c"]),
        ("MatchingQuestion match", lambda: MatchingQuestion("Q", ["x", "y"], ["1", "2"], ["1", "2"], "Because."),
         lambda widget: widget.controls["matches"]["x"], ["1", "2", None]),
    ]


def control_change_timings(repeat: int = 30) -> dict[str, list[float]]:
    """{case: seconds per change}, ``repeat`` changes per case cycling through its values.

    Only the first value is set before timing starts, so the first round of
    the cycle pays for any drawing not yet cached and later rounds show what
    a student moving back and forth gets.
    """
    timings = {}
    for name, factory, get_control, values in _cases():
        widget = factory()
        control = get_control(widget)
        if values is None:  # a slider: walk all its options
            values = [value for _, value in control.options]
        control.value = values[0]
        cycle = itertools.cycle(values[1:] + values[:1])
        seconds = []
        for value in itertools.islice(cycle, repeat):
            if control.value == value:
                continue
            start = _clock()
            control.value = value
            seconds.append(_clock() - start)
        timings[name] = seconds
    return timings


def cold_timings() -> dict[str, list[float]]:
    """Worst cases: every change on a new widget, before any state is cached."""
    timings = {}
    for name, factory, get_control, values in _cases():
        seconds = []
        for value in (values or [])[:3]:
            widget = factory()
            control = get_control(widget)
            if control.value == value:
                continue
            start = _clock()
            control.value = value
            seconds.append(_clock() - start)
        if seconds:
            timings[name] = seconds
    return timings


if __name__ == "__main__":
    import statistics

    for label, measure in (("warm", control_change_timings), ("cold", cold_timings)):
        for case, seconds in measure().items():
            print(f"{label:5} {case:28} median {statistics.median(seconds) * 1000:6.1f} ms   "
                  f"worst {max(seconds) * 1000:6.1f} ms   (n={len(seconds)})")
