"""Teacher mode: the class's shared store, lessons as data files, and the class page without a kernel.

- :mod:`~stp_helpers.classroom.store`: the stage and the anonymous answers in SQLite;
- :mod:`~stp_helpers.classroom.lessons`: lesson files (YAML) and their checks;
- :mod:`~stp_helpers.classroom.handlers`: the kernel-less class page in the workbook's server;
- :mod:`~stp_helpers.classroom.widgets`: the teacher's page and a kernel class page (imported on
  their own: they load the chart layer, which the server never needs);
- :mod:`~stp_helpers.classroom.render`: draws a lesson's parts in a child process.
"""

from stp_helpers.classroom.lessons import Lesson, lesson_notebooks, load_lesson, shipped_lessons, stage_parts
from stp_helpers.classroom.store import (
    LESSON_PATTERN,
    ClassStore,
    check_student_id,
    default_store,
    new_student_id,
)

__all__ = ["ClassStore", "default_store", "new_student_id", "check_student_id",
           "LESSON_PATTERN", "Lesson", "load_lesson", "lesson_notebooks", "shipped_lessons", "stage_parts"]
