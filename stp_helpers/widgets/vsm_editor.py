"""An app to edit a Viable System Model description and see the diagram and diagnosis follow.

Pick a recursion level, edit the purpose, a unit's name, environment and
management, the systems each body performs, add or remove units and
channels; the standard drawing, the pathology checklist and the
variety-balance chart update at once.  Save writes ``vsm.yaml`` into your own
case folder (shipped cases stay unchanged: copy one first with
``stp new-case my-case --from plymouth-alliance``).

Examples
--------
>>> app = VsmEditor.from_case("wiltshire-complex-needs")
>>> app
VsmEditor: level 0 of 2, 6 units; 9 pathologies found: VSM-2, VSM-3, VSM-4, VSM-5, VSM-6, VSM-7, VSM-8, VSM-9, VSM-12. 7 warnings (VSM-11).
>>> app.add_channel("coordination", "council-management", "nobody")
>>> app.status.value.startswith('<div class="stp-error"')
True
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers import charts
from stp_helpers.charts.vsm import variety_chart
from stp_helpers.errors import StpError
from stp_helpers.vsm.files import from_case, vsm_yaml
from stp_helpers.vsm.model import (CHANNEL_KINDS, ENVIRONMENT, SYSTEMS, Channel, Unit, VsmDescription,
                                   VsmError, levels, validate_description)
from stp_helpers.vsm.diagnosis import diagnose, diagnosis_view
from stp_helpers.charts.vsm_draw import draw_vsm

__all__ = ["VsmEditor"]

_STYLE = {"description_width": "110px"}


def _ok(text: str) -> str:
    return f'<div class="stp-status" style="font-size:15px">{html.escape(text)}</div>'


class VsmEditor(widgets.VBox):
    """Edit a VSM description; the drawing, the diagnosis and the variety chart follow.

    Parameters
    ----------
    desc_or_case : VsmDescription or Case
        A description, or a case whose ``vsm.yaml`` is loaded.
    folder : path, optional
        The case folder Save writes to (default: the case's folder).
    subtitle : str, optional
        Chart subtitle (default: the case's title).
    """

    def __init__(self, desc_or_case: VsmDescription | cases.Case, *, folder: str | Path | None = None,
                 subtitle: str | None = None) -> None:
        if isinstance(desc_or_case, cases.Case):
            desc = from_case(desc_or_case)
            folder = folder if folder is not None else desc_or_case.path
            subtitle = subtitle if subtitle is not None else desc_or_case.meta.title
        elif isinstance(desc_or_case, VsmDescription):
            desc = desc_or_case.model_copy(deep=True)
        else:
            raise TypeError("VsmEditor needs a VSM description or a loaded case, not "
                            f"{type(desc_or_case).__name__}.")
        self.desc: VsmDescription = validate_description(desc)
        self._folder = Path(folder) if folder is not None else None
        self._subtitle = subtitle
        self._loading = False
        wide = widgets.Layout(width="640px")
        half = widgets.Layout(width="320px")
        self.level = widgets.Dropdown(description="Level", layout=wide, style=_STYLE)
        self.purpose = widgets.Text(description="Purpose", layout=wide, style=_STYLE, continuous_update=False)
        self.unit = widgets.Dropdown(description="System 1 unit", layout=wide, style=_STYLE)
        self.unit_name = widgets.Text(description="Name", layout=wide, style=_STYLE, continuous_update=False)
        self.environment = widgets.Text(description="Environment", layout=wide, style=_STYLE,
                                        continuous_update=False)
        self.management = widgets.Text(description="Management", layout=wide, style=_STYLE,
                                       continuous_update=False)
        self.add_unit_button = widgets.Button(description="Add unit")
        self.remove_unit_button = widgets.Button(description="Remove unit")
        self.body = widgets.Dropdown(description="Body", layout=wide, style=_STYLE)
        self.systems = {s: widgets.Checkbox(description=s, value=False, indent=False,
                                            layout=widgets.Layout(width="70px")) for s in SYSTEMS}
        self.kind = widgets.Dropdown(description="Channel", options=list(CHANNEL_KINDS), layout=half,
                                     style=_STYLE)
        self.source = widgets.Dropdown(description="From", layout=half, style=_STYLE)
        self.target = widgets.Dropdown(description="To", layout=half, style=_STYLE)
        self.add_channel_button = widgets.Button(description="Add channel")
        self.remove_channel_button = widgets.Button(description="Remove channel")
        self.save_button = widgets.Button(description="Save to case", button_style="primary")
        self.status = widgets.HTML()
        self.drawing = widgets.HTML()
        self.diagnosis = widgets.HTML()
        self.chart = charts.show(variety_chart(self.desc, subtitle=subtitle))
        self._refresh(keep_level=None)
        super().__init__([
            self.level, self.purpose,
            self.unit, self.unit_name, self.environment, self.management,
            widgets.HBox([self.add_unit_button, self.remove_unit_button]),
            self.body, widgets.HBox([widgets.Label("Performs", layout=widgets.Layout(width="110px")),
                                     *self.systems.values()]),
            widgets.HBox([self.kind, self.source]), widgets.HBox([self.target]),
            widgets.HBox([self.add_channel_button, self.remove_channel_button]),
            self.drawing, self.diagnosis, self.chart, widgets.HBox([self.save_button]), self.status,
        ], layout=widgets.Layout(width="840px"))
        for control in (self.purpose, self.unit_name, self.environment, self.management,
                        *self.systems.values()):
            control.observe(self._edit_fields, names="value")
        self.level.observe(self._update, names="value")
        self.unit.observe(self._select, names="value")
        self.body.observe(self._select, names="value")
        self.add_unit_button.on_click(lambda _: self.add_unit(self.unit_name.value))
        self.remove_unit_button.on_click(lambda _: self.remove_unit(self.unit.value))
        self.add_channel_button.on_click(lambda _: self.add_channel(self.kind.value, self.source.value,
                                                                    self.target.value))
        self.remove_channel_button.on_click(lambda _: self.remove_channel(self.kind.value, self.source.value,
                                                                          self.target.value))
        self.save_button.on_click(lambda _: self.save())

    @classmethod
    def from_case(cls, slug: str, **kwargs: Any) -> VsmEditor:
        """Open a case's ``vsm.yaml`` in the editor."""
        return cls(cases.load(slug), **kwargs)

    @property
    def title(self) -> str:
        """The variety chart's title (its finding)."""
        return charts.chart_title(self.chart.chart)

    @property
    def current(self) -> str:
        """Id of the system (recursion level) being edited."""
        return self.level.value or self.desc.focus

    # ----- edits: each makes a new description, validates it, then one redraw -----

    def _change(self, action: Any) -> None:
        new = self.desc.model_copy(deep=True)
        try:
            message = action(new.system(self.current))
            validate_description(new)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.desc = new
        self._refresh(keep_level=self.current)
        self.status.value = _ok(f"{message} {diagnose(self.desc).summary()}")

    def _edit_fields(self, change: object = None) -> None:
        if self._loading:
            return

        def act(system: Any) -> str:
            system.purpose = self.purpose.value.strip() or None
            if self.unit.value is not None:
                unit = system.unit(self.unit.value)
                name = " ".join(self.unit_name.value.split())
                if not name:
                    raise VsmError("A System 1 unit needs a name.", "Type a few words, e.g. 'Housing services'.")
                unit.name = name
                unit.environment = self.environment.value.strip() or None
                unit.management = self.management.value.strip() or None
            if self.body.value is not None:
                system.body(self.body.value).systems = [s for s, box in self.systems.items() if box.value]
            return "Updated."
        self._change(act)

    def add_unit(self, name: str) -> None:
        """Add a System 1 unit by name (its id is the name in lower case with hyphens)."""
        def act(system: Any) -> str:
            label = " ".join(str(name or "").split())
            uid = re.sub(r"[^0-9a-z]+", "-", label.lower()).strip("-")
            if not uid:
                raise VsmError("Type the unit's name first.", "For example: Street outreach.")
            if uid in {u.id for u in system.units} | {b.id for b in system.bodies} or any(
                    u.name.casefold() == label.casefold() for u in system.units):
                raise VsmError(f"{label!r} is already a unit or body of this level.", "Choose another name.")
            system.units.append(Unit(id=uid, name=label))
            self._pick_unit = uid
            return f"Added {label}; give it an environment."
        self._change(act)

    def remove_unit(self, uid: str | None) -> None:
        """Remove a unit and its channels."""
        def act(system: Any) -> str:
            if uid is None:
                raise VsmError("No unit chosen.", "Pick one from the list.")
            unit = system.unit(uid)
            system.units = [u for u in system.units if u.id != uid]
            system.channels = [c for c in system.channels if uid not in c.ends()]
            return f"Removed {unit.name} and its channels."
        self._change(act)

    def add_channel(self, kind: str, source: str | None, target: str | None) -> None:
        """Add a channel of ``kind`` from ``source`` to ``target`` (ids, or 'environment')."""
        def act(system: Any) -> str:
            if kind not in CHANNEL_KINDS:
                raise VsmError(f"{kind!r} is not a channel kind.", f"Use one of: {', '.join(CHANNEL_KINDS)}.")
            if not source or not target or source == target:
                raise VsmError("A channel joins two different units or bodies.", "Pick a From and a To.")
            if any(c.kind == kind and c.ends() == (source, target) for c in system.channels):
                raise VsmError("That channel is already there.", None)
            system.channels.append(Channel(kind=kind, **{"from": source}, to=target))
            return f"Added a {kind} channel {system.label(source)} → {system.label(target)}."
        self._change(act)

    def remove_channel(self, kind: str, source: str | None, target: str | None) -> None:
        """Remove the channel of ``kind`` between ``source`` and ``target`` (either direction)."""
        def act(system: Any) -> str:
            keep = [c for c in system.channels if not (c.kind == kind and set(c.ends()) == {source, target})]
            if len(keep) == len(system.channels):
                raise VsmError(f"There is no {kind} channel between {source} and {target}.", None)
            system.channels = keep
            return f"Removed the {kind} channel."
        self._change(act)

    def save(self) -> None:
        """Write ``vsm.yaml`` into the case folder (atomically)."""
        try:
            if self._folder is None:
                raise StpError("This description has no case folder to save to.",
                               "Open it with VsmEditor.from_case('my-case').")
            path = cases.save_text(self._folder, "vsm.yaml", vsm_yaml(self.desc), overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = _ok(f"Saved {len(self.desc.systems)} level(s) to {path.name}.")

    # ----- the one redraw -----

    def _select(self, change: object = None) -> None:
        if self._loading:
            return
        self._load_fields()

    def _load_fields(self) -> None:
        system = self.desc.system(self.current)
        self._loading = True
        try:
            self.purpose.value = system.purpose or ""
            unit = system.unit(self.unit.value) if self.unit.value is not None else None
            self.unit_name.value = unit.name if unit else ""
            self.environment.value = (unit.environment or "") if unit else ""
            self.management.value = (unit.management or "") if unit else ""
            held = system.body(self.body.value).systems if self.body.value is not None else []
            for name, box in self.systems.items():
                box.value = name in held
        finally:
            self._loading = False

    def _refresh(self, keep_level: str | None) -> None:
        self._loading = True
        try:
            options = [(f"Level {lvl}: {self.desc.system(sid).name}", sid) for lvl, sid, _ in levels(self.desc)]
            with self.level.hold_sync():
                self.level.options = options
                self.level.value = keep_level if keep_level in [v for _, v in options] else self.desc.focus
            system = self.desc.system(self.level.value)
            units = [(u.name, u.id) for u in system.units]
            bodies = [(b.name, b.id) for b in system.bodies]
            pick = getattr(self, "_pick_unit", None)
            for box, items in ((self.unit, units), (self.body, bodies)):
                old = pick if box is self.unit and pick else box.value
                with box.hold_sync():
                    box.options = items
                    box.value = old if old in [v for _, v in items] else (items[0][1] if items else None)
            self._pick_unit = None
            ends = units + bodies
            for box, extra in ((self.source, []), (self.target, [("the environment", ENVIRONMENT)])):
                old = box.value
                with box.hold_sync():
                    box.options = ends + extra
                    box.value = old if old in [v for _, v in ends + extra] else (ends[0][1] if ends else None)
        finally:
            self._loading = False
        self._load_fields()
        found = diagnose(self.desc)
        try:
            self.drawing.value = draw_vsm(self.desc, system.id, diagnosis=found).html
        except StpError as err:
            self.drawing.value = err.to_html()
        self.diagnosis.value = diagnosis_view(found.of(system.id), self.desc).html
        self.chart.chart = variety_chart(self.desc, system.id, subtitle=self._subtitle)

    def _update(self, change: object = None) -> None:
        if self._loading:
            return
        try:
            self._refresh(keep_level=self.level.value)
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.status.value = ""

    def __repr__(self) -> str:
        n = len(levels(self.desc))
        level = next(lvl for lvl, sid, _ in levels(self.desc) if sid == self.current)
        units = len(self.desc.system(self.current).units)
        return f"VsmEditor: level {level} of {n}, {units} units; {diagnose(self.desc).summary()}"
