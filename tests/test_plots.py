"""Tests for course.plots: palette, style, tile map, and figure display with alt text.

Expectations come from the team contract (the tile grid), from published definitions (the
Okabe-Ito hex values, the WCAG contrast formula, CIELAB) and from hand-made inputs; never from
the code's own output.
"""

from __future__ import annotations

import base64
import io
import itertools
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import colors as mcolors  # noqa: E402

from course import plots  # noqa: E402

# The tile grid of the team contract: (code, English name, NBS region, row, col); row 0 = north.
GRID = [
    (230000, "Heilongjiang", "Northeast", 0, 7),
    (650000, "Xinjiang", "West", 1, 0), (150000, "Inner Mongolia", "West", 1, 4),
    (110000, "Beijing", "East", 1, 5), (210000, "Liaoning", "Northeast", 1, 6),
    (220000, "Jilin", "Northeast", 1, 7),
    (630000, "Qinghai", "West", 2, 1), (620000, "Gansu", "West", 2, 2),
    (640000, "Ningxia", "West", 2, 3), (140000, "Shanxi", "Central", 2, 4),
    (130000, "Hebei", "East", 2, 5), (120000, "Tianjin", "East", 2, 6),
    (540000, "Xizang (Tibet)", "West", 3, 1), (510000, "Sichuan", "West", 3, 2),
    (610000, "Shaanxi", "West", 3, 3), (410000, "Henan", "Central", 3, 4),
    (370000, "Shandong", "East", 3, 5),
    (500000, "Chongqing", "West", 4, 2), (420000, "Hubei", "Central", 4, 3),
    (340000, "Anhui", "Central", 4, 4), (320000, "Jiangsu", "East", 4, 5),
    (310000, "Shanghai", "East", 4, 6),
    (530000, "Yunnan", "West", 5, 2), (520000, "Guizhou", "West", 5, 3),
    (430000, "Hunan", "Central", 5, 4), (360000, "Jiangxi", "Central", 5, 5),
    (330000, "Zhejiang", "East", 5, 6),
    (450000, "Guangxi", "West", 6, 3), (440000, "Guangdong", "East", 6, 4),
    (350000, "Fujian", "East", 6, 5),
    (460000, "Hainan", "East", 7, 4),
]
PROVINCES = pd.DataFrame(GRID, columns=["province_code", "province_en", "nbs_region_en",
                                        "tile_row", "tile_col"])
POS = {code: (row, col) for code, _, _, row, col in GRID}
REGION = {code: region for code, _, region, _, _ in GRID}

