"""An app to edit a causal loop diagram and see its loops change.

Add or remove variables and links (with polarity and delay), pick a loop to
highlight it in the drawing, see which variables sit in the most loops, and
save the map as ``cld.csv`` and ``cld_variables.csv`` in your own case folder.

Examples
--------
>>> app = CldEditor.from_case("wiltshire-complex-needs")
>>> app
CldEditor: 16 variables, 25 links, 15 loops; unmet complex needs sits in 14 of 15 loops
>>> app.add_link("frontline_workload", "nobody", "+")
>>> app.status.value.startswith('<div class="stp-error"')
True
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import networkx as nx

from stp_helpers import case as cases
from stp_helpers import charts, cld
from stp_helpers.charts.cld_draw import draw_cld, loop_count_chart, place
from stp_helpers.errors import GraphError, StpError
from stp_helpers.io.cld_csv import read_case_cld, write_cld_csv

__all__ = ["CldEditor"]

_NO_LOOP = "No loop highlighted"
_MINUS = "\u2212"


def _ok(text: str) -> str:
    return f'<div class="stp-status" style="font-size:15px">{html.escape(text)}</div>'


class CldEditor(widgets.VBox):
    """Edit a CLD; the drawing, the loop list and the loop-count chart follow.

    Parameters
    ----------
    graph_or_case : networkx.DiGraph or Case
        A CLD, or a case whose ``cld.csv`` is loaded.
    folder : path, optional
        The case folder Save writes to (default: the case's folder, if a case is given).
    subtitle : str, optional
        Chart subtitle (default: the case's title).
    """

    def __init__(self, graph_or_case: nx.DiGraph | cases.Case, *, folder: str | Path | None = None,
                 subtitle: str | None = None) -> None:
        if isinstance(graph_or_case, cases.Case):
            graph = read_case_cld(graph_or_case.artefact_path("cld.csv")).graph
            folder = folder if folder is not None else graph_or_case.path
            subtitle = subtitle if subtitle is not None else graph_or_case.meta.title
        elif isinstance(graph_or_case, nx.DiGraph):
            graph = graph_or_case.copy()
        else:
            raise TypeError("CldEditor needs a CLD (networkx.DiGraph) or a loaded case, not "
                            f"{type(graph_or_case).__name__}.")
        self.graph: nx.DiGraph = graph
        # Stable diagram: positions are kept across edits, and a loop keeps its id while it exists.
        self.positions: dict[Any, tuple[float, float]] = place(graph)
        self._loop_ids: dict[tuple[str, ...], str] = {}
        self.loops: cld.LoopList = self._stable_loops(cld.find_loops(graph))
        self._folder = Path(folder) if folder is not None else None
        self._subtitle = subtitle
        self._redrawing = False
        wide = widgets.Layout(width="300px", max_width="100%")
        wrap = widgets.Layout(flex_flow="row wrap")
        style = {"description_width": "initial"}
        self.variable = widgets.Text(description="Variable", placeholder="e.g. staff morale",
                                     continuous_update=False, layout=wide, style=style)
        self.add_variable_button = widgets.Button(description="Add variable")
        self.remove_variable_button = widgets.Button(description="Remove variable")
        self.source = widgets.Dropdown(description="From", layout=wide, style=style)
        self.target = widgets.Dropdown(description="To", layout=wide, style=style)
        self.polarity = widgets.ToggleButtons(options=[("+", "+"), (_MINUS, "-")], value="+",
                                              description="Polarity", style={"button_width": "48px"})
        self.delay = widgets.Checkbox(description="Delay (||)", value=False, indent=False)
        self.add_link_button = widgets.Button(description="Add link")
        self.remove_link_button = widgets.Button(description="Remove link")
        self.loop = widgets.Dropdown(description="Highlight", layout=widgets.Layout(width="640px", max_width="100%"),
                                     style=style)
        self.save_button = widgets.Button(description="Save to case", button_style="primary")
        self.status = widgets.HTML()
        self.drawing = widgets.HTML()
        self.chart = charts.show(loop_count_chart(graph, self.loops, subtitle=subtitle))
        self._refresh(keep_loop=None)
        super().__init__([
            widgets.HBox([self.variable, self.add_variable_button, self.remove_variable_button], layout=wrap),
            widgets.HBox([self.source, self.target], layout=wrap),
            widgets.HBox([self.polarity, self.delay, self.add_link_button, self.remove_link_button], layout=wrap),
            self.loop, self.drawing, self.chart,
            widgets.HBox([self.save_button]), self.status,
        ], layout=widgets.Layout(width="100%", max_width="820px"))
        self.add_variable_button.on_click(lambda _: self.add_variable(self.variable.value))
        self.remove_variable_button.on_click(lambda _: self.remove_variable(self.variable.value))
        self.add_link_button.on_click(lambda _: self.add_link(
            self.source.value, self.target.value, self.polarity.value, self.delay.value))
        self.remove_link_button.on_click(lambda _: self.remove_link(self.source.value, self.target.value))
        self.save_button.on_click(lambda _: self.save())
        self.loop.observe(self._update, names="value")

    @classmethod
    def from_case(cls, slug: str, **kwargs: Any) -> CldEditor:
        """Open a case's ``cld.csv`` in the editor."""
        return cls(cases.load(slug), **kwargs)

    @property
    def title(self) -> str:
        """The loop-count chart's title (its finding)."""
        return charts.chart_title(self.chart.chart)

    # ----- edits: each changes the graph, then one redraw -----

    def _find(self, name: Any) -> str:
        text = "" if name is None else str(name).strip()
        if text in self.graph:
            return text
        for v, data in self.graph.nodes(data=True):
            if str(data.get("label", v)).casefold() == text.casefold():
                return v
        raise GraphError(f"{text!r} is not a variable of this map." if text else
                         "No variable chosen.", "Add it as a variable first, or pick one from the list.")

    def _edit(self, action: Any) -> None:
        try:
            message = action()
        except StpError as err:
            self.status.value = err.to_html()
            return
        self._update()
        if not self.status.value.startswith('<div class="stp-error"'):
            self.status.value = _ok(f"{message} {self.loops.summary()}")

    def add_variable(self, name: str) -> None:
        """Add a variable by its label (its id is the label in snake_case)."""
        def act() -> str:
            label = " ".join(str(name or "").split())
            vid = re.sub(r"[^0-9a-z]+", "_", label.lower()).strip("_")
            if not vid:
                raise GraphError("Type the variable's name first.", "For example: staff morale.")
            if vid in self.graph or any(str(d.get("label", v)).casefold() == label.casefold()
                                        for v, d in self.graph.nodes(data=True)):
                raise GraphError(f"{label!r} is already a variable of this map.", None)
            graph = self.graph.copy()
            graph.add_node(vid, label=label, description="")
            cld.validate_cld(graph)
            self.graph = graph
            return f"Added {label}."
        self._edit(act)

    def remove_variable(self, name: str) -> None:
        """Remove a variable (id or label) and its links."""
        def act() -> str:
            vid = self._find(name)
            label = self.graph.nodes[vid].get("label", vid)
            graph = self.graph.copy()
            graph.remove_node(vid)
            self.graph = graph
            return f"Removed {label} and its links."
        self._edit(act)

    def add_link(self, source: Any, target: Any, polarity: str = "+", delay: bool = False) -> None:
        """Add a link ``source → target`` with polarity ``"+"`` or ``"-"``."""
        def act() -> str:
            u, v = self._find(source), self._find(target)
            if u == v:
                raise GraphError("A variable cannot cause itself directly here.",
                                 "Link it through the variables in between.")
            if self.graph.has_edge(u, v):
                raise GraphError(f"The link {u} → {v} is already in the map.",
                                 "Remove it first to change its polarity or delay.")
            sign = cld.normalise_polarity(polarity)
            if sign not in ("+", "-"):
                raise GraphError(f"{polarity!r} is not a link polarity.", cld.POLARITY_FIX)
            graph = self.graph.copy()
            graph.add_edge(u, v, polarity=sign, delay=bool(delay), note="")
            cld.validate_cld(graph)
            self.graph = graph
            return f"Added {u} → {v} ({sign}{', delayed' if delay else ''})."
        self._edit(act)

    def remove_link(self, source: Any, target: Any) -> None:
        """Remove the link ``source → target``."""
        def act() -> str:
            u, v = self._find(source), self._find(target)
            if not self.graph.has_edge(u, v):
                raise GraphError(f"There is no link {u} → {v} to remove.", None)
            graph = self.graph.copy()
            graph.remove_edge(u, v)
            self.graph = graph
            return f"Removed {u} → {v}."
        self._edit(act)

    def save(self) -> None:
        """Write ``cld_variables.csv`` and ``cld.csv`` into the case folder (atomically)."""
        try:
            if self._folder is None:
                raise StpError("This map has no case folder to save to.",
                               "Open it with CldEditor.from_case('my-case').")
            links, variables = io.StringIO(), io.StringIO()
            write_cld_csv(self.graph, links, variables)
            path, _ = cases.save_texts(self._folder, {"cld.csv": links.getvalue(),
                                                      "cld_variables.csv": variables.getvalue()}, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = _ok(f"Saved {self.graph.number_of_edges()} links to {path.name} "
                                f"and {self.graph.number_of_nodes()} variables to cld_variables.csv.")

    # ----- the one redraw -----

    def _stable_loops(self, found: cld.LoopList) -> cld.LoopList:
        """The loops with ids kept by content: a loop that existed keeps its id, a new one takes the next free."""
        taken = set(self._loop_ids.values())
        fresh: dict[tuple[str, ...], str] = {}
        for lp in found:
            key = tuple(map(str, lp.variables))
            if key in self._loop_ids:
                fresh[key] = self._loop_ids[key]
        used = set(fresh.values()) | taken
        for lp in found:
            key = tuple(map(str, lp.variables))
            if key in fresh:
                continue
            stable = lp.id
            if stable in used:
                letter = lp.id.rstrip("0123456789")
                n = 1
                while f"{letter}{n}" in used:
                    n += 1
                stable = f"{letter}{n}"
            fresh[key] = stable
            used.add(stable)
        self._loop_ids.update(fresh)
        loops = tuple(dataclasses.replace(lp, id=fresh[tuple(map(str, lp.variables))]) for lp in found)
        return dataclasses.replace(found, loops=loops)

    def _refresh(self, keep_loop: str | None) -> None:
        self._redrawing = True
        try:
            self.loops = self._stable_loops(cld.find_loops(self.graph))
            self.positions = place(self.graph, self.positions)
            names = sorted(((str(d.get("label", v)), v) for v, d in self.graph.nodes(data=True)))
            for box in (self.source, self.target):
                old = box.value
                with box.hold_sync():
                    box.options = names
                    box.value = old if old in self.graph else (names[0][1] if names else None)
            options = [(_NO_LOOP, None)] + [(lp.sentence(), lp.id) for lp in self.loops]
            with self.loop.hold_sync():
                self.loop.options = options
                self.loop.value = keep_loop if keep_loop in self.loops.ids() else None
            self.drawing.value = draw_cld(self.graph, self.loop.value, loops=self.loops,
                                          positions=self.positions).html
            self.chart.chart = loop_count_chart(self.graph, self.loops, subtitle=self._subtitle)
        finally:
            self._redrawing = False

    def _update(self, change: object = None) -> None:
        if self._redrawing:
            return
        try:
            self._refresh(keep_loop=self.loop.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = ""

    def __repr__(self) -> str:
        n, m = self.graph.number_of_nodes(), self.graph.number_of_edges()
        return f"CldEditor: {n} variables, {m} links, {len(self.loops)} loop{'s' if len(self.loops) != 1 else ''}; {self.title}"
