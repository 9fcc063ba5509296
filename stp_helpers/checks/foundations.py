"""Exercise checks for the foundations notebooks (K1–K4).

Each check names what is right first, then the first thing to fix with a
hint that never gives the answer, and compares the answer with the learner's
prediction once the answer is right.

Examples
--------
>>> match_concepts(...)
Your turn: fill in the cell above, then run this one.
>>> match_concepts({"q1": "emergence", "q2": "boundary", "q3": "feedback", "q4": "purpose"}, prediction="feedback")
Correct. All 4 statements matched. You predicted feedback for q1; it shows emergence. What made the revolving door look like a loop at first?
>>> match_concepts({"q1": "feedback", "q2": "boundary", "q3": "feedback", "q4": "purpose"})
Not yet. 3 of 4 statements matched. q1: you chose feedback (A closed chain of cause and effect in which a change comes back to influence itself, either amplifying it (reinforcing) or counteracting it (balancing).). Does the statement describe that? Which statement was hardest to place, and why?
>>> place_vignette("complex unitary", "college")
Correct. complex–unitary. Approaches that fit: System dynamics, Organisational cybernetics (viable system model), Complexity theory. Which of its notebooks would you open first, and what would you ask it?
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from stp_helpers.checks import Feedback, is_placeholder, your_turn
from stp_helpers.checks.exercise import Exercise
from stp_helpers.checks.inputs import AnswerInput, Choice, Column, Number, ShortText, Table
from stp_helpers.checks.matching import YES_NO, Vocabulary, canonical
from stp_helpers.foundations import law, learning, sosm
from stp_helpers.foundations.content import load_foundations

__all__ = ["VOCABULARIES", "answer_key", "match_concepts", "match_traditions", "match_philosophy", "classify_episodes",
           "place_journal", "place_vignette", "fitting_method", "match_regimes", "lawful_basis",
           "concepts_exercise", "traditions_exercise", "philosophy_exercise", "episodes_exercise", "journal_exercise",
           "regimes_exercise", "basis_exercise", "vignette_exercise", "method_exercise"]

#: The answers each exercise accepts, with their synonyms (matched by :mod:`stp_helpers.checks.matching`).
VOCABULARIES: dict[str, Vocabulary] = {
    "concepts": Vocabulary({
        "boundary": ("boundary", "system boundary", "boundary judgement"),
        "emergence": ("emergence", "emergent", "emergent property"),
        "feedback": ("feedback", "feedback loop", "loop", "reinforcing loop", "balancing loop"),
        "purpose": ("purpose", "purposeful", "purpose of the system")}),
    "traditions": Vocabulary({
        "hard": ("hard", "functionalist", "hard systems", "hard systems thinking"),
        "soft": ("soft", "interpretive", "soft systems", "soft systems thinking"),
        "critical": ("critical", "emancipatory", "critical systems", "critical systems thinking")}),
    "philosophy": Vocabulary({
        "ontology": ("ontology", "ontological", "ontological claim"),
        "epistemology": ("epistemology", "epistemological", "epistemological claim")}),
    "loops": Vocabulary({
        "single": ("single", "single loop", "single loop learning"),
        "double": ("double", "double loop", "double loop learning")}),
    "kolb": Vocabulary({
        "experience": ("experience", "concrete experience", "CE"),
        "reflection": ("reflection", "reflective observation", "RO", "reflecting"),
        "conceptualisation": ("conceptualisation", "abstract conceptualisation", "AC", "theorising"),
        "experimentation": ("experimentation", "active experimentation", "AE", "experiment")}),
    "regimes": Vocabulary({
        "data-protection": ("data-protection", "data protection", "UK GDPR", "GDPR", "DPA", "DPA 2018",
                            "Data Protection Act", "Data Protection Act 2018",
                            "UK GDPR and Data Protection Act 2018"),
        "equality": ("equality", "Equality Act", "Equality Act 2010", "PSED", "public sector equality duty",
                     "section 149", "s149", "s.149"),
        "adult-safeguarding": ("adult-safeguarding", "adult safeguarding", "safeguarding adults", "Care Act",
                               "Care Act 2014", "section 42", "s42", "s.42"),
        "child-safeguarding": ("child-safeguarding", "child safeguarding", "safeguarding children", "Children Act",
                               "Children Act 1989", "Children Act 2004", "section 47", "s47", "s.47"),
        "health-safety": ("health-safety", "health and safety", "HSWA", "HSWA 1974", "Health and Safety at Work Act",
                          "Health and Safety at Work etc. Act 1974")}),
    "bases": Vocabulary({
        "public-task": ("public task", "public-task", "Article 6(1)(e)", "6(1)(e)"),
        "consent": ("consent", "Article 6(1)(a)", "6(1)(a)"),
        "contract": ("contract", "Article 6(1)(b)", "6(1)(b)"),
        "legal-obligation": ("legal obligation", "Article 6(1)(c)", "6(1)(c)"),
        "vital-interests": ("vital interests", "Article 6(1)(d)", "6(1)(d)"),
        "legitimate-interests": ("legitimate interests", "legitimate interest", "Article 6(1)(f)", "6(1)(f)")}).extend(
        **{b.id: (b.name,) for b in load_foundations().law.lawful_bases}),
}


def answer_key(vocabulary: str, text: Any) -> str:
    """Return the answer key ``text`` names in one exercise's vocabulary, or the text made canonical.

    >>> answer_key("loops", "The Double-Loop"), answer_key("regimes", "UK GDPR"), answer_key("traditions", "Nope")
    ('double', 'data-protection', 'nope')
    """
    return VOCABULARIES[vocabulary].match(text) or canonical(text)


def _mapping(answer: Any, noun: str, vocabulary: str) -> dict[str, str]:
    if not isinstance(answer, Mapping):
        raise TypeError(f'answer should be a dict of {noun} ids to answers, e.g. {{"q1": "..."}}')
    return {str(k).strip(): answer_key(vocabulary, v) for k, v in answer.items()}


def _matching(answer: Any, expected: dict[str, str], *, noun: str, vocabulary: str, hint: Any, question: str,
              prediction: Any = None, predicted_item: str | None = None, after: str | None = None,
              nouns: str | None = None) -> Feedback:
    """Compare a dict of answers with the expected one; ``hint(item, chosen)`` words the first fix."""
    if is_placeholder(answer):
        return your_turn()
    given = _mapping(answer, noun, vocabulary)
    missing = [k for k in expected if k not in given or given[k] in {"", "..."}]
    right = sum(given.get(k) == v for k, v in expected.items())
    nouns = nouns or noun + "s"
    said = [f"{right} of {len(expected)} {nouns} matched."]
    if right == len(expected):
        said = [f"All {len(expected)} {nouns} matched."]
        if predicted_item and not is_placeholder(prediction) and prediction is not None:
            guess = answer_key(vocabulary, prediction)
            verdict = "as you predicted" if guess == expected[predicted_item] else f"it shows {expected[predicted_item]}"
            said.append(f"You predicted {guess} for {predicted_item}; {verdict}.")
        return Feedback(True, right=said, question=after or question)
    if missing:
        return Feedback(False, right=said, fix=f"Give an answer for {missing[0]} too.", question=question)
    first = next(k for k, v in expected.items() if given[k] != v)
    return Feedback(False, right=said, fix=hint(first, given[first]), question=question)


def match_concepts(answer: Any, prediction: Any = None) -> Feedback:
    """Check statements matched to the concepts boundary, emergence, feedback and purpose."""
    data = load_foundations()
    meaning = {c.id: c.definition for c in data.concepts}

    def hint(item: str, chosen: str) -> str:
        if chosen in meaning:
            return f"{item}: you chose {chosen} ({meaning[chosen]}). Does the statement describe that?"
        return f"{item}: {chosen!r} is not one of the four concepts; use boundary, emergence, feedback or purpose."

    return _matching(answer, {q.id: q.answer for q in data.quiz("concepts")}, noun="statement", vocabulary="concepts",
                     hint=hint,
                     question="Which statement was hardest to place, and why?", prediction=prediction,
                     predicted_item="q1", after="What made the revolving door look like a loop at first?"
                     if answer_key("concepts", prediction) == "feedback" else
                     "Where in your own case would you look for each?")


def match_traditions(answer: Any, prediction: Any = None) -> Feedback:
    """Check practitioners' questions matched to the hard, soft or critical tradition."""
    data = load_foundations()
    asks = {t.id: t.question for t in data.traditions}

    def hint(item: str, chosen: str) -> str:
        if chosen in asks:
            return f"{item}: the {chosen} tradition asks '{asks[chosen]}' Is that the speaker's question?"
        return f"{item}: {chosen!r} is not a tradition; use hard, soft or critical."

    return _matching(answer, {q.id: q.answer for q in data.quiz("traditions")}, noun="question",
                     vocabulary="traditions", hint=hint,
                     question="Which tradition do you reach for first, and what does it leave out?",
                     prediction=prediction, predicted_item="t4")