# Okabe & Ito (2008), "Color Universal Design": the published sRGB values (0-255).
OKABE_ITO_RGB = {
    (0, 0, 0), (230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178),
    (213, 94, 0), (204, 121, 167),
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def tiles(ax):
    return {int(p.get_gid().split("-")[1]): p for p in ax.patches
            if (p.get_gid() or "").startswith("tile-")}


def texts(ax, kind):
    return {int(t.get_gid().split("-")[1]): t for t in ax.texts
            if (t.get_gid() or "").startswith(kind + "-")}


def legend_labels(ax):
    leg = ax.get_legend()
    return [] if leg is None else [t.get_text() for t in leg.get_texts()]


# -- colour science written out here, independently of the module ------------------------------

def srgb_to_linear(c):
    c = np.asarray(c, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb):
    """CIE L*a*b* (D65) of an sRGB colour in 0-1 (IEC 61966-2-1 and CIE 15 formulas)."""
    lin = srgb_to_linear(rgb)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    d = 6 / 29
    f = np.where(xyz > d ** 3, np.cbrt(xyz), xyz / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e76(c1, c2):
    return float(np.linalg.norm(lab(c1) - lab(c2)))


def luminance(c):
    r, g, b = srgb_to_linear(mcolors.to_rgb(c))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(c1, c2):
    hi, lo = sorted([luminance(c1), luminance(c2)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# -- palette ----------------------------------------------------------------------------------

def test_palette_is_okabe_ito_with_eight_distinct_colours():
    rgb = {tuple(round(255 * v) for v in mcolors.to_rgb(c)) for c in plots.PALETTE.values()}
    assert rgb == OKABE_ITO_RGB
    assert len(plots.COLORS) == 8 and set(plots.COLORS) == set(plots.PALETTE.values())


# A CIE76 difference of about 2.3 is a just-noticeable difference (Sharma 2003). Categorical
# colours must be told apart at a glance in small marks, so we ask for more than four JNDs: 10.
MIN_DELTA_E = 10.0


@pytest.mark.parametrize("kind", [None, "protanopia", "deuteranopia", "tritanopia"])
def test_palette_stays_distinguishable_under_colour_vision_deficiency(kind):
    cols = [np.array(mcolors.to_rgb(c)) for c in plots.COLORS]
    if kind:
        cols = [plots.simulate_cvd(c, kind) for c in cols]
    worst = min(delta_e76(a, b) for a, b in itertools.combinations(cols, 2))
    assert worst > MIN_DELTA_E


@pytest.mark.parametrize("kind", ["protanopia", "deuteranopia", "tritanopia"])
def test_region_colours_stay_distinguishable_under_cvd(kind):
    cols = [plots.simulate_cvd(plots.REGION_STYLE[r]["color"], kind) for r in plots.REGIONS]
    for a, b in itertools.combinations(cols, 2):
        assert delta_e76(a, b) > MIN_DELTA_E


@pytest.mark.parametrize("kind", ["protanopia", "deuteranopia", "tritanopia"])
def test_simulation_keeps_greys(kind):
    # Each row of the Machado matrices sums to 1, so the achromatic axis is unchanged.
    for g in (0.0, 0.2, 0.5, 0.8, 1.0):
        np.testing.assert_allclose(plots.simulate_cvd((g, g, g), kind), [g, g, g], atol=2e-3)


@pytest.mark.parametrize("kind", ["protanopia", "deuteranopia"])
def test_red_green_dichromats_lose_one_dimension(kind):
    # A dichromat's colours form a plane: colours differing only along the missing direction
    # look alike. Take two colours and move along the null direction of the simulation.
    m = plots._MACHADO_2009[kind]
    null = np.linalg.svd(m)[2][-1]
    base = np.array([0.4, 0.4, 0.4])
    other = base + 0.15 * null / np.abs(null).max()
    c1, c2 = [np.where(x <= 0.0031308, 12.92 * x, 1.055 * x ** (1 / 2.4) - 0.055)
              for x in (base, other)]
    assert delta_e76(c1, c2) > 5  # clearly different to a trichromat
    assert delta_e76(plots.simulate_cvd(c1, kind), plots.simulate_cvd(c2, kind)) < 0.5


def test_simulate_cvd_accepts_lists_and_rejects_unknown_kinds():
    out = plots.simulate_cvd(["#000000", "#FFFFFF"], "tritanopia")
    assert out.shape == (2, 3)
    with pytest.raises(ValueError, match="kind"):
        plots.simulate_cvd("#000000", "monochromacy")


def test_sequential_map_reads_in_greyscale_and_under_cvd():
    cm = matplotlib.colormaps[plots.SEQUENTIAL]
    samples = [cm(x)[:3] for x in np.linspace(0, 1, 11)]
    for kind in (None, "protanopia", "deuteranopia", "tritanopia"):
        cols = samples if kind is None else [plots.simulate_cvd(c, kind) for c in samples]
        lightness = [lab(c)[0] for c in cols]
        assert all(b > a for a, b in zip(lightness, lightness[1:])), kind


def test_diverging_map_is_lightest_in_the_middle():
    cm = matplotlib.colormaps[plots.DIVERGING]
    lightness = [lab(cm(x)[:3])[0] for x in np.linspace(0, 1, 11)]
    left, right = lightness[:6], lightness[5:]
    assert all(b > a for a, b in zip(left, left[1:]))
    assert all(b < a for a, b in zip(right, right[1:]))


def test_region_styles_differ_by_more_than_colour():
    styles = [plots.REGION_STYLE[r] for r in plots.REGIONS]
    for key in ("color", "marker", "linestyle"):
        values = [repr(s[key]) for s in styles]
        assert len(set(values)) == 5, key
    hatches = [plots.REGION_STYLE[r]["hatch"] for r in ("East", "Central", "West", "Northeast")]
    assert len(set(hatches)) == 4 and all(hatches)


def test_series_styles_are_unique_for_eight_series():
    triples = {(s["color"], s["marker"], repr(s["linestyle"]))
               for s in map(plots.series_style, range(8))}
    assert len(triples) == 8
    assert plots.series_style(8) == plots.series_style(0)


def test_course_style_is_scoped_and_use_course_style_applies_it():
    before = dict(matplotlib.rcParams)
    with plots.course_style():
        assert matplotlib.rcParams["axes.spines.top"] is False
        assert matplotlib.rcParams["axes.spines.right"] is False
        assert matplotlib.rcParams["font.size"] >= 10
    assert matplotlib.rcParams["axes.spines.top"] == before["axes.spines.top"]
    with matplotlib.rc_context():
        plots.use_course_style()
        assert matplotlib.rcParams["image.cmap"] == plots.SEQUENTIAL
        assert matplotlib.rcParams["axes.grid"] is True


@pytest.mark.parametrize("face", ["#000000", "#FFFFFF", "#E69F00", "#0072B2", "#777777",
                                  "#F0E442", "#CC79A7"])
def test_text_colour_has_wcag_contrast_of_at_least_4_5(face):
    # The better of black and white always reaches sqrt(21) = 4.58 > 4.5 (WCAG AA body text).
    assert contrast(plots.text_color_for(face), face) >= 4.5


# -- tile map ---------------------------------------------------------------------------------

def grid_values():
    """A value per province that encodes its own grid cell: 10 * row + col."""
    return pd.Series({code: 10.0 * r + c for code, (r, c) in POS.items()})


def test_tile_map_draws_31_equal_squares_at_their_grid_cells():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES, label="units")
    t = tiles(ax)
    assert sorted(t) == sorted(POS)
    sizes = {(round(p.get_width(), 9), round(p.get_height(), 9)) for p in t.values()}
    assert len(sizes) == 1 and sizes.pop()[0] == pytest.approx(t[110000].get_height())
    for code, (row, col) in POS.items():
        x, y = t[code].get_center()
        assert (x, y) == (pytest.approx(col + 0.5), pytest.approx(row + 0.5))


def test_tile_map_puts_row_zero_at_the_top_and_column_zero_at_the_west():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES)
    t = tiles(ax)

    def screen(code):
        return ax.transData.transform(t[code].get_center())

    assert screen(230000)[1] > screen(460000)[1]  # Heilongjiang above Hainan
    assert screen(650000)[0] < screen(310000)[0]  # Xinjiang west of Shanghai


def test_tile_map_prints_each_province_value_inside_its_tile():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES, fmt="{:.1f}")
    values = texts(ax, "value")
    assert sorted(values) == sorted(POS)
    for code, (row, col) in POS.items():
        assert values[code].get_text() == f"{10 * row + col}.0"
        x, y = values[code].get_position()
        assert col < x < col + 1 and row < y < row + 1


def test_tile_map_labels_tiles_with_iso_abbreviations():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES)
    names = {code: t.get_text() for code, t in texts(ax, "name").items()}
    # ISO 3166-2:CN: Shanxi SX vs Shaanxi SN, Hebei HE vs Henan HA, Hunan HN vs Hubei HB.
    assert names[110000] == "BJ" and names[140000] == "SX" and names[610000] == "SN"
    assert names[130000] == "HE" and names[410000] == "HA" and names[430000] == "HN"
    assert len(set(names.values())) == 31 and all(len(n) == 2 for n in names.values())


