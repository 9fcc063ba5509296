"""Evidence items of a learner's portfolio, made only from what the learner did.

Five kinds, each checked before it is accepted:

* ``artefact``: a file of one of the learner's own cases that differs by
  content from the same file in every shipped case and the blank template it
  could have been copied from; the lines that differ are what the item holds;
* ``exercise``: an exercise passed in the progress record, with the learner's
  prediction;
* ``reflection``: a structured reflection (Gibbs or Kolb) whose every stage is
  filled and long enough, which names a KSB and a piece of evidence;
* ``engagement``: a workshop or engagement record;
* ``attachment``: a workplace file, checked for size and type as an upload is,
  stored in the learner's portfolio folder.

Examples
--------
>>> reflection_problems({"description": "asdf"}, "gibbs")[0]
'The Gibbs stage "description" has 1 word(s); write at least 12.'
>>> artefact_diff("a,b\\nc,d\\n", "a,b\\nc,e\\n")
(['c,e'], 1)
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from stp_helpers import paths
from stp_helpers.errors import ImageError, StpError
from stp_helpers.ssm.rich_picture import MAX_IMAGE_BYTES, image_kind, too_large
from stp_helpers.standard import KSB_IDS

__all__ = [
    "ITEM_KINDS",
    "MIN_REFLECTION_WORDS",
    "MIN_STAGE_WORDS",
    "REFLECTION_MODELS",
    "artefact_diff",
    "artefact_item",
    "attachment_kind",
    "copy_sources",
    "engagement_item",
    "exercise_item",
    "named_ksbs",
    "reflection_item",
    "reflection_problems",
]

#: The kinds of evidence item.
ITEM_KINDS = ("artefact", "exercise", "reflection", "engagement", "attachment")
#: The stages of each reflective model, in order (Gibbs 1988; Kolb 1984).
REFLECTION_MODELS = {
    "gibbs": ("description", "feelings", "evaluation", "analysis", "conclusion", "action plan"),
    "kolb": ("concrete experience", "reflective observation", "abstract conceptualisation",
             "active experimentation"),
}
#: Fewest words in each stage of a reflection.
MIN_STAGE_WORDS = 12
#: Fewest words in a whole reflection.
MIN_REFLECTION_WORDS = 120
_KSB = re.compile(r"\b([KSB](?:1[01]|[1-9]))\b")
_WORD = re.compile(r"[A-Za-z0-9'’-]+")
_ARTEFACT_NAME = re.compile(r"\b[\w-]+\.(?:csv|yaml|yml|mdl|xmile|png|jpg|svg|pdf|md|txt)\b", re.I)


def _words(text: str) -> int:
    return len(_WORD.findall(text or ""))


def named_ksbs(text: str) -> tuple[str, ...]:
    """Return the KSB ids a text names, in order of first mention.

    Examples
    --------
    >>> named_ksbs("This shows S3 and B1, and S3 again (not S12).")
    ('S3', 'B1')
    """
    seen: list[str] = []
    for match in _KSB.findall(text or ""):
        if match in KSB_IDS and match not in seen:
            seen.append(match)
    return tuple(seen)


def copy_sources() -> list[Path]:
    """Return the folders a learner's case may have been copied from: every shipped case and the template."""
    shipped = paths.shipped_cases_dir()
    folders = sorted(p for p in shipped.iterdir() if p.is_dir()) if shipped.is_dir() else []
    return [*folders, paths.TEMPLATES_DIR / "case"]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def artefact_diff(original: str, mine: str) -> tuple[list[str], int]:
    """Return the learner's lines (added or changed) and the count of original lines dropped.

    Examples
    --------
    >>> artefact_diff("x\\ny\\n", "x\\ny\\n")
    ([], 0)
    >>> artefact_diff("x\\ny\\n", "x\\nz\\nw\\n")
    (['z', 'w'], 1)
    """
    a, b = _lines(original), _lines(mine)
    added: list[str] = []
    removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            added.extend(b[j1:j2])
        if tag in ("replace", "delete"):
            removed += i2 - i1
    return added, removed


