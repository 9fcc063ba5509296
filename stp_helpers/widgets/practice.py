"""Apps for the duties' outputs: a scoping statement form (duty 1), an information plan editor (duty 2),
and a structured reflection (Gibbs' cycle) saved with the KSBs it claims.

Examples
--------
>>> form = ScopingForm.from_case("wiltshire-complex-needs")
>>> form.summary
'1 point to work on: SC-7 (agreed).'
>>> form.fields["purpose"].value = "Implement a hub for people with complex needs in the county"
>>> form.check.click()
>>> form.summary
'2 points to work on: SC-2 (purpose), SC-7 (agreed).'
>>> form.save.click()
>>> "shipped case" in form.status.value
True
>>> plan = InformationPlanForm.from_case("stoke-neet")
>>> plan.summary
'1 need, 0 points to work on.'
"""

from __future__ import annotations

import os

import ipywidgets as widgets
import yaml

from stp_helpers import case as cases
from stp_helpers import paths
from stp_helpers.case import Case
from stp_helpers.practice import information, iteration, scoping, strategy, vision
from stp_helpers.widgets.forms import RuleForm, heading, points_summary
from stp_helpers.widgets.reflection import ReflectionBox

__all__ = ["ScopingForm", "InformationPlanForm", "VisionPlanForm", "IterationLogForm", "StrategyForm", "StructuredReflection",
           "GIBBS"]

_LISTS = ("decision_makers", "inside", "outside", "success_criteria", "constraints", "participants")
_LABELS = {"client": "Client", "decision_makers": "Decision-makers", "purpose": "Purpose (a question)",
           "inside": "Inside the boundary", "outside": "Outside the boundary",
           "success_criteria": "Success criteria", "constraints": "Constraints", "participants": "Taking part",
           "agreed_by": "Agreed by", "agreed_date": "Agreed on (YYYY-MM-DD)"}


def _template_text(name: str) -> str:
    return (paths.TEMPLATES_DIR / "case" / name).read_text(encoding="utf-8")


class ScopingForm(RuleForm):
    """A form for the scoping statement; Check explains each rule it breaks; Save writes ``scoping.yaml``.

    Lists take one item per line.  Saving needs a case of your own (shipped cases are read-only).
    """

    def __init__(self, statement: scoping.ScopingStatement, case: Case | None = None) -> None:
        self._basis = statement.basis
        values = {"client": statement.client, "decision_makers": statement.decision_makers,
                  "purpose": statement.purpose, "inside": statement.boundary.inside,
                  "outside": statement.boundary.outside, "success_criteria": statement.success_criteria,
                  "constraints": statement.constraints, "participants": statement.participants,
                  "agreed_by": statement.agreed.by if statement.agreed else "",
                  "agreed_date": statement.agreed.date.isoformat() if statement.agreed and statement.agreed.date else ""}
        self.fields: dict[str, widgets.Widget] = {}
        rows: list[widgets.Widget] = []
        for name, label in _LABELS.items():
            value = values[name]
            if name in _LISTS:
                box = widgets.Textarea(value="\n".join(value), layout=widgets.Layout(width="620px", height="70px"),
                                       continuous_update=False)
            else:
                box = widgets.Text(value=str(value), layout=widgets.Layout(width="620px"), continuous_update=False)
            self.fields[name] = box
            rows += [heading(label), box]
        super().__init__(rows, case, width="660px")

    @classmethod
    def from_case(cls, slug: str) -> ScopingForm:
        """Start from the case's ``scoping.yaml``, or the blank template when it has none."""
        loaded = cases.load(slug)
        if loaded.has("scoping.yaml"):
            return cls(loaded.read("scoping.yaml"), loaded)
        return cls(scoping.parse_scoping(_template_text("scoping.yaml")), loaded)

    def statement(self) -> scoping.ScopingStatement:
        """The statement as the form holds it."""
        lines = {n: [x.strip() for x in self.fields[n].value.splitlines() if x.strip()] for n in _LISTS}
        data: dict[str, object] = {
            "client": self.fields["client"].value.strip(), "decision_makers": lines["decision_makers"],
            "purpose": self.fields["purpose"].value.strip(),
            "boundary": {"inside": lines["inside"], "outside": lines["outside"]},
            "success_criteria": lines["success_criteria"], "constraints": lines["constraints"],
            "participants": lines["participants"], "basis": [c.model_dump(exclude_none=True) for c in self._basis]}
        if self.fields["agreed_by"].value.strip():
            data["agreed"] = {"by": self.fields["agreed_by"].value.strip(),
                              "date": self.fields["agreed_date"].value.strip() or None}
        return scoping.parse_scoping(yaml.safe_dump(data, allow_unicode=True))

    def checked(self) -> tuple[str, list[scoping.Finding]]:
        found = scoping.check_scoping(self.statement())
        plural = "point" if len(found) == 1 else "points"
        return (f"{len(found)} {plural} to work on: " + ", ".join(f"{f.rule} ({f.field})" for f in found) + "."
                if found else "Every rule passes."), found

    def texts(self) -> dict[str, str]:
        return {"scoping.yaml": scoping.scoping_text(self.statement())}