def test_tile_map_can_print_english_names():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES, names="en")
    names = texts(ax, "name")
    assert names[110000].get_text() == "Beijing"
    assert names[150000].get_text().replace("\n", " ") == "Inner Mongolia"
    assert texts(plots.tile_map(grid_values(), provinces=PROVINCES, names=None), "name") == {}


def test_sequential_colours_get_lighter_with_the_value_and_text_stays_readable():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES)
    t, values = tiles(ax), texts(ax, "value")
    order = grid_values().sort_values().index
    lum = [luminance(t[c].get_facecolor()) for c in order]
    assert all(b >= a for a, b in zip(lum, lum[1:]))  # cividis: lightness rises with the value
    for code, tile in t.items():
        assert contrast(values[code].get_color(), tile.get_facecolor()) >= 4.5


def test_tile_map_marks_missing_and_nan_as_no_data():
    vals = grid_values().drop(650000)  # Xinjiang absent
    vals[540000] = np.nan              # Xizang NaN
    ax = plots.tile_map(vals, provinces=PROVINCES, label="units")
    t, values = tiles(ax), texts(ax, "value")
    assert len(t) == 31
    for code in (650000, 540000):
        assert values[code].get_text() == "n/a"
        assert t[code].get_hatch()
        assert mcolors.to_hex(t[code].get_facecolor()) == mcolors.to_hex(plots.NO_DATA["facecolor"])
    assert values[110000].get_text() == "15.0"
    assert "no data" in legend_labels(ax)


