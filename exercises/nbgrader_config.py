"""nbgrader configuration for the course's graded problem sets (see exercises/README.md).

The course root is this folder; the gradebook is a local SQLite file in it (ignored by git).
`python exercises/grade.py ... --root DIR` overrides both on the command line.
"""
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

_here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "nqpf-course"
c.CourseDirectory.root = _here
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_here, "gradebook.db")
# Per-cell timeout while autograding; an endless loop is interrupted and the next cells still run.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# Keep at most this many lines of output per cell in graded notebooks and feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
