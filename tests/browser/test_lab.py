"""What students and teachers see in JupyterLab: lessons run, widgets react, nbgrader's buttons work."""

from __future__ import annotations

import json
import re

import pytest
from browser.conftest import ARTIFACTS, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.needs("chromium")]

LESSONS = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
ASSIGNMENTS = sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "assignments").glob("*/*.ipynb"))
RUN_TIMEOUT_MS = 180_000

ALL_CELLS_RAN = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""

# What a control's widget shows besides the control itself: images, HTML views and the other
# controls (a reordering question answers a choice by moving the other items).
SHOWN = """(control) => {
  const output = control.closest('.jp-OutputArea-output');
  if (!output) return '';
  const images = [...output.querySelectorAll('img')].map(img => img.getAttribute('src') || '');
  const html = [...output.querySelectorAll('.widget-html-content')].map(node => node.innerHTML);
  const others = [...output.querySelectorAll('select')].filter(s => s !== control).map(s => s.value);
  return images.join('|') + '#' + html.join('|') + '#' + others.join('|');
}"""


# The course's own content: rendered markdown and cell outputs (widgets, tables, figures, feedback).
# JupyterLab's chrome (menus, toolbars, the file browser) is JupyterLab's to fix, not the course's.
COURSE_CONTENT = {"include": [[".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput"],
                              [".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output"]]}
BLOCKING = ("serious", "critical")


# Known upstream, documented in docs/accessibility.md: ipywidgets draws its sliders with noUiSlider
# and gives the handle no accessible name (noUiSlider issues #1019 and #1223); the course's sliders
# have a visible description beside them and move from the keyboard (tested above).
UPSTREAM = {"aria-input-field-name": 'class="noUi-handle'}


