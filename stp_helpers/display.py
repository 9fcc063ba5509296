"""Display objects, and the one place where case text is escaped for the page.

Case files are untrusted input: a practitioner may open a folder someone
else wrote.  Every piece of case or user text that reaches Markdown or HTML
goes through :func:`md` or :func:`html` here, which escape the *values* once
and never the template.  The template is the workbook's own text.

Notebook outputs are compared by nbval, so everything a notebook shows has
a deterministic plain-text form as well as its rich one: the plain form
shows the values as they are, the rich form shows them escaped.

Examples
--------
>>> Markdown("- one\\n- two")
- one
- two
>>> card = md("**{title}**", title="<img src=x onerror=alert(1)>")
>>> card.text
'**&lt;img src=x onerror=alert(1)&gt;**'
>>> card
**<img src=x onerror=alert(1)>**
>>> html("<b>{name}</b>", name="Tom & <Jerry>").html
'<b>Tom &amp; &lt;Jerry&gt;</b>'
"""

from __future__ import annotations

import dataclasses
import html as _html
import numbers
import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Markdown", "HTML", "bullets", "numbered", "md", "html", "join", "escape_md", "escape_html",
    "table_html", "install_table_format", "findings_list",
]


@dataclass(frozen=True)
class Markdown:
    """Markdown shown as rich text in Jupyter and Voilà, and as plain text elsewhere.

    ``text`` is the Markdown (trusted: the workbook's own words, with any case
    text already escaped by :func:`md`); ``plain`` is what the plain-text form
    shows (default: ``text``).
    """

    text: str
    plain: str | None = None

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text if self.plain is None else self.plain

    @classmethod
    def literal(cls, text: Any) -> Markdown:
        """Untrusted text shown as it is, paragraphs kept, nothing interpreted.

        >>> Markdown.literal("*not bold* <b>").text
        '\\\\*not bold\\\\* &lt;b&gt;'
        """
        return md("{text}", text=Block(text))


