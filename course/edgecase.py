"""The exception a pure compute function raises for a setting that has no meaningful result.

It lives in a module of its own, with no imports, so that the topic modules (``course.privacy``,
``course.credit`` ...) can raise it without importing ipywidgets and matplotlib: a graded notebook's
sandboxed kernel and the hidden checks import only what they compute with. :mod:`course.widgets`
re-exports it, and the :class:`course.widgets.Explorer` shows its message as a note.
"""

__all__ = ["EdgeCase"]


class EdgeCase(Exception):
    """A setting with no meaningful result; the message is shown to the student as a note.

    Raise it from a pure compute function, with a short explanation of why there is nothing to
    show and what to do instead:

    >>> raise EdgeCase("All weights are zero, so the index is undefined; raise at least one.")
    Traceback (most recent call last):
    ...
    course.edgecase.EdgeCase: All weights are zero, so the index is undefined; raise at least one.
    """
