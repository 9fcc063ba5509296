"""Exercise check for "build the structure from case text" (the stock-and-flow notebook).

The learner reads a passage of case text (the case's ``model_passage.yaml``),
lists the quantities it names and classifies each as a stock, a flow (with the
stock it fills or drains, in or out) or a parameter or auxiliary.  The check
compares the table with the case model's own structure, read through PySD
(:func:`stp_helpers.sd.passage.quantity_roles`), and says per row what to look
at again in Sterman's (2000, ch. 6) terms: a stock would still have a value if
time stopped; a flow is a rate per unit of time that fills or drains a stock.
Names are matched by the one answer matcher, with the passage's declared
wordings.

Examples
--------
>>> from stp_helpers.sd.cases import teaching_model
>>> from stp_helpers.io.model_passage import StructurePassage
>>> bath = teaching_model("bathtub")
>>> text = StructurePassage(passage="The tap is filling the bath; the drain is draining the water in the tub.",
...                         quantities={"Water in tub": ["water"], "filling": [], "draining": []})
>>> structure(..., bath, text)
Your turn: fill in the cell above, then run this one.
>>> structure([("water", "stock"), ("filling", "inflow", "water in the tub"), ("draining", "flow", "water", "out")],
...           bath, text, prediction=1)
Correct. All 3 quantities the passage names are classified as the model has them: 1 stock, 2 flows and 0 parameters or auxiliaries. You predicted 1 stock, and there are 1. What told you, before counting?
>>> structure([("Water in tub", "flow"), ("filling", "flow", "Water in tub", "out")], bath, text)  # doctest: +NORMALIZE_WHITESPACE
Not yet. 0 of 3 quantities classified as the model has them. Water in tub is a stock: it would still have a value if time stopped, and only its flows change it (Sterman 2000, ch. 6). filling is a flow into Water in tub, not out of it. The passage names 1 more quantity you have not listed; look again at: "The tap is filling the bath; the drain is draining the water in the tub." Which quantities could you count in a snapshot, with time stopped?
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from stp_helpers import sd
from stp_helpers.case import Case
from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import Column, Number, Table
from stp_helpers.checks.matching import Vocabulary, canonical
from stp_helpers.checks.prediction import count_note, own_count_note, plural
from stp_helpers.display import Markdown, md
from stp_helpers.io.model_passage import PASSAGE_FILE, StructurePassage
from stp_helpers.sd.passage import KINDS, QuantityRole, case_passage, has_model, quantity_roles

__all__ = ["KIND", "DIRECTION", "StructureTable", "structure", "structure_exercise", "passage_markdown"]

#: The three kinds and their usual names (Sterman 2000, ch. 6: stocks are levels, flows are rates).
KIND = Vocabulary({
    "stock": ("stock", "level", "accumulation", "state", "state variable", "stock variable", "reservoir"),
    "flow": ("flow", "rate", "flow rate", "inflow", "outflow", "in flow", "out flow", "flow variable",
             "flow in", "flow out"),
    "parameter or auxiliary": ("parameter or auxiliary", "parameter", "auxiliary", "aux", "constant", "converter",
                               "auxiliary variable", "parameter auxiliary", "auxiliary or parameter"),
})
#: Which way a flow goes: into the stock (fills it) or out of it (drains it).
DIRECTION = Vocabulary({
    "in": ("in", "into", "inflow", "in flow", "flow in", "fills", "fill", "filling", "+", "adds", "add to", "increases"),
    "out": ("out", "out of", "outflow", "out flow", "flow out", "drains", "drain", "draining", "-", "from",
            "subtracts", "take from", "decreases"),
})
_SNAPSHOT = "Which quantities could you count in a snapshot, with time stopped?"
_CITE = "(Sterman 2000, ch. 6)"
_MORE = 3  # row notes shown after the first


class StructureTable(Table):
    """A free-row table whose rows count once their first cell is filled (a stock needs no stock or direction)."""

    def value(self) -> Any:
        rows = [tuple(str(c.value).strip() for c in row) for row in self.cells]
        kept = [row for row in rows if row[0]]
        return kept or ...

    def text(self) -> str:
        value = self.value()
        return "" if value is Ellipsis else "; ".join(" ".join(v for v in row if v) for row in value)


def _names(model: sd.Model, passage: StructurePassage) -> Vocabulary:
    """Every model variable, under its own name, and the passage's wordings for the ones it names."""
    forms: dict[str, list[str]] = {}
    taken: set[str] = set()
    wordings = {model.resolve(k): v for k, v in passage.quantities.items()}
    for name in model.variables_list():  # the model's own names first: they win any clash
        forms[name] = [name]
        taken.add(canonical(name))
    for name, more in wordings.items():
        for word in more:
            if canonical(word) not in taken:
                forms[name].append(word)
                taken.add(canonical(word))
    return Vocabulary({k: tuple(v) for k, v in forms.items()})


