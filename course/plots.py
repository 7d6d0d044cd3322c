"""Figures for the course: one palette, one style, the tile map, and display with alt text.

Every course figure follows three rules:

1. **Colour is never the only cue.** Series also differ by marker and line style
   (:data:`MARKERS`, :data:`LINESTYLES`, :func:`series_style`), regions by hatch
   (:data:`REGION_STYLE`), lines carry a direct label at their end (:func:`annotate_last`) and
   every tile of the map prints its value.
2. **The title states the finding** (:func:`finding_title`), for example "Coastal provinces spend
   the most on R&D", not "R&D intensity, 2023".
3. **Every figure has alt text.** :func:`show` refuses a figure without a title or alt text,
   displays it as a PNG plus an HTML ``<figure>`` whose ``<img>`` carries the alt text, and closes
   it so it is never shown twice. Never call ``plt.show()`` in a lesson.

Chart text is in the student's language. In English (the default) it is English only: matplotlib's
default font has no Chinese glyphs, so Chinese terms stay in the prose (:func:`figure_bundle` refuses
CJK characters in an English figure). In the Chinese edition (:func:`course.i18n.set_language`) the
labels come from the catalogues and are drawn with Noto Sans CJK SC; in either language a character
that no installed font can draw makes :func:`figure_bundle` fail instead of drawing an empty box.

Colour choices
--------------
- :data:`PALETTE` is the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), eight
  colours chosen to stay apart for the common colour-vision deficiencies. :func:`simulate_cvd`
  implements the Machado, Oliveira & Fernandes (2009) simulation; the tests check that all eight
  colours stay more than 10 CIE76 Delta-E units apart under protanopia, deuteranopia and
  tritanopia.
- :data:`SEQUENTIAL` is ``"cividis"`` (Nuñez, Anderton & Renslow 2018): built to look the same to
  viewers with and without red-green deficiency, with lightness rising steadily from dark blue to
  light yellow, so it also reads in greyscale.
- :data:`DIVERGING` is ``"PuOr"`` (ColorBrewer purple-orange), whose two arms are purple and
  orange, a pair that stays distinct for red-green deficiencies. Like every diverging map, its two
  ends have similar lightness, so in greyscale the *sign* of a value is carried by the printed
  number (use ``fmt="{:+.1f}"``), not by the colour.

Province abbreviations
----------------------
:data:`PROVINCE_ABBR` uses the two-letter ISO 3166-2:CN subdivision codes (``CN-BJ`` ...), without
the ``CN-`` prefix: BJ Beijing, TJ Tianjin, HE Hebei, SX Shanxi, NM Inner Mongolia, LN Liaoning,
JL Jilin, HL Heilongjiang, SH Shanghai, JS Jiangsu, ZJ Zhejiang, AH Anhui, FJ Fujian, JX Jiangxi,
SD Shandong, HA Henan, HB Hubei, HN Hunan, GD Guangdong, GX Guangxi, HI Hainan, CQ Chongqing,
SC Sichuan, GZ Guizhou, YN Yunnan, XZ Xizang, SN Shaanxi, GS Gansu, QH Qinghai, NX Ningxia,
XJ Xinjiang.

Examples
--------
>>> import pandas as pd
>>> from course import plots
>>> provinces = pd.DataFrame({"province_code": [110000, 120000], "tile_row": [0, 0],
...                           "tile_col": [0, 1]})
>>> ax = plots.tile_map(pd.Series({110000: 6.7, 120000: float("nan")}), provinces=provinces,
...                     title="Beijing reports the higher value", label="% of GDP")
>>> [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("value-")]
['6.7', 'n/a']
>>> bundle = plots.figure_bundle(ax.figure, alt="Two tiles: Beijing 6.7, Tianjin no data.")
>>> sorted(bundle)
['image/png', 'text/html', 'text/plain']
>>> plots.close(ax.figure)
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import io
import os
import re
import textwrap
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text

from . import fastdraw, i18n
from .i18n import N_, _

__all__ = [
    "PALETTE", "COLORS", "SEQUENTIAL", "DIVERGING", "MARKERS", "LINESTYLES", "HATCHES",
    "REGION_STYLE", "REGIONS", "NO_DATA", "PROVINCE_ABBR", "COURSE_RC", "FIGURE_LOG",
    "course_style", "use_course_style", "series_style", "simulate_cvd", "text_color_for",
    "readable_on_white",
    "tile_map", "finding_title", "figure_title", "figure_bundle", "show", "close",
    "line_chart", "bar_chart", "annotate_last", "wrap_text",
]

# --------------------------------------------------------------------------------------------
# Palette and styles
# --------------------------------------------------------------------------------------------

#: The Okabe-Ito colours by name.
PALETTE: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: The same colours in the order series use them. Yellow is last: on white it has a contrast
#: ratio below 1.5, so it suits filled areas better than thin lines.
COLORS: list[str] = [
    PALETTE["blue"], PALETTE["orange"], PALETTE["bluish_green"], PALETTE["reddish_purple"],
    PALETTE["vermillion"], PALETTE["sky_blue"], PALETTE["black"], PALETTE["yellow"],
]

#: Colour-blind-safe sequential colormap, readable in greyscale (see the module docstring).
SEQUENTIAL = "cividis"
#: Colour-blind-safe diverging colormap (purple-orange); centre it with ``center=``.
DIVERGING = "PuOr"

#: Marker and line style for the i-th series, so series differ by more than colour.
MARKERS: list[str] = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES: list = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)),
                    (0, (3, 1, 1, 1))]
#: Hatch patterns for filled areas (bars, categorical tiles).
HATCHES: list[str] = ["//", "\\\\", "..", "xx", "++", "oo", "--", "||"]

#: The four NBS regions (东部, 中部, 西部, 东北) in the order the course lists them, plus the nation.
REGIONS: list[str] = ["East", "Central", "West", "Northeast", "National"]

#: Style for each region: colour, marker, linestyle and hatch together.
REGION_STYLE: dict[str, dict[str, Any]] = {
    "East": {"color": PALETTE["blue"], "marker": "o", "linestyle": "-", "hatch": "//"},
    "Central": {"color": PALETTE["orange"], "marker": "s", "linestyle": "--", "hatch": "\\\\"},
    "West": {"color": PALETTE["bluish_green"], "marker": "^", "linestyle": "-.", "hatch": ".."},
    "Northeast": {"color": PALETTE["reddish_purple"], "marker": "D", "linestyle": ":",
                  "hatch": "xx"},
    "National": {"color": PALETTE["black"], "marker": "*", "linestyle": (0, (5, 1, 1, 1, 1, 1)),
                 "hatch": ""},
}

#: How a tile without data looks: light grey with a grey hatch and the text "n/a".
NO_DATA: dict[str, Any] = {"facecolor": "#F2F2F2", "hatch": "///", "hatchcolor": "#B0B0B0",
                           "edgecolor": "#9E9E9E", "text": N_("n/a"), "textcolor": "#333333",
                           "label": N_("no data")}

#: Two-letter ISO 3166-2:CN codes (without "CN-") by NBS province code.
PROVINCE_ABBR: dict[int, str] = {
    110000: "BJ", 120000: "TJ", 130000: "HE", 140000: "SX", 150000: "NM", 210000: "LN",
    220000: "JL", 230000: "HL", 310000: "SH", 320000: "JS", 330000: "ZJ", 340000: "AH",
    350000: "FJ", 360000: "JX", 370000: "SD", 410000: "HA", 420000: "HB", 430000: "HN",
    440000: "GD", 450000: "GX", 460000: "HI", 500000: "CQ", 510000: "SC", 520000: "GZ",
    530000: "YN", 540000: "XZ", 610000: "SN", 620000: "GS", 630000: "QH", 640000: "NX",
    650000: "XJ",
}

#: The course's matplotlib settings (applied by :func:`use_course_style` / :func:`course_style`).
COURSE_RC: dict[str, Any] = {
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.8,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "image.cmap": SEQUENTIAL,
    "axes.prop_cycle": mpl.cycler(color=COLORS, linestyle=LINESTYLES),
    # Glyphs are drawn without hinting: text stays crisp at the course's sizes and an
    # interactive redraw (a tile map prints ~70 labels) is ~15 % faster.
    "text.hinting": "none",
}

#: Titles and alt texts of the figures shown (newest last), for accessibility checks.
FIGURE_LOG: list[dict[str, str]] = []
FIGURE_LOG_MAX = 500

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def use_course_style() -> None:
    """Apply :data:`COURSE_RC` to matplotlib for the rest of the session."""
    mpl.rcParams.update(COURSE_RC)


@contextlib.contextmanager
def course_style():
    """Context manager: the course style inside the ``with`` block only.

    >>> with course_style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(COURSE_RC):
        yield


