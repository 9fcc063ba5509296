"""The inputs an exercise app offers: a choice, several choices, a number with units,
short text, a small table editor, or a pick from a drawn diagram.

Each input wraps one ipywidgets control and turns what the learner entered into
the value a check function takes (the same value a learner would write in the
starter cell).  Nothing entered reads as ``...``, so the check says "Your turn".

Examples
--------
>>> pick = Choice("Which archetype?", ["Fixes that Fail", "Limits to Growth"])
>>> pick.value()
Ellipsis
>>> pick.control.value = "Fixes that Fail"
>>> pick.value()
'Fixes that Fail'
>>> size = Number("Share", units="of contacts")
>>> size.control.value = "0.6"
>>> size.value()
0.6
>>> links = Table("Links", [Column("source", ("a", "b")), Column("target", ("a", "b")),
...                         Column("polarity", ("+", "-"))], rows=2)
>>> links.cells[0][0].value, links.cells[0][1].value, links.cells[0][2].value = "a", "b", "+"
>>> links.value()
[('a', 'b', '+')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from stp_helpers.display import escape_html

__all__ = ["AnswerInput", "Choice", "Choices", "Column", "DiagramPick", "Form", "Number", "ShortText", "Table"]

WIDE = widgets.Layout(width="600px")
LABEL_STYLE = {"description_width": "initial"}
_BLANK = ""


class AnswerInput:
    """One input of an exercise app; subclasses set :attr:`control` and :attr:`box`.

    Attributes
    ----------
    kind : str
        What the learner does ("choice", "several choices", "number", "short text",
        "table", "diagram pick"), as the exercise table reports it.
    label : str
        The question beside the input.
    """

    kind = "input"

    def __init__(self, label: str) -> None:
        self.label = label
        self.control: Any = None
        self.box: widgets.Widget = widgets.VBox()

    def controls(self) -> list[widgets.Widget]:
        """Every widget whose change the app observes."""
        return [self.control]

    def value(self) -> Any:
        """The learner's entry in the check's form, or ``...`` when nothing is entered."""
        raise NotImplementedError

    def show(self, value: Any) -> None:
        """Put a value given in code (the starter cell) into the input."""
        raise NotImplementedError

    def lock(self) -> None:
        """Stop further changes (a submitted prediction)."""
        for control in self.controls():
            control.disabled = True

    def text(self) -> str:
        """The entry as a learner would say it, for feedback and the progress record."""
        value = self.value()
        return "" if value is Ellipsis else str(value)


class Choice(AnswerInput):
    """Pick one option from a list (a drop-down with a blank first entry)."""

    kind = "choice"

    def __init__(self, label: str, options: Sequence[str]) -> None:
        super().__init__(label)
        self.options = tuple(options)
        self.control = widgets.Dropdown(options=[("Choose…", _BLANK)] + [(o, o) for o in self.options],
                                        value=_BLANK, description=label, style=LABEL_STYLE, layout=WIDE)
        self.box = self.control

    def value(self) -> Any:
        return self.control.value or ...

    def show(self, value: Any) -> None:
        if value in self.options:
            self.control.value = value


class Choices(AnswerInput):
    """Tick every option that applies; ticking none reads as ``...``."""

    kind = "several choices"

    def __init__(self, label: str, options: Sequence[str], as_type: Callable[[str], Any] = str) -> None:
        super().__init__(label)
        self._as = as_type
        self.boxes = [widgets.Checkbox(value=False, description=str(o), indent=False) for o in options]
        self.box = widgets.VBox([widgets.Label(label),
                                 widgets.HBox(self.boxes, layout=widgets.Layout(flex_flow="row wrap"))])

    def controls(self) -> list[widgets.Widget]:
        return list(self.boxes)

    def value(self) -> Any:
        picked = [self._as(b.description) for b in self.boxes if b.value]
        return set(picked) if picked else ...

    def show(self, value: Any) -> None:
        chosen = {str(v) for v in value}
        for b in self.boxes:
            b.value = b.description in chosen

    def text(self) -> str:
        value = self.value()
        return "" if value is Ellipsis else ", ".join(sorted(str(v) for v in value))


class Number(AnswerInput):
    """A number, with its units written beside the box; "60%" is read as 0.6 when ``percent`` is True."""

    kind = "number"

    def __init__(self, label: str, units: str = "", integer: bool = False, percent: bool = False) -> None:
        super().__init__(label)
        self.units, self.integer, self.percent = units, integer, percent
        self.control = widgets.Text(value="", description=label, placeholder="a number",
                                    continuous_update=False, style=LABEL_STYLE, layout=widgets.Layout(width="420px"))
        self.box = widgets.HBox([self.control, widgets.Label(units)])

    def value(self) -> Any:
        raw = self.control.value.strip().replace(",", "")
        if not raw:
            return ...
        scale = 1.0
        if raw.endswith("%") and self.percent:
            raw, scale = raw[:-1], 0.01
        try:
            number = float(raw) * scale
        except ValueError:
            return self.control.value.strip()  # the check says what a number looks like
        return int(number) if self.integer and number.is_integer() else number

    def show(self, value: Any) -> None:
        self.control.value = f"{value:g}" if isinstance(value, (int, float)) else str(value)


class ShortText(AnswerInput):
    """A line of text; the grey example in the box is never a right answer."""

    kind = "short text"

    def __init__(self, label: str, placeholder: str = "") -> None:
        super().__init__(label)
        self.control = widgets.Text(value="", description=label, placeholder=placeholder,
                                    continuous_update=False, style=LABEL_STYLE, layout=WIDE)
        self.box = self.control

    def value(self) -> Any:
        return self.control.value.strip() or ...

    def show(self, value: Any) -> None:
        self.control.value = str(value)


@dataclass(frozen=True)
class Column:
    """A column of a :class:`Table`: its name, and the options of a drop-down (empty for free text)."""

    name: str
    options: tuple[str, ...] = ()


class Table(AnswerInput):
    """A small table editor: fixed rows (one per item asked about) or free rows (links, scores).

    With ``row_names`` the first column shows each name and the value is a dict
    key → entry (a tuple when there are several columns); the keys are
    ``row_keys`` when given, else the names.  Without them the
    value is a list of tuples, one per row with every cell filled.
    """

    kind = "table"

    def __init__(self, label: str, columns: Sequence[Column], rows: int = 0,
                 row_names: Sequence[str] = (), row_keys: Sequence[Any] = ()) -> None:
        super().__init__(label)
        self.columns, self.row_names = tuple(columns), tuple(row_names)
        self.row_keys = tuple(row_keys) or self.row_names
        count = len(self.row_names) or rows
        self.cells = [[self._cell(c, r) for c in self.columns] for r in range(count)]
        head = ([widgets.HTML("<b></b>", layout=widgets.Layout(width="220px"))] if self.row_names else []) + [
            widgets.HTML(f"<b>{c.name}</b>", layout=widgets.Layout(width="160px")) for c in self.columns]
        lines = [widgets.HBox(head)]
        for r, cells in enumerate(self.cells):
            name = [self._row_name(self.row_names[r])] if self.row_names else []
            lines.append(widgets.HBox(name + cells))
        self.box = widgets.VBox([widgets.Label(label)] + lines)

    @staticmethod
    def _row_name(name: str) -> widgets.Widget:
        """A row's name, wrapped onto more lines rather than cut (it may quote case text, so it is escaped)."""
        return widgets.HTML(f"<div style='white-space:normal;overflow-wrap:anywhere;line-height:1.3'>"
                            f"{escape_html(name)}</div>", layout=widgets.Layout(width="220px"))

    @staticmethod
    def _cell(column: Column, row: int) -> widgets.Widget:
        layout = widgets.Layout(width="160px")
        if column.options:
            return widgets.Dropdown(options=[("", _BLANK)] + [(o, o) for o in column.options], value=_BLANK,
                                    layout=layout, description_allow_html=False)
        return widgets.Text(value="", layout=layout, continuous_update=False)

    def controls(self) -> list[widgets.Widget]:
        return [cell for row in self.cells for cell in row]

    def value(self) -> Any:
        entries = [tuple(str(c.value).strip() for c in row) for row in self.cells]
        if self.row_names:
            filled = {k: (e[0] if len(e) == 1 else e) for k, e in zip(self.row_keys, entries) if any(e)}
            return filled or ...
        rows = [e for e in entries if all(e)]
        return rows or ...

    def show(self, value: Any) -> None:
        if self.row_names and isinstance(value, dict):
            for key, row in zip(self.row_keys, self.cells):
                entry = value.get(key, value.get(str(key), ()))
                for cell, item in zip(row, entry if isinstance(entry, (tuple, list)) else (entry,)):
                    cell.value = str(item) if not column_options(cell) or str(item) in column_options(cell) else ""
        elif not self.row_names:
            for row, entry in zip(self.cells, list(value)):
                for cell, item in zip(row, entry):
                    text = "+" if item is True else str(item)
                    if not column_options(cell) or text in column_options(cell):
                        cell.value = text

    def text(self) -> str:
        value = self.value()
        if value is Ellipsis:
            return ""
        if isinstance(value, dict):
            return "; ".join(f"{k}: {v if isinstance(v, str) else ', '.join(v)}" for k, v in value.items())
        return "; ".join(" ".join(row) for row in value)


