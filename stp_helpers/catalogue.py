"""One registry of the workbook's notebooks: the gallery and the tests read it.

Adding a notebook means adding one :class:`Entry` here; the gallery lists it,
nbval checks it and the browser tests open it in Voilà, so the three cannot
drift apart.

Examples
--------
>>> [e.path for e in entries(kind="case")]
['cases/plymouth.ipynb', 'cases/salford.ipynb', 'cases/stoke.ipynb', 'cases/wiltshire.ipynb', 'cases/wolverhampton.ipynb']
>>> entry("cases/wiltshire.ipynb").duties
(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from stp_helpers import paths

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

__all__ = ["Entry", "CATALOGUE", "entries", "entry", "notebook_path", "gallery_html", "KINDS",
           "coverage_table", "Gallery", "ksbs", "coverage_matrix", "KSB_INDEX", "KSB_TAG", "tagged_cells",
           "taught", "assessed", "write_ksb_index", "ksb_table"]

#: Kinds of notebook, in gallery order.
KINDS = ("gallery", "foundation", "case", "method", "duty", "teaching")


@dataclass(frozen=True)
class Entry:
    """A notebook of the workbook.

    Attributes
    ----------
    path : str
        Relative to ``notebooks/``, with forward slashes.
    title : str
        As shown in the gallery.
    kind : str
        One of :data:`KINDS`.
    method : str
        The method it teaches or the case it tells.
    duties : tuple of int
        Duties of the standard (1–12) it serves.
    summary : str
        One sentence for the gallery.
    charts : bool
        True when the notebook draws at least one chart (browser tests wait for it).
    """

    path: str
    title: str
    kind: str
    method: str
    duties: tuple[int, ...]
    summary: str
    charts: bool = True

    def voila_url(self, base: str = "/") -> str:
        """Return the Voilà address of this notebook below ``base``."""
        return f"{base.rstrip('/')}/voila/render/{quote(self.path)}"


CATALOGUE: tuple[Entry, ...] = (
    Entry(
        path="index.ipynb",
        title="Gallery",
        kind="gallery",
        method="All methods",
        duties=tuple(range(1, 13)),
        summary="Every notebook of the workbook, with its method and the duties it serves.",
        charts=False,
    ),
    Entry(
        path="cases/wiltshire.ipynb",
        title="Wiltshire: complex needs across agencies",
        kind="case",
        method="A case thread: scoping, contacts, loops, worldviews, a model, futures, options and evaluation",
        duties=tuple(range(1, 13)),
        summary="One person's 1,000+ contacts with a fragmented, crisis-driven system, followed from the first "
                "questions to an evaluation of early help.",
    ),
    Entry(
        path="cases/stoke.ipynb",
        title="Stoke-on-Trent: young people not in education, employment or training",
        kind="case",
        method="A case thread: action planning, loops, a stock-and-flow model, options, SPC and contribution analysis",
        duties=(1, 2, 4, 6, 7, 9, 10, 12),
        summary="Why 17-year-olds left college at Christmas, and whether January starts with weekly contact "
                "made the 25% fall in NEET.",
    ),
    Entry(
        path="cases/salford.ipynb",
        title="Salford: SPOTlight, six weeks on one neighbourhood's priority",
        kind="case",
        method="A case thread: stakeholder engagement, delivery-chain analysis, boundaries, viability and stocktakes",
        duties=(1, 2, 4, 5, 6, 7, 9, 10, 11, 12),
        summary="Shared Priority Outcome Targets: problem analysis, delivery chains from end to end, an action "
                "plan and bi-monthly stocktakes.",
    ),
    Entry(
        path="methods/stock_flow.ipynb",
        title="Stock and flow: simulate a system and test policies on it",
        kind="method",
        method="System Dynamics: stocks, flows, scenarios, sensitivity, validation",
        duties=(7, 8, 9),
        summary="From a bathtub to the case's model: behaviour modes, policy levers, scenarios, "
                "sensitivity bands and validation tests.",
    ),
    Entry(
        path="methods/cld.ipynb",
        title="Causal loop diagrams",
        kind="method",
        method="Causal loop diagrams: loops, polarity, delays, archetypes, leverage",
        duties=(2, 5, 6, 7),
        summary="Find every feedback loop in a map, name its polarity, spot archetypes and compare your map with a reference.",
    ),
    Entry(
        path="methods/ssm.ipynb",
        title="Soft Systems Methodology",
        kind="method",
        method="Soft systems: rich picture record, CATWOE, root definitions (PQR), 5Es, activity models, comparison",
        duties=(2, 3, 5, 6),
        summary="Write CATWOE for each worldview, turn it into a root definition, model the activities and compare them with the real situation.",
    ),
    Entry(
        path="methods/vsm.ipynb",
        title="Viable System Model",
        kind="method",
        method="Viable System Model: systems 1-5, channels, recursion, requisite variety, diagnosis",
        duties=(2, 7, 9),
        summary="Describe an organisation as a viable system, draw it, and diagnose the pathologies Beer's followers look for.",
    ),
    Entry(
        path="methods/stakeholders.ipynb",
        title="Stakeholders, power and engagement",
        kind="method",
        method="Stakeholder register, power/interest grid, salience, influence network, engagement plan, ethics",
        duties=(1, 4, 6, 11),
        summary="Map who holds power and whose view counts, and plan engagement that is safe and fair.",
    ),
    Entry(
        path="methods/csh.ipynb",
        title="Critical Systems Heuristics",
        kind="method",
        method="Critical Systems Heuristics: 12 boundary questions, is and ought, boundary critique",
        duties=(1, 4, 5, 11),
        summary="Ask Ulrich's twelve boundary questions in 'is' and 'ought' modes and find where groups disagree.",
    ),
    Entry(
        path="methods/scenarios.ipynb",
        title="Futures and scenarios",
        kind="method",
        method="Drivers, impact and uncertainty, 2x2 and tree scenarios, Three Horizons, simulation-backed scenarios, regret",
        duties=(8, 9),
        summary="Rank drivers, build scenarios, check their claims with model runs and find the option that holds up across futures.",
    ),
    Entry(
        path="cases/plymouth.ipynb",
        title="Plymouth: an alliance for people with complex needs",
        kind="case",
        method="A case thread: scoping, power, loops, worldviews, viability, boundaries, options, measures",
        duties=(1, 2, 4, 5, 7, 9, 10, 11, 12),
        summary="From 'what is this system for?' to measures that learn: the alliance told through every method.",
    ),
    Entry(
        path="cases/wolverhampton.ipynb",
        title="Wolverhampton: the Flight of the Flamingos",
        kind="case",
        method="Scenario planning with a question tree",
        duties=(8, 9),
        summary="Four futures for partnership working (Ostrich, Lame Duck, Icarus, Flamingos) and what each asks of managers.",
    ),
    Entry(
        path="methods/logic_model.ipynb",
        title="Logic models, options and contribution analysis",
        kind="method",
        method="Options appraisal, logic model / theory of change, indicators, contribution analysis",
        duties=(9, 10, 12),
        summary="Weigh intervention options, set out the theory of change with its assumptions and indicators, and test the contribution story.",
    ),
    Entry(
        path="methods/measures.ipynb",
        title="Measures that learn: XmR charts and failure demand",
        kind="method",
        method="XmR (process behaviour) charts, detection rules, targets versus measures, failure and value demand",
        duties=(10, 12),
        summary="See why one point against a target misleads, and read signals from noise in a series.",
    ),
    Entry(
        path="portfolio.ipynb",
        title="Portfolio of evidence: claims, verification, off-the-job hours and the gateway",
        kind="method",
        method="E-portfolio practice: evidence items, KSB claims, verification, off-the-job log, gateway",
        duties=(12,),
        summary="Keep evidence that is yours, claim KSBs one sentence at a time, record verification and "
                "export HTML, PDF and CSV for the end-point assessment.",
    ),
    Entry(
        path="teaching/class.ipynb",
        title="Class page: predict the behaviour",
        kind="teaching",
        method="Teacher mode: anonymous predictions and staged reveal (students' page)",
        duties=(5, 7),
        summary="Students see the start of a run, predict its behaviour anonymously, then see what the teacher reveals.",
    ),
    Entry(
        path="teaching/teacher.ipynb",
        title="Teacher's page: stages and class pulse",
        kind="teaching",
        method="Teacher mode: stage control and the live distribution of predictions",
        duties=(5, 7),
        summary="Reveal the lesson step by step and watch the class's predictions arrive; export them as CSV.",
    ),
)


def _duty_entries() -> tuple[Entry, ...]:
    from stp_helpers.standard import load_standard

    std = load_standard()
    return tuple(
        Entry(path=f"duty{d.number:02d}.ipynb", title=f"Duty {d.number}: {d.short}", kind="duty",
              method="A duty of ST0787: methods, guided activity, reflection, evidence",
              duties=(d.number,), summary=d.text.split(". ")[0].rstrip(".") + ".")
        for d in std.duties
    )


#: The foundations: what the standard asks a practitioner to know before and beside the methods (K1–K4).
FOUNDATIONS: tuple[Entry, ...] = (
    Entry(
        path="foundations/concepts_and_schools.ipynb",
        title="Systems concepts and schools",
        kind="foundation",
        method="Boundaries, emergence, feedback, purpose; hard, soft and critical traditions; paradigms, ontology, epistemology",
        duties=(2, 3, 5),
        summary="The concepts every method rests on, and the schools of systems thinking with the assumptions each makes.",
    ),
    Entry(
        path="foundations/choosing_methods.ipynb",
        title="Choosing methods: Jackson's system of systems methodologies",
        kind="foundation",
        method="System of systems methodologies: problem context against participants, with a chooser",
        duties=(2, 3),
        summary="Place your case by its problem context and its participants, and find the workbook's methods that fit.",
    ),
    Entry(
        path="foundations/learning_and_change.ipynb",
        title="Learning and change",
        kind="foundation",
        method="Single- and double-loop learning, Kolb's learning cycle, change methods",
        duties=(3, 6, 10, 12),
        summary="Tell single- from double-loop learning in Wolverhampton's Flamingos and other cases, and place a "
                "practitioner's journal on Kolb's cycle.",
    ),
    Entry(
        path="foundations/law_and_safety.ipynb",
        title="Law, regulation and safety for a practitioner in England",
        kind="foundation",
        method="UK GDPR and the Data Protection Act 2018, the public sector equality duty, safeguarding, health and "
               "safety (guidance, not legal advice)",
        duties=(1, 2, 4, 6, 11),
        summary="Which duties in law each activity of systems work engages, with their sources; guidance, not legal advice.",
    ),
)

CATALOGUE = CATALOGUE + FOUNDATIONS + _duty_entries()


def entries(kind: str | None = None) -> list[Entry]:
    """Return the catalogue, optionally only one kind, in gallery order."""
    chosen = [e for e in CATALOGUE if kind is None or e.kind == kind]
    return sorted(chosen, key=lambda e: (KINDS.index(e.kind), e.path))


def entry(path: str) -> Entry:
    """Return the entry for a notebook path (relative to ``notebooks/``)."""
    for item in CATALOGUE:
        if item.path == path:
            return item
    raise KeyError(path)


def notebook_path(item: Entry) -> Path:
    """Return the file of a catalogue entry."""
    return paths.NOTEBOOKS_DIR / item.path


def _duty_text(duties: tuple[int, ...]) -> str:
    if duties == tuple(range(1, 13)):
        return "all"
    return ", ".join(str(d) for d in duties)


def gallery_html(base: str = "") -> str:
    """Return the gallery as an HTML table, one row per notebook.

    Links are relative, so they work under Voilà (``/voila/render/…``) and
    in JupyterLab alike.
    """
    groups = {"foundation": "Foundations", "case": "Worked cases", "method": "Methods", "duty": "Duties of the standard",
              "teaching": "Teaching a class"}
    parts = []
    for kind, heading in groups.items():
        rows = [e for e in entries(kind)]
        if not rows:
            continue
        parts.append(f"<h3>{heading}</h3>")
        parts.append('<table class="stp-gallery"><thead><tr><th>Notebook</th><th>Method</th>'
                     "<th>Duties</th><th>What it shows</th></tr></thead><tbody>")
        for e in rows:
            parts.append(
                f'<tr><td><a href="{html.escape(base + quote(e.path))}">{html.escape(e.title)}</a></td>'
                f"<td>{html.escape(e.method)}</td><td>{_duty_text(e.duties)}</td>"
                f"<td>{html.escape(e.summary)}</td></tr>")
        parts.append("</tbody></table>")
    return "\n".join(parts)


def coverage_table() -> "pd.DataFrame":
    """Return, for each duty 1–12, how many notebooks (other than the gallery) serve it."""
    import pandas as pd

    counts = {d: 0 for d in range(1, 13)}
    for item in CATALOGUE:
        if item.kind != "gallery":
            for duty in item.duties:
                counts[duty] += 1
    return pd.DataFrame({"duty": [f"Duty {d}" for d in counts], "notebooks": list(counts.values())})


class Gallery:
    """The gallery as a rich HTML table with a plain-text list as its text form."""

    def _repr_html_(self) -> str:
        return gallery_html()

    def __repr__(self) -> str:
        return "\n".join(f"{e.title} ({e.path}): duties {_duty_text(e.duties)}"
                         for e in entries() if e.kind != "gallery")


_RANGE = re.compile(r"\b([KSB])(\d{1,2})\s*[–-]\s*\1?(\d{1,2})\b")
_KSB = re.compile(r"\b[KSB]\d{1,2}\b")


#: KSBs of every notebook (claimed, taught, assessed), copied by :func:`write_ksb_index` for installs without them.
KSB_INDEX = paths.PACKAGE_DIR / "data" / "notebook_ksbs.json"

#: A cell tag naming a KSB the cell teaches, or assesses when the cell is an exercise's check (``check:exN``).
KSB_TAG = "ksb:"


def _indexed(item: Entry, field: str) -> tuple[str, ...]:
    try:
        return tuple(json.loads(KSB_INDEX.read_text(encoding="utf-8")).get(item.path, {}).get(field, ()))
    except (OSError, ValueError, AttributeError):
        return ()


def ksbs(item: Entry) -> tuple[str, ...]:
    """Return the KSBs a notebook *claims* in its ``Standard:`` line, in standard order.

    Ranges such as ``K1–K5`` are expanded.  This is the notebook's own claim;
    coverage is counted from tagged cells (:func:`taught`, :func:`assessed`).
    Where the notebooks are not installed (a practitioner's own repository
    with only the package), the copy in :data:`KSB_INDEX` is read.
    """
    path = notebook_path(item)
    return _stated_ksbs(path) if path.exists() else _indexed(item, "claimed")


def tagged_cells(item: Entry) -> list[tuple[int, str, tuple[str, ...]]]:
    """Return ``(cell index, role, KSB ids as tagged)`` for each cell of a notebook with a ``ksb:`` tag.

    The role is ``"assessed"`` for an exercise's check cell (``check:exN``), else ``"taught"``.
    Ids are returned as written, so a test can find a tag that names no KSB.

    Examples
    --------
    >>> tagged_cells(entry("teaching/class.ipynb"))
    [(7, 'taught', ('K1', 'B3'))]
    """
    nb = json.loads(notebook_path(item).read_text(encoding="utf-8"))
    found = []
    for index, cell in enumerate(nb["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        named = tuple(t[len(KSB_TAG):] for t in tags if t.startswith(KSB_TAG))
        if named:
            role = "assessed" if any(t.startswith("check:") for t in tags) else "taught"
            found.append((index, role, named))
    return found


def _tagged(item: Entry, role: str) -> tuple[str, ...]:
    from stp_helpers.standard import KSB_IDS

    if not notebook_path(item).exists():
        return _indexed(item, role)
    named = {k for _, r, ids in tagged_cells(item) if r == role for k in ids}
    return tuple(k for k in KSB_IDS if k in named)


def taught(item: Entry) -> tuple[str, ...]:
    """Return the KSBs a notebook teaches: those tagged on its methods' and activities' cells.

    >>> taught(entry("methods/stock_flow.ipynb"))
    ('K1', 'S3')
    """
    return _tagged(item, "taught")


def assessed(item: Entry) -> tuple[str, ...]:
    """Return the KSBs a notebook assesses: those tagged on its exercises' check cells.

    >>> assessed(entry("foundations/law_and_safety.ipynb"))
    ('K4',)
    """
    return _tagged(item, "assessed")


def write_ksb_index() -> Path:
    """Copy every catalogue notebook's claimed, taught and assessed KSBs into :data:`KSB_INDEX`; return its path."""
    from stp_helpers.io.atomic import write_atomic

    index = {item.path: {"claimed": list(_stated_ksbs(notebook_path(item))), "taught": list(taught(item)),
                         "assessed": list(assessed(item))} for item in CATALOGUE}
    return write_atomic(KSB_INDEX, json.dumps(index, indent=1, sort_keys=True) + "\n")


