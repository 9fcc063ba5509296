"""Draw a viable system in Beer's standard layout, as inline SVG.

The drawing is made here, in Python, as one SVG string: no network, no
JavaScript, the same text on every run.  Systems 5, 4 and 3 are stacked as
boxes above the System 1 units; each unit is an operation (circle, ``1.k``)
with its management box to the right and its environment (an ellipse) to the
left; System 3* sits left of System 3 and System 2 to the right.  Channels are
drawn in their own colour *and* line style, with a key, so colour is never the
only carrier.  Pathologies found by :func:`stp_helpers.vsm.diagnosis.diagnose`
are outlined in vermillion with their rule id written beside them; a system
no body performs is drawn dashed and marked "missing".  A unit that unfolds
links to the drawing of its level (``#vsm-level-<id>``), and each lower level
links back up.

Examples
--------
>>> from stp_helpers.vsm.model import build_description
>>> desc = build_description("T", [("a", "A", "people")], bodies=[("b", "Board", ["S3", "S5"])],
...                          channels=[("resource-bargain", "b", "a")])
>>> draw_vsm(desc)
VSM level 0, T: 1 System 1 unit, 1 channel; pathologies highlighted: VSM-4, VSM-5, VSM-6, VSM-7, VSM-8
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

from stp_helpers import charts
from stp_helpers.display import HTML
from stp_helpers.vsm.model import ENVIRONMENT, ViableSystem, VsmDescription, VsmError, levels
from stp_helpers.vsm.diagnosis import Diagnosis, diagnose

__all__ = ["draw_vsm", "draw_levels", "CHANNEL_STYLES", "MAX_DRAWN_UNITS", "PATHOLOGY"]

#: Most System 1 units drawn on one level.
MAX_DRAWN_UNITS = 24
#: Outline colour of elements with a pathology (vermillion).
PATHOLOGY = charts.REINFORCING
#: Channel kind → (colour, dash pattern, key label).
CHANNEL_STYLES: dict[str, tuple[str, str, str]] = {
    "resource-bargain": ("#000000", "", "resource bargain (S3 ↔ S1)"),
    "command": ("#000000", "2 3", "command (S3 → S1)"),
    "coordination": ("#0072B2", "", "coordination (S2 ↔ S1)"),
    "audit": ("#009E73", "8 4", "audit (S3* → S1)"),
    "algedonic": ("#CC79A7", "10 4 2 4", "algedonic alarm (S1 → S5)"),
    "homeostat": ("#E69F00", "", "S3 ↔ S4 ↔ S5"),
    "environment": ("#56B4E9", "", "environment links"),
    "operations": ("#555555", "4 3", "operations (S1 ↔ S1)"),
}
_W = 820
_META_X, _META_W = 330, 230          # S5/S4/S3 and the management boxes
_BOX_Y = {"S5": 40, "S4": 115, "S3": 190}
_BOX_H = 54
_S3STAR = (175, 190, 135)           # x, y, width
_S2 = (600, 190, 180)
_OP_X, _OP_R = 262, 28
_ENV_X = 105
_ROW0, _ROW = 300, 92
_TITLES = {"S5": "System 5 · policy", "S4": "System 4 · intelligence", "S3": "System 3 · control",
           "S3*": "System 3* · audit", "S2": "System 2 · coordination"}


def _e(text: Any) -> str:
    return html.escape(str(text))


def _wrap(text: str, width: int, lines: int) -> list[str]:
    out = textwrap.wrap(text, width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def _text(x: float, y: float, lines: list[str], size: int = 14, weight: str = "normal",
          anchor: str = "middle", fill: str = "#000000", cls: str = "vsm-label") -> str:
    first = y - (len(lines) - 1) * size * 0.6
    spans = "".join(f'<tspan x="{x:.0f}" y="{first + i * size * 1.2:.1f}">{_e(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text class="{cls}" text-anchor="{anchor}" dominant-baseline="central" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill}">{spans}</text>')


def _line(points: list[tuple[float, float]], kind: str, title: str, curve: bool = False) -> str:
    colour, dash, _ = CHANNEL_STYLES[kind]
    if curve and len(points) == 3:
        d = f"M{points[0][0]:.0f},{points[0][1]:.0f} Q{points[1][0]:.0f},{points[1][1]:.0f} {points[2][0]:.0f},{points[2][1]:.0f}"
    else:
        d = "M" + " L".join(f"{x:.0f},{y:.0f}" for x, y in points)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<path class="vsm-channel vsm-{kind}" d="{d}" fill="none" stroke="{colour}" stroke-width="2.2"'
            f'{dashed} marker-end="url(#vsm-head-{kind})"><title>{_e(title)}</title></path>')


def _badge(x: float, y: float, rules: list[str], anchor: str = "start") -> str:
    if not rules:
        return ""
    return (f'<text class="vsm-pathology-badge" data-rules="{_e(" ".join(rules))}" x="{x:.0f}" y="{y:.0f}" '
            f'text-anchor="{anchor}" font-size="13" font-weight="bold" fill="{PATHOLOGY}" stroke="#ffffff" '
            f'stroke-width="3" paint-order="stroke">{_e(", ".join(rules))}</text>')


def _rules_for(found: Diagnosis, element: str) -> list[str]:
    rules = [f.rule for f in found if f.severity == "pathology" and element in f.elements]
    return sorted(set(rules), key=lambda r: int(r.split("-")[1]))


def _box(key: str, x: float, y: float, w: float, names: list[str], rules: list[str]) -> str:
    missing = not names
    stroke = PATHOLOGY if rules else ("#8c8c8c" if missing else "#000000")
    dash = ' stroke-dasharray="6 4"' if missing else ""
    cls = "vsm-system" + (" vsm-pathology" if rules else "") + (" vsm-missing" if missing else "")
    body = ", ".join(names) if names else "missing: no body performs it"
    parts = [f'<g class="{cls}" data-system="{_e(key)}">',
             f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{_BOX_H}" rx="4" fill="#ffffff" '
             f'stroke="{stroke}" stroke-width="{3 if rules else 1.6}"{dash}/>',
             _text(x + w / 2, y + 14, [_TITLES[key]], 13, "bold"),
             _text(x + w / 2, y + 37, _wrap(body, int(w / 7.2), 2), 12,
                   fill="#8c8c8c" if missing else "#000000"),
             "</g>"]
    return "".join(parts)


def _system_anchor(key: str) -> tuple[float, float, float, float]:
    if key == "S3*":
        return _S3STAR[0], _S3STAR[1], _S3STAR[2], _BOX_H
    if key == "S2":
        return _S2[0], _S2[1], _S2[2], _BOX_H
    return _META_X, _BOX_Y[key], _META_W, _BOX_H


def _body_box(system: ViableSystem, bid: str, prefer: tuple[str, ...]) -> str | None:
    try:
        held = system.body(bid).systems
    except KeyError:
        return None
    for key in prefer:
        if key in held:
            return key
    return held[0] if held else None


def draw_vsm(desc: VsmDescription, system: str | None = None, *, diagnosis: Diagnosis | None = None,
             highlight: bool = True) -> HTML:
    """Draw one recursion level of a description in the standard VSM layout.

    Parameters
    ----------
    desc : VsmDescription
    system : str, optional
        Id of the level to draw (default: the system in focus).
    diagnosis : Diagnosis, optional
        Findings to highlight (default: :func:`diagnose` on this level).
    highlight : bool
        Outline the pathologies found.

    Returns
    -------
    HTML
        The SVG; its text form names the level, counts units and channels and
        lists the pathologies highlighted.

    Raises
    ------
    VsmError
        No such system, or more than :data:`MAX_DRAWN_UNITS` units on the level.

    Examples
    --------
    >>> from stp_helpers.vsm.model import build_description
    >>> svg = draw_vsm(build_description("T", [("a", "A", "people")])).html
    >>> svg.count('class="vsm-unit'), 'data-system="S5"' in svg, "vsm-missing" in svg
    (1, True, True)
    """
    target = desc.system(system)
    n = len(target.units)
    if n > MAX_DRAWN_UNITS:
        raise VsmError(f"{target.name} has {n} System 1 units; the drawing shows at most {MAX_DRAWN_UNITS}.",
                       "Group the units and describe each group one level down ('unfolds:'); the "
                       "diagnosis and variety table still cover every unit.")
    found = (diagnosis.of(target.id) if diagnosis is not None else diagnose(desc, target.id)) if highlight \
        else Diagnosis()
    index = {u.id: i for i, u in enumerate(target.units)}
    row_y = {u.id: _ROW0 + i * _ROW for i, u in enumerate(target.units)}
    height = _ROW0 + max(n, 1) * _ROW + 40
    where = {sid: (lvl, parent) for lvl, sid, parent in levels(desc)}
    level, parent = where.get(target.id, (0, None))
    shown = sorted({f.rule for f in found if f.severity == "pathology"}, key=lambda r: int(r.split("-")[1]))
    text = (f"VSM level {level}, {target.name}: {n} System 1 unit{'s' if n != 1 else ''}, "
            f"{len(target.channels)} channel{'s' if len(target.channels) != 1 else ''}")
    if shown:
        text += f"; pathologies highlighted: {', '.join(shown)}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="stp-vsm" data-system="{_e(target.id)}" '
             f'viewBox="0 0 {_W} {height}" width="{_W}" style="max-width:100%;height:auto;'
             f'font-family:{_e(charts.FONT)}" role="img" aria-label="{_e(text)}">',
             f"<title>{_e(text)}</title>", "<defs>"]
    for kind, (colour, _, _) in CHANNEL_STYLES.items():
        parts.append(f'<marker id="vsm-head-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
                     f'markerHeight="6" orient="auto-start-reverse"><polygon points="0,0 10,5 0,10" '
                     f'fill="{colour}"/></marker>')
    parts.append("</defs>")
    heading = f"Level {level}: {target.name}"
    parts.append(_text(10, 14, [heading], 16, "bold", "start"))
    if parent is not None:
        up = parent.split("/")[0]
        parts.append(f'<a class="vsm-up" href="#vsm-level-{_e(up)}"><text x="10" y="36" '
                     f'text-anchor="start" font-size="14" fill="#0072B2" text-decoration="underline">'
                     f"▲ up to {_e(desc.system(up).name)}</text></a>")
    underneath = len(parts)
    # the environment of the whole system and of System 4
    parts.append(f'<ellipse class="vsm-environment vsm-future" cx="{_ENV_X}" cy="{_BOX_Y["S4"] + 27}" '
                 f'rx="92" ry="40" fill="#56B4E9" fill-opacity="0.18" stroke="#56B4E9" stroke-width="1.6"/>')
    parts.append(_text(_ENV_X, _BOX_Y["S4"] + 27, ["future", "environment"], 13))
    # the metasystem boxes
    for key in ("S5", "S4", "S3", "S3*", "S2"):
        x, y, w, _ = _system_anchor(key)
        parts.append(_box(key, x, y, w, [b.name for b in target.performers(key)], _rules_for(found, key)))
        rules = _rules_for(found, key)
        if key == "S2":
            parts.append(_badge(x + w, y + _BOX_H + 16, rules, "end"))
        else:
            parts.append(_badge(x + w + 6, y - 6, rules))
    # System 1 units
    for unit in target.units:
        y = row_y[unit.id]
        rules = _rules_for(found, unit.id)
        stroke = PATHOLOGY if rules else "#000000"
        env_missing = not (unit.environment or "").strip()
        env_dash = ' stroke-dasharray="6 4"' if env_missing else ""
        parts.append(f'<g class="vsm-unit{" vsm-pathology" if rules else ""}" data-unit="{_e(unit.id)}">')
        parts.append(f'<ellipse class="vsm-environment" cx="{_ENV_X}" cy="{y}" rx="92" ry="36" fill="#56B4E9" '
                     f'fill-opacity="{0.05 if env_missing else 0.18}" stroke="{PATHOLOGY if env_missing else "#56B4E9"}" '
                     f'stroke-width="1.6"{env_dash}/>')
        parts.append(_text(_ENV_X, y, _wrap(unit.environment or "no environment given", 22, 3), 12,
                           fill="#8c8c8c" if env_missing else "#000000"))
        parts.append(_line([(_ENV_X + 92, y), (_OP_X - _OP_R - 2, y)], "environment",
                           f"{unit.name} ↔ its environment"))
        parts.append(f'<circle class="vsm-operation" cx="{_OP_X}" cy="{y}" r="{_OP_R}" fill="#ffffff" '
                     f'stroke="{stroke}" stroke-width="{3 if rules else 1.8}"/>')
        parts.append(_text(_OP_X, y, [f"1.{index[unit.id] + 1}"], 15, "bold"))
        parts.append(f'<line x1="{_OP_X + _OP_R}" y1="{y}" x2="{_META_X}" y2="{y}" stroke="#000000" '
                     f'stroke-width="1.6"/>')
        parts.append(f'<rect class="vsm-management" x="{_META_X}" y="{y - 30}" width="{_META_W}" height="60" '
                     f'rx="2" fill="#ffffff" stroke="{stroke}" stroke-width="{3 if rules else 1.6}"/>')
        parts.append(_text(_META_X + _META_W / 2, y - 10, _wrap(unit.name, 27, 2), 14, "bold"))
        if unit.unfolds:
            parts.append(f'<a class="vsm-down" href="#vsm-level-{_e(unit.unfolds)}" data-unfolds="{_e(unit.unfolds)}">'
                         f'<text x="{_META_X + _META_W / 2:.0f}" y="{y + 19}" text-anchor="middle" font-size="12" '
                         f'fill="#0072B2" text-decoration="underline">▼ one level down</text></a>')
        elif unit.management:
            parts.append(_text(_META_X + _META_W / 2, y + 19, _wrap(unit.management, 34, 1), 12, fill="#444444"))
        parts.append("</g>")
        parts.append(_badge(_OP_X - _OP_R - 4, y - _OP_R - 2, rules, "end"))
    # channels, drawn underneath the boxes so a trunk line shows only between them
    drawn: list[str] = []
    for channel in target.channels:
        a, b = channel.ends()
        title = f"{channel.kind}: {target.label(a)} → {target.label(b)}" + (f" ({channel.note})" if channel.note else "")
        kind = channel.kind
        if kind == "operations" and a in row_y and b in row_y:
            ya, yb = row_y[a], row_y[b]
            bend = _OP_X - _OP_R - 26 - 8 * abs(index[a] - index[b])
            drawn.append(_line([(_OP_X - 16, ya + (_OP_R - 6 if yb > ya else -_OP_R + 6)), (bend, (ya + yb) / 2),
                                (_OP_X - 16, yb + (-_OP_R + 6 if yb > ya else _OP_R - 6))], kind, title, curve=True))
            continue
        unit_end = b if b in row_y else a if a in row_y else None
        if kind in ("resource-bargain", "command") and unit_end:
            x = _META_X + (_META_W / 2 + (0 if kind == "resource-bargain" else -40))
            drawn.append(_line([(x, _BOX_Y["S3"] + _BOX_H), (x, row_y[unit_end] - 30)], kind, title))
        elif kind == "coordination" and unit_end:
            x = _S2[0] + 40 + 6 * index[unit_end] % 60
            drawn.append(_line([(x, _S2[1] + _BOX_H), (x, row_y[unit_end]), (_META_X + _META_W + 2, row_y[unit_end])],
                               kind, title))
        elif kind == "audit" and unit_end:
            drawn.append(_line([(_S3STAR[0] + 100, _S3STAR[1] + _BOX_H), (_OP_X + 12, row_y[unit_end] - _OP_R + 2)],
                               kind, title))
        elif kind == "algedonic" and unit_end:
            y = row_y[unit_end]
            x = _W - 18 - 4 * index[unit_end] % 16
            drawn.append(_line([(_META_X + _META_W, y + 18), (x, y + 18), (x, _BOX_Y["S5"] + 27),
                                (_META_X + _META_W + 2, _BOX_Y["S5"] + 27)], kind,
                               title + (f"; alarm: {channel.threshold}" if channel.threshold else "")))
        elif kind == "environment" and (a == ENVIRONMENT or b == ENVIRONMENT):
            body = b if a == ENVIRONMENT else a
            key = _body_box(target, body, ("S4", "S5", "S3"))
            if key in _BOX_Y:
                y = _BOX_Y[key] + 27
                drawn.append(_line([(_META_X - 2, y), (_ENV_X + 92, _BOX_Y["S4"] + 27)], kind, title))
        elif kind == "homeostat":
            ka = _body_box(target, a, ("S3", "S4", "S5"))
            kb = _body_box(target, b, ("S4", "S5", "S3") if ka == "S3" else ("S3", "S4", "S5"))
            if ka in _BOX_Y and kb in _BOX_Y and ka != kb:
                pair = tuple(sorted((ka, kb), key=lambda k: _BOX_Y[k]))
                x = {("S5", "S4"): _META_X + 70, ("S4", "S3"): _META_X + 160}.get(pair)
                if x is not None:
                    drawn.append(_line([(x, _BOX_Y[pair[0]] + _BOX_H), (x, _BOX_Y[pair[1]])], kind, title))
                else:
                    drawn.append(_line([(_META_X + _META_W, _BOX_Y["S5"] + 40), (_META_X + _META_W + 24, _BOX_Y["S5"] + 40),
                                        (_META_X + _META_W + 24, _BOX_Y["S3"] + 14), (_META_X + _META_W + 2, _BOX_Y["S3"] + 14)],
                                       kind, title))
    parts[underneath:underneath] = drawn
    # missing channels the diagnosis points at
    for rule in _rules_for(found, "algedonic"):
        parts.append(_badge(_META_X - 10, _BOX_Y["S5"] + 20, [f"{rule}: no working"], "end"))
        parts.append(_badge(_META_X - 10, _BOX_Y["S5"] + 36, ["algedonic channel"], "end"))
        break
    # key
    y = height - 30
    for i, (kind, (colour, dash, label)) in enumerate(CHANNEL_STYLES.items()):
        x = 10 + (i % 4) * 202
        yy = y + (i // 4) * 18 - 10
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line class="vsm-key" x1="{x}" y1="{yy}" x2="{x + 30}" y2="{yy}" stroke="{colour}" '
                     f'stroke-width="2.2"{dashed}/>')
        parts.append(_text(x + 36, yy, [label], 12, anchor="start"))
    parts.append("</svg>")
    return HTML(html="\n".join(p for p in parts if p), text=text)


def draw_levels(desc: VsmDescription, *, diagnosis: Diagnosis | None = None) -> HTML:
    """Draw every recursion level, top down, each under an anchor ``vsm-level-<id>``.

    Units that unfold link down to their level and each lower level links back up.

    Returns
    -------
    HTML
        Its text form has one line per level.

    Raises
    ------
    VsmError
        As :func:`draw_vsm`.

    Examples
    --------
    >>> from stp_helpers.vsm.model import build_description
    >>> draw_levels(build_description("T", [("a", "A", "people")]))
    VSM level 0, T: 1 System 1 unit, 0 channels; pathologies highlighted: VSM-3, VSM-4, VSM-5, VSM-6, VSM-7, VSM-8
    """
    found = diagnosis if diagnosis is not None else diagnose(desc)
    blocks, lines = [], []
    for _, sid, _ in levels(desc):
        drawing = draw_vsm(desc, sid, diagnosis=found)
        blocks.append(f'<div class="vsm-level" id="vsm-level-{_e(sid)}">{drawing.html}</div>')
        lines.append(drawing.text)
    return HTML(html="\n".join(blocks), text="\n".join(lines))