def accessibility_violations(page, context=None) -> list[str]:
    """axe-core's serious and critical findings (axe-playwright-python ships axe-core: nothing is fetched)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        upstream = UPSTREAM.get(violation["id"])
        nodes = [node for node in violation["nodes"] if not (upstream and upstream in node["html"])]
        if nodes:
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']}; e.g. {nodes[0]['html'][:160]}")
    return found


def open_notebook(page, path: str) -> None:
    page.goto(f"/lab/tree/{path}?reset")  # a fresh workspace: only this notebook open
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    page.wait_for_selector("text=| Idle", timeout=90_000)
    assert page.locator(".jp-Dialog").count() == 0, "a dialog (kernel choice?) opened with the notebook"


def run_all_cells(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.wait_for_selector("li.lm-Menu-item[data-command='runmenu:run-all']", state="visible")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
    page.wait_for_function(ALL_CELLS_RAN, timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector("text=| Idle", timeout=RUN_TIMEOUT_MS)


def shown_by(page, control) -> str:
    return control.evaluate(SHOWN)


def changes_what_is_shown(page, control, act) -> bool:
    before = shown_by(page, control)
    act()
    try:
        page.wait_for_function(f"(c) => ({SHOWN})(c) !== {json.dumps(before)}", arg=control.element_handle(), timeout=15_000)
    except Exception:
        return False
    return True


def slider_moved_from_the_keyboard(page):
    handle = page.locator(".jp-OutputArea-output .noUi-handle").first
    if handle.count() == 0:
        return None
    handle.scroll_into_view_if_needed()
    return changes_what_is_shown(page, handle, lambda: (handle.focus(), page.keyboard.press("ArrowRight")))


# A dropdown that answers a question (a prediction, a matching self-check) shows nothing until its
# button is pressed; an explorer's dropdown changes the view at once.
ANSWERS_A_QUESTION = """(select) => {
  const output = select.closest('.jp-OutputArea-output');
  return !!output && [...output.querySelectorAll('button')].some(b => /^(Check|Lock in)/.test(b.textContent.trim()));
}"""


def dropdown_chosen(page):
    selects = [select for select in page.locator(".jp-OutputArea-output .widget-dropdown select").all()
               if not select.evaluate(ANSWERS_A_QUESTION)]
    if not selects:
        return None
    select = selects[0]
    options = select.locator("option").all_inner_texts()
    current = select.evaluate("s => s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : ''")
    other = next((option for option in options if option != current), None)
    if other is None:
        return None
    select.scroll_into_view_if_needed()
    return changes_what_is_shown(page, select, lambda: select.select_option(label=other))


def quiz_answered(page):
    check = page.locator(".jp-OutputArea-output button", has_text=re.compile("^Check")).first
    if check.count() == 0:
        return None
    check.scroll_into_view_if_needed()
    output = check.locator("xpath=ancestor::div[contains(@class,'jp-OutputArea-output')][1]")
    choice = output.locator(".widget-radio-box input, .widget-toggle-button").first
    if choice.count():
        choice.click()
    return changes_what_is_shown(page, check, lambda: check.click())


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_and_its_widgets_react(page, lesson):
    open_notebook(page, lesson)
    run_all_cells(page)
    stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, f"{lesson}: {stderr.first.inner_text()[:500]}"
    assert page.locator(".jupyter-widgets").count() > 0, f"{lesson} shows no widget"
    assert page.locator("text=Error displaying widget").count() == 0
    reactions = {
        "slider (keyboard)": slider_moved_from_the_keyboard(page),
        "dropdown": dropdown_chosen(page),
        "quiz answer": quiz_answered(page),
    }
    tried = {name: changed for name, changed in reactions.items() if changed is not None}
    assert tried, f"{lesson}: no slider, dropdown or quiz to try"
    assert all(tried.values()), f"{lesson}: controls that changed nothing: {[n for n, c in tried.items() if not c]}"
    page.locator(".jupyter-widgets").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{lesson.split('/')[-1].removesuffix('.ipynb')}.png"))
    assert accessibility_violations(page, COURSE_CONTENT) == [], lesson
    assert page.watch.console_errors == [], page.watch.console_errors
    assert page.watch.outside_requests == [], page.watch.outside_requests


def test_the_start_page_opens_cleanly_for_a_first_time_user(page):
    start = "notebooks/01-start-here.ipynb"
    assert start in LESSONS
    open_notebook(page, start)
    assert page.locator(".jp-Notebook-ExecutionIndicator, .jp-KernelStatus, #jp-main-statusbar").first.is_visible()
    assert "Python 3" in page.locator("#jp-main-statusbar").inner_text()
    assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0, "a notification covers the page"
    kernel_specs = page.request.get("/api/kernelspecs").json()
    python = kernel_specs["kernelspecs"][kernel_specs["default"]]["spec"]["argv"][0]
    assert python.startswith(str(ROOT / ".venv")) or "python" in python


@pytest.mark.parametrize("notebook", ASSIGNMENTS)
def test_validate_button_reports_missing_answers(page, notebook):
    open_notebook(page, notebook)
    page.locator(".jp-NotebookPanel-toolbar button, .jp-NotebookPanel-toolbar jp-button", has_text="Validate").first.click()
    dialog = page.wait_for_selector(".jp-Dialog", timeout=RUN_TIMEOUT_MS)
    page.wait_for_selector(".jp-Dialog .validation-failed, .jp-Dialog .validation-success, .jp-Dialog pre", timeout=RUN_TIMEOUT_MS)
    text = dialog.inner_text()
    assert "The following cell failed" in text, text[:500]
    page.screenshot(path=str(ARTIFACTS / f"validate-{notebook.split('/')[-1].removesuffix('.ipynb')}.png"))
    assert page.watch.outside_requests == []


def test_formgrader_opens_for_the_teacher(page):
    page.goto("/formgrader")
    page.wait_for_selector("text=Manage Assignments", timeout=90_000)
    try:
        for notebook in ASSIGNMENTS:
            page.wait_for_selector(f"text={notebook.split('/')[1]}", timeout=60_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / "formgrader.png"))
    assert page.watch.outside_requests == []
    assert page.locator("#warning-exchange").count() == 0, "the formgrader warns of a missing exchange"


@pytest.fixture(scope="module")
def hostile_submission(course_copy):
    """The kept hostile submission, autograded in the browser suite's course with nbgrader's own command."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from nbgrader.api import Gradebook

    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    folder = course_copy / "submitted" / "hostile" / "war-communism"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "submissions" / "war-communism" / "hostile-html.ipynb", folder / "war-communism.ipynb")
    for command in (["generate_assignment", "war-communism", "--force"], ["autograde", "war-communism", "--student", "hostile"]):
        done = subprocess.run([sys.executable, "-m", "nbgrader", *command], cwd=course_copy, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
    with Gradebook(f"sqlite:///{course_copy / 'gradebook.db'}", course_id="leninsmoscow") as gradebook:
        return gradebook.find_submission_notebook("war-communism", "war-communism", "hostile").id


def test_a_hostile_submission_runs_no_script_when_the_teacher_opens_it(page, hostile_submission):
    """As a teacher opens the submission in the formgrader: no student script runs, no dialog opens,
    nothing reaches the server's API, and the attempts are there to read as text."""
    dialogs, api_calls = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: api_calls.append(request.url) if "/api/" in request.url else None)
    page.goto(f"/formgrader/submissions/{hostile_submission}/")
    page.wait_for_selector("#notebook-container .cell", timeout=90_000)
    page.wait_for_load_state("load")
    page.wait_for_timeout(2000)  # time for an onerror or onload handler to have fired
    page.screenshot(path=str(ARTIFACTS / "formgrader-hostile-submission.png"), full_page=True)
    assert page.evaluate("() => window.LENINSMOSCOW_PWNED") is None
    assert dialogs == []
    assert [url for url in api_calls if "/formgrader/api/" not in url] == []
    text = page.locator("#notebook-container").first.inner_text()
    assert "window.LENINSMOSCOW_PWNED=1" in text, "the attempt is shown as text"
    assert page.locator(".cell script, .cell iframe, .cell svg, .cell [onerror], .cell [onload]").count() == 0


