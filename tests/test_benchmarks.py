"""The benchmark table's verdicts: each kind of target is read the way the issue states it.

Benchmarks themselves are not tests (they never fail the suite); this only
checks that the "met" column says what the figures say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    from benchmarks import run

    return run


@pytest.mark.parametrize(("seconds", "floor", "target", "met"), [
    (0.9, 0.02, "< 1 s", "yes"),
    (1.1, 0.02, "< 1 s", "no"),
    (0.029, 0.030, "< 30 ms", "yes"),
    (0.031, 0.030, "< 30 ms", "no"),
    (4.5, 2.6, "floor + 2 s", "yes"),
    (4.7, 2.6, "floor + 2 s", "no"),
    (2.6, 2.0, "<= 1.3 x floor", "yes"),
    (2.7, 2.0, "<= 1.3 x floor", "no"),
    (1.5, 2.6, "<= 0.59 (1.7 x throughput)", "yes"),
    (1.6, 2.6, "<= 0.59 (1.7 x throughput)", "no"),
    (14.0, 2.4, "(for reference: start-up)", ""),
    (0.8, 0.8, "close to pandas", ""),
])
def test_met_column_reads_each_target(bench, seconds, floor, target, met):
    row = bench.Row("group", "what", seconds, "floor", floor, target)
    assert row.met == met
    assert f"| {target} | {met} |" in bench.table([row])


def test_write_keeps_the_prose_around_the_table(bench, tmp_path, monkeypatch):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nbefore\n<!-- table: written by benchmarks/run.py --write -->\nold\n"
                       "<!-- end of table -->\nafter\n", encoding="utf-8")
    monkeypatch.setattr(bench, "RESULTS", results)
    bench.record("new table\n")
    text = results.read_text(encoding="utf-8")
    assert "before" in text and "after" in text and "new table" in text and "old" not in text
    results.write_text("no markers", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        bench.record("new table\n")
