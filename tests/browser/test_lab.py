"""What students and teachers see in JupyterLab: lessons run, widgets react, nbgrader's buttons work."""

from __future__ import annotations

import json
import re

import pytest
from browser.conftest import ARTIFACTS, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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


def dropdown_chosen(page):
    select = page.locator(".jp-OutputArea-output .widget-dropdown select").first
    if select.count() == 0:
        return None
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
