"""Shared by the redraw-reuse tests (tests/test_redraw_reuse*.py); not a test module.

A widget that keeps its figure and updates it in place must give the pixels of a figure drawn afresh
for the same setting. ``pixels`` draws with matplotlib's own Agg renderer, ``fast_pixels`` with the
redraw path's (``course.fastdraw``), ``same_as_fresh`` runs a sequence of settings through one
kept figure and compares each with a fresh render, and ``new_figure_after_language_switch`` checks
that a figure kept in English is not reused in Chinese.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from course import fastdraw, i18n  # noqa: E402


def pixels(fig) -> np.ndarray:
    """The figure's RGBA pixels as matplotlib's Agg renderer saves them."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi="figure", facecolor="white")
    return np.asarray(Image.open(buf).convert("RGBA"))


def fast_pixels(fig) -> np.ndarray:
    """The figure's RGBA pixels as a widget redraw draws them (``course.fastdraw``)."""
    return np.asarray(Image.open(io.BytesIO(fastdraw.figure_png(fig))).convert("RGBA"))


def same_as_fresh(render, results, draw=fast_pixels) -> list:
    """Render ``results`` ((label, result) pairs) one after the other into one kept view; each must
    equal a fresh render of the same result. Returns the kept figures."""
    view: dict = {}
    shown = []
    for label, r in results:
        fig = render(r, view)[0]
        fresh = render(r)[0]
        assert fig is not fresh
        a, b = draw(fig), draw(fresh)
        assert a.shape == b.shape, label
        assert np.array_equal(a, b), f"{label}: {int((a != b).any(axis=2).sum())} pixels differ"
        plt.close(fresh)
        shown.append(fig)
    plt.close("all")
    return shown


def figure_of(out):
    """The figure among a render's outputs."""
    from matplotlib.figure import Figure

    return next(item for item in out if isinstance(item, Figure))


def new_figure_after_language_switch(render, compute, draw=fast_pixels) -> None:
    """A figure kept in English must not take a setting in Chinese (its texts keep the English fonts):
    the switch gives a new figure, with the pixels of a fresh Chinese render. ``compute()`` makes the
    result (again after the switch, in Chinese)."""
    view: dict = {}
    first = figure_of(render(compute(), view))
    i18n.set_language("zh")
    try:
        r = compute()
        fig = figure_of(render(r, view))
        assert fig is not first  # a new figure, in Chinese fonts and labels
        assert np.array_equal(draw(fig), draw(figure_of(render(r, None))))
    finally:
        i18n.set_language("en")
        plt.close("all")