def artefact_item(case_folder: str | Path, file_name: str, *,
                  sources: list[Path] | None = None) -> dict[str, Any]:
    """Return an artefact item for ``file_name`` of a learner's case: only the part that differs counts.

    The file is compared with the same file in every folder it could have
    been copied from (:func:`copy_sources`); the closest one is its origin.

    Raises
    ------
    StpError
        The file is missing, lies in a shipped case, or is identical to its
        origin (nothing of the learner's own to count).
    """
    folder = Path(case_folder)
    target = folder / file_name
    if Path(file_name).name != file_name or not target.is_file():
        raise StpError(f"{file_name} is not a file of {paths.relative(folder)}.",
                       fix="Choose one of the case's artefact files.")
    if folder.resolve().is_relative_to(paths.shipped_cases_dir().resolve()):
        raise StpError(f"{paths.relative(folder)} is a case shipped with the workbook, not your work.",
                       fix="Make your own case with stp new-case and work in it.")
    mine = target.read_text(encoding="utf-8", errors="replace")
    best: tuple[int, str, list[str], int] | None = None
    for source in (copy_sources() if sources is None else sources):
        original = source / file_name
        if not original.is_file():
            continue
        added, removed = artefact_diff(original.read_text(encoding="utf-8", errors="replace"), mine)
        score = len(added) + removed
        if best is None or score < best[0]:
            best = (score, source.name, added, removed)
    origin, added, removed = ("", _lines(mine), 0) if best is None else best[1:]
    if not added and not removed:
        raise StpError(f"{file_name} is the same as in {origin}: there is nothing of your own in it to count.",
                       fix="Change the artefact for your own situation first; the lines you add or change are the evidence.")
    case_name = folder.name
    return {
        "kind": "artefact", "title": f"{case_name} / {file_name}",
        "description": f"{len(added)} line(s) of my own, {removed} line(s) of {origin or 'nothing'} removed.",
        "link": target.resolve().as_uri(),
        "content": {"case": case_name, "file": file_name, "origin": origin,
                    "my_lines": added[:200], "lines_added": len(added), "lines_removed": removed},
        "tags": [],
    }


