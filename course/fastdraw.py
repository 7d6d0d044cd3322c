"""Cheaper interactive redraws: an Agg canvas that remembers the text it has drawn.

Why
---
Profiling the lessons' widget redraws (issue 14) showed that matplotlib spends most of a redraw
on text: a tile map prints about 70 labels and each costs about 1 ms (matplotlib 3.11 shapes the
string, measures it, then renders and blends every glyph one by one, for every new figure). Across
redraws the same strings come back again and again (province abbreviations, tick labels, legend
entries, digits), yet a new figure starts with empty caches.

What
----
:class:`FastRendererAgg` is matplotlib's own Agg renderer with three process-wide caches:

- the *size* of a string (width, height, descent) by string, font files, size, dpi and hinting;
- the *layout* of a string (which glyph of which font goes where) by the same key;
- the *bitmap* of a glyph by font file, size, dpi, glyph, hinting, antialiasing and its position
  within a pixel.

Glyph positions are rounded to a quarter pixel (:data:`SUBPIXEL`; matplotlib keeps 1/64), so a glyph
is rendered at most 16 ways and after a few redraws nearly every glyph is a cache hit. Text moves by
at most 1/8 pixel, which no reader can see; with ``SUBPIXEL = 64`` the output is the same, pixel for
pixel, as matplotlib's. Everything else (lines, patches, images, hatches) is drawn by matplotlib
unchanged, and so are mathtext, text with OpenType features or a language set, and rotated text unless
its artist opts in with :func:`cache_rotated` (then its glyphs are cached by rotation as well).

Two opt-ins per text artist: :func:`cache_rotated` (rotated glyphs cached by rotation too) and
:func:`cache_layout` (the text's line layout reused while its words, font, size, alignment, rotation
and dpi are unchanged); both give matplotlib's own pixels (``tests/test_redraw_reuse_f.py``).
While :func:`figure_png` draws, every other text (tick labels too, which their axis makes anew, so
they cannot opt in one by one) shares those layouts by the same key, and each axis works out its
ticks and their labels' boxes once per draw instead of twice (``tests/test_fastdraw.py``).

:func:`figure_png` draws a figure with this renderer and encodes it as a PNG;
``course.plots.figure_bundle(fig, alt, fast=True)`` (every Explorer redraw) uses it. An Explorer's
default view is drawn with it too but encoded as matplotlib encodes (``cached_text=True``: the same
bytes), so the first redraws find the caches filled; other static figures are drawn by matplotlib.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
>>> _ = ax.set_title("Hello")
>>> figure_png(fig)[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
>>> plt.close(fig)
"""

from __future__ import annotations

import io
import math
import warnings

import matplotlib as mpl
import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font

__all__ = ["FastRendererAgg", "FastCanvasAgg", "figure_png", "cache_info", "clear_caches", "cache_rotated",
           "cache_layout",
           "SUBPIXEL"]

#: Glyph positions per pixel, a power of two up to 64 (matplotlib's own). 4 = quarter pixels: text
#: shifts by at most 1/8 pixel.
SUBPIXEL = 64
#: Bound on each cache; a full cache is emptied and refilled (a few MB at most).
MAX_ENTRIES = 50_000

_METRICS: dict = {}
_LAYOUTS: dict = {}
_GLYPHS: dict = {}
_FONTS: dict = {}
_STATS = {"glyph_hits": 0, "glyph_misses": 0, "layout_hits": 0, "layout_misses": 0,
          "metric_hits": 0, "metric_misses": 0, "fallbacks": 0, "text_layout_hits": 0, "text_layout_misses": 0}
_IDENTITY = np.array([[0x10000, 0], [0, 0x10000]])
_RC_FONT_KEYS = ("font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy",
                 "font.monospace")

try:  # the private FreeType hooks this module relies on (matplotlib 3.11)
    from matplotlib.ft2font import FT2Font, RenderMode

    _SUPPORTED = all(hasattr(FT2Font, a) for a in ("_layout", "_render_glyph", "_set_transform"))
except ImportError:  # pragma: no cover - another matplotlib: plain Agg everywhere
    _SUPPORTED = False
#: the private Axis methods :func:`_one_tick_update` relies on (matplotlib 3.11)
_TICKS_SUPPORTED = all(hasattr(Axis, a) for a in ("_update_ticks", "_get_ticklabel_bboxes"))