def match_philosophy(answer: Any, prediction: Any = None) -> Feedback:
    """Check statements sorted into ontological and epistemological claims."""
    def hint(item: str, chosen: str) -> str:
        if chosen in {"ontology", "epistemology"}:
            return f"{item}: is the statement about what exists, or about how we come to know it?"
        return f"{item}: answer 'ontology' or 'epistemology'."

    return _matching(answer, {q.id: q.answer for q in load_foundations().quiz("philosophy")}, noun="statement",
                     vocabulary="philosophy", hint=hint, question="Which of the four statements is closest to your own view?",
                     prediction=prediction, predicted_item="p3")


def classify_episodes(answer: Any, prediction: Any = None) -> Feedback:
    """Check episodes classified as single- or double-loop learning; ``prediction`` counts the double-loop ones."""
    expected = {e.id: e.loop for e in learning.episodes()}

    def hint(item: str, chosen: str) -> str:
        if chosen in {"single", "double"}:
            return (f"{item}: you said {chosen}. Ask whether the goal or assumption behind the action was questioned, "
                    "or only the action changed.")
        return f"{item}: answer 'single' or 'double'."

    feedback = _matching(answer, expected, noun="episode", vocabulary="loops", hint=hint,
                         question="Which double-loop episode needed feedback from the people using services?")
    if feedback.passed and isinstance(prediction, int) and not isinstance(prediction, bool):
        double = sum(v == "double" for v in expected.values())
        verdict = "as you predicted" if prediction == double else f"you predicted {prediction}"
        return Feedback(True, right=[*feedback.right, f"{double} episodes are double-loop, {verdict}."],
                        question=feedback.question)
    return feedback


