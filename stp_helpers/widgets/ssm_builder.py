"""An app to write CATWOE and root definitions, one per worldview, with feedback beside them.

Pick a worldview (or add one), fill in C, A, T, W, O and E, and the root
definition sentence (a system owned by O to P by Q in order to R) is
rewritten with the checks' feedback beside it.  P, Q and R are generated
from CATWOE until you write your own.  Below: every worldview side by side,
the checks per worldview as a chart, and the worldview's activity model
drawn as a diagram.  Save writes ``ssm.yaml`` (and an uploaded rich picture)
into your own case folder; checks warn, they never block saving.

Examples
--------
>>> app = RootDefinitionBuilder.from_case("plymouth-alliance")
>>> app
RootDefinitionBuilder: 2 worldviews (provider, assurance); editing provider; 8 of 8 checks pass
>>> app.fields["T output"].value = "reports"
>>> "T-error" in app.feedback.value
True
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from stp_helpers import case as cases
from stp_helpers import charts
from stp_helpers.charts.ssm import check_chart
from stp_helpers.errors import StpError
from stp_helpers.ssm.definitions import default_pqr, make_catwoe, root_definition
from stp_helpers.ssm.records import FIVE_ES, Catwoe, SsmRecord, read_ssm, save_ssm
from stp_helpers.ssm.report import catwoe_table
from stp_helpers.ssm.quality import check_catwoe
from stp_helpers.ssm.models import findings_html, findings_text
from stp_helpers.charts.ssm_draw import draw_activity_model
from stp_helpers.ssm.rich_picture import MAX_IMAGE_BYTES, save_rich_picture, too_large
from stp_helpers.widgets.upload import LimitedUpload

__all__ = ["RootDefinitionBuilder"]

#: The text fields, in order: label → (Catwoe attribute path, placeholder).
FIELDS: dict[str, tuple[str, str]] = {
    "Stakeholder": ("stakeholder", "whose worldview, e.g. commissioners"),
    "C customers": ("customers", "who benefits from, or is a victim of, T"),
    "A actors": ("actors", "who would carry out T"),
    "T input": ("transformation.input", "what goes in, e.g. need for respite care"),
    "T output": ("transformation.output", "the same thing, changed, e.g. need for respite care met"),
    "W worldview": ("worldview", "the belief that makes T worth doing"),
    "O owners": ("owners", "who could stop T"),
    "E environment": ("environment", "what the system takes as given"),
    "P what": ("p", ""),
    "Q how": ("q", ""),
    "R why": ("r", ""),
}
_STYLE = {"description_width": "120px"}


def _ok(text: str) -> str:
    return f'<div class="stp-status" style="font-size:15px">{html.escape(text)}</div>'


def _css_name(label: str) -> str:
    return "ssm-" + label.split()[0].lower() + ("-" + label.split()[1].lower() if label.startswith("T ") else "")


class RootDefinitionBuilder(widgets.VBox):
    """Write CATWOE per worldview; see the PQR sentence, the feedback and the activity model.

    Parameters
    ----------
    record : SsmRecord or Case
        The records to edit, or a case whose ``ssm.yaml`` is loaded (an empty
        record when the case has none yet).
    folder : path, optional
        The case folder Save writes to (default: the case's folder, if a case is given).
    subtitle : str, optional
        Chart subtitle (default: the case's title).
    """

    def __init__(self, record: SsmRecord | cases.Case, *, folder: str | Path | None = None,
                 subtitle: str | None = None) -> None:
        if isinstance(record, cases.Case):
            this = record
            record = (read_ssm(this.artefact_path("ssm.yaml")) if this.has("ssm.yaml")
                      else SsmRecord(situation=this.meta.summary.strip()))
            folder = folder if folder is not None else this.path
            subtitle = subtitle if subtitle is not None else this.meta.title
        elif not isinstance(record, SsmRecord):
            raise TypeError(f"RootDefinitionBuilder needs an SsmRecord or a loaded case, not {type(record).__name__}.")
        if not record.worldviews:
            record = record.model_copy(update={"worldviews": [make_catwoe("my-view")]})
        self.record: SsmRecord = record
        self._folder = Path(folder) if folder is not None else None
        self._subtitle = subtitle
        self._loading = False
        self.worldview = widgets.Dropdown(options=[w.id for w in record.worldviews], value=record.worldviews[0].id,
                                          description="Worldview", style=_STYLE, layout=widgets.Layout(width="320px"))
        self.new_id = widgets.Text(placeholder="new worldview id, e.g. person", continuous_update=False,
                                   layout=widgets.Layout(width="220px"))
        self.add_button = widgets.Button(description="Add worldview")
        self.fields: dict[str, widgets.Text] = {}
        for label, (_, hint) in FIELDS.items():
            box = widgets.Text(description=label, placeholder=hint, continuous_update=False, style=_STYLE,
                               layout=widgets.Layout(width="400px"))
            box.add_class(_css_name(label))
            self.fields[label] = box
        self.measures = {e: widgets.Text(description=e.capitalize(), placeholder=f"a measure of {e}",
                                         continuous_update=False, style=_STYLE, layout=widgets.Layout(width="400px"))
                         for e in FIVE_ES}
        self.sentence = widgets.HTML()
        self.sentence.add_class("ssm-sentence")
        self.feedback = widgets.HTML(layout=widgets.Layout(width="420px"))
        self.feedback.add_class("ssm-feedback-box")
        self.side_by_side = widgets.HTML()
        self.drawing = widgets.HTML()
        self.chart = charts.show(check_chart(record.worldviews, subtitle=subtitle))
        self.upload = LimitedUpload(accept=".png,.jpg,.jpeg,.svg", max_bytes=MAX_IMAGE_BYTES,
                                    description="Rich picture")
        self.save_button = widgets.Button(description="Save to case", button_style="primary")
        self.status = widgets.HTML()
        self._load_fields()
        self._redraw()
        form = widgets.VBox(list(self.fields.values()) + [widgets.HTML("<b>5Es: a measure for each</b>")]
                            + list(self.measures.values()))
        right = widgets.VBox([widgets.HTML("<b>Root definition</b>"), self.sentence,
                              widgets.HTML("<b>Feedback</b>"), self.feedback])
        super().__init__([
            widgets.HBox([self.worldview, self.new_id, self.add_button]),
            widgets.HBox([form, right]),
            widgets.HTML("<b>Worldviews side by side</b>"), self.side_by_side,
            self.chart, self.drawing,
            widgets.HBox([self.upload, self.save_button]), self.status,
        ], layout=widgets.Layout(width="900px"))
        for box in list(self.fields.values()) + list(self.measures.values()):
            box.observe(self._update, names="value")
        self.worldview.observe(self._switch, names="value")
        self.add_button.on_click(lambda _: self.add_worldview(self.new_id.value))
        self.save_button.on_click(lambda _: self.save())
        self.upload.on_file(self._received)
        self.upload.on_refused(self._refused)

    @classmethod
    def from_case(cls, slug: str, **kwargs: Any) -> RootDefinitionBuilder:
        """Open a case's ``ssm.yaml`` in the builder."""
        return cls(cases.load(slug), **kwargs)

    @property
    def current(self) -> Catwoe:
        """The CATWOE being edited."""
        return self.record.worldview(self.worldview.value)

    # ----- fields <-> record -----

    def _load_fields(self) -> None:
        cw = self.current
        made = default_pqr(cw)
        self._loading = True
        try:
            for label, (attr, _) in FIELDS.items():
                value = cw.transformation.input if attr == "transformation.input" else (
                    cw.transformation.output if attr == "transformation.output" else getattr(cw, attr))
                self.fields[label].value = value
            for e, box in self.measures.items():
                box.value = getattr(cw.measures, e)
            self._set_placeholders(made)
        finally:
            self._loading = False

    def _set_placeholders(self, made: Any) -> None:
        blank = {"P what": "generated from T", "Q how": "write how it is done (the means)",
                 "R why": "write the longer-term aim T serves (not W)"}
        for label, part in zip(("P what", "Q how", "R why"), made):
            self.fields[label].placeholder = f"generated: {part}" if part else blank[label]

    def _read_fields(self) -> Catwoe:
        values = {attr: self.fields[label].value for label, (attr, _) in FIELDS.items()}
        t_in, t_out = values.pop("transformation.input"), values.pop("transformation.output")
        return self.current.model_copy(update={
            **values, "transformation": self.current.transformation.model_copy(update={"input": t_in, "output": t_out}),
            "measures": self.current.measures.model_copy(update={e: b.value for e, b in self.measures.items()}),
        })

    # ----- actions -----

    def add_worldview(self, new_id: str) -> None:
        """Add an empty CATWOE for another worldview and switch to it."""
        try:
            cw = make_catwoe(str(new_id or "").strip())
            if cw.id in [w.id for w in self.record.worldviews]:
                raise StpError(f"There is already a worldview {cw.id!r}.", "Choose another id.")
        except StpError as err:
            self.status.value = err.to_html()
            return
        self.record = self.record.model_copy(update={"worldviews": [*self.record.worldviews, cw]})
        with self.worldview.hold_sync():
            self.worldview.options = [w.id for w in self.record.worldviews]
            self.worldview.value = cw.id
        self.new_id.value = ""
        self.status.value = _ok(f"Added worldview {cw.id}: fill in its CATWOE.")

    def save(self) -> None:
        """Write ``ssm.yaml`` into the case folder (atomically); checks warn but never block."""
        try:
            if self._folder is None:
                raise StpError("These records have no case folder to save to.",
                               "Open them with RootDefinitionBuilder.from_case('my-case').")
            path = save_ssm(self.record, self._folder, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        found = [f for cw in self.record.worldviews for f in check_catwoe(cw)]
        self.status.value = _ok(f"Saved {len(self.record.worldviews)} worldviews to {path.name}. "
                                f"{findings_text(found).split(' First')[0]}")

    def attach_picture(self, data: bytes, name: str) -> None:
        """Check an image and save it as the case's rich picture; refused images change nothing."""
        try:
            if self._folder is None:
                raise StpError("These records have no case folder to save the picture to.",
                               "Open them with RootDefinitionBuilder.from_case('my-case').")
            path = save_rich_picture(self._folder, data, name, overwrite=True)
        except StpError as err:
            self.status.value = err.to_html()
            return
        picture = self.record.rich_picture.model_copy(update={"image": path.name})
        self.record = self.record.model_copy(update={"rich_picture": picture})
        self.status.value = _ok(f"Saved the rich picture as {path.name}; Save to case records it in ssm.yaml.")

    def _received(self, name: str, data: bytes) -> None:
        self.attach_picture(data, name)

    def _refused(self, name: str, size: int) -> None:
        self.status.value = too_large(name, size).to_html()

    # ----- the one update -----

    def _switch(self, change: Any = None) -> None:
        self._load_fields()
        self._redraw()

    def _update(self, change: Any = None) -> None:
        if self._loading:
            return
        try:
            cw = self._read_fields()
        except (StpError, ValueError) as err:
            self.status.value = err.to_html() if isinstance(err, StpError) else _ok(str(err))
            return
        self.record = self.record.model_copy(update={
            "worldviews": [cw if w.id == cw.id else w for w in self.record.worldviews]})
        self._set_placeholders(default_pqr(cw))
        self._redraw()
        self.status.value = ""

    def _redraw(self) -> None:
        cw = self.current
        found = check_catwoe(cw)
        self.sentence.value = (f'<p class="ssm-pqr" style="font-size:17px;max-width:440px">'
                               f"{html.escape(root_definition(cw))}</p>")
        self.feedback.value = findings_html(found)
        table = catwoe_table(self.record.worldviews)
        self.side_by_side.value = ('<div style="overflow-x:auto;font-size:14px">'
                                   + table.to_html(classes="ssm-side-by-side", border=0) + "</div>")
        self.chart.chart = check_chart(self.record.worldviews, subtitle=self._subtitle)
        model = self.record.model_for(cw.id)
        self.drawing.value = (draw_activity_model(model).html if model is not None and model.activities else
                              _ok(f"No activity model for {cw.id} yet: build one from this root definition "
                                  "(5 to 9 activities, each starting with a verb, plus monitor and control)."))

    def __repr__(self) -> str:
        ids = [w.id for w in self.record.worldviews]
        found = check_catwoe(self.current)
        ok = sum(f.passed for f in found)
        return (f"RootDefinitionBuilder: {len(ids)} worldview{'s' if len(ids) != 1 else ''} ({', '.join(ids)}); "
                f"editing {self.current.id}; {ok} of {len(found)} checks pass")