def _rows(answer: Any) -> list[tuple[str, ...]]:
    if isinstance(answer, Mapping):
        return [(str(k), *((v,) if isinstance(v, str) else tuple(v))) for k, v in answer.items()]
    if isinstance(answer, str) or not isinstance(answer, Sequence):
        raise TypeError('answer should be a list of rows, e.g. [("Water in tub", "stock"), '
                        '("filling", "flow", "Water in tub", "in"), ("drain time", "parameter")]')
    rows = []
    for row in answer:
        cells = (row,) if isinstance(row, str) else tuple(row)
        rows.append(tuple(str(c).strip() for c in cells) + ("",) * (4 - len(cells)))
    return [r for r in rows if r[0]]


def _kind_note(role: QuantityRole, said: str) -> str:
    """Why ``role`` is not what the learner said (``said`` is a kind key)."""
    name = role.name
    if role.kind == "stock":
        return f"{name} is a stock: it would still have a value if time stopped, and only its flows change it {_CITE}."
    if role.kind == "flow":
        return (f"{name} is a flow: it is measured per unit of time ({role.units}) and has no value in a snapshot "
                f"with time stopped; it fills or drains a stock {_CITE}.")
    if role.detail == "constant":
        rate = ", though its name says rate" if "rate" in name.lower() and said == "flow" else ""
        return (f"{name} is a parameter{rate}: the model holds it fixed over a run ({role.units or 'no units'}), and "
                f"no stock adds or subtracts it; a flow worked out from it does {_CITE}.")
    return (f"{name} is an auxiliary: it is worked out afresh each moment from stocks and parameters, keeps no "
            f"memory of its own, and no stock adds or subtracts it (Sterman 2000, ch. 7).")


def _flow_note(role: QuantityRole, stock_text: str, way_text: str, kind_text: str,
               names: Vocabulary, stocks: Sequence[str]) -> str | None:
    """What is wrong with a flow row's stock and direction, or None when it is right."""
    name = role.name
    if not stock_text:
        return f"{name} is a flow, rightly: now say which stock it fills or drains, and whether in or out."
    stock = names.match(stock_text)
    if stock not in stocks:
        what = f"{stock} is not a stock" if stock else f"'{stock_text}' is not one of the stocks the model holds"
        return f"{name}: {what}, so {name} cannot fill or drain it. Which count changes when {name} happens?"
    if stock not in role.stocks():
        return f"{name} does not fill or drain {stock}: whose count goes up or down when {name} happens?"
    way = DIRECTION.match(way_text) or DIRECTION.match(kind_text)
    actual = "in" if stock in role.into else "out"
    if way is None:
        return f"{name}: say whether it flows into {stock} or out of it."
    if way != actual:
        return (f"{name} is a flow into {stock}, not out of it." if actual == "in"
                else f"{name} is a flow out of {stock}, not into it.")
    return None


def _others(count: int) -> str:
    return "1 parameter or auxiliary" if count == 1 else f"{count} parameters or auxiliaries"