def place_journal(answer: Any, prediction: Any = None) -> Feedback:
    """Check journal entries placed on Kolb's cycle."""
    data = load_foundations().learning
    meaning = {k.id: f"{k.name}: {k.meaning.lower()}" for k in data.kolb}

    def hint(item: str, chosen: str) -> str:
        if chosen in meaning:
            return f"{item}: you chose {meaning[chosen]} Is the entry doing that?"
        return f"{item}: use experience, reflection, conceptualisation or experimentation."

    return _matching(answer, {j.id: j.stage for j in data.journal}, noun="entry", nouns="entries", vocabulary="kolb", hint=hint,
                     question="Which stage do you tend to skip in your own practice?",
                     prediction=prediction, predicted_item="journal-3")


def _cell_text(answer: Any) -> tuple[str, str]:
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return str(answer[0]).strip().lower(), str(answer[1]).strip().lower()
    if not isinstance(answer, str):
        raise TypeError('answer should be a cell such as "complex-pluralist" or ("complex", "pluralist")')
    words = re.sub(r"[^a-z]+", " ", answer.lower()).split()
    context = next((w for w in words if w in sosm.CONTEXTS), "")
    participants = next((w for w in words if w in sosm.PARTICIPANTS), "")
    return context, participants


def place_vignette(answer: Any, vignette_id: str, prediction: Any = None) -> Feedback:
    """Check a vignette placed in Jackson's grid; ``prediction`` is the cell guessed before the questions."""
    if is_placeholder(answer):
        return your_turn()
    vignette = load_foundations().vignette(vignette_id)
    context, participants = _cell_text(answer)
    grid = load_foundations().sosm
    if (context, participants) == (vignette.context, vignette.participants):
        cell = sosm.place(context, participants)
        right = [f"{cell.label}.", f"Approaches that fit: {', '.join(cell.approaches)}."]
        if isinstance(prediction, str) and prediction.strip():
            same = _cell_text(prediction) == (context, participants)
            right.append("Your prediction matched." if same else "Your first guess differed; the questions moved it.")
        return Feedback(True, right=right,
                        question="Which of its notebooks would you open first, and what would you ask it?")
    if not context or not participants:
        return Feedback(False, fix="Name both parts: simple or complex, and unitary, pluralist or coercive.")
    if context != vignette.context:
        return Feedback(False, right=[f"Participants {participants}: right."] if participants == vignette.participants
                        else [], fix=f"Context: you said {context} ({grid.contexts[context].lower()}) Count the signs "
                                     "of complexity in the text again.",
                        question="What in the text made it look " + context + "?")
    return Feedback(False, right=[f"Context {context}: right."],
                    fix=f"Participants: you said {participants} ({grid.participants[participants].lower()}) Read "
                        "again what the people involved can agree on, and who decides.",
                    question="Whose voice is missing from the text?")