def test_complete_data_has_no_no_data_legend():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES)
    assert "no data" not in legend_labels(ax)


def test_all_missing_draws_31_no_data_tiles_without_a_colour_bar():
    ax = plots.tile_map(pd.Series(np.nan, index=list(POS)), provinces=PROVINCES, label="units")
    assert [t.get_text() for t in texts(ax, "value").values()] == ["n/a"] * 31
    assert not [t for t in ax.texts if t.get_gid() == "colorbar-label"]


def test_colour_bar_has_the_label_and_ticks_inside_the_data_range():
    vals = grid_values()
    ax = plots.tile_map(vals, provinces=PROVINCES, label="GDP per person (yuan)")
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "colorbar-label"]
    assert [s.replace("\n", " ") for s in labels] == ["GDP per person (yuan)"]
    ticks = [float(t.get_text().replace("\u2212", "-").replace(",", ""))
             for t in ax.texts if t.get_gid() == "colorbar-tick"]
    assert len(ticks) >= 2
    assert all(vals.min() <= v <= vals.max() for v in ticks)
    assert any(im.get_gid() == "colorbar" for im in ax.get_images())


def test_diverging_map_centres_the_colours():
    vals = pd.Series({110000: -4.0, 120000: 2.0, 130000: 0.0})
    cm = matplotlib.colormaps[plots.DIVERGING]
    ax = plots.tile_map(vals, provinces=PROVINCES, diverging=True)
    t = tiles(ax)
    # symmetric scale of half-width 4 around 0: -4 -> 0.0, 0 -> 0.5, +2 -> 0.75
    np.testing.assert_allclose(t[130000].get_facecolor(), cm(0.5))
    np.testing.assert_allclose(t[110000].get_facecolor(), cm(0.0))
    np.testing.assert_allclose(t[120000].get_facecolor(), cm(0.75))
    ax = plots.tile_map(vals + 10, provinces=PROVINCES, center=10.0)  # center implies diverging
    np.testing.assert_allclose(tiles(ax)[130000].get_facecolor(), cm(0.5))


def test_fixed_scale_keeps_colours_comparable():
    cm = matplotlib.colormaps[plots.SEQUENTIAL]
    ax = plots.tile_map(pd.Series({110000: 5.0}), provinces=PROVINCES, vmin=0, vmax=10)
    np.testing.assert_allclose(tiles(ax)[110000].get_facecolor(), cm(0.5))


def test_categorical_mode_uses_region_colours_hatches_keys_and_a_legend():
    cats = pd.Series(REGION)
    cats[460000] = None  # Hainan without a category
    ax = plots.tile_map(categories=cats, provinces=PROVINCES, label="NBS region")
    t, values = tiles(ax), texts(ax, "value")
    for code, region in REGION.items():
        if code == 460000:
            continue
        assert mcolors.to_hex(t[code].get_facecolor()) == \
            mcolors.to_hex(plots.REGION_STYLE[region]["color"])
        assert t[code].get_hatch()
    keys = {region: values[code].get_text() for code, region in REGION.items() if code != 460000}
    assert len(set(keys.values())) == 4  # one printed key per region
    assert values[460000].get_text() == "n/a"
    labels = legend_labels(ax)
    for region in ("East", "Central", "West", "Northeast"):
        assert any(region in lab_ for lab_ in labels)
    assert "no data" in labels
    assert ax.get_legend().get_title().get_text() == "NBS region"


