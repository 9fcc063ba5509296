"""Draw a lesson's parts once, as HTML with inline SVG, for the class page and the teacher's page.

Run in a child process by :func:`stp_helpers.classroom.lessons.stage_parts`
(``python -m stp_helpers.classroom.render LESSON.yaml OUT.json``), so the
server and the students' pages never load PySD, Altair or vl-convert: a
model run and its chart are computed once per lesson file and kept in the
workbook's cache.  Every piece of lesson text is escaped here.

Examples
--------
>>> from stp_helpers.classroom.lessons import load_lesson
>>> parts = render_stages(load_lesson("stakeholder-salience"))
>>> len(parts), "<table" in parts[2][0], "dependent" in parts[2][0]
(3, True, True)
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pandas as pd
import vl_convert

from stp_helpers import charts, paths, sd
from stp_helpers.charts.cld_draw import draw_cld
from stp_helpers.io.cld_graph import build_cld
from stp_helpers.classroom.lessons import CldPart, Lesson, Part, RunPart, TablePart, load_lesson
from stp_helpers.io.atomic import write_atomic

__all__ = ["render_stages", "render_part", "text_html", "main"]


def text_html(text: str) -> str:
    """A paragraph of lesson text: escaped, with ``**bold**`` kept.

    >>> text_html("**R1** <b>grows</b>")
    '<p><b>R1</b> &lt;b&gt;grows&lt;/b&gt;</p>'
    """
    safe = html.escape(text)
    return "<p>" + re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", safe) + "</p>"


def _figure(svg: str, label: str) -> str:
    return f'<figure class="stp-figure" role="img" aria-label="{html.escape(label)}">{svg}</figure>'


def _run(part: RunPart) -> str:
    model = sd.load_model(paths.DATA_DIR / "models" / f"{part.model}.mdl")
    variable = part.variable or model.stocks[0]
    series = model.run()[variable]
    if part.until_share is not None:
        until = float(series.index[(series >= part.until_share * series.iloc[-1]).argmax()])
    else:
        until = float(series.index[-1])
    shown = series[series.index <= until]
    frame = pd.DataFrame({"time": shown.index.astype(float), "variable": variable, "value": shown.to_numpy()})
    title = part.title.replace("{until}", f"{until:g}")
    units = model.info(variable).units or ""
    chart = charts.run_chart(frame, y_title=part.y_title, x_title="Time" + (" (years)" if "year" in
                             str(model.time_units).lower() else ""), title=title,
                             subtitle=f"Teaching model: {part.model.replace('_', ' ')}" + (f" ({units})" if units else ""))
    return _figure(vl_convert.vegalite_to_svg(chart.to_dict()), title)


def _cld(part: CldPart) -> str:
    graph, _ = build_cld([(s, t, p, d) for s, t, p, d in part.tuples()], name=part.title)
    return _figure(draw_cld(graph, part.highlight, title=part.title).html, part.title)


def _table(part: TablePart) -> str:
    head = "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in part.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in part.rows)
    return f"<table class='stp-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_part(part: Part) -> str:
    """One part of a stage as HTML."""
    if part.text is not None:
        return text_html(part.text)
    if part.run is not None:
        return _run(part.run)
    if part.cld is not None:
        return _cld(part.cld)
    assert part.table is not None  # a Part holds exactly one kind (checked on load)
    return _table(part.table)


def render_stages(lesson: Lesson) -> list[list[str]]:
    """Every stage's parts as HTML, in order."""
    return [[render_part(p) for p in stage.show] for stage in lesson.stages]


def main(argv: list[str] | None = None) -> int:
    """``python -m stp_helpers.classroom.render LESSON OUT``: write the stages' HTML as JSON."""
    lesson_file, out = (argv if argv is not None else sys.argv[1:])[:2]
    lesson = load_lesson(lesson_file)
    write_atomic(Path(out), json.dumps(render_stages(lesson)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
