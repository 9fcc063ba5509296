"""Teacher mode: the class's shared store, lessons, and the teacher's and students' apps.

- :mod:`~stp_helpers.classroom.store`: the stage and the anonymous answers in SQLite;
- :mod:`~stp_helpers.classroom.lessons`: the lessons;
- :mod:`~stp_helpers.classroom.widgets`: the apps (imported on their own: they load the chart layer).
"""

from stp_helpers.classroom.store import LESSON_PATTERN, ClassStore, default_store, student_id

__all__ = ["ClassStore", "default_store", "student_id", "LESSON_PATTERN"]