def test_categorical_mode_with_other_labels_uses_distinct_palette_colours():
    groups = pd.Series({code: f"Group {1 + (i % 3)}" for i, code in enumerate(POS)})
    ax = plots.tile_map(categories=groups, provinces=PROVINCES)
    faces = {mcolors.to_hex(p.get_facecolor()) for p in tiles(ax).values()}
    assert len(faces) == 3 and faces <= {mcolors.to_hex(c) for c in plots.COLORS}


def test_highlight_outlines_one_province():
    ax = plots.tile_map(grid_values(), provinces=PROVINCES, highlight=370000)
    t = tiles(ax)
    assert t[370000].get_linewidth() >= 2.5
    assert mcolors.to_hex(t[370000].get_edgecolor()) == "#000000"
    assert all(p.get_linewidth() < 1 for code, p in t.items() if code != 370000)
    with pytest.raises(ValueError, match="highlight"):
        plots.tile_map(grid_values(), provinces=PROVINCES, highlight=990000)


def test_tile_map_refuses_bad_input_with_one_line_messages():
    with pytest.raises(ValueError, match="100000"):
        plots.tile_map(pd.concat([grid_values(), pd.Series({100000: 1.0})]),
                       provinces=PROVINCES)
    with pytest.raises(TypeError, match="Series"):
        plots.tile_map(pd.DataFrame({"x": grid_values()}), provinces=PROVINCES)
    with pytest.raises(ValueError, match="numbers"):
        plots.tile_map(pd.Series({110000: "high"}), provinces=PROVINCES)
    with pytest.raises(ValueError, match="values"):
        plots.tile_map(provinces=PROVINCES)
    with pytest.raises(ValueError, match="tile_row"):
        plots.tile_map(grid_values(), provinces=PROVINCES.drop(columns="tile_row"))
    with pytest.raises(ValueError, match="at most 8"):  # 9 labels: colours would repeat
        plots.tile_map(categories=pd.Series({c: f"g{i % 9}" for i, c in enumerate(POS)}),
                       provinces=PROVINCES)


def test_tile_map_reads_the_provinces_table_by_default(monkeypatch):
    from course import data

    calls = []

    def fake_load(name, *args, **kwargs):
        calls.append(name)
        return PROVINCES

    monkeypatch.setattr(data, "load", fake_load)
    ax = plots.tile_map(grid_values())
    assert calls == ["provinces"] and len(tiles(ax)) == 31


def test_tile_map_draws_into_a_given_axes():
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 5))
    out = plots.tile_map(grid_values(), ax=a2, provinces=PROVINCES, title="Right panel")
    assert out is a2 and len(tiles(a2)) == 31 and not a1.patches
    assert a2.get_title(loc="left") == "Right panel"


# -- titles, bundles and show -------------------------------------------------------------------

class ImgAlt(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts, self.srcs, self.captions, self._in_cap = [], [], [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.alts.append(a.get("alt"))
            self.srcs.append(a.get("src"))
        self._in_cap = tag == "figcaption"

    def handle_data(self, data):
        if self._in_cap:
            self.captions.append(data)

    def handle_endtag(self, tag):
        self._in_cap = False


def titled_figure(title="Beijing spends the most on R&D"):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 1])
    plots.finding_title(ax, title)
    return fig