def _sentence(passage: str, wordings: Sequence[str]) -> str:
    """The first sentence of the passage that names one of ``wordings`` (else the passage's first)."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(passage.split())) if s.strip()]
    padded = [f" {canonical(s)} " for s in sentences]
    for word in (canonical(w) for w in wordings):  # the model's own name first, then the other wordings
        for sentence, text in zip(sentences, padded):
            if word and f" {word} " in text:
                return sentence
    return sentences[0] if sentences else passage


def structure(answer: Any, model: sd.Model, passage: StructurePassage, prediction: Any = None) -> Feedback:
    """Check a table of the passage's quantities against the model's structure.

    Parameters
    ----------
    answer : list of tuple, dict or ``...``
        One row per quantity: ``(quantity, kind)``, with ``stock`` and ``"in"``/``"out"`` for a flow,
        e.g. ``("filling", "flow", "Water in tub", "in")``; or a dict quantity → kind or row rest.
        Kinds: stock, flow (or inflow/outflow), parameter or auxiliary, with their usual synonyms.
    model : Model
        The case model (the answer).
    passage : StructurePassage
        The passage and the model variables it names.
    prediction : object
        How many stocks the learner expected the passage to describe.

    Returns
    -------
    Feedback

    Raises
    ------
    TypeError
        ``answer`` is not rows.
    ModelError
        The passage names a variable the model does not have.
    """
    if is_placeholder(answer):
        return your_turn()
    rows = _rows(answer)
    if not rows:
        return your_turn()
    roles = {r.name: r for r in quantity_roles(model, passage.quantities)}
    names = _names(model, passage)
    stocks = model.stocks
    notes: list[str] = []
    right: set[str] = set()
    wrong: set[str] = set()
    listed_stocks: set[str] = set()
    for quantity, kind_text, stock_text, way_text in (r[:4] for r in rows):
        key = names.match(quantity)
        if key is None:
            notes.append(f"'{quantity}' is not a quantity in the case model: use the passage's own words "
                         "(case, plurals and hyphens do not matter).")
            continue
        role = roles.get(key) or quantity_roles(model, [key])[0]
        kind = KIND.match(kind_text) or ("flow" if DIRECTION.match(kind_text) else None)
        if kind == "stock":
            listed_stocks.add(key)
        if kind is None:
            notes.append(f"{key}: {'choose a kind' if not kind_text else repr(kind_text) + ' is not a kind'}: "
                         f"{', '.join(KINDS[:-1])} or {KINDS[-1]}.")
            wrong.add(key)
            continue
        note = _kind_note(role, kind) if kind != role.kind else (
            _flow_note(role, stock_text, way_text, kind_text, names, stocks) if kind == "flow" else None)
        if note:
            notes.append(note)
            wrong.add(key)
        else:
            right.add(key)
    named = list(roles)
    missing = [n for n in named if n not in right | wrong]
    done = [n for n in named if n in right and n not in wrong]
    counts = {k: sum(1 for r in roles.values() if r.kind == k) for k in KINDS}
    if not notes and not missing:
        summary = (f"All {plural(len(named), 'quantity')} the passage names are classified as the model has them: "
                   f"{plural(counts['stock'], 'stock')}, {plural(counts['flow'], 'flow')} and "
                   f"{_others(counts['parameter or auxiliary'])}.")
        note = count_note(prediction, counts["stock"], "stock")
        return Feedback(True, right=[summary] + ([note] if note else []),
                        question=None if note else "Which stock would you measure first, and from which records?")
    said = [f"{len(done)} of {plural(len(named), 'quantity')} classified as the model has them."]
    own = own_count_note(prediction, len(listed_stocks), "stock")
    if own:
        said.append(own)
    fixes = notes[: 1 + _MORE]
    if len(notes) > len(fixes):
        fixes.append(f"And {plural(len(notes) - len(fixes), 'more row')} to look at.")
    if missing:
        first = missing[0]
        fixes.append(f"The passage names {plural(len(missing), 'more quantity')} you have not listed; look again at: "
                     f"\"{_sentence(passage.passage, [first, *passage.quantities.get(first, [])])}\"")
    return Feedback(False, right=said, fix=" ".join(fixes), question=_SNAPSHOT)


def passage_markdown(the_case: Case) -> Markdown:
    """The case's structure passage as a quotation (case text, escaped), or a sentence saying why there is none."""
    if not has_model(the_case):
        return md("The case {slug} has no stock-and-flow model (model.mdl or model.xmile), so there is no structure "
                  "to build: run this notebook with a case that has one, such as wiltshire-complex-needs.",
                  slug=the_case.slug)
    found = case_passage(the_case)
    if found is None:
        return md("The case {slug} has a model but no passage describing it ({file}): add one, with the model "
                  "variables it names, to practise building its structure from text.",
                  slug=the_case.slug, file=PASSAGE_FILE)
    return md("> {passage}", passage=found.passage)


def _model_answer(roles: Sequence[QuantityRole]) -> str:
    parts = []
    for role in roles:
        if role.kind == "flow":
            ways = [f"into {s}" for s in role.into] + [f"out of {s}" for s in role.out_of]
            parts.append(f"{role.name}: flow {' and '.join(ways)}")
        else:
            what = {"stock": "stock", "constant": "parameter"}.get(role.detail, "auxiliary")
            parts.append(f"{role.name}: {what}")
    return "; ".join(parts) + "."


def structure_exercise(the_case: Case, answer: Any = ..., prediction: Any = ...) -> Exercise | Markdown:
    """The app for "build the structure from case text": one row per quantity the passage names.

    A case with no model, or no passage describing it, gets the sentence saying so instead of an app.
    """
    found = case_passage(the_case) if has_model(the_case) else None
    if found is None:
        return passage_markdown(the_case)
    model = sd.case_model(the_case)
    roles = quantity_roles(model, found.quantities)
    table = StructureTable("One row per quantity the passage names", [
        Column("quantity"), Column("kind", KINDS), Column("stock (for a flow)"), Column("in or out", ("in", "out"))],
        rows=len(roles) + 3)
    app = Exercise(
        "stock_flow_structure", lambda a, p: structure(a, model, found, prediction=None if p is ... else p), table,
        _model_answer(roles),
        explanation="Stop time in your head: what still has a value is a stock; what stops is a flow, and it fills "
                    "or drains a stock; the rest are parameters held fixed or auxiliaries worked out from them "
                    "(Sterman 2000, ch. 6). A flow between two stocks drains one and fills the other: either is right.",
        predict=Number("Stocks the passage describes", units="stocks", integer=True),
        title="List the quantities the passage names and classify each as a stock, a flow or a parameter or "
              "auxiliary; for a flow, name the stock it fills or drains and say in or out.")
    return app.submit(answer, prediction)