def fitting_method(answer: Any, vignette_id: str) -> Feedback:
    """Check a workbook notebook (or approach) named as fitting a vignette's cell."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a notebook or an approach as text, e.g. "ssm"')
    vignette = load_foundations().vignette(vignette_id)
    wanted = _method_key(answer)
    cells = load_foundations().sosm.cells
    for cell in cells:
        if wanted in _method_names(cell) and (cell.context, cell.participants) == (vignette.context,
                                                                                   vignette.participants):
            return Feedback(True, right=[f"{answer.strip()} fits a {cell.context}–{cell.participants} situation."],
                            question="What would it miss in this situation, and which method would you pair with it?")
    for cell in cells:
        if wanted in _method_names(cell):
            return Feedback(False, right=[f"{answer.strip()} is in the grid: it fits {cell.context}–{cell.participants}."],
                            fix="Place the vignette first, then take a method from its cell.",
                            question="Which part of the vignette points to its cell?")
    return Feedback(False, fix=f"{answer.strip()!r} is not a method of the grid; name a notebook such as 'ssm' "
                               "or an approach from the grid's table.")


def _method_key(text: str) -> str:
    return canonical(re.sub(r"\s*\(.*\)", "", text.rsplit("/", 1)[-1].removesuffix(".ipynb")))


def _method_names(cell: Any) -> set[str]:
    names = {_method_key(n) for n in cell.notebooks} | {_method_key(a) for a in cell.approaches}
    names |= {canonical(a) for a in cell.approaches}
    return names


def match_regimes(answer: Any, prediction: Any = None) -> Feedback:
    """Check situations matched to the regime they most directly engage (guidance, not legal advice)."""
    data = load_foundations().law
    names = {r.id: r.name for r in data.regimes}

    def hint(item: str, chosen: str) -> str:
        if chosen in names:
            return (f"{item}: you chose {names[chosen]}. It may apply too; which duty does what happens here "
                    "trigger first?")
        return f"{item}: use one of: {', '.join(law.regime_ids())}."

    return _matching(answer, {s.id: s.regime for s in data.situations}, noun="situation", vocabulary="regimes",
                     hint=hint,
                     question="Who in your organisation would you tell, in each situation?",
                     prediction=prediction, predicted_item="neighbour")


def lawful_basis(answer: Any, prediction: Any = None) -> Feedback:
    """Check the UK GDPR lawful basis for a council's service redesign using its own service data."""
    if is_placeholder(answer):
        return your_turn()
    if not isinstance(answer, str):
        raise TypeError('answer should be a lawful basis as text, e.g. "consent"')
    chosen = answer_key("bases", answer)
    notes = {b.id: b.note for b in load_foundations().law.lawful_bases}
    if chosen == "public-task":
        right = ["Public task (Article 6(1)(e)): the redesign is part of the council's functions."]
        if isinstance(prediction, str) and prediction.strip():
            right.append("As you predicted." if answer_key("bases", prediction) == chosen else
                         f"You predicted {prediction.strip()}; what changed your mind?")
        return Feedback(True, right=right,
                        question="Health data are special category data: which further condition would you need?")
    if chosen in notes:
        return Feedback(False, fix=f"{answer.strip()}: {notes[chosen]} Which basis fits a council's own functions?",
                        question="Who holds the power in this relationship?")
    return Feedback(False, fix=f"{answer.strip()!r} is not one of the six lawful bases of Article 6(1).")


