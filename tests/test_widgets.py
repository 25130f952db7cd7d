"""The lesson widgets: every control changes what the student sees, and the static copy matches.

Each test drives the widgets as a student would, by setting a control's
``value`` (or clicking its button), then reads what is shown: the figure's
alt text and caption, the PNG itself, the lists and the feedback.
"""

from __future__ import annotations

import base64
import html
import io
import re
import subprocess
import sys

import ipywidgets as ipw
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from leninsmoscow import data
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
from leninsmoscow.widgets._figure import encode_png
from leninsmoscow.widgets._shared import OKABE_ITO
from leninsmoscow.widgets.timeline import EMPTY_MESSAGE, format_span

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
BAKU = pd.DataFrame({"place": ["Baku"], "lat": [40.41], "lon": [49.87]})


# -- reading what is shown ----------------------------------------------------


def image_of(figure_html: str) -> Image.Image:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', figure_html)
    assert match, "the figure HTML holds no PNG"
    image = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
    image.load()
    return image


def pixels(figure_html: str) -> np.ndarray:
    return np.asarray(image_of(figure_html).convert("RGB"))


def alt_of(figure_html: str) -> str:
    match = re.search(r'<img [^>]*alt="([^"]*)"', figure_html)
    assert match, "the figure has no alt text"
    return html.unescape(match.group(1))


def caption_of(figure_html: str) -> str:
    return html.unescape(re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure_html, re.DOTALL).group(1))


