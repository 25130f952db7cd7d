"""A synthetic class for the demo: the submissions a real class hands in, good and bad.

Every submission is derived from the assignment's own notebooks, so the demo
works for any assignment of the course: the student version (what students
receive) with answers taken from the teacher's version (right), changed
(wrong) or left out (blank), plus the troublemakers a teacher meets sooner or
later:

- broken files: invalid JSON, an empty file;
- tampering: an edited test cell that claims its check passed, answers that
  claim to equal anything (``__eq__``), a patched referee and ``importlib``,
  and forged results (a display hook that runs before every test, a patched
  ``report`` that returns a value) on blank answers;
- hostile HTML: right answers, with script in a written answer, in outputs
  (HTML, JavaScript, SVG), in cell tags and in a raw cell, aimed at the
  teacher who opens the submission in the formgrader;
- an endless loop and a kernel that kills itself.

The class is exported as a learning platform would (Moodle-style file names in
a zip), with a stray file and an archive inside the export to show how collect
reports what it does not place. The same seed gives the same class.
"""

from __future__ import annotations

import ast
import copy
import json
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

FIRST = ("Anna", "Boris", "Clara", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Irina", "Jonas", "Katya", "Leon",
         "Maria", "Nadia", "Oskar", "Pavel", "Rosa", "Sasha", "Tomas", "Vera", "Yuri", "Zoe", "Lev", "Inès")
LAST = ("Petrova", "Serge", "Martin", "Ivanov", "Dubois", "Kowalski", "Rossi", "Novak", "Berger", "Okafor",
        "Lindqvist", "Haddad", "Moreau", "Fischer", "Garcia", "Sokolova", "Weber", "Nilsen", "Costa", "Brandt")

# The troublemakers of a class of 30; a larger class gets proportionally more.
SPECIAL = ("invalid JSON", "empty file", "edited test", "__eq__ cheat", "patched referee", "forged result",
           "hostile HTML", "endless loop", "crashed kernel")
KINDS = ("right", "partly right", "blank", *SPECIAL)
BROKEN = {"invalid JSON", "empty file"}
MARK = re.compile(r"^\s*#+\s*(BEGIN|END) SOLUTION\s*$")

WRONG = '''
def _lm_wrong(value):
    """A plausible wrong answer of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value * 2 + 1
    if isinstance(value, float):
        return value * 1.5 + 1
    if isinstance(value, str):
        return value[::-1] + "?"
    if isinstance(value, (list, tuple)):
        items = list(value)
        return items[1:] + items[:1] if len(set(map(repr, items))) > 1 else items + items
    if isinstance(value, dict):
        return {key: _lm_wrong(item) for key, item in value.items()}
    return None
'''

ALWAYS_EQUAL = '''
def _lm_always_equal(value):
    """The same value, but it says it equals anything."""
    base = int if isinstance(value, bool) else type(value)
    try:
        kind = type("Answer", (base,), {"__eq__": lambda self, other: True,
                                         "__ne__": lambda self, other: False, "__hash__": base.__hash__})
        return kind(value)
    except TypeError:
        return value
'''

PATCH_REFEREE = '''
import importlib
import leninsmoscow.grading.referee as _ref
_ref.expect = lambda *args, **kwargs: None
_ref.expect_each = lambda *args, **kwargs: None
_ref.same = lambda *args, **kwargs: True
importlib.reload = lambda module: module
'''

# Before the grader's verdict replaced every output of a test cell, nbgrader read the
# first execute_result of a test cell as its score: a non-numeric one was full marks.
FORGE_RESULTS = '''
def _lm_forge(info):
    get_ipython().displayhook("full marks")
get_ipython().events.register("pre_run_cell", _lm_forge)
import leninsmoscow.grading.referee as _lm_ref
_lm_ref.report = lambda *args, **kwargs: "full marks"
'''