# --- exercise apps: the same checks, with inputs that fit the task ----------------------------------

def _matching_app(key: str, notebook: str, quiz: dict[str, str], vocabulary: str, check: Any, title: str,
                  predict: AnswerInput | None, explanation: str, answer: Any, prediction: Any,
                  label: str = "Your answers") -> Exercise:
    """An app whose answer is one drop-down per item, the options being the vocabulary's keys."""
    options = VOCABULARIES[vocabulary].keys()
    app = Exercise(key, check, Table(label, [Column("answer", options)], row_names=tuple(quiz), row_keys=tuple(quiz)),
                   "; ".join(f"{k}: {v}" for k, v in quiz.items()), explanation=explanation, predict=predict,
                   title=title, notebook=notebook)
    return app.submit(answer, prediction)


def concepts_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "match statements to concepts": one drop-down per statement."""
    quiz = {q.id: q.answer for q in load_foundations().quiz("concepts")}
    return _matching_app("match_concepts", "foundations/concepts_and_schools.ipynb", quiz, "concepts",
                         lambda a, p: match_concepts(a, prediction=p), "Match each statement to its concept.",
                         Choice("Is q1 about feedback or emergence?", ["feedback", "emergence"]),
                         "The revolving door emerges from all six agencies' records together; leaving voluntary groups "
                         "out is a boundary judgement; arrears and evictions feed each other; the first question is "
                         "about purpose.", answer, prediction)


def traditions_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "place practitioners' questions in a tradition"."""
    quiz = {q.id: q.answer for q in load_foundations().quiz("traditions")}
    return _matching_app("match_traditions", "foundations/concepts_and_schools.ipynb", quiz, "traditions",
                         lambda a, p: match_traditions(a, prediction=p), "Give each question its tradition.",
                         Choice("Which tradition will t4 fall in?", ["hard", "soft", "critical"]),
                         "Stock-and-flow models and the viable system model treat the system as a thing to model and "
                         "keep working; root definitions per worldview are soft; asking who was left out is critical.",
                         answer, prediction)


def philosophy_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "tell ontology from epistemology"."""
    quiz = {q.id: q.answer for q in load_foundations().quiz("philosophy")}
    return _matching_app("match_philosophy", "foundations/concepts_and_schools.ipynb", quiz, "philosophy",
                         lambda a, p: match_philosophy(a, prediction=p), "Label each statement.",
                         Choice("Is p3 about what exists or how we know?", ["ontology", "epistemology"]),
                         "p1 and p3 say what there is; p2 and p4 say what makes a claim known.", answer, prediction)


def episodes_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "tell single-loop from double-loop learning"."""
    quiz = {e.id: e.loop for e in learning.episodes()}
    return _matching_app("classify_episodes", "foundations/learning_and_change.ipynb", quiz, "loops",
                         lambda a, p: classify_episodes(a, prediction=p), "Classify each episode.",
                         Number("Double-loop episodes you expect", units="of 6", integer=True),
                         "The call centre, the crisis team and the leaflet change the action; Wolverhampton's housing "
                         "round, Plymouth's alliance and the Wiltshire partners question what governs it.",
                         answer, prediction)