def text_of(fragment: str) -> str:
    """What a reader sees of some HTML: tags dropped, entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def all_widgets(root) -> list:
    found = [root]
    for child in getattr(root, "children", ()):
        found.extend(all_widgets(child))
    return found


def explorers():
    return [
        pytest.param(TimelineExplorer, id="timeline"),
        pytest.param(JourneyMap, id="journey"),
        pytest.param(InflationExplorer, id="inflation"),
        pytest.param(StrikeChart, id="strikes"),
    ]


def everything():
    return explorers() + [
        pytest.param(PeopleExplorer, id="people"),
        pytest.param(lambda: MultipleChoice("Who?", ["Rosmer", "Trotsky"], "Rosmer", "He wrote it."), id="mc"),
        pytest.param(lambda: OrderingQuestion("Order", ["a", "b", "c"], ["c", "a", "b"], "Because."), id="order"),
        pytest.param(lambda: MatchingQuestion("Match", ["x", "y"], ["1", "2"], ["1", "2"], "Because."), id="match"),
    ]


# -- what every widget promises -------------------------------------------------


@pytest.mark.parametrize("make", everything())
def test_display_sends_the_live_widget_and_a_static_copy(make):
    widget = make()
    bundle = widget._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == widget.widget.model_id
    assert "Static view" in bundle["text/html"]
    assert bundle["text/plain"].strip() and not bundle["text/plain"].startswith("VBox(")


@pytest.mark.parametrize("make", explorers())
def test_static_copy_shows_the_figure_with_its_alt_text(make):
    widget = make()
    static = widget._repr_mimebundle_()["text/html"]
    alt = widget.alt_text()
    assert alt_of(static) == alt
    assert caption_of(static) == alt  # the same words, visible, beside the figure
    assert image_of(static).size == image_of(widget.figure_html.value).size


@pytest.mark.parametrize("make", everything())
def test_built_from_standard_keyboard_operable_controls_without_output(make):
    widget = make()
    parts = all_widgets(widget.widget)
    assert not any(isinstance(part, ipw.Output) for part in parts)
    keyboard = (ipw.Dropdown, ipw.IntSlider, ipw.IntRangeSlider, ipw.SelectionSlider, ipw.ToggleButtons, ipw.Checkbox,
                ipw.RadioButtons, ipw.FloatText, ipw.Button)
    controls = [part for part in parts if isinstance(part, ipw.ValueWidget) or isinstance(part, ipw.Button)]
    assert controls
    for control in controls:
        assert isinstance(control, keyboard + (ipw.HTML, ipw.Label)), type(control)
        assert control.tabbable is not False


@pytest.mark.parametrize("make", explorers())
def test_figures_have_a_title_labelled_axes_and_okabe_ito_colours(make):
    widget = make()
    axes = widget._axes
    assert axes.get_title()
    assert axes.get_xlabel() or axes.figure.texts  # the timeline's x label is a figure text
    assert axes.get_ylabel()
    palette = {colour.lower() for colour in OKABE_ITO}
    for line in axes.get_lines():
        colour = line.get_color()
        if isinstance(colour, str) and colour.startswith("#") and colour.lower() not in ("#222222", "#9a9a9a"):
            assert colour.lower() in palette, f"{colour} is not an Okabe–Ito colour"


def test_png_encoder_round_trips_exactly():
    rgba = np.random.default_rng(1).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgba.tobytes(), 5, 7))).convert("RGB"))
    assert (decoded == rgba[:, :, :3]).all()


# -- TimelineExplorer -----------------------------------------------------------


def test_timeline_shows_every_event_by_default():
    timeline = TimelineExplorer()
    events = data.load("events")
    assert len(timeline.selection) == len(events)
    assert f"{len(events)} events, in date order" in text_of(timeline.list_html.value)
    assert f"Timeline chart of {len(events)} events" in alt_of(timeline.figure_html.value)
    marked = text_of(timeline.list_html.value).count("✓ in the review")
    assert marked == int(events["in_review"].sum())


def test_timeline_country_filter_changes_list_and_figure():
    timeline = TimelineExplorer()
    before = pixels(timeline.figure_html.value)
    timeline.controls["country"].value = "Germany"
    chosen = timeline.selection
    assert len(chosen) and chosen["country"].str.contains("Germany").all()
    shown = text_of(timeline.list_html.value)
    assert all(title in shown for title in chosen["title"])
    elsewhere = data.load("events").query("~country.str.contains('Germany')")["title"]
    assert not any(title in shown for title in elsewhere)
    assert "country: Germany" in alt_of(timeline.figure_html.value)
    assert (pixels(timeline.figure_html.value) != before).any()


def test_timeline_with_no_theme_says_nothing_matches():
    timeline = TimelineExplorer()
    timeline.controls["themes"].value = ()
    assert timeline.selection.empty
    assert EMPTY_MESSAGE in timeline.list_html.value
    assert EMPTY_MESSAGE.lower() in alt_of(timeline.figure_html.value)
    assert EMPTY_MESSAGE in timeline._repr_mimebundle_()["text/html"]
    assert EMPTY_MESSAGE in timeline._repr_mimebundle_()["text/plain"]


def test_timeline_theme_boxes_and_value_agree():
    timeline = TimelineExplorer(themes=["war"])
    group = timeline.controls["themes"]
    assert set(timeline.selection["theme"]) == {"war"}
    group.boxes["comintern"].value = True  # a student ticking a box
    assert set(group.value) == {"war", "comintern"}
    assert set(timeline.selection["theme"]) == {"war", "comintern"}
    group.none_button.click()
    assert timeline.selection.empty and not any(box.value for box in group.boxes.values())
    group.all_button.click()
    assert len(timeline.selection) == len(data.load("events"))


@pytest.mark.parametrize("year", [1914, 1923, 1925])
def test_timeline_range_of_one_year(year):
    timeline = TimelineExplorer()
    timeline.controls["years"].value = (year, year)
    chosen = timeline.selection
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    assert (chosen["date_start"] <= end).all()
    assert (chosen["date_end"].fillna(chosen["date_start"]) >= start).all()
    assert f"years {year}," in alt_of(timeline.figure_html.value)
    if chosen.empty:
        assert EMPTY_MESSAGE in timeline.list_html.value
    else:
        assert f"{len(chosen)} event" in text_of(timeline.list_html.value)


def test_timeline_years_change_the_figure_and_come_back_identical():
    timeline = TimelineExplorer()
    full = pixels(timeline.figure_html.value)
    timeline.controls["years"].value = (1919, 1921)
    assert (pixels(timeline.figure_html.value) != full).any()
    timeline.controls["years"].value = (1914, 1925)
    assert (pixels(timeline.figure_html.value) == full).all()


def test_timeline_arguments():
    timeline = TimelineExplorer(years=(1917, 1918), themes=["revolution"], countries=["Germany", "Soviet Russia (RSFSR)"])
    assert timeline.controls["years"].value == (1917, 1918)
    assert list(timeline.controls["country"].options) == ["All countries", "Germany", "Soviet Russia (RSFSR)"]
    assert set(timeline.selection["theme"]) <= {"revolution"}
    with pytest.raises(ValueError, match="Atlantis"):
        TimelineExplorer(countries=["Atlantis"])


def test_dates_are_written_as_exactly_as_the_source_knows_them():
    assert format_span(pd.Timestamp("1915-09-05"), pd.Timestamp("1915-09-08")) == "5–8 September 1915"
    assert format_span(pd.Timestamp("1920-07-19"), pd.Timestamp("1920-08-07")) == "19 July – 7 August 1920"
    assert format_span(pd.Timestamp("1915-05-01"), pd.NaT, "month") == "May 1915"
    assert format_span(pd.Timestamp("1921-01-01"), None, "year") == "1921"


# -- JourneyMap -------------------------------------------------------------------


def test_journey_first_and_last_stop():
    stops = data.load("journey_1920").sort_values("stop")
    journey = JourneyMap()
    assert journey.stop == 1
    first = pixels(journey.figure_html.value)
    assert stops["place"].iloc[0] in text_of(journey.note_html.value)
    assert f"stop 1 of {len(stops)}" in alt_of(journey.figure_html.value)
    journey.controls["stop"].value = len(stops)
    assert journey.stop == len(stops)
    note = text_of(journey.note_html.value)
    assert stops["place"].iloc[-1] in note and stops["note"].iloc[-1].split(";")[0] in note
    alt = alt_of(journey.figure_html.value)
    assert f"stop {len(stops)} of {len(stops)}" in alt and alt.count("→") == len(stops) - 1
    assert (pixels(journey.figure_html.value) != first).any()


def test_journey_stand_in_stops_say_so():
    stops = data.load("journey_1920").sort_values("stop")
    stand_in = int(stops.loc[stops["located"] == "stand-in", "stop"].iloc[0])
    named = int(stops.loc[stops["located"] == "named", "stop"].iloc[0])
    journey = JourneyMap()
    journey.stop = stand_in
    assert "Stand-in point" in journey.note_html.value
    assert "(stand-in)" in alt_of(journey.figure_html.value)
    journey.stop = named
    assert "Stand-in point" not in journey.note_html.value
    legend = [text.get_text() for text in journey._axes.get_legend().get_texts()]
    assert any("stands in for a region" in label for label in legend)


def test_journey_extra_places_are_drawn_and_named():
    plain, with_baku = JourneyMap(), JourneyMap(extra_places=BAKU)
    assert "Baku" in alt_of(with_baku.figure_html.value) and "Baku" not in alt_of(plain.figure_html.value)
    assert any("not a stop" in text.get_text() for text in with_baku._axes.get_legend().get_texts())
    assert with_baku._axes.get_xlim()[1] > 49.87
    with pytest.raises(ValueError, match="lon"):
        JourneyMap(extra_places=pd.DataFrame({"place": ["Baku"], "lat": [40.4]}))


# -- InflationExplorer ------------------------------------------------------------


def test_inflation_price_in_follows_the_rate():
    rates = data.load("hyperinflation").set_index("month")["marks_per_dollar"]
    inflation = InflationExplorer()
    base = rates.iloc[0]
    assert inflation.price_in("1923-10", 1) == pytest.approx(rates[pd.Timestamp("1923-10-01")] / base)
    assert inflation.price_in("Oct 1923", 2) == pytest.approx(2 * rates[pd.Timestamp("1923-10-01")] / base)
    assert inflation.price_in(rates.index[0], 5) == pytest.approx(5)
    assert inflation.price_in("1923-12", 0) == 0
    with pytest.raises(ValueError, match="hyperinflation.csv"):
        inflation.price_in("1916-03", 1)


def test_inflation_first_and_last_month_and_price_zero():
    rates = data.load("hyperinflation")
    inflation = InflationExplorer()
    slider = inflation.controls["month"]
    assert slider.label == "Dec 1923"
    assert [label for label, _ in slider.options][:2] == ["Jul 1914", "Dec 1918"]
    slider.value = rates["month"].iloc[0]
    shown = text_of(inflation.price_html.value)
    assert "in July 1914" in shown and "cost about 1 paper mark in July 1914" in shown
    assert "pre-war parity" in shown
    assert "Highlighted: July 1914" in alt_of(inflation.figure_html.value)
    inflation.controls["price"].value = 0
    assert "cost about 0 paper marks" in text_of(inflation.price_html.value)
    slider.value = rates["month"].iloc[-1]
    inflation.controls["price"].value = 1
    shown = text_of(inflation.price_html.value)
    assert "December 1923" in shown and "trillion" in shown
    assert data.cite(rates["source"].iloc[-1]) in shown


def test_inflation_negative_price_asks_again():
    inflation = InflationExplorer()
    inflation.controls["price"].value = -3
    assert "Type a price of 0 or more" in inflation.price_html.value


def test_inflation_scale_toggle_changes_the_figure():
    inflation = InflationExplorer()
    log = pixels(inflation.figure_html.value)
    inflation.controls["scale"].value = "linear scale"
    assert "linear scale" in alt_of(inflation.figure_html.value)
    assert "linear" in inflation._axes.get_ylabel()
    assert (pixels(inflation.figure_html.value) != log).any()
    inflation.controls["scale"].value = "log scale"
    assert (pixels(inflation.figure_html.value) == log).all()


def test_inflation_month_moves_the_highlight():
    inflation = InflationExplorer()
    before = pixels(inflation.figure_html.value)
    inflation.controls["month"].value = pd.Timestamp("1923-10-01")
    assert "Highlighted: October 1923" in alt_of(inflation.figure_html.value)
    assert (pixels(inflation.figure_html.value) != before).any()


# -- StrikeChart ------------------------------------------------------------------


def test_strikes_measure_with_no_data_for_a_country_is_named():
    strikes = data.load("strikes")
    chart = StrikeChart()
    chart.controls["measure"].value = "days lost"
    lacking = sorted(set(strikes["country"].cat.categories) - set(strikes.query("measure == 'days lost'")["country"]))
    assert lacking  # France and the United States in the course data
    assert chart.missing == lacking
    note = text_of(chart.note_html.value)
    assert "No data for working days lost" in note and all(country in note for country in lacking)
    assert "No figures for" in alt_of(chart.figure_html.value)


def test_strikes_missing_years_are_gaps_not_zeros():
    chart = StrikeChart(measure="days lost")
    italy = chart.values("Italy")
    years = list(chart._years)
    recorded = set(data.load("strikes").query("country == 'Italy' and measure == 'days lost'")["year"])
    for year, value in zip(years, italy):
        assert np.isnan(value) == (year not in recorded)
    assert "with gaps" in alt_of(chart.figure_html.value)


def test_strikes_index_to_1913():
    chart = StrikeChart()
    chart.controls["measure"].value = "workers involved"
    before = pixels(chart.figure_html.value)
    chart.controls["index"].value = True
    assert chart.values("Britain")[0] == pytest.approx(100)
    assert "France" in chart.not_indexed
    assert "Cannot index to 1913" in chart.note_html.value
    assert "index (1913 = 100)" in alt_of(chart.figure_html.value)
    assert chart._axes.get_ylabel() == "Index, 1913 = 100"
    assert (pixels(chart.figure_html.value) != before).any()


def test_strikes_no_country_chosen():
    chart = StrikeChart()
    chart.controls["countries"].value = ()
    assert "No country chosen" in alt_of(chart.figure_html.value)
    chart.controls["countries"].value = ("United States",)
    chart.controls["measure"].value = "disputes"
    assert "No figures for this measure" in alt_of(chart.figure_html.value)
    chart.controls["measure"].value = "workers involved"
    assert "United States 1919 (1 year" in alt_of(chart.figure_html.value)


# -- PeopleExplorer -----------------------------------------------------------------


def test_people_cards_and_counts():
    people = data.load("people")
    explorer = PeopleExplorer()
    assert explorer.cards_html.value.count('role="listitem"') == len(people)
    assert f"{len(people)} people shown" in text_of(explorer.counts_html.value)
    lenin = people[people["person_id"] == "lenin"].iloc[0]
    cards = text_of(explorer.cards_html.value)
    assert f"{lenin['name']}" in cards and f"{lenin['born']}–{lenin['died']}" in cards
    assert lenin["role_1917_1924"] in cards


def test_people_filters():
    people = data.load("people")
    explorer = PeopleExplorer()
    explorer.controls["trajectory"].value = "fascism"
    expected = people[people["trajectory"] == "fascism"]
    assert explorer.cards_html.value.count('role="listitem"') == len(expected)
    counts = explorer.counts()
    assert counts["fascism"] == len(expected) and sum(counts.values()) == len(expected)
    explorer.controls["trajectory"].value = "All trajectories"
    explorer.controls["review"].value = "Named in the review"
    assert explorer.selection["in_review"].all()
    assert explorer.cards_html.value.count("Named in the review as") == len(explorer.selection)
    explorer.controls["review"].value = "Not named in the review"
    assert not explorer.selection["in_review"].any()


def test_people_empty_filter_says_so():
    people = data.load("people")
    taken = set(zip(people["country"], people["trajectory"].astype(str)))
    country, trajectory = next((c, t) for c in sorted(set(people["country"]))
                               for t in people["trajectory"].cat.categories if (c, t) not in taken)
    explorer = PeopleExplorer()
    explorer.controls["country"].value = country
    explorer.controls["trajectory"].value = trajectory
    assert explorer.selection.empty
    assert "No one matches these filters" in explorer.cards_html.value
    assert "0 people shown" in text_of(explorer.counts_html.value)
    assert "No one matches" in explorer._repr_mimebundle_()["text/html"]


# -- self-checks ----------------------------------------------------------------------


def test_multiple_choice_says_why_each_wrong_option_is_wrong_and_explains_after_two_tries():
    question = MultipleChoice("Who wrote Lenin's Moscow?", ["Trotsky", "Rosmer", "Serge"], "Rosmer",
                              "Alfred Rosmer published it in 1953.",
                              why_not={"Trotsky": "Trotsky appears in it, as a friend of Rosmer.",
                                       "Serge": "Serge wrote his own memoirs, which the review compares."})
    assert question.check() is False and "Choose one" in question.feedback_html.value
    question.controls["choice"].value = "Trotsky"  # feedback comes at once
    shown = question.feedback_html.value
    assert question.result is False and "✗ Not yet" in shown and "as a friend of Rosmer" in shown
    assert "published it in 1953" not in shown, "one wrong try does not give the answer away"
    question.controls["choice"].value = "Serge"
    shown = question.feedback_html.value
    assert "his own memoirs" in shown and "after 2 tries" in shown and "“Rosmer”" in shown
    assert "published it in 1953" in shown
    question.controls["choice"].value = "Rosmer"
    assert question.result is True and "✓ Right" in question.feedback_html.value
    assert question.check() is True
    assert "✓ Right" in question._repr_mimebundle_()["text/html"]


def test_multiple_choice_answer_by_position_and_bad_answers():
    assert MultipleChoice("Q", ["a", "b"], 1, "e").answer == "b"
    with pytest.raises(ValueError, match="not one of the options"):
        MultipleChoice("Q", ["a", "b"], "c", "e")
    with pytest.raises(ValueError, match="missing \\['c'\\]"):
        MultipleChoice("Q", ["a", "b", "c"], "a", "e", why_not={"b": "no"})


def test_ordering_question():
    question = OrderingQuestion("Put in order", ["1919", "1921", "1917"], ["1917", "1919", "1921"], "By date.",
                                hints={"1921": "The Kronstadt rising came last."})
    assert question.check() is False and "0 of 3" in question.feedback_html.value
    assert "Kronstadt rising came last" in question.feedback_html.value
    positions = question.controls["positions"]
    positions[0].value = "1917"  # swaps with the position that held it
    assert sorted(question.order) == ["1917", "1919", "1921"]
    assert question.order == ["1917", "1921", "1919"]
    assert question.result is None and "Press Check" in question.feedback_html.value
    positions[1].value = "1919"
    question.controls["check"].click()
    assert question.result is True and "By date." in question.feedback_html.value
    with pytest.raises(ValueError, match="exactly once"):
        OrderingQuestion("Q", ["a", "b"], ["a", "c"], "e")
    for guessable in (["1917", "1919", "1921"], ["1921", "1919", "1917"]):
        with pytest.raises(ValueError, match="right order or its reverse"):
            OrderingQuestion("Q", guessable, ["1917", "1919", "1921"], "e")


def test_matching_question():
    question = MatchingQuestion("Match", ["Zinoviev", "Trotsky"], ["Red Army", "Comintern", "Profintern"],
                                {"Zinoviev": "Comintern", "Trotsky": "Red Army"}, "Their posts in 1920.",
                                hints={"Trotsky": "He was war commissar."})
    assert question.check() is False
    assert "Still to choose: Zinoviev, Trotsky" in question.feedback_html.value
    question.controls["matches"]["Zinoviev"].value = "Comintern"
    question.controls["matches"]["Trotsky"].value = "Profintern"
    assert question.check() is False and "1 of 2" in question.feedback_html.value
    assert "Trotsky: not that one. He was war commissar." in question.feedback_html.value
    question.controls["matches"]["Trotsky"].value = "Red Army"
    assert "Press Check" in question.feedback_html.value  # the old verdict is withdrawn
    question.controls["check"].click()
    assert question.result is True and "Their posts in 1920." in question.feedback_html.value
    assert "Trotsky -> Red Army" in question._repr_mimebundle_()["text/plain"]
    with pytest.raises(ValueError):
        MatchingQuestion("Q", ["a"], ["1"], {"a": "2"}, "e")
    with pytest.raises(ValueError, match="in the order of the items"):
        MatchingQuestion("Q", ["a", "b", "c"], ["1", "2", "3"], ["1", "2", "3"], "e")


def test_a_typo_in_a_lesson_is_an_error_not_an_empty_view():
    with pytest.raises(ValueError, match="revolutions"):
        TimelineExplorer(themes=["revolutions"])
    with pytest.raises(ValueError, match="Russia"):
        StrikeChart(countries=["Russia"])
    assert set(TimelineExplorer(themes="war").selection["theme"]) == {"war"}


def test_widgets_that_draw_nothing_do_not_load_matplotlib():
    """A quiz cell should not pay for a plotting library it never uses (most of a chart's import time)."""
    probe = ("import sys\n"
             "from leninsmoscow.widgets import MultipleChoice, OrderingQuestion, MatchingQuestion, PeopleExplorer\n"
             "print('matplotlib' in sys.modules)\n"
             "from leninsmoscow.widgets import TimelineExplorer\n"
             "print('matplotlib' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["False", "True"], result.stdout + result.stderr


def test_a_prediction_is_set_beside_the_answer_and_a_missing_one_is_no_error():
    from leninsmoscow.widgets import Prediction

    guess = Prediction("What did a 1-mark loaf cost in October 1923?", unit="marks")
    assert "no guess above" in repr(guess.reveal(25_260_000_000)), "a notebook run unattended must not fail"
    guess.controls["guess"].value = 1000.0
    shown = repr(guess.reveal(25_260_000_000, "Prices doubled every few days."))
    assert "You guessed 1,000 marks" in shown and "25,260,000 times your guess" in shown
    guess.lock()
    assert guess.locked and "(locked)" in guess.status_html.value
    choice = Prediction("Which came first?", kind="choice", options=["Kronstadt", "the NEP decree"])
    choice.controls["guess"].value = "Kronstadt"
    assert "right" in repr(choice.reveal("Kronstadt")) and "the answer is" in repr(choice.reveal("the NEP decree"))
    with pytest.raises(ValueError):
        Prediction("?", kind="choice")


def test_choosing_an_event_or_a_person_shows_its_record_and_source():
    timeline = TimelineExplorer(years=(1921, 1921), themes=["revolution", "soviet politics"])
    options = dict((value, label) for label, value in timeline.controls["event"].options if value)
    assert "kronstadt-rising" in options and timeline.details_html.value == ""
    timeline.controls["event"].value = "kronstadt-rising"
    shown = timeline.details_html.value
    assert "Kronstadt" in shown and "Source:" in shown and "March 1921" in shown
    timeline.controls["years"].value = (1919, 1919)  # no longer shown: the choice is dropped
    assert timeline.controls["event"].value is None and timeline.details_html.value == ""
    people = PeopleExplorer()
    people.controls["person"].value = "rosmer"
    assert "Alfred Rosmer" in people.details_html.value and "Source:" in people.details_html.value
    people.controls["country"].value = "Germany"
    assert people.controls["person"].value is None