def test_figure_bundle_has_png_html_and_plain_text_with_the_alt_text():
    alt = 'Line rising from 0 to 1; "R&D" <intensity>'
    caption = 'Source: NBS & MOST, "China Statistical Yearbook"'
    b = plots.figure_bundle(titled_figure(), alt, caption=caption)
    assert set(b) == {"image/png", "text/html", "text/plain"}
    assert base64.b64decode(b["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert b["text/plain"] == "Figure: " + alt
    html = b["text/html"]
    assert html.startswith('<figure class="course-figure"><img alt="')
    assert '"R&D"' not in html and "<intensity>" not in html  # escaped
    p = ImgAlt()
    p.feed(html)
    assert p.alts == [alt]  # the parsed attribute gives back exactly the alt text
    assert p.srcs == ["data:image/png;base64," + b["image/png"]]
    assert "".join(p.captions) == caption


def test_show_displays_bundle_with_alt_metadata_logs_and_closes(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, **kw: shown.append((obj, kw)))
    fig = titled_figure("Shares converge after 2015")
    plots.show(fig, "Two lines that meet in 2015.", caption="Source: NBS")
    assert not plt.fignum_exists(fig.number)
    (bundle, kw), = shown
    assert kw["raw"] is True
    assert kw["metadata"] == {"image/png": {"alt": "Two lines that meet in 2015."}}
    assert 'alt="Two lines that meet in 2015."' in bundle["text/html"]
    assert plots.FIGURE_LOG[-1]["title"] == "Shares converge after 2015"
    assert plots.FIGURE_LOG[-1]["alt"] == "Two lines that meet in 2015."


def test_show_without_ipython_prints_the_plain_text(capsys):
    plots.show(titled_figure(), "A rising line.")
    assert capsys.readouterr().out.strip() == "Figure: A rising line."


@pytest.mark.parametrize("alt", ["", "   ", None])
def test_show_refuses_missing_alt_text_and_closes_the_figure(alt):
    fig = titled_figure()
    with pytest.raises(ValueError, match="alt text"):
        plots.show(fig, alt)
    assert not plt.fignum_exists(fig.number)


def test_show_refuses_a_figure_without_a_title():
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    with pytest.raises(ValueError, match="title"):
        plots.show(fig, "A line.")


def test_a_suptitle_counts_as_a_title():
    fig, ax = plt.subplots()
    plots.finding_title(fig, "Both panels rise")
    assert plots.figure_title(fig) == "Both panels rise"
    assert plots.figure_bundle(fig, "Two rising panels.")["text/plain"]


def test_chart_text_must_be_english():
    fig = titled_figure()
    fig.axes[0].set_xlabel("年份")
    with pytest.raises(ValueError, match="English"):
        plots.figure_bundle(fig, "A line.")


def test_finding_title_wraps_long_text():
    fig, ax = plt.subplots(figsize=(4, 3))
    text = "Provinces on the coast spend a far larger share of their output on research " \
           "and development than provinces in the west"
    t = plots.finding_title(ax, text, width=40)
    lines = t.get_text().split("\n")
    assert len(lines) > 1 and all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == text
    with pytest.raises(ValueError):
        plots.finding_title(ax, " ")


def test_figure_log_is_capped(monkeypatch):
    monkeypatch.setattr(plots, "FIGURE_LOG_MAX", 3)
    monkeypatch.setattr(plots, "FIGURE_LOG", [])
    for i in range(5):
        plots.show(titled_figure(f"Finding {i}"), f"Alt {i}")
    assert [e["alt"] for e in plots.FIGURE_LOG] == ["Alt 2", "Alt 3", "Alt 4"]


# -- line and bar charts ----------------------------------------------------------------------

def test_line_chart_styles_regions_and_labels_line_ends():
    frame = pd.DataFrame({"year": [2020, 2021, 2022], "East": [3.0, 3.1, 3.2],
                          "West": [1.0, np.nan, 1.5], "National": [2.0, 2.1, 2.2]})
    ax = plots.line_chart(frame, "year", ["East", "West", "National"], title="East leads")
    lines = ax.get_lines()
    for line, region in zip(lines, ["East", "West", "National"]):
        st = plots.REGION_STYLE[region]
        assert mcolors.to_hex(line.get_color()) == mcolors.to_hex(st["color"])
        assert line.get_marker() == st["marker"]
    labels = {t.get_text(): t for t in ax.texts}
    assert set(labels) == {"East", "West", "National"}
    assert labels["West"].xy == (2022, 1.5)  # the last finite point


def test_direct_labels_do_not_overlap_when_lines_end_together():
    frame = pd.DataFrame({"x": [0, 1], "a": [0.0, 1.0], "b": [0.5, 1.0], "c": [1.0, 1.0]})
    ax = plots.line_chart(frame, "x", ["a", "b", "c"])
    fig = ax.figure
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in ax.texts]
    for b1, b2 in itertools.combinations(boxes, 2):
        assert not b1.overlaps(b2)


def test_line_chart_names_missing_columns():
    with pytest.raises(ValueError, match="'gdp'"):
        plots.line_chart(pd.DataFrame({"year": [1]}), "year", ["gdp"])


def test_bar_chart_prints_values_and_marks_missing():
    s = pd.Series({"Beijing": 6.73, "Tianjin": 3.58, "Xizang": np.nan})
    ax = plots.bar_chart(s, groups=pd.Series({"Beijing": "East", "Tianjin": "East",
                                              "Xizang": "West"}), fmt="{:.2f}",
                         title="Beijing is highest")
    printed = sorted(t.get_text() for t in ax.texts)
    assert printed == ["3.58", "6.73", "n/a"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Xizang", "Tianjin", "Beijing"]
    assert legend_labels(ax) == ["East", "West"]


@pytest.mark.filterwarnings("ignore:Glyph.*missing from font")
def test_chinese_tick_labels_are_refused_too():
    fig = titled_figure()
    fig.axes[0].set_xticks([0, 1], ["北京", "上海"])
    with pytest.raises(ValueError, match="English"):
        plots.figure_bundle(fig, "A line.")


def test_direct_labels_are_readable_text_on_white():
    frame = pd.DataFrame({"x": [0, 1], **{r: [i, i + 1.0] for i, r in enumerate(plots.REGIONS)}})
    ax = plots.line_chart(frame, "x", plots.REGIONS)
    for t in ax.texts:  # WCAG AA for body text: 4.5:1 against the white background
        assert contrast(t.get_color(), "#FFFFFF") >= 4.5


def test_categorical_dtype_keeps_every_declared_level_and_its_colour():
    # Two settings of the same widget: the second has no "B" province. Declared levels keep their
    # colour and legend entry, so "C" is drawn in the same colour both times.
    order = ["A", "B", "C"]
    codes = list(POS)
    first = pd.Series(pd.Categorical([order[i % 3] for i in range(len(codes))], categories=order), index=codes)
    second = pd.Series(pd.Categorical(["A" if i % 2 else "C" for i in range(len(codes))], categories=order),
                       index=codes)
    ax1 = plots.tile_map(categories=first, provinces=PROVINCES)
    ax2 = plots.tile_map(categories=second, provinces=PROVINCES)
    c_code1 = next(c for c in codes if first[c] == "C")
    c_code2 = next(c for c in codes if second[c] == "C")
    assert mcolors.to_hex(tiles(ax1)[c_code1].get_facecolor()) == mcolors.to_hex(tiles(ax2)[c_code2].get_facecolor())
    assert mcolors.to_hex(tiles(ax2)[c_code2].get_facecolor()) == mcolors.to_hex(plots.series_style(2)["color"])
    assert [lab.split()[-1] for lab in legend_labels(ax2)] == order  # "B" is listed though absent
    plots.close(ax1.figure)
    plots.close(ax2.figure)
def test_fast_png_of_redraws_has_the_same_pixels():
    """Interactive redraws encode PNGs with less compression (issue 14): the image must not change."""
    import base64

    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [2, 0, 1], label="a")
    plots.finding_title(ax, "A line that falls then rises")
    slow = plots.figure_bundle(fig, alt="A line.")
    fast = plots.figure_bundle(fig, alt="A line.", fast=True)
    plt.close(fig)
    decode = lambda b: plt.imread(io.BytesIO(base64.b64decode(b["image/png"])))  # noqa: E731
    assert np.array_equal(decode(slow), decode(fast))
    assert slow["image/png"] != fast["image/png"]  # the encoding did change
