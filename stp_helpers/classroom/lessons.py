"""Ready-made class lessons for teacher mode.

The behaviour-mode lesson: the class sees the first years of a population
model's run, each student predicts the behaviour mode anonymously, the
teacher shows the distribution of predictions, then reveals the whole run and
the loops that explain it.

Examples
--------
>>> lesson = behaviour_lesson_data()
>>> lesson.mode, lesson.cut_year < lesson.final_year
('S-shaped', True)
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from importlib.metadata import version

import ipywidgets as widgets
import pandas as pd

from stp_helpers import charts, paths
from stp_helpers.io.atomic import write_atomic
from stp_helpers.classroom.store import ClassStore
from stp_helpers.display import Markdown
from stp_helpers.classroom.widgets import PulseBoard, PulseQuestion, Reveal, StageControl

__all__ = ["behaviour_lesson_data", "BehaviourModeLesson", "BehaviourModeTeacher", "QUESTION", "PROMPT", "STAGES"]

QUESTION = "behaviour-mode"
PROMPT = "What will the population do over the next 200 years?"
OPTIONS = ("exponential", "S-shaped", "S-shaped with overshoot", "overshoot and collapse", "oscillation", "linear")
STAGES = ("The whole run", "The loops that explain it")
MODEL = paths.DATA_DIR / "models" / "population_limits.mdl"


@dataclass(frozen=True)
class LessonData:
    """The run, where the class's view of it is cut, and its mode."""

    run: pd.DataFrame
    cut_year: float
    final_year: float
    mode: str
    units: str


def behaviour_lesson_data() -> LessonData:
    """Run the population model; cut where it first reaches 15% of its final size.

    The run is kept in the cache, keyed by the model's content and the PySD
    version, so the thirty kernels of a class read it from disk instead of
    each importing PySD and running the model (less memory per kernel).
    """
    key = hashlib.sha256(MODEL.read_bytes() + version("pysd").encode()).hexdigest()[:16]
    cached = paths.cache_dir("lessons") / f"behaviour-{key}.json"
    try:
        stored = json.loads(cached.read_text(encoding="utf-8"))
        run = pd.read_csv(io.StringIO(stored.pop("run")))
        return LessonData(run=run, **stored)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    data = _run_behaviour_lesson()
    record = {"run": data.run.to_csv(index=False), "cut_year": data.cut_year, "final_year": data.final_year,
              "mode": data.mode, "units": data.units}
    write_atomic(cached, json.dumps(record))
    return data


def _run_behaviour_lesson() -> LessonData:
    from stp_helpers import sd

    model = sd.load_model(MODEL)
    stock = model.stocks[0]
    series = model.run()[stock]
    cut = float(series.index[(series >= 0.15 * series.iloc[-1]).argmax()])
    run = pd.DataFrame({"time": series.index.astype(float), "variable": stock, "value": series.to_numpy()})
    return LessonData(run, cut, float(series.index[-1]), sd.classify_behaviour(series),
                      model.info(stock).units or "people")


def _chart(data: LessonData, upto: float, title: str) -> charts.StpChart:
    shown = data.run[data.run["time"] <= upto]
    return charts.show(charts.run_chart(shown, y_title=f"Population ({data.units})", x_title="Time (years)",
                                        title=title, subtitle="Population with limits to growth (teaching model)"))


def _so_far(data: LessonData) -> charts.StpChart:
    return _chart(data, data.cut_year, f"The first {data.cut_year:g} years: what happens next?")


class BehaviourModeLesson(widgets.VBox):
    """The students' page: the run so far, a prediction, then the stages the teacher reveals."""

    def __init__(self, lesson: str, store: ClassStore | None = None, poll: float = 2.0) -> None:
        data = behaviour_lesson_data()
        whole = _chart(data, data.final_year,
                       f"The population follows {data.mode} growth: fast at first, then levelling off")
        loops = widgets.HTML(
            "<p><b>R (births):</b> more people, more births, more people. <b>B (crowding):</b> more people, "
            "more crowding, slower growth. R dominates while the population is small; B takes over as it nears "
            "the carrying capacity, so growth slows and the curve bends into an S.</p>")
        self.question = PulseQuestion(lesson, QUESTION, PROMPT, OPTIONS, store=store)
        self.reveal = Reveal(lesson, [whole, loops], store=store, poll=poll,
                             always=(_so_far(data), self.question))
        super().__init__([self.reveal])

    def __repr__(self) -> str:
        return "BehaviourModeLesson: predict, then see the whole run"


class BehaviourModeTeacher(widgets.VBox):
    """The teacher's page: the stage control and the live distribution of predictions."""

    def __init__(self, lesson: str, store: ClassStore | None = None, poll: float = 2.0) -> None:
        self.control = StageControl(lesson, STAGES, store=store)
        self.board = PulseBoard(lesson, QUESTION, PROMPT, OPTIONS, store=store, poll=poll)
        super().__init__([self.control, self.board])

    def __repr__(self) -> str:
        return f"BehaviourModeTeacher: {self.board.title}"


def lesson_plan() -> Markdown:
    """The lesson's steps for the teacher."""
    return Markdown("\n".join([
        "1. Students open the class page; they see the first years of the run and choose a behaviour mode.",
        "2. Watch the predictions arrive on the board below; discuss the spread before revealing anything.",
        f"3. Press *Next stage* to reveal {STAGES[0].lower()}, then again for {STAGES[1].lower()}.",
        "4. Ask: which loop dominated early, which later, and what would have told you in advance?",
    ]))