def column_options(cell: widgets.Widget) -> tuple[str, ...]:
    """The options of a drop-down cell (empty for a text cell)."""
    return tuple(v for _, v in getattr(cell, "options", ()) if v) if isinstance(cell, widgets.Dropdown) else ()


class DiagramPick(AnswerInput):
    """Pick one element of a drawn diagram: the drawing, then a button per element."""

    kind = "diagram pick"

    def __init__(self, label: str, drawing: widgets.Widget, options: Sequence[str],
                 as_type: Callable[[str], Any] = str) -> None:
        super().__init__(label)
        self.options, self._as = tuple(options), as_type
        self.control = widgets.ToggleButtons(options=list(self.options), value=None, description=label,
                                             style=LABEL_STYLE)
        self.box = widgets.VBox([drawing, self.control])

    def value(self) -> Any:
        return self._as(self.control.value) if self.control.value is not None else ...

    def show(self, value: Any) -> None:
        if str(value) in self.options:
            self.control.value = str(value)


class Form(AnswerInput):
    """Several inputs answered together; the value is a dict of each one's value (``...`` when all are empty)."""

    kind = "form"

    def __init__(self, label: str, fields: dict[str, AnswerInput]) -> None:
        super().__init__(label)
        self.fields = dict(fields)
        self.kind = " + ".join(f.kind for f in self.fields.values())
        self.box = widgets.VBox([f.box for f in self.fields.values()])

    def controls(self) -> list[widgets.Widget]:
        return [c for f in self.fields.values() for c in f.controls()]

    def value(self) -> Any:
        values = {k: f.value() for k, f in self.fields.items()}
        return ... if all(v is Ellipsis for v in values.values()) else values

    def show(self, value: Any) -> None:
        if isinstance(value, dict):
            for key, field in self.fields.items():
                if key in value:
                    field.show(value[key])

    def text(self) -> str:
        return "; ".join(f"{k}: {f.text()}" for k, f in self.fields.items() if f.text())
