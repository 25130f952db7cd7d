"""Student content made inert in the graded notebook, so every page rendered from it is safe.

The formgrader shows a submission by converting the graded notebook to HTML
(nbconvert, in the Jupyter server's own origin, where a script would act with
the teacher's rights), and the feedback pages are made from the same notebook.
nbconvert passes raw HTML in markdown and ``text/html``,
``application/javascript`` and ``image/svg+xml`` outputs straight into the
page, and its templates put cell tags and raw cells into the page as they are.
So the autograding pipeline cleans the graded notebook itself, once, and
everything rendered from it inherits that:

- markdown written by the student: every ``<`` becomes ``&lt;`` (so no raw
  HTML), MathJax macros that make links or load code lose their backslash, and
  the result must render through nbconvert's own markdown renderer to an
  allowlist of tags, attributes and addresses; if it does not, links and
  images are switched off, and failing that the answer is shown as plain text;
- outputs: ``text/html`` passes an allowlist sanitiser (bleach), images must
  be well-formed base64, every other kind (JavaScript, SVG, LaTeX, widgets,
  JSON) is reduced to its text, and output metadata is dropped;
- raw cells are escaped, cell metadata keeps only nbgrader's own fields, and
  notebook metadata only the kernel's name (no embedded widget state).

The teacher's own markdown (a cell whose checksum is still the one nbgrader
recorded at release) is left exactly as written.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import uuid
from html.parser import HTMLParser

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import compute_checksum

# What nbconvert's markdown renderer produces for ordinary markdown, and no more.
MARKDOWN_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "span", "div",
}
# What a table or formatted text printed by student code may keep.
OUTPUT_TAGS = [
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "p", "br", "hr", "b", "i", "em",
    "strong", "u", "s", "sub", "sup", "small", "code", "pre", "span", "div", "ul", "ol", "li", "dl", "dt",
    "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "abbr",
]
OUTPUT_ATTRIBUTES = {"th": ["colspan", "rowspan", "scope"], "td": ["colspan", "rowspan"], "abbr": ["title"]}
SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "ol": {"start"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "abbr": {"title"},
}
SAFE_STYLE = re.compile(r"^text-align:\s*(left|right|center)$")
SAFE_LINK = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
SAFE_IMAGE = re.compile(r"^data:image/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*$")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
# MathJax (loaded by the formgrader and feedback pages) turns these into links,
# styles or code loads; without the backslash they are plain letters.
TEX_MACROS = re.compile(r"\\+(?=(?:href|url|unicode|class|style|cssId|require|bbox|mmlToken|html|data)\b)")
CELL_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
GRADE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")
TEXT_LIMIT = 100_000  # characters of a non-displayable output kept as text
UNSHOWABLE = "[this answer could not be shown safely; the submitted notebook holds it as written]"


# -- markdown -------------------------------------------------------------------------


def inert_markdown(text: str, attachments: dict | None = None) -> str:
    """Markdown that renders to allowlisted HTML only, changed as little as that needs."""
    text = TEX_MACROS.sub("", text)
    candidates = (
        text.replace("<", "&lt;"),                                # no raw HTML
        text.replace("<", "&lt;").replace("[", "\\["),            # and no links or images
        as_code_block(text),                                      # shown as plain text
    )
    for candidate in candidates:
        if renders_safely(candidate, attachments):
            return candidate
    return UNSHOWABLE


def as_code_block(text: str) -> str:
    """The text as a fenced code block, with a fence longer than any run of backticks in it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def renders_safely(markdown: str, attachments: dict | None = None) -> bool:
    """Whether nbconvert renders this markdown to allowlisted HTML only (any failure: no)."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    try:
        rendered = MarkdownWithMath(renderer=IPythonRenderer(escape=False, attachments=attachments or {})).render(markdown)
    except Exception:  # noqa: BLE001 - a missing attachment or odd markup would break the page too
        return False
    return html_is_safe(rendered, MARKDOWN_TAGS)


class _Checker(HTMLParser):
    """Walks HTML and notes anything outside the allowlist."""

    def __init__(self, tags):
        super().__init__(convert_charrefs=True)
        self.tags = tags
        self.safe = True

    def handle_starttag(self, tag, attrs):
        if tag not in self.tags:
            self.safe = False
            return
        allowed = SAFE_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed or not _safe_value(tag, name, value or ""):
                self.safe = False

    handle_startendtag = handle_starttag

    def handle_decl(self, decl):
        self.safe = False

    def handle_pi(self, data):
        self.safe = False

    def unknown_decl(self, data):
        self.safe = False

    def handle_data(self, data):
        if TEX_MACROS.search(data):
            self.safe = False


def _safe_value(tag: str, name: str, value: str) -> bool:
    if name == "href":
        return bool(SAFE_LINK.match(value.strip()))
    if name == "src":
        return bool(SAFE_IMAGE.match(value.strip()))
    if name == "style":
        return bool(SAFE_STYLE.match(value.strip()))
    return True


def html_is_safe(markup: str, tags=MARKDOWN_TAGS) -> bool:
    checker = _Checker(set(tags))
    checker.feed(markup)
    checker.close()
    return checker.safe and "<" not in checker.rawdata


# -- outputs ----------------------------------------------------------------------------


def inert_html(markup: str) -> str | None:
    """HTML reduced to an allowlist of tags with no scripts, styles, links or classes; None if that fails."""
    import bleach

    markup = re.sub(r"<(script|style)\b.*?</\1\s*>", "", markup, flags=re.IGNORECASE | re.DOTALL)
    cleaned = bleach.clean(markup, tags=OUTPUT_TAGS, attributes=OUTPUT_ATTRIBUTES, strip=True, strip_comments=True)
    cleaned = TEX_MACROS.sub("", cleaned)
    return cleaned if html_is_safe(cleaned, set(OUTPUT_TAGS)) else None


def is_base64_image(value) -> bool:
    if not isinstance(value, str) or not BASE64.match(value):
        return False
    try:
        base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def inert_output(output) -> NotebookNode | None:
    """An output rebuilt from allowlisted fields only; None for a kind that is not an output."""
    kind = output.get("output_type")
    if kind == "stream":
        name = output.get("name") if output.get("name") in ("stdout", "stderr") else "stdout"
        return NotebookNode(output_type="stream", name=name, text=_text(output.get("text", "")))
    if kind == "error":
        traceback = output.get("traceback") if isinstance(output.get("traceback"), list) else []
        return NotebookNode(output_type="error", ename=_text(output.get("ename", "Error")),
                            evalue=_text(output.get("evalue", "")), traceback=[_text(line) for line in traceback])
    if kind in ("display_data", "execute_result"):
        rebuilt = NotebookNode(output_type=kind, data=inert_data(output.get("data")), metadata=NotebookNode())
        if kind == "execute_result":
            count = output.get("execution_count")
            rebuilt.execution_count = count if type(count) is int else None
        return rebuilt
    return None


def inert_data(data) -> NotebookNode:
    """A display's data: plain text, checked images, sanitised HTML and markdown; the rest as text."""
    data = data if isinstance(data, dict) else {}
    kept = NotebookNode()
    if "text/plain" in data:
        kept["text/plain"] = _text(data["text/plain"])
    for mimetype, value in data.items():
        if mimetype == "text/plain":
            continue
        if mimetype in IMAGE_TYPES and is_base64_image(value):
            kept[mimetype] = value
        elif mimetype == "text/html" and (cleaned := inert_html(_text(value))) is not None:
            kept[mimetype] = cleaned
        elif mimetype == "text/markdown":
            kept[mimetype] = inert_markdown(_text(value))
        elif "text/plain" not in kept:
            shown = value if isinstance(value, str) else repr(value)
            kept["text/plain"] = f"[{_text(mimetype)} output, shown as text]\n{shown[:TEXT_LIMIT]}"
    return kept