class InformationPlanForm(RuleForm):
    """The information plan as CSV text to edit; Check explains each rule a row breaks; Save writes it."""

    def __init__(self, text: str, case: Case | None = None) -> None:
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="200px"),
                                     continuous_update=False)
        self.table = widgets.HTML()
        super().__init__([heading("information_plan.csv (one row per need)"), self.text], case, after=[self.table])

    @classmethod
    def from_case(cls, slug: str) -> InformationPlanForm:
        """Start from the case's ``information_plan.csv``, or the template when it has none."""
        loaded = cases.load(slug)
        if loaded.has("information_plan.csv"):
            return cls(information.information_plan_text(loaded.read("information_plan.csv")), loaded)
        return cls(_template_text("information_plan.csv"), loaded)

    def checked(self) -> tuple[str, list[scoping.Finding]]:
        needs = information.parse_information_plan(self.text.value)
        found = information.check_information_plan(needs)
        self.table.value = information.plan_table(needs).html
        return f"{len(needs)} need{'' if len(needs) == 1 else 's'}, {len(found)} points to work on.", found

    def texts(self) -> dict[str, str]:
        return {"information_plan.csv": information.information_plan_text(
            information.parse_information_plan(self.text.value))}


#: Gibbs' (1988) reflective cycle: each stage and its prompt.
GIBBS = (("Description", "What happened? Who was there, what did you do?"),
         ("Feelings", "What were you thinking and feeling?"),
         ("Evaluation", "What was good and bad about it?"),
         ("Analysis", "What sense can you make of it? Which ideas or models explain it?"),
         ("Conclusion", "What else could you have done?"),
         ("Action plan", "What will you do next time, and by when?"))


class StructuredReflection(ReflectionBox):
    """A reflection in the six stages of Gibbs' cycle, saved as one text with the KSBs it claims."""

    def __init__(self, duty: int, learner: str | None = None, root: str | None = None) -> None:
        super().__init__(duty, learner=learner or os.environ.get("STP_LEARNER", ""), root=root)
        self.stages = {name: widgets.Textarea(placeholder=prompt, layout=widgets.Layout(width="600px", height="60px"),
                                              continuous_update=False) for name, prompt in GIBBS}
        self.text.layout.display = "none"
        parts: list[widgets.Widget] = []
        for name, _ in GIBBS:
            parts += [widgets.HTML(f"<b style='font-size:15px'>{name}</b>"), self.stages[name]]
        self.children = [self.children[0], *parts, *self.children[1:]]
        for box in self.stages.values():
            box.observe(self._compose, names="value")

    def _compose(self, change: object = None) -> None:
        self.text.value = "\n".join(f"{name}: {self.stages[name].value.strip()}" for name, _ in GIBBS
                                    if self.stages[name].value.strip())

    def __repr__(self) -> str:
        return f"Structured reflection (Gibbs) for duty {self._duty}: " + ", ".join(n for n, _ in GIBBS)