@dataclass(frozen=True)
class HTML:
    """HTML with an explicit plain-text form."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Block:
    """A value that may hold paragraphs (blank lines are kept when escaped for Markdown)."""

    value: Any

    def __str__(self) -> str:
        return str(self.value)


# Characters with a meaning in Markdown as Jupyter renders it (marked, with GitHub tables and
# MathJax): backslash-escaped.  '<', '>' and '&' become entities, so no HTML tag can form.
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]|~$#!])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def escape_html(value: Any) -> str:
    """Escape text for HTML content or a quoted attribute.

    >>> escape_html('<a href="x">')
    '&lt;a href=&quot;x&quot;&gt;'
    """
    return _html.escape(str(value), quote=True)


def escape_md(value: Any) -> str:
    """Escape text so that Markdown shows it literally: no tag, link, emphasis, list or formula.

    A :class:`Block` keeps its paragraphs; any other value is put on one line.

    >>> escape_md("[click](javascript:alert(1)) $x$ <script>")
    '\\\\[click\\\\](javascript:alert(1)) \\\\$x\\\\$ &lt;script&gt;'
    >>> escape_md("- not a list")
    '\\\\- not a list'
    """
    block = isinstance(value, Block)
    text = str(value)
    if block:
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
        text = "\n\n".join(p for p in paragraphs if p)
    else:
        text = " ".join(text.split())
    text = _html.escape(text, quote=False)
    text = _MD_PUNCT.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _plain(value: Any) -> str:
    return str(value.value if isinstance(value, Block) else value)


def md(template: str, /, **values: Any) -> Markdown:
    """Fill a Markdown template with untrusted values, each escaped once.

    Parameters
    ----------
    template : str
        The workbook's own Markdown with ``{name}`` fields (``str.format`` syntax).
    **values
        Case or user text (anything ``str()`` accepts); wrap in :class:`Block`
        to keep paragraphs.

    Returns
    -------
    Markdown
        Its plain-text form shows the values unescaped.

    Raises
    ------
    KeyError
        A field of the template has no value.

    Examples
    --------
    >>> md("- **{name}**: {why}", name="A_b", why="1 < 2").text
    '- **A\\\\_b**: 1 &lt; 2'
    """
    missing = _fields(template) - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)} in the Markdown template")
    escaped = {k: escape_md(v) for k, v in values.items()}
    plain = {k: _plain(v) for k, v in values.items()}
    return Markdown(template.format(**escaped), template.format(**plain))


def html(template: str, /, *, text: str | None = None, **values: Any) -> HTML:
    """Fill an HTML template with untrusted values, each escaped once.

    Parameters
    ----------
    template : str
        The workbook's own HTML with ``{name}`` fields.
    text : str, optional
        The plain-text form (default: the values joined by spaces).
    **values
        Case or user text.

    Examples
    --------
    >>> html('<p title="{t}">{t}</p>', t='"x"').html
    '<p title="&quot;x&quot;">&quot;x&quot;</p>'
    """
    missing = _fields(template) - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)} in the HTML template")
    body = template.format(**{k: escape_html(_plain(v)) for k, v in values.items()})
    return HTML(body, text if text is not None else " ".join(_plain(v) for v in values.values()))


def join(parts: Iterable[Markdown], sep: str = "\n") -> Markdown:
    """Join Markdown blocks (each made by :func:`md` or from the workbook's own text).

    >>> join([md("**{a}**", a="x*"), Markdown("done")]).text
    '**x\\\\***\\ndone'
    """
    parts = list(parts)
    for part in parts:
        if not isinstance(part, Markdown):
            raise TypeError("join takes Markdown blocks; build case text with md(template, **values)")
    return Markdown(sep.join(p.text for p in parts), sep.join(repr(p) for p in parts))


def findings_list(found: Iterable[Any], passes: str) -> Markdown:
    """Quality findings (each with ``rule``, ``field``, ``problem`` and ``fix``) as a Markdown list, every piece
    escaped once, or ``passes`` when there are none.

    >>> from stp_helpers.errors import RuleFinding
    >>> findings_list([RuleFinding("SC-1", "client", "<b>empty</b>", "Name one.")], "All pass.").text
    '- **SC-1** client: &lt;b&gt;empty&lt;/b&gt; *Name one.*'
    >>> findings_list([], "All pass.")
    All pass.
    """
    found = list(found)
    if not found:
        return Markdown(passes)
    return join(md("- **{rule}** {field}: {problem} *{fix}*", rule=f.rule, field=f.field, problem=f.problem,
                   fix=f.fix) for f in found)


def bullets(items: Iterable[Any]) -> Markdown:
    """Return a Markdown bulleted list of untrusted items.

    >>> bullets(["a", "b"])
    - a
    - b
    """
    return join(md("- {item}", item=item) for item in items)


def numbered(items: Iterable[Any]) -> Markdown:
    """Return a Markdown numbered list of untrusted items.

    >>> numbered(["a", "b"])
    1. a
    2. b
    """
    return join(md(f"{i}. {{item}}", item=item) for i, item in enumerate(items, start=1))


# --- tables: styled HTML, text left-aligned, no index, wrapped instead of cut ---

TABLE_STYLE = ("border-collapse:collapse;font-size:15px;max-width:100%;"
               "table-layout:auto;margin:0.5em 0")
_CELL = "text-align:{align};vertical-align:top;padding:4px 10px;border-bottom:1px solid #d0d0d0;" \
        "white-space:normal;overflow-wrap:anywhere;max-width:36em"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):,.6g}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_cell(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def table_html(frame: Any, *, columns: Sequence[str] | None = None, caption: str | None = None) -> str:
    """A DataFrame as styled HTML: no index, text left and numbers right, wrapped, every cell escaped.

    >>> import pandas as pd
    >>> out = table_html(pd.DataFrame({"who": ["<b>A</b>"], "n": [3]}))
    >>> "&lt;b&gt;A&lt;/b&gt;" in out and "<th" in out and "index" not in out
    True
    """
    cols = list(columns) if columns is not None else [str(c) for c in frame.columns]
    numeric = {c: all(_is_number(v) or v is None for v in frame[c].tolist()) for c in cols}
    head = "".join(
        f'<th style="{_CELL.format(align="right" if numeric[c] else "left")}">{escape_html(c)}</th>' for c in cols)
    rows = []
    for record in frame[cols].itertuples(index=False, name=None):
        cells = "".join(
            f'<td style="{_CELL.format(align="right" if numeric[c] else "left")}">{escape_html(_cell(v))}</td>'
            for c, v in zip(cols, record))
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption style=\"text-align:left\">{escape_html(caption)}</caption>" if caption else ""
    return (f'<div class="stp-table-wrap" style="max-width:100%;overflow-x:auto">'
            f'<table class="stp-table" style="{TABLE_STYLE}">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def table_text(frame: Any) -> str:
    """A DataFrame as plain text with no index and no cut cells."""
    cols = [str(c) for c in frame.columns]
    body = [[_cell(v) for v in rec] for rec in frame.itertuples(index=False, name=None)]
    widths = [max([len(c)] + [len(r[i]) for r in body]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in body]
    return "\n".join(lines)


def _record(value: Any) -> dict[str, Any] | None:
    """The fields of a dataclass, named tuple or pydantic model (None for anything else)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return dict(zip(value._fields, value))
    if hasattr(value, "model_dump") and hasattr(type(value), "model_fields"):
        return {name: getattr(value, name) for name in type(value).model_fields}
    return None


def _item_text(value: Any) -> str:
    record = _record(value)
    if record is not None:
        return "; ".join(f"{k.replace('_', ' ')}: {_item_text(v)}" for k, v in record.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_item_text(v) for v in value)
    return _cell(value)


def value_markdown(value: Any) -> str:
    """A list, tuple, date or Series as Markdown a reader can read (never its Python repr).

    >>> import datetime
    >>> print(value_markdown([datetime.date(2012, 1, 1), "a <b>"]))
    - 2012-01-01
    - a &lt;b&gt;
    >>> value_markdown(datetime.date(2012, 1, 1))
    '2012-01-01'
    """
    record = _record(value)
    if record is not None:
        return join(md("- **{k}**: {v}", k=k.replace("_", " "), v=_item_text(v)) for k, v in record.items()).text
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return "*(none)*" if not items else join(md("- {item}", item=_item_text(v)) for v in items).text
    return escape_md(_item_text(value))


def install_table_format() -> bool:
    """Show values as a reader would write them, in this kernel: never a Python repr.

    DataFrames become styled tables (:func:`table_html`), Series two-column
    tables, and lists, tuples, sets and dates readable Markdown
    (:func:`value_markdown`).  Does nothing outside IPython.  Returns whether
    it was installed.
    """
    try:  # IPython is there in a kernel only; scripts and tests run without it
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    import datetime

    import pandas as pd  # pandas is heavy; only a kernel that shows tables needs it here

    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, table_html)
    formatters["text/plain"].for_type(pd.DataFrame, lambda df, p, cycle: p.text(table_text(df)))
    series = lambda s: s.rename(s.name or "value").reset_index()  # noqa: E731
    formatters["text/html"].for_type(pd.Series, lambda s: table_html(series(s)))
    formatters["text/plain"].for_type(pd.Series, lambda s, p, cycle: p.text(table_text(series(s))))
    for kind in (list, tuple, set, frozenset, datetime.date, datetime.datetime):
        formatters["text/markdown"].for_type(kind, value_markdown)
        formatters["text/plain"].for_type(
            kind, lambda v, p, cycle: p.text(value_markdown(v).replace("\\", "")))
    return True


install_table_format()