def cache_info() -> dict[str, int]:
    """Hits and misses of the three caches since the last :func:`clear_caches`, and their sizes."""
    return dict(_STATS, glyphs=len(_GLYPHS), layouts=len(_LAYOUTS), metrics=len(_METRICS))


def clear_caches() -> None:
    """Forget every cached size, layout and glyph (e.g. after installing a font)."""
    for cache in (_METRICS, _LAYOUTS, _GLYPHS, _FONTS, _TEXT_LAYOUTS):
        cache.clear()
    for k in _STATS:
        _STATS[k] = 0


def _computed(compute):
    """``(compute(), warnings)``: the missing-glyph warnings ``compute`` gave, kept to be repeated.

    Matplotlib warns "Glyph ... missing from font(s) ..." while it shapes or measures a string;
    a cache hit skips that work, so the cache keeps the warnings and :func:`_repeat` gives them
    again on every hit (``course.plots.figure_bundle`` refuses a figure that gives one). Every
    warning ``compute`` gave is passed on at once, as if it had not been caught.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = compute()
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return value, tuple(w.message for w in caught if "missing from font" in str(w.message))


def _repeat(missing: tuple) -> None:
    for message in missing:
        warnings.warn(message, stacklevel=3)


def _store(cache: dict, key, value):
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    cache[key] = value
    return value


_RC_FONTS: list = [None, None]  # [the rcParams font values last seen (copies), their key]


def _rc_font_key() -> tuple:
    """The rcParams that choose fonts, as a key; rebuilt only when one of them changed.

    Comparing the current values with copies kept from the last call is several times cheaper than
    making the key again (this runs for every text drawn or measured, ~200 times per redraw), and
    it still notices a list changed in place.
    """
    rc = mpl.rcParams
    values = [dict.__getitem__(rc, k) for k in _RC_FONT_KEYS]
    if values != _RC_FONTS[0]:
        _RC_FONTS[1] = tuple(v if isinstance(v, str) else tuple(v) for v in values)
        _RC_FONTS[0] = [v if isinstance(v, str) else list(v) for v in values]
    return _RC_FONTS[1]


def _font_files(prop) -> tuple:
    """The font files matplotlib would use for ``prop`` (what ``RendererAgg._prepare_font`` looks up)."""
    key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
           prop.get_stretch(), prop.get_file(), _rc_font_key())
    files = _FONTS.get(key)
    if files is None:
        files = _store(_FONTS, key, tuple(fontManager._find_fonts_by_props(prop)))
    return files


class FastRendererAgg(RendererAgg):
    """``RendererAgg`` with cached text sizes, layouts and glyph bitmaps (see the module docstring)."""

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath or not _SUPPORTED:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_files(prop), prop.get_size_in_points(), self.dpi, get_hinting_flag())
        found = _METRICS.get(key)
        if found is not None:
            _STATS["metric_hits"] += 1
            value, missing = found
            _repeat(missing)
            return value
        _STATS["metric_misses"] += 1
        found = _computed(lambda: super(FastRendererAgg, self).get_text_width_height_descent(s, prop, ismath))
        return _store(_METRICS, key, found)[0]

    def _get_font_height_metrics(self, prop):
        """Ascent, descent and line gap of the font, as ``Text`` computes them (cached).

        ``matplotlib.text.Text`` asks the renderer for these first and otherwise reads the font's
        OS/2 or hhea table itself, for every text at every draw.
        """
        if not _SUPPORTED:
            return None, None, None
        size = prop.get_size_in_points()
        key = ("height", _font_files(prop), size, self.dpi)
        found = _METRICS.get(key)
        if found is not None:
            return found
        font = get_font(_font_files(prop))
        result = (None, None, None)
        for table_name, gap_key, ascent_key, descent_key in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent")):
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * size * self.dpi / 72
            result = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
            break
        return _store(_METRICS, key, result)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        turned = angle % 360 != 0
        if (ismath or not _SUPPORTED
                or (turned and not getattr(self, "_course_turned_ok", False))
                or (mtext is not None and (mtext.get_fontfeatures() is not None
                                           or mtext.get_language() is not None))):
            _STATS["fallbacks"] += 1
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        flags = get_hinting_flag()
        size = prop.get_size_in_points()
        dpi = self.dpi
        key = (s, _font_files(prop), size, dpi, flags)
        found = _LAYOUTS.get(key)
        if found is None:
            _STATS["layout_misses"] += 1
            font = self._prepare_font(prop)
            found = _store(_LAYOUTS, key, _computed(lambda: tuple(
                (it.ft_object, it.glyph_index, it.x, it.y) for it in font._layout(s, flags=flags))))
        else:
            _STATS["layout_hits"] += 1
            _repeat(found[1])
        items = found[0]
        aa = bool(gc.get_antialiased())
        height = self.height
        top_edge = int(height)
        step = 64 // SUBPIXEL if SUBPIXEL in (1, 2, 4, 8, 16, 32, 64) else 16
        half = step // 2
        draw = self._renderer.draw_text_image
        if turned:
            # matplotlib's own arithmetic (RendererAgg._draw_text_glyphs_and_boxes): the glyph's
            # rotation matrix in 16.16 fixed point and its origin in 26.6, y upwards
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round().astype(int)
            turn = tuple(int(v) for v in matrix.ravel())
        else:
            cos, sin, matrix, turn = 1.0, 0.0, _IDENTITY, ()
        for ft, glyph, dx, dy in items:
            # the glyph's origin in FreeType's 26.6 fixed point (y upwards), as matplotlib computes
            # it, then rounded to the subpixel grid
            if turned:
                px = (round(0x40 * (x + dx * cos - dy * sin)) + half) // step * step
                py = (round(0x40 * (height - y + dx * sin + dy * cos)) + half) // step * step
            else:
                px = (round(0x40 * (x + dx)) + half) // step * step
                py = (round(0x40 * (height - y + dy)) + half) // step * step
            fx, fy = px & 63, py & 63
            gkey = (ft.fname, ft.face_index, size, dpi, glyph, fx, fy, flags, aa, *turn)
            cached = _GLYPHS.get(gkey)
            if cached is None:
                _STATS["glyph_misses"] += 1
                ft.set_size(size, dpi)
                ft._set_transform(matrix, [fx, fy])
                bitmap = ft._render_glyph(glyph, flags, RenderMode.NORMAL if aa else RenderMode.MONO)
                buffer = np.array(bitmap.buffer, dtype=np.uint8, copy=True)
                if not aa:
                    buffer *= 0xff
                cached = _store(_GLYPHS, gkey, (buffer, bitmap.left, bitmap.top))
            else:
                _STATS["glyph_hits"] += 1
            buffer, left, top = cached
            if buffer.size:
                # draw_text_image's y is downwards and names the bitmap's bottom row
                draw(buffer, left + (px >> 6), top_edge - (top + (py >> 6)) + buffer.shape[0], 0, gc)


def cache_rotated(text) -> None:
    """Let :class:`FastRendererAgg` cache a rotated ``text`` too (its layout and glyph bitmaps).

    Rotated text goes to matplotlib's own renderer unless its artist opts in with this call: the
    glyphs are then rendered with matplotlib's rotation matrix and position (the same pixels) and
    kept by rotation, so a rotated axis label is not laid out and rendered again on every redraw.
    (The artist's ``draw`` tells the renderer while it draws: matplotlib does not pass a multi-line
    text's artist on to ``draw_text``.)
    """
    draw = text.draw

    def draw_cached(renderer, *args, **kwargs):
        if not isinstance(renderer, FastRendererAgg):
            return draw(renderer, *args, **kwargs)
        previous = getattr(renderer, "_course_turned_ok", False)
        renderer._course_turned_ok = True
        try:
            return draw(renderer, *args, **kwargs)
        finally:
            renderer._course_turned_ok = previous

    text.draw = draw_cached


_TEXT_LAYOUTS: dict = {}


def _layout_key(text, renderer):
    """Everything ``Text._get_layout`` reads, or None where the cache does not apply (math, TeX)."""
    words = text._get_wrapped_text()
    if text.get_usetex() or "$" in words:
        return None
    prop = text._fontproperties
    rc = mpl.rcParams
    return (words, _font_files(prop), tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
            prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(), text._linespacing,
            text._get_multialignment(), text.get_rotation(), text._horizontalalignment,
            text._verticalalignment, text.get_rotation_mode(), text.get_figure(root=True).dpi,
            renderer.dpi, get_hinting_flag(), rc["text.hinting_factor"], rc["text.kerning_factor"])


def _text_layout(key, compute):
    """The layout kept under ``key``, or ``compute()``'s, kept with the missing-glyph warnings it gave
    (repeated on every hit, as the size and glyph caches do: see :func:`_computed`)."""
    found = _TEXT_LAYOUTS.get(key)
    if found is None:
        _STATS["text_layout_misses"] += 1
        found = _store(_TEXT_LAYOUTS, key, _computed(compute))
    else:
        _STATS["text_layout_hits"] += 1
        _repeat(found[1])
    return found[0]


def cache_layout(text) -> None:
    """Let ``text`` reuse its layout (line sizes, offsets, box) while what it depends on is unchanged.

    matplotlib lays a text out again at every draw and size query (~0.1 ms in Python even when the
    string's size is cached); a label that comes back with the same words, font, size, alignment,
    rotation and dpi gets the layout computed before (process-wide, by all of those). Only while a
    :class:`FastRendererAgg` draws; other renderers, math and TeX lay out as usual.
    """
    compute = text._get_layout

    def layout(renderer):
        if not isinstance(renderer, FastRendererAgg):
            return compute(renderer)
        key = _layout_key(text, renderer)
        if key is None:
            return compute(renderer)
        return _text_layout(key, lambda: compute(renderer))

    text._get_layout = layout


def _shared_layout(original):
    """``Text._get_layout`` for every text while :func:`figure_png` draws: the layout of a text whose
    words, font, size, alignment, rotation and dpi were laid out before (by any text) is reused, as
    :func:`cache_layout` does for one text (tick labels are made anew by their axis, so they cannot
    opt in one by one)."""

    def layout(text, renderer):
        if not isinstance(renderer, FastRendererAgg):
            return original(text, renderer)
        key = _layout_key(text, renderer)
        if key is None:
            return original(text, renderer)
        return _text_layout(key, lambda: original(text, renderer))

    layout.course_shared = True
    return layout


def _one_tick_update(original):
    """``Axis.draw`` while :func:`figure_png` draws: the axis asks for its ticks and their labels'
    boxes to draw them, then again to place its label away from them; nothing changes them in
    between, so the second ask gets the first answer (both are laid out and measured once)."""

    def draw(axis, renderer, *args, **kwargs):
        if not isinstance(renderer, FastRendererAgg) or "_update_ticks" in vars(axis):
            return original(axis, renderer, *args, **kwargs)
        update, boxes = axis._update_ticks, axis._get_ticklabel_bboxes
        memo: dict = {}

        def update_once():
            if "ticks" not in memo:
                memo["ticks"] = update()
            return memo["ticks"]

        def boxes_once(ticks, measuring):
            if ticks is not memo.get("ticks") or measuring is not renderer:
                return boxes(ticks, measuring)
            if "boxes" not in memo:
                memo["boxes"] = boxes(ticks, measuring)
            return memo["boxes"]

        axis._update_ticks, axis._get_ticklabel_bboxes = update_once, boxes_once
        try:
            return original(axis, renderer, *args, **kwargs)
        finally:
            del axis._update_ticks, axis._get_ticklabel_bboxes

    draw.course_shared = True
    return draw


class FastCanvasAgg(FigureCanvasAgg):
    """An Agg canvas whose renderer is :class:`FastRendererAgg`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = FastRendererAgg(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer


def figure_png(fig, *, compress_level: int | None = 1, facecolor="white", metadata=None) -> bytes:
    """The figure as PNG bytes, drawn by :class:`FastRendererAgg` at the figure's own dpi.

    ``compress_level=None`` encodes as matplotlib does by default (the same bytes as ``savefig``).
    The figure keeps its canvas (pyplot still knows it and can close it).
    """
    from matplotlib.text import Text

    old = fig.canvas
    FastCanvasAgg(fig)  # attaches itself to the figure for the draw
    layout, axis_draw = Text._get_layout, Axis.draw
    share = _SUPPORTED and not getattr(layout, "course_shared", False)
    once = _TICKS_SUPPORTED and not getattr(axis_draw, "course_shared", False)
    if share:
        Text._get_layout = _shared_layout(layout)
    if once:
        Axis.draw = _one_tick_update(axis_draw)
    try:
        buf = io.BytesIO()
        extra = {} if compress_level is None else {"pil_kwargs": {"compress_level": compress_level}}
        fig.savefig(buf, format="png", dpi="figure", facecolor=facecolor,
                    metadata={"Software": None} if metadata is None else metadata, **extra)
        return buf.getvalue()
    finally:
        if share:
            Text._get_layout = layout
        if once:
            Axis.draw = axis_draw
        fig.set_canvas(old)