# What a hostile submission puts in front of the teacher; PAYLOAD marks every attempt.
PAYLOAD = "window.LENINSMOSCOW_PWNED=1"
HOSTILE_MARKDOWN = f'''

<img src=x onerror="{PAYLOAD}"> <script>{PAYLOAD}</script> [a link](javascript:{PAYLOAD})'''
HOSTILE_OUTPUTS = f'''from IPython.display import HTML, Javascript, display
display(HTML('<b>bold</b><img src=x onerror="{PAYLOAD}">'))
display(Javascript("{PAYLOAD}"))
display({{"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" onload="{PAYLOAD}"><script>{PAYLOAD}</script></svg>',
         "text/plain": "an svg"}}, raw=True)
display({{"image/png": 'iVBORw0KGgo="><script>{PAYLOAD}</script>'}}, metadata={{"width": '1 onerror="{PAYLOAD}"'}}, raw=True)
'''


@dataclass(frozen=True)
class Student:
    id: str
    name: str
    kind: str

    @property
    def file_prefix(self) -> str:
        return f"{self.name}_{self.id}_assignsubmission_file_"


def kinds_for(size: int) -> list[str]:
    """A realistic spread: mostly right or partly right, some blank, a few troublemakers."""
    scale = max(1, round(size / 30))
    special = [kind for kind in SPECIAL for _ in range(scale)]
    rest = size - len(special)
    right = round(rest * 0.5)
    blank = max(1, round(rest * 0.13))
    partly = rest - right - blank
    return ["right"] * right + ["partly right"] * partly + ["blank"] * blank + special


def make_class(size: int, seed: int = 1917) -> list[Student]:
    rng = random.Random(seed)
    ids = rng.sample(range(10000, 99999), size)
    kinds = kinds_for(size)
    rng.shuffle(kinds)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(size)]
    return [Student(str(i), n, k) for i, n, k in zip(ids, names, kinds)]


def is_solution(cell) -> bool:
    return cell.get("metadata", {}).get("nbgrader", {}).get("solution", False)


def is_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta.get("grade", False) and not meta.get("solution", False) and cell["cell_type"] == "code"


def solution_text(source_cell) -> str:
    """The teacher's answer: the source cell without nbgrader's solution markers."""
    return "\n".join(line for line in _text(source_cell).splitlines() if not MARK.match(line))


def assigned_names(code: str) -> tuple[list[str], list[str]]:
    """(values, functions): the top-level names an answer cell defines, which its tests look at."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [], []
    values, functions = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append(node.name)
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        values += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in values]
    return values, functions


def submission(student: Student, released: dict, source: dict, rng: random.Random):
    """One notebook as this student hands it in: a dict, or the raw text of a broken file."""
    if student.kind == "invalid JSON":
        text = json.dumps(answered(released, source, lambda cell: "right"), indent=1)
        return text[: len(text) // 2]
    if student.kind == "empty file":
        return ""
    choice = {
        "right": lambda cell: "right",
        "blank": lambda cell: "blank",
        "partly right": _partly(rng),
        "edited test": lambda cell: "wrong",
        "__eq__ cheat": lambda cell: "always equal",
        "patched referee": lambda cell: "wrong",
        "forged result": lambda cell: "blank",
        "hostile HTML": lambda cell: "right",
        "endless loop": lambda cell: "right",
        "crashed kernel": lambda cell: "right",
    }[student.kind]
    notebook = answered(released, source, choice)
    first = next((c for c in notebook["cells"] if is_solution(c) and c["cell_type"] == "code"), None)
    if first is not None:
        prefix = {"patched referee": PATCH_REFEREE, "forged result": FORGE_RESULTS,
                  "endless loop": "while True:\n    pass\n", "crashed kernel": "import os\nos._exit(1)\n"}.get(student.kind)
        if prefix:
            first["source"] = prefix.lstrip("\n") + _text(first)
    if student.kind == "edited test":
        for cell in notebook["cells"]:
            if is_test(cell):
                grade_id = cell["metadata"]["nbgrader"]["grade_id"]
                cell["source"] = f"print({f'✓ {grade_id}: checked'!r})\n'full marks'"
    if student.kind == "hostile HTML":
        make_hostile(notebook)
    return notebook


def make_hostile(notebook: dict) -> None:
    """Script for the teacher's browser wherever a student can put it (see HOSTILE_*)."""
    written = next((c for c in notebook["cells"] if is_solution(c) and c["cell_type"] == "markdown"), None)
    if written is not None:
        written["source"] = _text(written) + HOSTILE_MARKDOWN
    outputs = {"cell_type": "code", "execution_count": None, "outputs": [], "source": HOSTILE_OUTPUTS,
               "metadata": {"tags": [f'x"><script>{PAYLOAD}</script>']}}
    raw = {"cell_type": "raw", "metadata": {"raw_mimetype": "text/html"}, "source": f"<script>{PAYLOAD}</script>"}
    notebook["cells"] += [_with_id(outputs, "hostile-outputs"), _with_id(raw, "hostile-raw")]


