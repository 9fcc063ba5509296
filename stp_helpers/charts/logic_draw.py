"""Draw a logic model as inline SVG: one column per stage, arrows left to right.

The drawing is made here, in Python, as one SVG string (no network, no
JavaScript, the same text on every run).  Elements that break a structural
rule get a thick vermillion border and the rule id under the box; a link
with no stated assumption (``LM-7``) is dashed and carries a ``?``; a
feedback link is drawn as a curve below the boxes.  Colour is never the only
carrier: rule ids and ``?`` are written.

Examples
--------
>>> from stp_helpers.evaluation.logic_model import parse_logic_model
>>> model = parse_logic_model("elements: [{id: I1, stage: input, label: funding}, "
...                           "{id: A1, stage: activity, label: navigators}]\\nlinks: [{from: I1, to: A1}]")
>>> draw_logic_model(model)
Logic model: 2 elements, 1 link; 2 errors, 0 warnings
"""

from __future__ import annotations

import html
import textwrap

from stp_helpers.display import HTML
from stp_helpers.evaluation.logic_model import STAGES, LogicModel, STAGE_WORDS, check_logic_model

__all__ = ["draw_logic_model", "FLAG", "FONT_SIZE"]

#: Colour of an element that breaks a rule (vermillion).
FLAG = "#D55E00"
#: Font size of box labels (px).
FONT_SIZE = 14
_COL, _BOX_W, _BOX_H, _GAP, _TOP, _WRAP = 180, 140, 84, 22, 60, 17
_FILL = {"input": "#f2f2f2", "activity": "#e8f1f8", "output": "#e8f1f8", "short": "#e6f4ef",
         "medium": "#e6f4ef", "long": "#e6f4ef", "impact": "#fdf6d8"}


def draw_logic_model(model: LogicModel, *, flag: bool = True) -> HTML:
    """Return the logic model as an SVG diagram with a short text form.

    Parameters
    ----------
    model : LogicModel
    flag : bool
        Mark elements and links that break the ``LM`` rules (default True).

    Returns
    -------
    HTML
        Text form: ``Logic model: N elements, M links; E errors, W warnings``.
    """
    findings = check_logic_model(model)
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    flagged: dict[str, list[str]] = {}
    for f in errors:
        if f.element:
            flagged.setdefault(f.element, [])
            if f.rule not in flagged[f.element]:
                flagged[f.element].append(f.rule)
    stages = [s for s in STAGES if any(e.stage == s for e in model.elements)]
    column = {s: i for i, s in enumerate(stages)}
    rows: dict[str, int] = {}
    pos: dict[str, tuple[float, float]] = {}
    for e in model.elements:
        r = rows.get(e.stage, 0)
        rows[e.stage] = r + 1
        pos[e.id] = (20 + column[e.stage] * _COL, _TOP + r * (_BOX_H + _GAP))
    general = [f for f in errors if not f.element]
    height = _TOP + max(rows.values()) * (_BOX_H + _GAP) + 40 + 18 * len(general)
    width = 20 + len(stages) * _COL
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(model.title)}" '
             f'font-family="system-ui, Arial, sans-serif">',
             '<defs><marker id="lm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555555"/></marker></defs>']
    for s in stages:
        x = 20 + column[s] * _COL + _BOX_W / 2
        words = STAGE_WORDS[s].split(" ", 1)
        for i, word in enumerate(words):
            parts.append(f'<text x="{x:.0f}" y="{20 + 17 * i + (8 if len(words) == 1 else 0)}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE}" font-weight="bold">{html.escape(word)}</text>')
    for link in model.links:
        (x1, y1), (x2, y2) = pos[link.source], pos[link.target]
        bare = not link.assumption and STAGES.index(model.element(link.source).stage) >= 1 and flag
        dash = ' stroke-dasharray="6 4"' if bare else ""
        if x2 > x1:
            sx, sy, ex, ey = x1 + _BOX_W, y1 + _BOX_H / 2, x2, y2 + _BOX_H / 2
            path = f"M {sx:.0f} {sy:.0f} C {sx + 30:.0f} {sy:.0f} {ex - 30:.0f} {ey:.0f} {ex:.0f} {ey:.0f}"
        else:  # backward, feedback or within a stage: a curve below
            sx, sy, ex, ey = x1 + _BOX_W / 2, y1 + _BOX_H, x2 + _BOX_W / 2, y2 + _BOX_H
            low = max(sy, ey) + 30
            path = f"M {sx:.0f} {sy:.0f} C {sx:.0f} {low:.0f} {ex:.0f} {low:.0f} {ex:.0f} {ey:.0f}"
        title = f"{link.source} → {link.target}: {link.assumption or 'no assumption stated'}"
        parts.append(f'<path d="{path}" fill="none" stroke="#555555" stroke-width="1.6"{dash} '
                     f'marker-end="url(#lm-arrow)"><title>{html.escape(title)}</title></path>')
        if bare:
            parts.append(f'<text x="{(sx + ex) / 2:.0f}" y="{(sy + ey) / 2 - 4:.0f}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE}" fill="{FLAG}">?</text>')
    for e in model.elements:
        x, y = pos[e.id]
        rules = flagged.get(e.id, []) if flag else []
        stroke = f'stroke="{FLAG}" stroke-width="3.5"' if rules else 'stroke="#555555" stroke-width="1.2"'
        parts.append(f'<g><title>{html.escape(e.id + ": " + e.label)}</title>'
                     f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="8" fill="{_FILL[e.stage]}" {stroke}/>')
        lines = textwrap.wrap(f"{e.id} {e.label}", _WRAP)[:4]
        top = y + _BOX_H / 2 - (len(lines) - 1) * 8.5
        for i, line in enumerate(lines):
            parts.append(f'<text x="{x + _BOX_W / 2:.0f}" y="{top + i * 17 + 5:.0f}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE - 1}">{html.escape(line)}</text>')
        if rules:
            parts.append(f'<text x="{x + _BOX_W / 2:.0f}" y="{y + _BOX_H + 15:.0f}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE - 1}" font-weight="bold" fill="{FLAG}">{", ".join(rules)}</text>')
        parts.append("</g>")
    for i, f in enumerate(general):
        parts.append(f'<text x="20" y="{height - 14 - 18 * i}" font-size="{FONT_SIZE}" fill="{FLAG}">'
                     f'{html.escape(f.rule + ": " + f.message)}</text>')
    parts.append("</svg>")
    svg = "".join(parts)
    n_links = len(model.links)
    text = (f"Logic model: {len(model.elements)} element{'s' * (len(model.elements) != 1)}, "
            f"{n_links} link{'s' * (n_links != 1)}; {len(errors)} error{'s' * (len(errors) != 1)}, "
            f"{len(warnings)} warning{'s' * (len(warnings) != 1)}")
    return HTML(html=f'<div class="stp-logic-model" style="overflow-x:auto">{svg}</div>', text=text)