def series_style(i: int) -> dict[str, Any]:
    """Colour, marker, linestyle and hatch of the i-th series (cycles after eight).

    >>> series_style(0)["color"] == PALETTE["blue"], series_style(1)["marker"]
    (True, 's')
    """
    return {"color": COLORS[i % len(COLORS)], "marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[i % len(LINESTYLES)], "hatch": HATCHES[i % len(HATCHES)]}


def _style_for(name: Any, i: int) -> dict[str, Any]:
    return dict(REGION_STYLE[name]) if name in REGION_STYLE else series_style(i)


# --------------------------------------------------------------------------------------------
# Colour helpers
# --------------------------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
# vision deficiency", IEEE TVCG 15(6), 1291-1298: matrices for severity 1.0 (dichromacy),
# applied to linear-light sRGB.
_MACHADO_2009 = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate_cvd(rgb, kind: str) -> np.ndarray:
    """Simulate how a colour looks with a colour-vision deficiency (Machado et al. 2009).

    Parameters
    ----------
    rgb : colour or sequence of colours
        A matplotlib colour (``"#0072B2"``, ``"blue"``, an RGB tuple in 0-1) or an array of
        shape ``(..., 3)`` with sRGB values in 0-1.
    kind : {"protanopia", "deuteranopia", "tritanopia"}
        The deficiency, at full severity (dichromacy).

    Returns
    -------
    numpy.ndarray
        sRGB values in 0-1, same shape as the input (``(3,)`` for one colour).

    Examples
    --------
    >>> simulate_cvd("#808080", "deuteranopia").round(3)  # greys look the same
    array([0.502, 0.502, 0.502])
    """
    if kind not in _MACHADO_2009:
        raise ValueError(f"simulate_cvd: kind must be one of {sorted(_MACHADO_2009)}, not {kind!r}")
    if isinstance(rgb, str) or (isinstance(rgb, tuple) and len(rgb) in (3, 4)
                                and not isinstance(rgb[0], (str, tuple, list))):
        arr = np.asarray(mcolors.to_rgb(rgb), dtype=float)
    else:
        items = list(rgb) if not isinstance(rgb, np.ndarray) else None
        if items is not None and items and isinstance(items[0], str):
            arr = np.array([mcolors.to_rgb(c) for c in items], dtype=float)
        else:
            arr = np.asarray(rgb, dtype=float)
    if arr.shape[-1] != 3:
        raise ValueError("simulate_cvd: colours must have 3 components (sRGB in 0-1)")
    lin = _srgb_to_linear(np.clip(arr, 0.0, 1.0))
    sim = lin @ _MACHADO_2009[kind].T
    return _linear_to_srgb(sim)


def _relative_luminance(rgb) -> float:
    r, g, b = _srgb_to_linear(np.asarray(mcolors.to_rgb(rgb), dtype=float))
    return float(0.2126 * r + 0.7152 * g + 0.0722 * b)


def readable_on_white(color, min_contrast: float = 4.5) -> tuple[float, float, float]:
    """The colour, darkened just enough to reach ``min_contrast`` (WCAG) as text on white.

    Keeps the hue, so a direct label still matches its line.

    >>> readable_on_white("#0072B2") == mcolors.to_rgb("#0072B2")  # already 5.0:1
    True
    """
    return _readable_on_white(mcolors.to_rgb(color), float(min_contrast))


@functools.lru_cache(maxsize=256)
def _readable_on_white(rgb: tuple, min_contrast: float) -> tuple[float, float, float]:
    """:func:`readable_on_white` for an RGB tuple, remembered (direct labels ask on every redraw)."""
    rgb = np.asarray(rgb, dtype=float)
    for f in np.linspace(1.0, 0.0, 41):
        c = rgb * f
        if 1.05 / (_relative_luminance(tuple(c)) + 0.05) >= min_contrast:
            return tuple(float(v) for v in c)
    return (0.0, 0.0, 0.0)


def text_color_for(face) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio against ``face``.

    >>> text_color_for("#000000"), text_color_for("#F0E442")
    ('white', 'black')
    """
    lum = _relative_luminance(face)
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"


# --------------------------------------------------------------------------------------------
# Tile map
# --------------------------------------------------------------------------------------------

_GAP = 0.07  # white space between tiles, in tile units


def _provinces_frame(provinces: pd.DataFrame | None) -> pd.DataFrame:
    if provinces is None:
        from . import data  # lazy: the data package is only needed when no table is passed

        provinces = data.load("provinces")
    frame = provinces
    if "province_code" in frame.columns:
        frame = frame.set_index("province_code")
    missing = [c for c in ("tile_row", "tile_col") if c not in frame.columns]
    if missing:
        raise ValueError(f"tile_map: the provinces table has no column(s) {', '.join(missing)}")
    frame = frame.copy()
    frame.index = frame.index.astype(int)
    return frame


def _as_series(values, name: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        raise TypeError(f"tile_map: {name} must be a Series indexed by province_code, "
                        "not a DataFrame (pick one column, e.g. frame.set_index('province_code')['x'])")
    s = pd.Series(values) if not isinstance(values, pd.Series) else values
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()][0]
        raise ValueError(f"tile_map: province code {dup} appears more than once in {name}")
    try:
        s.index = s.index.astype(int)
    except (TypeError, ValueError):
        raise ValueError(f"tile_map: {name} must be indexed by integer province codes "
                         "(110000 ... 650000)") from None
    return s


def _check_codes(s: pd.Series, known: pd.Index, name: str) -> None:
    unknown = s.index.difference(known)
    if len(unknown):
        hint = " (drop the national row 100000 first)" if 100000 in unknown else ""
        shown = ", ".join(str(c) for c in unknown[:5])
        raise ValueError(f"tile_map: unknown province code(s) in {name}: {shown}{hint}")


def _format(fmt: str | Callable[[float], str], v: float) -> str:
    return fmt(v) if callable(fmt) else fmt.format(v)



def _add_text(ax: Axes, x: float, y: float, s: str, **kwargs) -> Text:
    """``ax.text(x, y, s, **kwargs)`` for a label that is never clipped, at half the cost.

    ``Axes.text`` gives every text the axes' clip box although it also turns clipping off
    (``clip_on=False``); building that clip box is more than half the cost of a label, and a tile
    map makes about 70 of them per redraw. The text drawn is the same.
    """
    add = getattr(ax, "_add_text", None)
    if add is None or not isinstance(ax, Axes):  # another matplotlib: the public way
        return ax.text(x, y, s, **kwargs)
    return add(Text(x, y, s, transform=ax.transData, clip_on=False, **kwargs))


def _tick_text(t: float, step: float) -> str:
    if abs(t) < step * 1e-9:
        t = 0.0
    if float(t).is_integer() and abs(t) < 1e15:
        return f"{int(t):,}".replace("-", "\u2212")
    return f"{t:g}".replace("-", "\u2212")


def _colour_scale(ax: Axes, norm, cm, label: str | None, n_rows: int, n_cols: int,
                  k: float = 1.0, keep: dict | None = None) -> None:
    """A horizontal colour bar drawn inside the map's empty lower-left corner.

    Drawn with an image and a few texts in data coordinates rather than with ``fig.colorbar``:
    an extra Axes (with its tick machinery) would double the time a redraw takes.
    """
    x0, x1 = 0.02 * n_cols, 0.44 * n_cols
    y1 = n_rows * (1 - 0.035)           # bottom edge of the bar (y grows downwards)
    y0 = y1 - 0.03 * n_rows             # top edge
    grad = np.linspace(norm.vmin, norm.vmax, 256)[None, :]
    if keep:  # a redraw (tile_map(update=True)): the bar, its outline and tick marks stay in place
        keep["colorbar"].set_data(grad)
        keep["colorbar"].set_cmap(cm)
        keep["colorbar"].set_norm(norm)
    else:
        ax.imshow(grad, extent=(x0, x1, y1, y0), cmap=cm, norm=norm, aspect="auto",
                  interpolation="nearest", gid="colorbar", zorder=1)
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, linewidth=0.5,
                               edgecolor="#555555", gid="colorbar-outline"))
    ticks = mpl.ticker.MaxNLocator(nbins=4).tick_values(norm.vmin, norm.vmax)
    span = norm.vmax - norm.vmin
    ticks = [t for t in ticks if norm.vmin - 1e-9 * span <= t <= norm.vmax + 1e-9 * span]
    step = (ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    scale = (x1 - x0) / span
    xs = [x0 + (t - norm.vmin) * scale for t in ticks]
    tick_len = 0.012 * n_rows
    tick_xy = np.repeat(xs, 3), np.tile([y1, y1 + tick_len, np.nan], len(xs))
    if keep:
        keep["colorbar-ticks"].set_data(*tick_xy)
    else:
        ax.plot(*tick_xy, color="#555555", linewidth=0.6, gid="colorbar-ticks")
    for x, t in zip(xs, ticks):
        _add_text(ax, x, y1 + tick_len * 1.2, _tick_text(t, step), ha="center", va="top",
                  fontsize=max(6.5, 8 * k), gid="colorbar-tick")
    if label:
        size = max(7.0, 9 * k)
        width = max(12, int((x1 - x0) / n_cols * ax.figure.get_figwidth()
                            * ax.get_position(original=True).width * 72 / (size * 0.55)))
        _add_text(ax, x0, y0 - 0.01 * n_rows, "\n".join(wrap_text(label, width)), ha="left",
                  va="bottom", fontsize=size, gid="colorbar-label")


def tile_map(values=None, *, ax: Axes | None = None, provinces: pd.DataFrame | None = None,
             title: str | None = None, fmt: str | Callable[[float], str] = "{:.1f}",
             cmap=None, label: str | None = None, diverging: bool = False,
             center: float | None = None, highlight=None, categories=None,
             vmin: float | None = None, vmax: float | None = None,
             names: str | None = "abbr", update: bool = False) -> Axes | None:
    """Draw the 31 provinces as equal squares on a grid, coloured by value, with the value printed.

    Parameters
    ----------
    values : pandas.Series, optional
        Numbers indexed by ``province_code`` (int). Provinces that are missing or NaN are drawn as
        "no data" (light grey, hatched, "n/a"). May be omitted in categorical mode.
    ax : matplotlib Axes, optional
        Where to draw; by default a new 6.4 x 6.6 inch figure.
    provinces : pandas.DataFrame, optional
        Table with ``province_code`` (column or index), ``tile_row`` (0 = north) and ``tile_col``
        (0 = west); ``province_en`` is used when ``names="en"``. Default:
        ``course.data.load("provinces")``.
    title : str, optional
        A title that states the finding (see :func:`finding_title`).
    fmt : str or callable
        Format of the printed values, e.g. ``"{:.1f}"``, ``"{:+.1f}"``, ``"{:,.0f}"``.
    cmap : colormap or name, optional
        Default :data:`SEQUENTIAL`, or :data:`DIVERGING` when ``diverging=True``.
    label : str, optional
        Colour-bar label (the units), or the legend title in categorical mode.
    diverging : bool
        Centre the colours on ``center`` (default 0) with the same scale on both sides.
    center : float, optional
        Centre of a diverging scale (e.g. the national average). Implies ``diverging=True``.
    highlight : int or iterable of int, optional
        Province code(s) to outline with a thick black border.
    categories : pandas.Series, optional
        Labels indexed by ``province_code``: categorical mode. Tiles take a colour and a hatch
        per category (:data:`REGION_STYLE` for region names), a letter key (A, B, ...) is printed
        unless ``values`` is given, and a legend explains the categories. A ``pandas.Categorical``
        keeps every declared category (in its order) in the legend and its style fixed, even
        when no province has it.
    vmin, vmax : float, optional
        Fix the colour scale (e.g. the same scale for every year in a widget).
    names : {"abbr", "en", None}
        Print the ISO two-letter abbreviation (:data:`PROVINCE_ABBR`), the English name, or nothing.
    update : bool
        Redraw a widget's map in place: ``ax`` already holds a map drawn by this function, and its
        tiles, texts and colour bar are updated (colours, values, highlights, scale) instead of being
        built again, which halves the cost of a tile-map redraw. A plain numeric map (every
        province has a value, no legend) and a categorical map (new categories, hatches, letters
        and no-data tiles; the legend is kept when its entries are the same, else drawn again) can
        be updated, each as the same kind of map with the same layout, language and fonts as
        before; otherwise nothing is drawn and ``None`` is returned, and the caller draws on a new
        figure. The pixels are the same as a map drawn afresh.

    Returns
    -------
    matplotlib.axes.Axes
        Each tile is a ``Rectangle`` in ``ax.patches`` with gid ``"tile-<code>"``; the printed
        texts have gids ``"value-<code>"`` and ``"name-<code>"``.
    """
    prov = _provinces_frame(provinces)
    codes = prov.index
    categorical = categories is not None
    if values is None and not categorical:
        raise ValueError("tile_map: give values (a Series indexed by province_code) or categories")
    vals = None
    if values is not None:
        vals = _as_series(values, "values")
        _check_codes(vals, codes, "values")
        try:
            vals = pd.to_numeric(vals).astype(float)
        except (TypeError, ValueError):
            raise ValueError("tile_map: values must be numbers; for labels use categories=") from None
        vals = vals.reindex(codes)
    cats = None
    if categorical:
        cats = _as_series(categories, "categories")
        _check_codes(cats, codes, "categories")
        cats = cats.reindex(codes)
    if names not in ("abbr", "en", None):
        raise ValueError("tile_map: names must be 'abbr', 'en' or None")
    hl = set()
    if highlight is not None:
        hl = {int(highlight)} if np.isscalar(highlight) else {int(h) for h in highlight}
        bad = hl.difference(codes)
        if bad:
            raise ValueError(f"tile_map: highlight code(s) {sorted(bad)} are not in the provinces table")

    if update and ax is None:
        raise ValueError("tile_map: update=True needs the axes that hold the map")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 6.6))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.88)
    n_rows = int(prov["tile_row"].max()) + 1
    n_cols = int(prov["tile_col"].max()) + 1
    # font sizes are designed for 56-point tiles (the default figure); scale them with the tile
    pos = ax.get_position(original=True)  # as first laid out (a redraw has applied the aspect)
    tile_pt = 72 * min(pos.width * ax.figure.get_figwidth() / n_cols,
                       pos.height * ax.figure.get_figheight() / n_rows)
    k = float(np.clip(tile_pt / 56.0, 0.5, 1.5))

    # -- colours for every tile
    faces: dict[int, Any] = {}
    hatches: dict[int, str | None] = {}
    keys: dict[int, str] = {}
    legend_handles: list = []
    mappable = None
    if categorical:
        present = cats.dropna()
        if isinstance(cats.dtype, pd.CategoricalDtype):
            # a Categorical declares its levels: each keeps its colour, key and legend entry
            # whether or not a province has it, so a widget's colours do not shift as it redraws
            levels = list(cats.cat.categories)
        elif set(present).issubset(REGION_STYLE):
            levels = [r for r in REGIONS if r in set(present)]
        else:
            levels = sorted(set(present), key=str)
        if len(levels) > len(COLORS):
            raise ValueError(f"tile_map: {len(levels)} categories are too many to tell apart; "
                             f"group them into at most {len(COLORS)}")
        style = {lev: _style_for(lev, i) for i, lev in enumerate(levels)}
        letter = {lev: chr(ord("A") + i) for i, lev in enumerate(levels)}
        for code in codes:
            lev = cats.get(code)
            if pd.isna(lev):
                continue
            faces[code] = style[lev]["color"]
            hatches[code] = style[lev]["hatch"][:1] or None  # single-density hatch: text stays legible
            keys[code] = letter[lev]
        for lev in levels:
            legend_handles.append(Patch(facecolor=style[lev]["color"], hatch=style[lev]["hatch"][:1],
                                        edgecolor="white", label=f"{letter[lev]}  {lev}"))
    else:
        finite = vals[np.isfinite(vals)]
        if len(finite):
            lo = float(finite.min()) if vmin is None else float(vmin)
            hi = float(finite.max()) if vmax is None else float(vmax)
            if center is not None:
                diverging = True
            if diverging:
                c = 0.0 if center is None else float(center)
                half = max(abs(hi - c), abs(lo - c)) or 1.0
                norm = mcolors.Normalize(c - half, c + half)
                cm = mpl.colormaps[cmap or DIVERGING] if not isinstance(cmap, mcolors.Colormap) else cmap
            else:
                if hi <= lo:
                    pad = abs(lo) * 0.01 or 1.0
                    lo, hi = lo - pad, hi + pad
                norm = mcolors.Normalize(lo, hi)
                cm = mpl.colormaps[cmap or SEQUENTIAL] if not isinstance(cmap, mcolors.Colormap) else cmap
            rgba = cm(norm(finite.to_numpy()))
            faces = dict(zip(finite.index, map(tuple, rgba)))
            mappable = mpl.cm.ScalarMappable(norm=norm, cmap=cm)

    # a plain numeric map (every tile coloured, no hatch, no legend) can be updated in place later
    plain = (not categorical and mappable is not None and not hatches and not legend_handles
             and all(code in faces for code in codes))
    layout = (tuple(codes), names, k, n_rows, n_cols, vals is None, i18n.get_language(),
              repr(mpl.rcParams["font.family"]), repr(mpl.rcParams["font.sans-serif"]))
    if update:
        state = getattr(ax, "_course_tile_map", None)
        if not FASTDRAW or state is None or state["layout"] != layout:
            return None
        if categorical and state.get("categorical"):
            return _update_categorical_map(ax, state, codes, vals, faces, hatches, keys, hl, fmt, k,
                                           legend_handles, label, title)
        if not plain or state.get("categorical"):
            return None
        return _update_tile_map(ax, state, codes, vals, faces, hl, fmt, k, mappable, label, title)

    # -- tiles and texts
    any_missing = False
    drawn: dict[str, dict] = {"rects": {}, "mains": {}, "names": {}}
    size = 1.0 - _GAP
    rows = dict(zip(codes, prov["tile_row"].astype(int).tolist()))
    cols = dict(zip(codes, prov["tile_col"].astype(int).tolist()))
    english = (dict(zip(codes, prov["province_en"].astype(str).tolist()))
               if names == "en" and "province_en" in prov.columns else {})
    for code in codes:
        row, col = rows[code], cols[code]
        x0, y0 = col + _GAP / 2, row + _GAP / 2
        look = _tile_look(code, faces, hatches, keys, hl, vals, categorical, fmt, k)
        face, highlighted, tcolor, main, box = (faces.get(code), code in hl, look["tcolor"], look["main"],
                                                look["box"])
        any_missing = any_missing or face is None
        rect = Rectangle((x0, y0), size, size, gid=f"tile-{code}", **look["rect"])
        if highlighted:
            rect.set_zorder(3)
        # add_artist, not add_patch: add_patch also recomputes the data limits from each tile's path
        # (about a tenth of a tile-map redraw), and the limits are set explicitly below anyway
        ax.add_artist(rect)
        drawn["rects"][code] = rect
        if names is None:
            name, y_main = None, row + 0.5
        else:
            name = (PROVINCE_ABBR.get(code, str(code)) if names == "abbr"
                    else english.get(code, str(code)))
            y_main = row + 0.6
        fs = look["fontsize"]
        drawn["mains"][code] = _add_text(ax, col + 0.5, y_main, main, ha="center", va="center",
                                         fontsize=fs, fontweight="bold", color=tcolor,
                                         gid=f"value-{code}", zorder=4, bbox=box)
        # a widget's redraw lays out the same ~60 labels again (twice for a boxed one): reuse them
        fastdraw.cache_layout(drawn["mains"][code])
        if name is not None:
            if len(name) > 10 and " " in name:  # "Inner Mongolia", "Xizang (Tibet)": two lines
                name = "\n".join(textwrap.wrap(name, max(len(w) for w in name.split())))
            longest = max(len(line) for line in name.split("\n"))
            nfs = max(5.5, k * (7.0 if longest <= 10 else max(5.5, 7.0 * 11 / longest)))
            drawn["names"][code] = _add_text(ax, col + 0.5, row + 0.26, name, ha="center",
                                             va="center", fontsize=nfs, linespacing=1.0,
                                             color=tcolor, gid=f"name-{code}", zorder=4, bbox=box)
            fastdraw.cache_layout(drawn["names"][code])

    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)  # row 0 at the top
    ax.set_aspect("equal")
    ax.set_axis_off()

    # -- legends: the empty corners of the grid hold them
    if any_missing:
        legend_handles.append(Patch(facecolor=NO_DATA["facecolor"], hatch=NO_DATA["hatch"],
                                    edgecolor=NO_DATA["edgecolor"], label=_(NO_DATA["label"])))
    if categorical:
        _categorical_legend(ax, legend_handles, label, k)
    else:
        if legend_handles:
            ax.legend(handles=legend_handles, loc="upper left", fontsize=max(7, 9 * k), frameon=False,
                      handlelength=1.6, handleheight=1.2, borderaxespad=0.2)
        if mappable is not None:
            _colour_scale(ax, mappable.norm, mappable.cmap, label, n_rows, n_cols, k)
            ax.set_aspect("equal")  # imshow set it to "auto"
    if title:
        finding_title(ax, title)
    ax._course_tile_map = None
    if plain:
        ax._course_tile_map = dict(drawn, layout=layout, n_rows=n_rows, n_cols=n_cols)
    elif categorical:
        ax._course_tile_map = dict(drawn, layout=layout, categorical=True,
                                   legend=_legend_key(legend_handles, label, k))
    if ax._course_tile_map is not None:
        # a widget's map: a tile or label that looks as it did at an earlier redraw pastes its pixels
        # (hatched tiles and boxed labels were about two thirds of lesson 22's figure)
        for code in codes:
            _keep_tile_pixels(ax, drawn["rects"][code],
                              [t for t in (drawn["mains"].get(code), drawn["names"].get(code)) if t is not None])
    return ax


def _keep_tile_pixels(ax: Axes, rect: Rectangle, texts: list) -> None:
    """:func:`keep_pixels` for one tile of a map that is updated in place, and for its labels.

    The tile is drawn first, over the plain background (``beneath="plain"``), and keyed by
    everything that sets its look; an outlined tile (the highlighted province, drawn over its
    neighbours' margins) is always drawn. Each label is keyed by its own look and compared with the
    pixels beneath it (``beneath="same"``: its tile), its box included in the pixels kept.
    """
    def rect_place():
        if rect.get_linewidth() > 0:
            return None
        return (tuple(rect.get_facecolor()), rect.get_hatch(), tuple(rect.get_hatchcolor()),
                tuple(rect.get_edgecolor()), rect.get_hatch_linewidth(), rect.get_alpha(), rect.get_zorder(),
                tuple(ax.transData.get_matrix().flat))

    keep_pixels(rect, rect_place, keep=16, extent=lambda renderer: _patch_extent(rect))
    fits: dict = {}  # (string, size, ...) -> whether the label lies within its tile

    def label_extent(text, renderer):
        # the tile's box, once the label is known to lie within it (cheaper than the label's own)
        tile = _patch_extent(rect)
        shape = (_text_shape(text), renderer.dpi)
        inside = fits.get(shape)
        if inside is None:
            own = _text_extent(text, renderer)
            (a0, b0), (a1, b1) = own.get_points()
            (c0, d0), (c1, d1) = tile.get_points()
            inside = fits[shape] = a0 >= c0 - 1 and b0 >= d0 - 1 and a1 <= c1 + 1 and b1 <= d1 + 1
            if not inside:
                return own
        return tile if inside else _text_extent(text, renderer)

    for text in texts:
        keep_pixels(text, functools.partial(_text_look, text), keep=16, beneath="same",
                    extent=functools.partial(label_extent, text))


def _text_shape(text: Text) -> tuple:
    """Everything that decides where a text's pixels are: its words, font, size, alignment, place
    and its box's style (not the colours)."""
    patch = text.get_bbox_patch()
    box = None
    if patch is not None:
        style = patch.get_boxstyle()
        box = (patch.get_linewidth(), type(style).__name__, tuple(sorted(vars(style).items())))
    return (text.get_text(), text.get_fontsize(), text.get_fontweight(), tuple(text.get_fontfamily()),
            text.get_fontstyle(), text.get_rotation(), text.get_horizontalalignment(),
            text.get_verticalalignment(), text._linespacing, box,
            tuple(text.get_transform().transform(text.get_unitless_position())), fastdraw._rc_font_key(),
            i18n.get_language())


def _text_look(text: Text) -> tuple:
    """Everything that decides a text's pixels: its shape (:func:`_text_shape`) and colours."""
    patch = text.get_bbox_patch()
    fill = None if patch is None else (tuple(patch.get_facecolor()), tuple(patch.get_edgecolor()))
    return (_text_shape(text), mcolors.to_rgba(text.get_color(), text.get_alpha()), fill, text.get_zorder())


def _patch_extent(patch):
    """A box around a patch in display coordinates: its path's vertices' (a curve lies within its
    control points), which is several times cheaper than the exact ``get_window_extent``."""
    from matplotlib.transforms import Bbox

    points = patch.get_transform().transform(patch.get_path().vertices)
    return Bbox([points.min(axis=0), points.max(axis=0)])


def _text_extent(text: Text, renderer):
    """The box a text covers when drawn: its own and its bbox patch's."""
    from matplotlib.transforms import Bbox

    box = text.get_window_extent(renderer)
    if text.get_bbox_patch() is None:
        return box
    text.update_bbox_position_size(renderer)
    (a0, b0), (a1, b1) = box.get_points()
    (c0, d0), (c1, d1) = _patch_extent(text.get_bbox_patch()).get_points()
    return Bbox([[min(a0, c0), min(b0, d0)], [max(a1, c1), max(b1, d1)]])


def _tile_look(code, faces, hatches, keys, hl, vals, categorical, fmt, k) -> dict:
    """How :func:`tile_map` draws one tile: the rectangle's properties and the printed text's
    string, colour, size and box. A new map and a map updated in place use the same answer."""
    face = faces.get(code)
    highlighted = code in hl
    if face is None:
        rect = dict(facecolor=NO_DATA["facecolor"], hatch=NO_DATA["hatch"], hatchcolor=NO_DATA["hatchcolor"],
                    edgecolor="black" if highlighted else NO_DATA["edgecolor"],
                    linewidth=3.0 if highlighted else 0.8)
        tcolor = NO_DATA["textcolor"]
        main = _(NO_DATA["text"])
    else:
        tcolor = text_color_for(face)
        hatch = hatches.get(code)
        rect = dict(facecolor=face, hatch=hatch, hatchcolor=mcolors.to_rgba(tcolor, 0.35) if hatch else None,
                    edgecolor="black" if highlighted else "none", linewidth=3.0 if highlighted else 0.0)
        if vals is not None and np.isfinite(vals.get(code, np.nan)):
            main = _format(fmt, float(vals[code]))
        elif categorical:
            main = keys[code]
        else:  # categorical tile whose value is missing
            main = _(NO_DATA["text"])
    # hatched tiles (no data, categories) get a plain patch behind their texts, for legibility
    box = None
    if face is None:
        box = dict(boxstyle="round,pad=0.12", facecolor=NO_DATA["facecolor"], edgecolor="none")
    elif hatches.get(code):
        box = dict(boxstyle="round,pad=0.12", facecolor=face, edgecolor="none")
    fs = max(7.0, k * (9.5 if len(main) <= 7 else max(6.0, 9.5 * 7 / len(main))))
    return {"rect": rect, "tcolor": tcolor, "main": main, "box": box, "fontsize": fs}


def _categorical_legend(ax: Axes, handles: list, label: str | None, k: float) -> None:
    legend = ax.legend(handles=handles, loc="lower left", title=label, fontsize=max(7, 9 * k),
                       title_fontsize=max(7, 9 * k), frameon=False, handlelength=1.6, handleheight=1.2,
                       borderaxespad=0.2)
    # a widget's map keeps its legend while the categories stay the same: paste its pixels back;
    # a new legend (another k) lays out the entries it shares with the last one as before
    keep_pixels(legend)
    for text in [*legend.get_texts(), legend.get_title()]:
        fastdraw.cache_layout(text)


def _legend_key(handles: list, label: str | None, k: float) -> tuple:
    """What a categorical map's legend shows: equal keys draw the same legend."""
    return (label, k, tuple((h.get_label(), h.get_facecolor(), h.get_edgecolor(), h.get_hatch())
                            for h in handles))


def _set_box(text: Text, box: dict | None) -> None:
    """Give a text the box :func:`tile_map` would give a new one (reusing its patch if it has one)."""
    patch = text.get_bbox_patch()
    if box is None or patch is None:
        text.set_bbox(box)
    else:
        patch.set_facecolor(box["facecolor"])


def _update_categorical_map(ax: Axes, state: dict, codes, vals, faces, hatches, keys, hl, fmt, k,
                            legend_handles, label, title) -> Axes:
    """Give the tiles and texts of a categorical map drawn by :func:`tile_map` new categories.

    Sets exactly what :func:`tile_map` would have set on new artists; the legend is kept when it
    shows the same entries and drawn again (in the same place of the drawing order) when not.
    """
    any_missing = False
    for code in codes:
        look = _tile_look(code, faces, hatches, keys, hl, vals, True, fmt, k)
        any_missing = any_missing or faces.get(code) is None
        r = look["rect"]
        rect = state["rects"][code]
        # in the order Patch.__init__ sets them (the hatch colour may follow the edge colour)
        rect.set_edgecolor(r["edgecolor"])
        rect.set_hatchcolor(r["hatchcolor"])
        rect.set_facecolor(r["facecolor"])
        rect.set_linewidth(r["linewidth"])
        rect.set_hatch(r["hatch"])
        rect.set_zorder(3 if code in hl else Rectangle.zorder)
        text = state["mains"][code]
        text.set_text(look["main"])
        text.set_fontsize(look["fontsize"])
        text.set_color(look["tcolor"])
        _set_box(text, look["box"])
        if code in state["names"]:
            state["names"][code].set_color(look["tcolor"])
            _set_box(state["names"][code], look["box"])
    if any_missing:
        legend_handles.append(Patch(facecolor=NO_DATA["facecolor"], hatch=NO_DATA["hatch"],
                                    edgecolor=NO_DATA["edgecolor"], label=_(NO_DATA["label"])))
    key = _legend_key(legend_handles, label, k)
    if key != state["legend"] or ax.get_legend() is None:
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        _categorical_legend(ax, legend_handles, label, k)
        state["legend"] = key
    if title:
        finding_title(ax, title)
    return ax


def _update_tile_map(ax: Axes, state: dict, codes, vals, faces, hl, fmt, k, mappable, label, title) -> Axes:
    """Give the tiles and texts of a plain map drawn by :func:`tile_map` new colours and values.

    Sets exactly what :func:`tile_map` would have set on new artists, in the same drawing order:
    the tiles and texts keep their place, the colour bar (drawn last) is drawn again.
    """
    for code in codes:
        face = faces[code]
        highlighted = code in hl
        tcolor = text_color_for(face)
        rect = state["rects"][code]
        rect.set_facecolor(face)
        rect.set_edgecolor("black" if highlighted else "none")
        rect.set_linewidth(3.0 if highlighted else 0.0)
        rect.set_zorder(3 if highlighted else Rectangle.zorder)
        main = _format(fmt, float(vals[code]))
        text = state["mains"][code]
        text.set_text(main)
        text.set_fontsize(max(7.0, k * (9.5 if len(main) <= 7 else max(6.0, 9.5 * 7 / len(main)))))
        text.set_color(tcolor)
        if code in state["names"]:
            state["names"][code].set_color(tcolor)
    keep = {}
    for artist in [a for a in ax.get_children() if str(a.get_gid() or "").startswith("colorbar")]:
        if artist.get_gid() in ("colorbar", "colorbar-outline", "colorbar-ticks"):
            keep[artist.get_gid()] = artist
        else:  # tick labels and the label: drawn again
            artist.remove()
    _colour_scale(ax, mappable.norm, mappable.cmap, label, state["n_rows"], state["n_cols"], k, keep)
    ax.set_aspect("equal")
    if title:
        finding_title(ax, title)
    return ax


# --------------------------------------------------------------------------------------------
# Titles and display
# --------------------------------------------------------------------------------------------


def finding_title(ax_or_fig: Axes | Figure, text: str, *, width: int | None = None) -> Text:
    """Set a title that states the finding, wrapped to the width of the axes or figure.

    On a Figure it sets the suptitle (left-aligned); on an Axes the left title. ``width`` is the
    wrap width in characters (default: what fits the axes at the title's font size).
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("finding_title: the title must be a non-empty sentence stating the finding")
    size = 12.5
    if isinstance(ax_or_fig, Figure):
        inches = ax_or_fig.get_figwidth()
    else:
        inches = ax_or_fig.figure.get_figwidth() * ax_or_fig.get_position().width
    if width is None:
        width = max(20, int(inches * 72 / (size * 0.56)))
    wrapped = "\n".join(wrap_text(text, width))
    if isinstance(ax_or_fig, Figure):
        return ax_or_fig.suptitle(wrapped, x=0.02, ha="left", fontsize=size, fontweight="bold")
    return ax_or_fig.set_title(wrapped, loc="left", fontsize=size, fontweight="bold")


def figure_title(fig: Figure) -> str:
    """The figure's title text: its suptitle, else the axes titles joined ("" if none)."""
    parts = []
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        parts.append(sup.get_text())
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            t = ax.get_title(loc=loc)
            if t.strip():
                parts.append(t)
    return " | ".join(" ".join(p.split()) for p in parts)


def _check_figure(fig: Figure, alt: str) -> str:
    if not isinstance(fig, Figure):
        raise TypeError(f"expected a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("every course figure needs alt text: describe what the figure shows")
    title = figure_title(fig)
    if not title:
        raise ValueError("every course figure needs a title that states its finding "
                         "(use course.plots.finding_title)")
    return title


def _figure_texts(fig: Figure, ticks: bool) -> Iterable[str]:
    """The strings of a figure's texts; tick labels only if ``ticks`` (they exist after a draw)."""
    yield from (t.get_text() for t in fig.texts)
    for ax in fig.axes:
        if ticks:
            if ax.axison:
                # the labels of the ticks the draw made (asking the axis for its tick labels would
                # run its locator and formatter again, about 5 % of a redraw); ticks kept from an
                # earlier draw of this figure are read too, which can only find more
                for axis in (ax.xaxis, ax.yaxis):
                    for tick in (*axis.majorTicks, *axis.minorTicks):
                        yield tick.label1.get_text()
                        yield tick.label2.get_text()
            continue
        yield from (t.get_text() for t in ax.texts)
        yield from (ax.get_title(loc=loc) for loc in ("left", "center", "right"))
        yield ax.xaxis.label.get_text()
        yield ax.yaxis.label.get_text()
        leg = ax.get_legend()
        if leg is not None:
            yield leg.get_title().get_text()
            yield from (t.get_text() for t in leg.get_texts())
    for leg in fig.legends:
        yield from (t.get_text() for t in leg.get_texts())


def wrap_text(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` Latin characters' width; a Chinese character counts as two.

    English wraps at spaces (:func:`textwrap.wrap`); Chinese, which has no spaces, may break
    between any two characters, but not before closing punctuation.

    >>> wrap_text("新质生产力以创新为主导，具有高科技、高效能、高质量特征", 20)
    ['新质生产力以创新为主', '导，具有高科技、高效', '能、高质量特征']
    """
    text = " ".join(text.split())
    if not _CJK.search(text):
        return textwrap.wrap(text, width=width) or [""]
    lines, line, used = [], "", 0
    for token in re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+", text):
        w = sum(2 if _CJK.match(ch) or "\u3000" <= ch <= "\u303f" else 1 for ch in token)
        if token.isspace():
            if line and used + 1 <= width:
                line, used = line + " ", used + 1
            continue
        closing = token[0] in "，。、；：！？）》」』”’,.;:!?)"
        if used + w > width and line.strip() and not closing:
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + token, used + w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _check_english(fig: Figure, ticks: bool = False) -> None:
    if i18n.is_chinese():
        return
    for s in _figure_texts(fig, ticks):
        if s and _CJK.search(s):
            raise ValueError(f"chart text must be English only (found {s!r}); "
                             "keep Chinese terms in the prose")


#: zlib level of the PNGs of interactive redraws: level 1 encodes about three times faster than
#: the default 6 for a file about a fifth larger; the pixels are identical (PNG is lossless).
FAST_PNG_LEVEL = 1
#: Whether fast redraws use :mod:`course.fastdraw` and widgets' tile maps are updated in place
#: (``tile_map(update=True)``); ``COURSE_FASTDRAW=0`` in the environment turns both off (stock Agg,
#: PNG level 1, a new figure per redraw), e.g. for an A/B run of ``scripts/benchmark.py``.
FASTDRAW = os.environ.get("COURSE_FASTDRAW", "1") != "0"


def reuse_key(*layout) -> tuple:
    """What a figure that a widget keeps for its next redraw depends on beyond the data (issue 14).

    Text artists keep the fonts they were created with, so the figure is reused only while the
    language and the fonts are unchanged (a switch to Chinese needs a new figure), and while
    ``layout`` (what else fixes the figure's structure: its series, a highlight ...) is the same.
    With ``COURSE_FASTDRAW=0`` no key equals another: a new figure per redraw, the stock path.
    """
    if not FASTDRAW:
        return ("no reuse", object())  # never equal to another key
    from .i18n import get_language

    return (get_language(), repr(mpl.rcParams["font.family"]), repr(mpl.rcParams["font.sans-serif"]), *layout)


def kept(view: dict | None, *layout) -> bool:
    """Whether ``view`` (the dict an Explorer keeps between redraws) holds a figure made under the
    current :func:`reuse_key` ``(*layout)``, so that the next setting can be put into it."""
    return view is not None and view.get("fig") is not None and view.get("key") == reuse_key(*layout)


def keep(view: dict | None, fresh: dict) -> dict:
    """Keep ``fresh`` (a new figure's parts, with its ``"key"``) in ``view`` for the next redraw, in
    place of what was there; returns the dict to draw into (``fresh`` itself when there is no view)."""
    if view is None:
        return fresh
    view.clear()
    view.update(fresh)
    return view


@functools.lru_cache(maxsize=1)
def layered_figure_class():
    """A Figure that keeps the pixels of its unchanging layer and draws only its changing artists.

    For a widget whose axes, ticks, grid, legends and labels stay the same from one setting to the
    next (lessons 32's two Explorers): pass it as ``FigureClass`` and list the artists that change
    in ``fig.course_dynamic``. The figure draws everything else once, keeps the pixels (per renderer
    size and background colour), and on later draws copies them back and draws the changing artists
    over them, in the order given. The changing artists are always drawn last, over the kept layer
    (so a curve passes over a legend), on the first draw too: a new figure and an updated one give
    the same pixels (``tests/test_redraw_reuse_a.py``, ``_d.py``). Other renderers (PDF, SVG, a
    disabled renderer measuring text) and ``COURSE_FASTDRAW=0`` draw the figure as usual.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    class LayeredFigure(Figure):
        course_dynamic: tuple = ()

        def course_forget_layer(self) -> None:
            self.__dict__["_course_layer"] = {}

        def draw(self, renderer):
            dynamic = [a for a in self.course_dynamic if a.get_visible()]
            if (not FASTDRAW or not isinstance(renderer, RendererAgg) or "draw_path" in vars(renderer)
                    or not self.get_visible() or not dynamic):
                return super().draw(renderer)
            layers = self.__dict__.setdefault("_course_layer", {})
            key = (type(renderer), renderer.width, renderer.height, renderer.dpi, tuple(self.get_facecolor()))
            buffer = np.asarray(renderer.buffer_rgba())
            kept = layers.get(key)
            if kept is None:
                for a in dynamic:
                    a.set_visible(False)
                try:
                    super().draw(renderer)
                finally:
                    for a in dynamic:
                        a.set_visible(True)
                layers.clear()
                layers[key] = buffer.copy()
            else:
                buffer[...] = kept
            for a in dynamic:
                a.draw(renderer)
            self.stale = False

    return LayeredFigure


#: what :func:`keep_pixels` did since the kernel started: pasted, drawn and kept, drawn (a different beneath)
KEEP_STATS = {"pasted": 0, "kept": 0, "drawn": 0}


def one_layout_per_draw(legend) -> None:
    """Let the legend lay out its boxes once per draw instead of once per level of nesting.

    A legend is a tree of boxes (columns of rows of a handle and a text); drawing it asks every box
    for its size and its children's offsets, and each box asks its children again, so the texts of
    the entries are measured and placed many times over (about 40 % of lesson 11's chart's redraw,
    whose entries' numbers change on every redraw). While the legend draws, nothing in it changes, so each
    box's answer is kept until the end of that draw: the same layout, the same pixels. Outside a
    draw (measurements of the figure's extent) the boxes answer as usual.
    """
    from matplotlib.offsetbox import OffsetBox

    root = getattr(legend, "_legend_box", None)
    if root is None or not hasattr(root, "_get_bbox_and_child_offsets"):
        return  # another matplotlib: draw as usual
    memo: dict = {}
    drawing = []

    def keep(box):
        compute = box._get_bbox_and_child_offsets

        def layout(renderer):
            if not drawing:
                return compute(renderer)
            if box not in memo:   # one draw, one renderer
                memo[box] = compute(renderer)
            return memo[box]

        box._get_bbox_and_child_offsets = layout
        for child in box.get_children():
            if isinstance(child, OffsetBox):
                keep(child)

    keep(root)
    draw = legend.draw

    def draw_once(renderer):
        memo.clear()
        drawing.append(True)
        try:
            return draw(renderer)
        finally:
            drawing.clear()
            memo.clear()

    legend.draw = draw_once


def _digest(pixels: np.ndarray) -> bytes:
    """A 128-bit digest of an image region (kept instead of the region itself)."""
    return hashlib.blake2b(np.ascontiguousarray(pixels).data, digest_size=16).digest()


def keep_pixels(artist, place: Callable[[], tuple | None] | None = None, keep: int = 1, *,
                beneath: str = "plain", extent: Callable | None = None) -> None:
    """Let an artist that rarely changes paste its pixels back instead of drawing itself again.

    The first time the artist is drawn at a place (the renderer's size and dpi, plus what ``place()``
    returns: for a text that moves, its string, font and display position), what the box it covers
    held before it drew and the pixels it drew there are kept (for at most ``keep`` places). A later
    draw at the same place pastes those pixels when the box holds what it held before, which gives
    exactly the pixels drawing it would give (Agg blends each pixel of an artist with the pixel
    beneath only). ``beneath="plain"`` keeps only artists drawn over plain background and compares the
    colour; ``beneath="same"`` keeps any, compares a 128-bit digest of the pixels beneath (a label
    over its coloured tile) and keeps only the pixels the draw changed.
    ``place()`` may return None: draw as usual, keep nothing (a look the key does not describe).
    ``extent(renderer)`` gives the box when the artist's window extent is too small (a text's box).
    A draw that warned of a glyph missing from the fonts is not kept (``figure_bundle`` must see
    the warning again). Otherwise, and for other renderers (PDF, SVG, a renderer that only measures
    text) or ``COURSE_FASTDRAW=0``, the artist draws itself as usual. Used for legends, lesson 13's
    rotated y label (``course.fastdraw`` caches only horizontal text) and tile maps' tiles and labels.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    if beneath not in ("plain", "same"):
        raise ValueError("keep_pixels: beneath must be 'plain' or 'same'")
    draw = artist.draw
    kept: dict = {}

    def region(renderer, box):
        height, width = int(renderer.height), int(renderer.width)
        x0, x1 = max(0, int(np.floor(box.x0)) - 2), min(width, int(np.ceil(box.x1)) + 2)
        y0, y1 = max(0, height - int(np.ceil(box.y1)) - 2), min(height, height - int(np.floor(box.y0)) + 2)
        return np.asarray(renderer.buffer_rgba())[y0:y1, x0:x1]

    def plain(pixels):
        """The one colour of ``pixels``, or None if they are not all the same."""
        if pixels.size == 0:
            return None
        first = pixels[0, 0].copy()
        return first if (pixels == first).all() else None

    def cached_draw(renderer):
        if (not FASTDRAW or not isinstance(renderer, RendererAgg) or "draw_path" in vars(renderer)
                or not artist.get_visible()):
            return draw(renderer)
        where = place() if place else ()
        if where is None:
            return draw(renderer)
        key = (type(renderer), renderer.width, renderer.height, renderer.dpi, *where)
        found = kept.get(key)
        if found is not None:
            box, shape, before, (row, col, pixels) = found
            target = region(renderer, box)
            if target.shape == shape:
                if beneath == "plain":
                    now = plain(target)
                    same = now is not None and (now == before).all()
                else:
                    same = _digest(target) == before
                if same:
                    target[row:row + pixels.shape[0], col:col + pixels.shape[1]] = pixels
                    artist.stale = False
                    KEEP_STATS["pasted"] += 1
                    return None
            KEEP_STATS["drawn"] += 1
            return draw(renderer)
        def measure_and_draw():
            box = extent(renderer) if extent else artist.get_window_extent(renderer)  # lays text out
            under = region(renderer, box)
            return box, (plain(under) if beneath == "plain" else under.copy()), draw(renderer)

        # the warnings are passed on; a missing glyph's means the pixels are not kept
        (box, before, result), missing = fastdraw._computed(measure_and_draw)
        if before is not None and not missing:
            if len(kept) >= keep:
                kept.clear()
            after = region(renderer, box)
            if beneath == "plain":
                kept[key] = (box, after.shape, before, (0, 0, after.copy()))
            else:
                # kept: a digest of the pixels beneath and only the pixels the draw changed (a label
                # is a fraction of its tile's box)
                rows, cols = np.nonzero((after != before).any(axis=2))
                r0, c0 = (int(rows.min()), int(cols.min())) if len(rows) else (0, 0)
                r1, c1 = (int(rows.max()) + 1, int(cols.max()) + 1) if len(rows) else (0, 0)
                kept[key] = (box, after.shape, _digest(before), (r0, c0, after[r0:r1, c0:c1].copy()))
            KEEP_STATS["kept"] += 1
        else:
            KEEP_STATS["drawn"] += 1
        return result

    artist.draw = cached_draw


def figure_bundle(fig: Figure, alt: str, caption: str | None = None, *, fast: bool = False,
                  cached_text: bool = False) -> dict[str, str]:
    """The rich-output bundle of a figure: PNG, an HTML ``<figure>`` with alt text, and plain text.

    ``fast`` (interactive redraws) draws with :mod:`course.fastdraw` (text sizes, layouts and glyphs
    cached across figures) and encodes the PNG with less compression: the same pixels, less CPU.
    ``cached_text=True`` without ``fast`` draws with :mod:`course.fastdraw` but encodes as usual:
    the same bytes as matplotlib's own PNG, and the text caches are filled for the redraws to come
    (an Explorer's default view).
    Raises ``ValueError`` if ``alt`` is empty, the figure has no title, its text has Chinese
    characters in the English edition, or it has a character no installed font can draw (in either
    edition, fast or not: fastdraw repeats a cached string's missing-glyph warning). The figure is
    not closed (see :func:`show`).
    """
    _check_figure(fig, alt)
    _check_english(fig)
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", message=r"Glyph \d+ .*missing from font")
        if fast and FASTDRAW:
            # the same pixels, drawn with cached text (course.fastdraw) and encoded with less compression
            data = fastdraw.figure_png(fig, compress_level=FAST_PNG_LEVEL)
        elif cached_text and FASTDRAW:
            data = fastdraw.figure_png(fig, compress_level=None)
        else:
            buf = io.BytesIO()
            extra = {"pil_kwargs": {"compress_level": FAST_PNG_LEVEL}} if fast else {}
            fig.savefig(buf, format="png", dpi="figure", facecolor="white", metadata={"Software": None},
                        **extra)
            data = buf.getvalue()
    missing = sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})
    for w in caught:  # pass other warnings on, as if they had not been caught
        if "missing from font" not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    _check_english(fig, ticks=True)  # tick labels exist once the figure is drawn
    if missing:
        raise ValueError(f"the figure {figure_title(fig)[:60]!r} has text no installed font can draw "
                         f"(it would show empty boxes): {'; '.join(missing[:3])}")
    png = base64.b64encode(data).decode("ascii")
    alt_attr = html.escape(alt.strip(), quote=True)
    cap = html.escape(caption or "", quote=True)
    return {
        "image/png": png,
        "text/html": (f'<figure class="course-figure"><img alt="{alt_attr}" '
                      f'src="data:image/png;base64,{png}"><figcaption>{cap}</figcaption></figure>'),
        "text/plain": "Figure: " + alt.strip(),
    }


def figure_metadata(alt: str) -> dict[str, dict[str, str]]:
    """Output metadata that goes with :func:`figure_bundle`."""
    return {"image/png": {"alt": alt.strip()}}


def _log(fig: Figure, alt: str, caption: str | None) -> None:
    FIGURE_LOG.append({"title": figure_title(fig), "alt": alt.strip(), "caption": caption or ""})
    if len(FIGURE_LOG) > FIGURE_LOG_MAX:
        del FIGURE_LOG[: len(FIGURE_LOG) - FIGURE_LOG_MAX]


def close(fig: Figure) -> None:
    """Close a figure (release its memory and keep pyplot from showing it again)."""
    plt.close(fig)


def show(fig: Figure, alt: str, *, caption: str | None = None) -> None:
    """Display a course figure with its alt text, then close it.

    The output has ``image/png`` (with ``{"alt": alt}`` metadata), ``text/html`` (a ``<figure>``
    whose ``<img>`` carries the alt text, with an optional caption, e.g. the data citation) and
    ``text/plain`` ("Figure: " + alt). The figure is logged in :data:`FIGURE_LOG`.

    Raises
    ------
    ValueError
        If ``alt`` is empty or the figure has no title (see :func:`finding_title`).
    """
    try:
        bundle = figure_bundle(fig, alt, caption)
    except ValueError:
        plt.close(fig)
        raise
    _log(fig, alt, caption)
    plt.close(fig)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the course environment
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(bundle, raw=True, metadata=figure_metadata(alt))
    else:  # plain Python: say what would be shown
        print(bundle["text/plain"])


# --------------------------------------------------------------------------------------------
# Line and bar charts
# --------------------------------------------------------------------------------------------


def annotate_last(ax: Axes, lines: Iterable | None = None, *, fontsize: float = 9.5,
                  min_gap: float | None = None) -> list[Text]:
    """Label each line at its last finite point, so series are identified without colour.

    Labels are the lines' ``label``; overlapping labels are pushed apart vertically by at least
    ``min_gap`` points (default 1.15 x font size). Returns the Text objects.
    """
    lines = [ln for ln in (ax.get_lines() if lines is None else lines)
             if not str(ln.get_label()).startswith("_")]
    ax.relim()
    ax.autoscale_view()
    ends = []
    for ln in lines:
        x = np.asarray(ln.get_xdata(), dtype=float)
        y = np.asarray(ln.get_ydata(), dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            continue
        i = np.flatnonzero(ok)[-1]
        ends.append((ln, x[i], y[i]))
    if not ends:
        return []
    px_per_pt = ax.figure.dpi / 72
    gap = (min_gap or fontsize * 1.15) * px_per_pt
    disp = [ax.transData.transform((x, y))[1] for _, x, y in ends]
    order = np.argsort(disp)
    placed = np.array(disp, dtype=float)
    for k in range(1, len(order)):  # bottom-up: keep each label at least `gap` above the previous
        a, b = order[k - 1], order[k]
        placed[b] = max(placed[b], placed[a] + gap)
    texts = []
    for j, (ln, x, y) in enumerate(ends):
        color = readable_on_white(ln.get_color())
        dy = (placed[j] - disp[j]) / px_per_pt
        texts.append(ax.annotate(ln.get_label(), xy=(x, y), xytext=(6, dy),
                                 textcoords="offset points", va="center", ha="left",
                                 fontsize=fontsize, color=color, annotation_clip=False))
    return texts


def line_chart(frame: pd.DataFrame, x: str, ys, *, ax: Axes | None = None,
               labels: Mapping[str, str] | None = None, title: str | None = None,
               xlabel: str | None = None, ylabel: str | None = None,
               direct_labels: bool = True) -> Axes:
    """Lines of ``frame[ys]`` against ``frame[x]``, each with its own colour, marker and line style.

    Columns named like a region ("East", ..., "National") take :data:`REGION_STYLE`; others take
    :func:`series_style`. With ``direct_labels`` the lines are labelled at their ends
    (:func:`annotate_last`), otherwise a legend is drawn.
    """
    ys = [ys] if isinstance(ys, str) else list(ys)
    missing = [c for c in [x, *ys] if c not in frame.columns]
    if missing:
        raise ValueError(f"line_chart: no column(s) {', '.join(map(repr, missing))} in the frame")
    labels = dict(labels or {})
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        fig.subplots_adjust(left=0.11, right=0.8 if direct_labels else 0.97, bottom=0.12, top=0.86)
    n = len(frame)
    markevery = 1 if n <= 15 else max(1, n // 10)
    for i, col in enumerate(ys):
        st = _style_for(col, i)
        ax.plot(frame[x].to_numpy(), frame[col].to_numpy(dtype=float), color=st["color"],
                marker=st["marker"], linestyle=st["linestyle"], markevery=markevery,
                label=labels.get(col, str(col)))
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if direct_labels:
        annotate_last(ax)
    else:
        ax.legend()
    if title:
        finding_title(ax, title)
    return ax


def bar_chart(values: pd.Series, *, ax: Axes | None = None, groups: pd.Series | None = None,
              labels: Mapping | None = None, title: str | None = None, xlabel: str | None = None,
              fmt: str | Callable[[float], str] = "{:.1f}", sort: bool = True,
              highlight=None) -> Axes:
    """Horizontal bars with the value printed at each bar's end.

    ``groups`` (labels aligned with ``values``, e.g. NBS regions) gives each bar its group's colour
    and hatch, with a legend. ``labels`` maps index values to the names shown (default: the index).
    Missing values are marked "n/a". ``highlight`` (index value or values) draws a thick outline.
    """
    s = pd.Series(values).astype(float)
    if sort:
        s = s.sort_values(ascending=True, na_position="first")
    names = [str((labels or {}).get(k, k)) for k in s.index]
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, max(2.5, 0.24 * len(s) + 1.2)))
        fig.subplots_adjust(left=0.25, right=0.95, bottom=0.08, top=0.9)
    hl = set() if highlight is None else ({highlight} if np.isscalar(highlight) else set(highlight))
    pos = np.arange(len(s))
    if groups is not None:
        g = pd.Series(groups).reindex(s.index)
        levels = [r for r in REGIONS if r in set(g.dropna())] or sorted(set(g.dropna()), key=str)
        levels += sorted(set(g.dropna()) - set(levels), key=str)
        style = {lev: _style_for(lev, i) for i, lev in enumerate(levels)}
        colors = [style[v]["color"] if pd.notna(v) else NO_DATA["facecolor"] for v in g]
        hatch = [style[v]["hatch"] if pd.notna(v) else None for v in g]
    else:
        colors, hatch = [COLORS[0]] * len(s), [None] * len(s)
    bars = ax.barh(pos, s.fillna(0).to_numpy(), color=colors, edgecolor="white", linewidth=0.5)
    for bar, h, key in zip(bars, hatch, s.index):
        if h:
            bar.set_hatch(h)
            bar.set_hatchcolor("white")
        if key in hl:
            bar.set_edgecolor("black")
            bar.set_linewidth(2.5)
    ax.set_yticks(pos, names)
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.08)  # room for the printed values
    span = float(np.nanmax(np.abs(s.to_numpy()))) if s.notna().any() else 1.0
    for p, v in zip(pos, s.to_numpy()):
        txt = NO_DATA["text"] if not np.isfinite(v) else _format(fmt, v)
        _add_text(ax, (v if np.isfinite(v) else 0) + 0.01 * span * (1 if not np.isfinite(v) or v >= 0 else -1),
                  p, txt, va="center", ha="left" if not np.isfinite(v) or v >= 0 else "right",
                  fontsize=8.5)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if groups is not None:
        ax.legend(handles=[Patch(facecolor=style[lev]["color"], hatch=style[lev]["hatch"],
                                 edgecolor="white", label=str(lev)) for lev in levels],
                  loc="lower right")
    if title:
        finding_title(ax, title)
    return ax
