"""Shared by the redraw-reuse tests (tests/test_redraw_reuse*.py); not a test module.

A widget that keeps its figure and updates it in place must give the pixels of a figure drawn afresh
for the same setting. ``pixels`` draws with matplotlib's own Agg renderer, ``fast_pixels`` with the
redraw path's (``course.fastdraw``), and ``same_as_fresh`` runs a sequence of settings through one
kept figure and compares each with a fresh render.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from course import fastdraw  # noqa: E402


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
