"""``python -m nqpf_grading.nbgrader_main ARGS``: nbgrader's command line with a cheaper gradebook.

``grade.py`` runs every nbgrader command this way. nbgrader 0.9.6 opens a new ``Gradebook`` five
times per student while autograding, and each one creates a new SQLAlchemy engine (whose statement
cache starts empty, so every query is compiled again), inspects the tables and checks the course
row. That was about a fifth of the grader's CPU time per submission. Here, in the nbgrader process
only, the gradebook keeps one engine per database URL and checks the tables and the course row the
first time only. Nothing else about nbgrader changes, and with another nbgrader version nothing is
patched at all.
"""

from __future__ import annotations

import sys


_ENGINES: dict = {}


def _shared_engine(url, **kwargs):
    """``create_engine`` for nbgrader's gradebook: one engine per database URL in this process.

    nbgrader opens a new ``Gradebook`` (a new SQLAlchemy engine) five times per student, and every new
    engine starts with an empty statement cache, so each query was compiled again: about a fifth of the
    grader's CPU time per submission. ``Gradebook.close`` still disposes of the engine's connections.
    """
    from sqlalchemy import create_engine

    key = (str(url), tuple(sorted(kwargs.items())))
    engine = _ENGINES.get(key)
    if engine is None:
        engine = _ENGINES[key] = create_engine(url, **kwargs)
    return engine


_READY: set = set()  # (database URL, course id) whose tables and course row this process has seen


def _gradebook_init(self, db_url, course_id="default_course", authenticator=None):
    """``Gradebook.__init__`` (nbgrader 0.9.6) that checks the tables and the course row once per process.

    The first gradebook of a database runs nbgrader's own ``__init__`` (create the tables if needed,
    stamp the alembic version, add the course). Later ones in the same process only open a session:
    about 25 ms of CPU each, five times per student.
    """
    from sqlalchemy.orm import scoped_session, sessionmaker

    key = (str(db_url), course_id)
    if key not in _READY:
        _ORIGINAL_GRADEBOOK_INIT(self, db_url, course_id=course_id, authenticator=authenticator)
        _READY.add(key)
        return
    self.engine = _shared_engine(db_url, echo=False, future=True)
    self.db = scoped_session(sessionmaker(autoflush=True, bind=self.engine, future=True))
    self.course_id = course_id
    self.authenticator = authenticator


_ORIGINAL_GRADEBOOK_INIT = None


def reuse_gradebook_engines() -> None:
    """Make nbgrader's gradebook reuse its engine and skip repeated table checks in this (grading) process.

    Idempotent. Only for nbgrader 0.9.6, whose ``Gradebook.__init__`` :func:`_gradebook_init` follows;
    with another version nothing is changed.
    """
    global _ORIGINAL_GRADEBOOK_INIT
    import nbgrader
    import nbgrader.api

    if nbgrader.__version__ != "0.9.6":
        return
    nbgrader.api.create_engine = _shared_engine
    if _ORIGINAL_GRADEBOOK_INIT is None:
        _ORIGINAL_GRADEBOOK_INIT = nbgrader.api.Gradebook.__init__
        nbgrader.api.Gradebook.__init__ = _gradebook_init


def main() -> None:
    reuse_gradebook_engines()
    from nbgrader.apps.nbgraderapp import main as nbgrader_main

    sys.argv[0] = "nbgrader"
    sys.exit(nbgrader_main())


if __name__ == "__main__":
    main()