def _with_id(cell: dict, cell_id: str) -> dict:
    return {"id": cell_id, **cell}


def _partly(rng: random.Random):
    def choose(cell):
        return rng.choices(["right", "wrong", "blank"], weights=[55, 30, 15])[0]
    return choose


def answered(released: dict, source: dict, choose) -> dict:
    """The student version with each answer cell filled in as ``choose(cell)`` says."""
    notebook = copy.deepcopy(released)
    teacher = {c["metadata"]["nbgrader"]["grade_id"]: c for c in source["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
    for cell in notebook["cells"]:
        if not is_solution(cell):
            continue
        answer = teacher.get(cell["metadata"]["nbgrader"]["grade_id"])
        how = choose(cell)
        if answer is None or how == "blank":
            continue
        text = solution_text(answer)
        if cell["cell_type"] == "code" and how in ("wrong", "always equal"):
            values, functions = assigned_names(text)
            helper = WRONG + (ALWAYS_EQUAL if how == "always equal" else "")
            wrap = "_lm_always_equal(_lm_wrong({0}))" if how == "always equal" else "_lm_wrong({0})"
            lines = [f"{n} = {wrap.format(n)}" for n in values]
            lines += [f"{f} = (lambda _f: lambda *a, **k: {wrap.format('_f(*a, **k)')})({f})" for f in functions]
            text = text + "\n" + helper + "\n".join(lines)
        elif cell["cell_type"] == "markdown" and how == "wrong":
            text = "I am not sure."
        cell["source"] = text
    return notebook


def export(course, assignment: str, students: list[Student], out: Path, seed: int = 1917) -> Path:
    """The class's submissions as one zip, named as Moodle names them."""
    rng = random.Random(seed)
    release = course.folder("release") / assignment
    source = course.folder("source") / assignment
    notebooks = course.notebooks(assignment)
    handed_in = datetime(2024, 3, 8, 9, 0)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, student in enumerate(students):
            when = handed_in + timedelta(minutes=7 * number)
            for index, name in enumerate(notebooks):
                released = json.loads((release / name).read_text(encoding="utf-8"))
                teacher = json.loads((source / name).read_text(encoding="utf-8"))
                kind = student if index == 0 or student.kind not in BROKEN else Student(student.id, student.name, "blank")
                content = submission(kind, released, teacher, rng)
                _write(archive, student.file_prefix + name, content, when)
        if students:
            # a stray file, and an archive inside the export, which collect lists and never opens
            _write(archive, "Moodle export - read me.txt", "Downloaded from the course page.\n", handed_in)
            _write(archive, students[0].file_prefix + "backup.zip", "PK not really a zip\n", handed_in)
    return out


def _write(archive, name, content, when) -> None:
    text = content if isinstance(content, str) else json.dumps(content, indent=1, ensure_ascii=False) + "\n"
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, text)


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source