def exercise_item(summary_rows: list[dict[str, Any]], notebook: str, exercise: str, prediction: str,
                  tags: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return an item for a passed exercise with the learner's prediction.

    ``summary_rows`` are the progress store's summary records.

    Raises
    ------
    StpError
        The exercise was not passed, or the prediction is missing.
    """
    passed = [r for r in summary_rows if r["notebook"] == notebook and r["exercise"] == exercise and r["passed"]]
    if not passed:
        raise StpError(f"{exercise} in {notebook} has not been passed.",
                       fix="Pass the exercise in its notebook first; only a passed exercise is evidence.")
    if _words(prediction) < 5:
        raise StpError("The prediction is missing or too short.",
                       fix="Write what you predicted before checking (a sentence of five words or more).")
    return {"kind": "exercise", "title": f"Exercise passed: {exercise} ({notebook})",
            "description": f"Passed after {passed[0]['attempts']} attempt(s).", "link": (paths.NOTEBOOKS_DIR / notebook).resolve().as_uri(),
            "content": {"notebook": notebook, "exercise": exercise, "prediction": prediction.strip(),
                        "attempts": int(passed[0]["attempts"])}, "tags": list(tags)}


def reflection_problems(stages: dict[str, str], model: str = "gibbs",
                        known_evidence: tuple[str, ...] = ()) -> list[str]:
    """Return why a structured reflection is refused (empty when it is accepted).

    Each stage of the model must hold :data:`MIN_STAGE_WORDS` words, the whole
    :data:`MIN_REFLECTION_WORDS`; the text must name a KSB and a piece of
    evidence (a file such as ``cld.csv``, or the title of another item).
    """
    if model not in REFLECTION_MODELS:
        return [f"{model!r} is not a reflective model here (use gibbs or kolb)."]
    problems = []
    for stage in REFLECTION_MODELS[model]:
        words = _words(stages.get(stage, ""))
        if words == 0:
            problems.append(f'The {model.title()} stage "{stage}" is empty.')
        elif words < MIN_STAGE_WORDS:
            problems.append(f'The {model.title()} stage "{stage}" has {words} word(s); write at least {MIN_STAGE_WORDS}.')
    text = " ".join(stages.get(s, "") for s in REFLECTION_MODELS[model])
    if _words(text) < MIN_REFLECTION_WORDS:
        problems.append(f"The reflection has {_words(text)} word(s); write at least {MIN_REFLECTION_WORDS}.")
    if not named_ksbs(text):
        problems.append("It names no KSB: say which (e.g. S3) the experience shows.")
    lowered = text.lower()
    if not (_ARTEFACT_NAME.search(text) or any(e and e.lower() in lowered for e in known_evidence)):
        problems.append("It names no piece of evidence: mention the file (e.g. cld.csv) or item it rests on.")
    return problems


def reflection_item(stages: dict[str, str], model: str = "gibbs", *, title: str,
                    known_evidence: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return a reflection item, or raise :class:`StpError` naming every reason it is refused."""
    model = str(model).lower()
    problems = reflection_problems(stages, model, known_evidence)
    if problems:
        raise StpError("The reflection is not yet evidence: " + " ".join(problems),
                       fix="Fill every stage of the model, then save again.")
    ordered = {s: stages[s].strip() for s in REFLECTION_MODELS[model]}
    text = " ".join(ordered.values())
    return {"kind": "reflection", "title": title.strip() or "Reflection", "description": ordered[REFLECTION_MODELS[model][0]][:200],
            "link": "", "content": {"model": model, "stages": ordered}, "tags": list(named_ksbs(text))}


def engagement_item(title: str, what_happened: str, participants: str, *, link: str = "") -> dict[str, Any]:
    """Return a workshop or engagement record; it needs a title, who took part and 20 words on what happened."""
    if not title.strip() or not participants.strip():
        raise StpError("An engagement record needs a title and who took part.", fix="Fill both, then save again.")
    if _words(what_happened) < 20:
        raise StpError(f"What happened has {_words(what_happened)} word(s); write at least 20.",
                       fix="Say what was done, with whom, and what came of it.")
    return {"kind": "engagement", "title": title.strip(), "description": what_happened.strip(), "link": link,
            "content": {"participants": participants.strip()}, "tags": list(named_ksbs(what_happened))}


def attachment_kind(data: bytes, name: str) -> str:
    """Return the kind of an acceptable workplace file: ``png``, ``jpeg``, ``svg`` (as a rich picture) or ``pdf``.

    Raises
    ------
    ImageError
        Empty, over the upload limit, or not one of those kinds by content and name.

    Examples
    --------
    >>> attachment_kind(b"%PDF-1.4 ...", "notes.pdf")
    'pdf'
    """
    label = Path(str(name)).name or "the upload"
    if isinstance(data, (bytes, bytearray)) and data.startswith(b"%PDF"):
        if len(data) > MAX_IMAGE_BYTES:
            raise too_large(label, len(data))
        if Path(label).suffix.lower() != ".pdf":
            raise ImageError(f"{label} holds a PDF document but its name does not end in .pdf.",
                             "Rename it to end in .pdf and attach it again.")
        return "pdf"
    try:
        return image_kind(data, name)
    except ImageError as err:
        if "is not a PNG, JPEG or SVG image" in err.problem:
            raise ImageError(err.problem.replace("is not a PNG, JPEG or SVG image", "is not a PDF, PNG, JPEG or SVG file"),
                             "Save it as PDF (documents) or PNG, JPEG or SVG (pictures) and attach that.") from None
        raise