def _stated_ksbs(path: Path) -> tuple[str, ...]:
    from stp_helpers.standard import KSB_IDS

    nb = json.loads(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("Standard:"):
                text = line.split("·", 1)[-1]
                for kind, start, end in _RANGE.findall(text):
                    found |= {f"{kind}{i}" for i in range(int(start), int(end) + 1)}
                found |= set(_KSB.findall(_RANGE.sub("", text)))
    return tuple(k for k in KSB_IDS if k in found)


def coverage_matrix() -> "pd.DataFrame":
    """Notebooks (rows) against duties 1–12 and KSBs (columns): True where covered.

    A KSB is covered by a notebook when one of its cells is tagged with it,
    as taught or assessed; the ``Standard:`` line (:func:`ksbs`) is only the
    notebook's claim.  The gallery is left out; it lists everything.
    """
    import pandas as pd

    from stp_helpers.standard import KSB_IDS

    rows = {}
    for item in entries():
        if item.kind == "gallery":
            continue
        row = {f"Duty {d}": d in item.duties for d in range(1, 13)}
        covered = set(taught(item)) | set(assessed(item))
        row.update({k: k in covered for k in KSB_IDS})
        rows[item.title] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def ksb_table() -> "pd.DataFrame":
    """One row per KSB: its title and the notebooks that teach, assess and claim it.

    Read from the ``ksb:`` cell tags and the ``Standard:`` lines; notebooks are named by path.

    >>> table = ksb_table()
    >>> list(table.columns), len(table)
    (['KSB', 'title', 'taught in', 'assessed in', 'claimed in'], 25)
    """
    import pandas as pd  # heavy: only the table needs it

    from stp_helpers.standard import load_standard

    listed = [e for e in entries() if e.kind != "gallery"]
    found = {e.path: (taught(e), assessed(e), ksbs(e)) for e in listed}
    rows = [{"KSB": k.id, "title": k.title,
             **{column: ", ".join(p for p, sets in found.items() if k.id in sets[i])
                for i, column in enumerate(("taught in", "assessed in", "claimed in"))}}
            for k in load_standard().ksbs]
    return pd.DataFrame(rows)