def journal_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "place a journal on Kolb's cycle"."""
    quiz = {j.id: j.stage for j in load_foundations().learning.journal}
    return _matching_app("place_journal", "foundations/learning_and_change.ipynb", quiz, "kolb",
                         lambda a, p: place_journal(a, prediction=p), "Give each entry its stage.",
                         Choice("Which stage is journal-3?", list(VOCABULARIES["kolb"].keys())),
                         "Two stories (experience), noticing both saw only crises (reflection), a loop that explains "
                         "both (conceptualisation), a joint visit to try it (experimentation).", answer, prediction)


def regimes_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "match situations to the duty they engage first" (guidance, not legal advice)."""
    quiz = {s.id: s.regime for s in load_foundations().law.situations}
    return _matching_app("match_regimes", "foundations/law_and_safety.ipynb", quiz, "regimes",
                         lambda a, p: match_regimes(a, prediction=p), "Match each situation to the duty it engages first.",
                         Choice("Which duty does the neighbour's exploitation engage first?", list(law.regime_ids())),
                         "Adult safeguarding; special category data; due regard before a decision; a risk assessment; "
                         "child safeguarding; data minimisation. Guidance, not legal advice.", answer, prediction)


def basis_exercise(answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "choose a lawful basis" for a council's service redesign."""
    names = [b.name for b in load_foundations().law.lawful_bases]
    app = Exercise("lawful_basis", lambda a, p: lawful_basis(a, prediction=p), Choice("Lawful basis", names),
                   "Public task (Article 6(1)(e))",
                   explanation="Redesigning services is part of the council's functions; consent is hard to make freely "
                               "given where people depend on the council. Guidance, not legal advice.",
                   predict=Choice("Which basis do you expect?", names),
                   title="Which Article 6(1) basis usually fits a council's redesign of its own services?",
                   notebook="foundations/law_and_safety.ipynb")
    return app.submit(answer, prediction)


def vignette_exercise(vignette_id: str, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "place a vignette in the grid": a choice of the six cells."""
    cells = [f"{c}-{p}" for c in sosm.CONTEXTS for p in sosm.PARTICIPANTS]
    found = load_foundations().vignette(vignette_id)
    app = Exercise(f"place_{vignette_id}", lambda a, p: place_vignette(a, vignette_id, prediction=p),
                   Choice("Cell", cells), f"{found.context}-{found.participants}",
                   explanation="Count the signs of complexity, then ask what the people involved can agree on and who "
                               "decides.", predict=Choice("Your first guess", cells),
                   title="Which cell of the grid does the vignette belong in?", notebook="foundations/choosing_methods.ipynb")
    return app.submit(answer, prediction)


def method_exercise(vignette_id: str, answer: Any = ..., prediction: Any = ...) -> Exercise:
    """The app for "name a method that fits" a vignette: short text, read by the matcher."""
    found = load_foundations().vignette(vignette_id)
    cell = sosm.place(found.context, found.participants)

    def check(given: Any, said: Any) -> Feedback:
        feedback = fitting_method(given, vignette_id)
        if feedback.passed and isinstance(said, str) and said.strip():
            soft = YES_NO.match(said)
            note = ("You expected a soft method to fit; the shared aim makes this unitary, so a soft method is not "
                    "the first choice." if soft == "yes" else "You expected no soft method to fit, and it does not.")
            return Feedback(True, right=[*feedback.right, note], question=feedback.question)
        return feedback

    app = Exercise(f"method_{vignette_id}", check, ShortText("Method", placeholder="a notebook or an approach"),
                   ", ".join(n.split("/")[-1].removesuffix(".ipynb") for n in cell.notebooks),
                   explanation=f"The vignette is {cell.label}: {', '.join(cell.approaches)}.",
                   predict=Choice("Will a soft method fit?", ["yes", "no"]),
                   title="Name one of the workbook's notebooks (or an approach) that fits the vignette.",
                   notebook="foundations/choosing_methods.ipynb")
    return app.submit(answer, prediction)
