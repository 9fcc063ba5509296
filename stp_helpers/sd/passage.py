"""What each quantity of a model is: a stock, a flow (into or out of which stocks) or a parameter or auxiliary.

Read from PySD, not from the file's text: a stock is a variable PySD
integrates (``INTEG``), a flow is one that a stock's integral adds or
subtracts (its sign read from PySD's generated ``_integ_<stock>``, see
:func:`stp_helpers.sd.structure.flow_signs`), and everything else (a
constant, an auxiliary computed each step, a lookup) is a parameter or
auxiliary.  This is Sterman's (2000, ch. 6) test: a stock would still have a
value if time stopped; a flow is a rate per unit of time that changes a stock.

The stock-and-flow notebook's "build the structure from case text" exercise
compares a learner's table with :func:`quantity_roles` for the quantities a
case's ``model_passage.yaml`` names (:func:`case_passage`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from stp_helpers.case import Case
from stp_helpers.io.model_passage import PASSAGE_FILE, StructurePassage
from stp_helpers.sd.model import Model
from stp_helpers.sd.structure import flow_signs

__all__ = ["KINDS", "QuantityRole", "quantity_roles", "answer_rows", "case_passage", "has_model"]

#: The three kinds a learner chooses from, in Sterman's (2000, ch. 6) terms.
KINDS = ("stock", "flow", "parameter or auxiliary")


@dataclass(frozen=True)
class QuantityRole:
    """What one variable is in the model's structure.

    Attributes
    ----------
    name : str
        The model's name for it.
    kind : str
        One of :data:`KINDS`.
    detail : str
        The model's own kind: ``"stock"``, ``"flow"``, ``"constant"``,
        ``"auxiliary"``, ``"lookup"`` or ``"data"``.
    units : str
        Units as written in the model.
    into, out_of : tuple of str
        For a flow, the stocks it fills and the stocks it drains.
    """

    name: str
    kind: str
    detail: str
    units: str
    into: tuple[str, ...] = ()
    out_of: tuple[str, ...] = ()

    def stocks(self) -> tuple[str, ...]:
        """Every stock a flow fills or drains (empty for anything else)."""
        return self.into + self.out_of


def quantity_roles(model: Model, names: Iterable[str] | None = None) -> list[QuantityRole]:
    """Classify ``names`` (default every variable) as the model's structure has them.

    Parameters
    ----------
    model : Model
        An opened model.
    names : iterable of str, optional
        Model or Python names; default every variable except the time settings.

    Returns
    -------
    list of QuantityRole
        In the order of ``names``.

    Raises
    ------
    ModelError
        A name is not one of the model's variables (the message suggests close names).

    Examples
    --------
    >>> from stp_helpers.sd.cases import teaching_model
    >>> bath = teaching_model("bathtub")
    >>> [(r.name, r.kind, r.into, r.out_of) for r in quantity_roles(bath, ["Water in tub", "draining", "drain time"])]
    [('Water in tub', 'stock', (), ()), ('draining', 'flow', (), ('Water in tub',)), ('drain time', 'parameter or auxiliary', (), ())]
    """
    wanted = list(model.variables_list() if names is None else (model.resolve(n) for n in names))
    source = (model.cache / "model.py").read_text(encoding="utf-8")
    signs = flow_signs(source)
    into: dict[str, list[str]] = {}
    out_of: dict[str, list[str]] = {}
    for stock in model.stocks:
        for flow_py, sign in signs.get("_integ_" + model.info(stock).py_name, {}).items():
            if sign in ("+", "-"):
                (into if sign == "+" else out_of).setdefault(model.resolve(flow_py), []).append(stock)
    roles = []
    for name in wanted:
        info = model.info(name)
        kind = info.kind if info.kind in ("stock", "flow") else "parameter or auxiliary"
        roles.append(QuantityRole(name, kind, info.kind, info.units, tuple(into.get(name, ())),
                                  tuple(out_of.get(name, ()))))
    return roles


def answer_rows(roles: Iterable[QuantityRole]) -> list[tuple[str, ...]]:
    """The structure as a learner's table: ``(quantity, kind)``, or ``(flow, "flow", stock, "in"|"out")``.

    A flow is given with the first stock it fills (else the first it drains).

    Examples
    --------
    >>> answer_rows([QuantityRole("filling", "flow", "flow", "litre/Minute", into=("Water in tub",))])
    [('filling', 'flow', 'Water in tub', 'in')]
    """
    rows: list[tuple[str, ...]] = []
    for role in roles:
        if role.kind != "flow":
            rows.append((role.name, role.kind))
        elif role.into:
            rows.append((role.name, "flow", role.into[0], "in"))
        else:
            rows.append((role.name, "flow", role.out_of[0] if role.out_of else "", "out"))
    return rows


def has_model(the_case: Case) -> bool:
    """True when the case lists a stock-and-flow model (``model.mdl`` or ``model.xmile``)."""
    return the_case.has("model.mdl") or the_case.has("model.xmile")


def case_passage(the_case: Case) -> StructurePassage | None:
    """The case's structure passage (``model_passage.yaml``), or None when it has none.

    Raises
    ------
    CaseFileError
        The file is listed but not valid.

    Examples
    --------
    >>> from stp_helpers import case
    >>> "In crisis" in case_passage(case.load("wiltshire-complex-needs")).quantities
    True
    >>> case_passage(case.load("plymouth-alliance")) is None
    True
    """
    return the_case.read(PASSAGE_FILE) if the_case.has(PASSAGE_FILE) else None