def _text(value) -> str:
    if isinstance(value, list):
        return "".join(str(item) for item in value)
    return value if isinstance(value, str) else str(value)


# -- cells and notebook ---------------------------------------------------------------


def is_teachers_text(cell) -> bool:
    """A cell still exactly as the teacher released it (nbgrader recorded its checksum)."""
    recorded = cell.get("metadata", {}).get("nbgrader", {}).get("checksum")
    try:
        return bool(recorded) and compute_checksum(cell) == recorded
    except Exception:  # noqa: BLE001 - metadata a student broke is not the teacher's
        return False


def inert_cell_metadata(metadata) -> NotebookNode:
    """Only nbgrader's fields and the two editing flags: tags and other keys reach templates unescaped."""
    kept = NotebookNode()
    nbgrader = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    if isinstance(nbgrader, dict) and GRADE_ID.match(str(nbgrader.get("grade_id", "x"))):
        kept["nbgrader"] = nbgrader
    for flag in ("deletable", "editable"):
        if isinstance(metadata, dict) and type(metadata.get(flag)) is bool:
            kept[flag] = metadata[flag]
    return kept


def inert_attachments(attachments) -> NotebookNode:
    kept = NotebookNode()
    if not isinstance(attachments, dict):
        return kept
    for name, bundle in attachments.items():
        if isinstance(bundle, dict) and re.match(r"^[\w.-]{1,128}$", str(name)):
            images = {m: v for m, v in bundle.items() if m in IMAGE_TYPES and is_base64_image(v)}
            if images:
                kept[name] = NotebookNode(images)
    return kept


def inert_notebook_metadata(metadata) -> NotebookNode:
    """The kernel's name and language, nothing else (embedded widget state is rendered as script)."""
    kept = NotebookNode()
    spec = metadata.get("kernelspec") if isinstance(metadata, dict) else None
    if isinstance(spec, dict):
        kept["kernelspec"] = NotebookNode({key: str(spec[key]) for key in ("name", "display_name", "language")
                                           if key in spec})
    info = metadata.get("language_info") if isinstance(metadata, dict) else None
    if isinstance(info, dict) and re.match(r"^[\w+.-]{1,32}$", str(info.get("name", ""))):
        kept["language_info"] = NotebookNode(name=info["name"])
    return kept


def make_inert(nb) -> None:
    """Clean a graded notebook in place (see the module's docstring)."""
    nb.metadata = inert_notebook_metadata(nb.get("metadata", {}))
    for cell in nb.cells:
        teachers = cell.cell_type == "markdown" and is_teachers_text(cell)
        cell.metadata = inert_cell_metadata(cell.get("metadata", {}))
        if "id" in cell and not CELL_ID.match(str(cell.id)):
            cell.id = uuid.uuid4().hex[:8]
        if "attachments" in cell:
            cell.attachments = inert_attachments(cell.attachments)
        if cell.cell_type == "markdown" and not teachers:
            cell.source = inert_markdown(cell.source, cell.get("attachments"))
        elif cell.cell_type == "raw":
            cell.source = html.escape(cell.source)
        elif cell.cell_type == "code":
            cell.outputs = [kept for kept in map(inert_output, cell.get("outputs", [])) if kept is not None]


class MakeStudentContentInert(NbGraderPreprocessor):
    """The autograding step that applies :func:`make_inert` to every graded notebook."""

    def preprocess(self, nb, resources):
        make_inert(nb)
        return nb, resources