@pytest.fixture(scope="module")
def teacher_pages(course_copy) -> dict[str, str]:
    """The answer key as `leninsmoscow solutions` writes it, and a report page from a small made-up class."""
    import subprocess
    import sys

    from leninsmoscow.teacher import report, stats
    from leninsmoscow.teacher.course import find_course

    done = subprocess.run([sys.executable, "-m", "leninsmoscow.cli", "solutions", "year-1923", "--course",
                           str(course_copy)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    items = [stats.Item("year-1923", "test-price-in-marks", 3.0, False),
             stats.Item("year-1923", "written-german-october", 10.0, True)]
    rows = [stats.Row(f"student-{n}", "graded", {items[0].key: float(n % 4), items[1].key: float(n)},
                      total=float(n % 4 + n), max_total=13.0) for n in range(8)]
    rows.append(stats.Row("broken", "failed: the file is not a notebook", max_total=13.0))
    rows[0].pending.add(items[1].key)
    page = report.render(find_course(course_copy), "year-1923", items, rows, stats.item_stats(items, rows),
                         stats.manual_queue(items, rows), stats.totals_plot_png(rows, 13.0), 13.0)
    key = course_copy / "dist" / "solutions" / "year-1923" / "year-1923.html"
    return {"answer key": key.read_text(encoding="utf-8"), "report": page}


@pytest.mark.parametrize("name", ["answer key", "report"])
def test_the_teachers_pages_pass_the_accessibility_audit(page, teacher_pages, name):
    page.set_content(teacher_pages[name])
    assert accessibility_violations(page) == [], name
    assert page.watch.outside_requests == []


@pytest.fixture(scope="module")
def static_views() -> dict[str, str]:
    """The static HTML every course widget sends beside the live one (what a saved notebook shows without a kernel)."""
    from leninsmoscow import widgets

    made = {
        "TimelineExplorer": widgets.TimelineExplorer(),
        "JourneyMap": widgets.JourneyMap(),
        "InflationExplorer": widgets.InflationExplorer(),
        "StrikeChart": widgets.StrikeChart(),
        "PeopleExplorer": widgets.PeopleExplorer(),
        "MultipleChoice": widgets.MultipleChoice("Who wrote the memoir?", ["Trotsky", "Rosmer", "Serge"], "Rosmer",
                                                 "Alfred Rosmer wrote it."),
        "OrderingQuestion": widgets.OrderingQuestion("Put them in order", ["a", "b", "c"], ["c", "a", "b"], "Because."),
        "MatchingQuestion": widgets.MatchingQuestion("Match them", ["x", "y"], ["1", "2"], ["2", "1"], "Because."),
        "Prediction": widgets.Prediction("How many marks did a dollar cost in October 1923?", unit="marks"),
    }
    assert set(made) == set(widgets.__all__), "a widget class without a static view in this audit"
    return {name: widget.to_html() for name, widget in made.items()}


@pytest.mark.parametrize("name", ["TimelineExplorer", "JourneyMap", "InflationExplorer", "StrikeChart", "PeopleExplorer",
                                  "MultipleChoice", "OrderingQuestion", "MatchingQuestion", "Prediction"])
def test_the_static_view_of_every_widget_passes_the_accessibility_audit(page, static_views, name):
    page.set_content(f'<!doctype html><html lang="en"><head><title>{name}</title></head>'
                     f"<body><main>{static_views[name]}</main></body></html>")
    assert accessibility_violations(page) == [], name
    assert page.watch.outside_requests == []