class VisionPlanForm(RuleForm):
    """The vision (YAML) and the communication plan (CSV) side by side; Check explains each rule; Save writes both."""

    def __init__(self, vision_text: str, plan_text: str, case: Case | None = None) -> None:
        self.vision = widgets.Textarea(value=vision_text, layout=widgets.Layout(width="860px", height="220px"),
                                       continuous_update=False)
        self.plan = widgets.Textarea(value=plan_text, layout=widgets.Layout(width="860px", height="140px"),
                                     continuous_update=False)
        super().__init__([heading("vision.yaml"), self.vision,
                          heading("communication_plan.csv (one row per audience)"), self.plan], case)

    @classmethod
    def from_case(cls, slug: str) -> VisionPlanForm:
        """Start from the case's files, or the templates where it has none."""
        loaded = cases.load(slug)
        vision_text = (vision.vision_text(loaded.read("vision.yaml")) if loaded.has("vision.yaml")
                       else _template_text("vision.yaml"))
        plan_text = (vision.communication_plan_text(loaded.read("communication_plan.csv"))
                     if loaded.has("communication_plan.csv") else _template_text("communication_plan.csv"))
        return cls(vision_text, plan_text, loaded)

    def checked(self) -> tuple[str, list[scoping.Finding]]:
        found = (vision.check_vision(vision.parse_vision(self.vision.value))
                 + vision.check_communication_plan(vision.parse_communication_plan(self.plan.value)))
        return points_summary(found), found

    def texts(self) -> dict[str, str]:
        return {"vision.yaml": vision.vision_text(vision.parse_vision(self.vision.value)),
                "communication_plan.csv": vision.communication_plan_text(
                    vision.parse_communication_plan(self.plan.value))}


class IterationLogForm(RuleForm):
    """The iteration log as CSV text to edit; Check explains each rule; Save writes ``iteration_log.csv``."""

    def __init__(self, text: str, case: Case | None = None) -> None:
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="180px"),
                                     continuous_update=False)
        super().__init__([heading("iteration_log.csv (one row per iteration)"), self.text], case)

    @classmethod
    def from_case(cls, slug: str) -> IterationLogForm:
        """Start from the case's ``iteration_log.csv``, or the template when it has none."""
        loaded = cases.load(slug)
        if loaded.has("iteration_log.csv"):
            return cls(iteration.iteration_log_text(loaded.read("iteration_log.csv")), loaded)
        return cls(_template_text("iteration_log.csv"), loaded)

    def checked(self) -> tuple[str, list[scoping.Finding]]:
        rows = iteration.parse_iteration_log(self.text.value)
        found = iteration.check_iteration_log(rows)
        return (f"{len(rows)} iteration{'' if len(rows) == 1 else 's'}, "
                f"{len(found)} point{'' if len(found) == 1 else 's'} to work on."), found

    def texts(self) -> dict[str, str]:
        return {"iteration_log.csv": iteration.iteration_log_text(iteration.parse_iteration_log(self.text.value))}


class StrategyForm(RuleForm):
    """The strategy assessment as YAML to edit; Check explains each rule; Save writes ``strategy_assessment.yaml``."""

    def __init__(self, text: str, case: Case | None = None) -> None:
        self.text = widgets.Textarea(value=text, layout=widgets.Layout(width="860px", height="320px"),
                                     continuous_update=False)
        super().__init__([heading("strategy_assessment.yaml"), self.text], case)

    @classmethod
    def from_case(cls, slug: str) -> StrategyForm:
        """Start from the case's ``strategy_assessment.yaml``, or the template when it has none."""
        loaded = cases.load(slug)
        if loaded.has("strategy_assessment.yaml"):
            return cls(strategy.strategy_text(loaded.read("strategy_assessment.yaml")), loaded)
        return cls(_template_text("strategy_assessment.yaml"), loaded)

    def checked(self) -> tuple[str, list[scoping.Finding]]:
        found = strategy.check_strategy(strategy.parse_strategy(self.text.value))
        return points_summary(found), found

    def texts(self) -> dict[str, str]:
        return {"strategy_assessment.yaml": strategy.strategy_text(strategy.parse_strategy(self.text.value))}
