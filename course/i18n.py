"""The course's language: English (the default) or Chinese (``zh``, the 中文版).

The Chinese edition (``notebooks/zh/``) shares every code cell with the English lessons. Its
first cell switches the kernel to Chinese::

    from course import i18n
    i18n.set_language("zh", lesson="11_high_quality_development")

after which everything the student sees that the *code* produces comes out in Chinese: chart
titles, axis labels and legends, widget labels, edge-case notes, check-question feedback and the
glossary. The translations live in gettext catalogues (``.po`` files) read with Babel:

* ``course/locale/zh_CN/LC_MESSAGES/course.po`` holds the package's own strings, marked in the
  code with :func:`_` (``_("Correct!")``, ``_("{n} of {total}").format(n=3, total=31)``) and, for
  the glossary, :func:`pgettext` with a context;
* ``translations/zh/NN_name.po`` holds one lesson: its Markdown cells (built into the Chinese
  notebook by ``scripts/translations.py``) and the strings its code cells pass to :func:`t` or
  :func:`md`.

Only entries that are translated and not marked *fuzzy* (stale) are used; anything else falls back
to the English text, so a half-done catalogue never breaks a lesson, and the tests
(``tests/test_translations.py``) make sure a published Chinese lesson has no such gaps.

Strings in lesson code
----------------------
A lesson that prints prose from computed values writes the template once, in English, and hands
it to :func:`t` (returns the text) or :func:`md` (displays it as Markdown)::

    i18n.md("Real GDP grew **{res.output_growth:.2f}% a year**.")

The template is the English f-string without its ``f``: :func:`t` looks it up in the catalogues,
then fills the ``{...}`` fields exactly as an f-string would, with the variables of the cell that
calls it. In English the result is what the f-string gave; in Chinese the translator's template is
filled instead (it may use other expressions, e.g. ``province_zh`` for ``province_en``).

Examples
--------
>>> set_language("en")
>>> x = 0.123
>>> t("x is {x:.2f}")
'x is 0.12'
>>> _("Correct!")
'Correct!'
>>> set_language("zh")
>>> _("Correct!")
'正确！'
>>> set_language("en")
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from functools import lru_cache
from pathlib import Path

__all__ = ["LANGUAGES", "set_language", "get_language", "is_chinese", "gettext", "_", "pgettext",
           "N_", "translate", "t", "_f", "md", "province", "fields", "render_template", "cjk_font_path", "use_fonts",
           "PACKAGE_CATALOGUE", "LESSON_CATALOGUES", "TranslationError"]

#: The languages the course speaks.
LANGUAGES = {"en": "English", "zh": "中文"}

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
#: The package's own strings (widgets, quiz feedback, chart labels, notes, glossary).
PACKAGE_CATALOGUE = _HERE / "locale" / "zh_CN" / "LC_MESSAGES" / "course.po"
#: One catalogue per lesson, named like the lesson's notebook.
LESSON_CATALOGUES = ROOT / "translations" / "zh"

#: The font family used for Chinese chart text (per-glyph fallback after DejaVu Sans).
CJK_FAMILY = "Noto Sans CJK SC"

_state = {"language": "en", "lesson": None}


class TranslationError(Exception):
    """A translated template that cannot be filled in (a typo in a ``{field}`` of a catalogue)."""


# ------------------------------------------------------------------------------------------------
# Catalogues
# ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _read(path: str, mtime: float) -> tuple[dict, dict]:
    """{(context, msgid): msgstr} and {msgid: msgstr} of the usable (translated, not fuzzy) entries."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh)
    by_key, by_id = {}, {}
    for m in catalog:
        if not m.id or m.fuzzy or not isinstance(m.id, str) or not m.string:
            continue
        by_key[(m.context, m.id)] = m.string
        by_id.setdefault(m.id, m.string)
    return by_key, by_id


def _entries(path: Path) -> tuple[dict, dict]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}, {}
    return _read(str(path), mtime)


def _lesson_catalogue() -> Path | None:
    lesson = _state["lesson"]
    return LESSON_CATALOGUES / f"{lesson}.po" if lesson else None


def set_language(language: str = "en", lesson: str | None = None) -> None:
    """Switch the course to ``"en"`` (default) or ``"zh"``; ``lesson`` names the lesson's catalogue.

    In Chinese, matplotlib gets the CJK font (see :func:`use_fonts`) and the lesson's catalogue
    ``translations/zh/<lesson>.po`` is used for the strings its code passes to :func:`t`.
    """
    language = (language or "en").lower().replace("_", "-")
    language = {"zh-cn": "zh", "zh-hans": "zh", "chinese": "zh", "english": "en"}.get(language, language)
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; the course speaks {', '.join(LANGUAGES)}")
    if lesson is not None and language == "zh" and not (LESSON_CATALOGUES / f"{lesson}.po").exists():
        raise ValueError(f"there is no catalogue translations/zh/{lesson}.po")
    _state["language"], _state["lesson"] = language, lesson
    use_fonts()


def get_language() -> str:
    """The current language code (``"en"`` or ``"zh"``)."""
    return _state["language"]


def is_chinese() -> bool:
    return _state["language"] == "zh"


def gettext(message: str) -> str:
    """The package string ``message`` in the current language (English if there is no translation)."""
    if _state["language"] == "en" or not message:
        return message
    return _entries(PACKAGE_CATALOGUE)[1].get(message, message)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet (it is translated where shown)."""
    return message


def translate(text: str) -> str:
    """``text`` in the current language, looked up in the lesson's catalogue, then the package's.

    Unlike :func:`t` it fills in no fields: for text that is already complete (a question's prompt,
    an option, a hint).
    """
    return _lookup_template(text) if text else text


def pgettext(context: str, message: str) -> str:
    """Like :func:`gettext`, for a message with a context (``pgettext("glossary", meaning)``)."""
    if _state["language"] == "en" or not message:
        return message
    return _entries(PACKAGE_CATALOGUE)[0].get((context, message), message)


def _lookup_template(template: str) -> str:
    if _state["language"] == "en":
        return template
    path = _lesson_catalogue()
    if path is not None:
        found = _entries(path)[1].get(template)
        if found is not None:
            return found
    return _entries(PACKAGE_CATALOGUE)[1].get(template, template)


# ------------------------------------------------------------------------------------------------
# Templates: f-strings written once, filled in the caller's namespace
# ------------------------------------------------------------------------------------------------


def _field_end(s: str, i: int) -> int:
    """Index of the ``}`` closing the field whose ``{`` is at ``i - 1``."""
    depth, quote = 0, None
    while i < len(s):
        c = s[i]
        if quote:
            if c == "\\":
                i += 1
            elif s.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c in "\"'":
            quote = s[i:i + 3] if s[i:i + 3] in ('"""', "'''") else c
            i += len(quote) - 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                if c == "}":
                    return i
                raise TranslationError(f"unbalanced {c!r} in a field of {s!r}")
            depth -= 1
        i += 1
    raise TranslationError(f"a '{{' without its '}}' in {s!r}")


def _split_field(body: str) -> tuple[str, str | None, str]:
    """``expr!r:spec`` -> (expr, "r", spec): the conversion and spec at the top level only."""
    depth, quote, i = 0, None, 0
    while i < len(body):
        c = body[i]
        if quote:
            if c == "\\":
                i += 1
            elif body.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c in "\"'":
            quote = body[i:i + 3] if body[i:i + 3] in ('"""', "'''") else c
            i += len(quote) - 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and c == "!" and body[i + 1:i + 2] in ("r", "s", "a") and body[i + 2:i + 3] in ("", ":"):
            return body[:i], body[i + 1], body[i + 3:]
        elif depth == 0 and c == ":":
            return body[:i], None, body[i + 1:]
        i += 1
    return body, None, ""


def _parse(template: str) -> list:
    """Literal text and ``(expr, conversion, spec)`` fields, in order (``{{``/``}}`` are braces)."""
    parts, buf, i = [], [], 0
    while i < len(template):
        c = template[i]
        if c == "{":
            if template.startswith("{{", i):
                buf.append("{")
                i += 2
                continue
            end = _field_end(template, i + 1)
            if buf:
                parts.append("".join(buf))
                buf = []
            expr, conv, spec = _split_field(template[i + 1:end])
            if not expr.strip():
                raise TranslationError(f"an empty field {{}} in {template!r}")
            parts.append((expr.strip(), conv, spec))
            i = end + 1
        elif c == "}":
            if template.startswith("}}", i):
                buf.append("}")
                i += 2
                continue
            raise TranslationError(f"a single '}}' in {template!r} (write '}}}}' for a brace)")
        else:
            buf.append(c)
            i += 1
    if buf:
        parts.append("".join(buf))
    return parts


def fields(template: str) -> list[str]:
    """The expressions of a template's fields, in order (for checking translations).

    >>> fields("{a:.2f} and {b['x']!r} and {{not a field}}")
    ['a', "b['x']"]
    """
    return [p[0] for p in _parse(template) if isinstance(p, tuple)]


@lru_cache(maxsize=4096)
def _compiled(expr: str):
    try:
        return compile(expr, "<course.i18n template>", "eval")
    except SyntaxError as exc:
        raise TranslationError(f"{{{expr}}} is not a Python expression: {exc.msg}") from None


def render_template(template: str, namespace_globals: dict, namespace_locals: dict | None = None) -> str:
    """Fill ``template``'s fields as an f-string would, evaluating them in the given namespace."""
    out = []
    for part in _parse(template):
        if isinstance(part, str):
            out.append(part)
            continue
        expr, conv, spec = part
        try:
            value = eval(_compiled(expr), namespace_globals, namespace_locals)  # noqa: S307 - the course's own templates
        except TranslationError:
            raise
        except Exception as exc:
            raise TranslationError(f"{{{expr}}} in {template[:80]!r}...: {type(exc).__name__}: {exc}") from None
        if conv:
            value = {"r": repr, "s": str, "a": ascii}[conv](value)
        if "{" in spec:
            spec = render_template(spec, namespace_globals, namespace_locals)
        out.append(format(value, spec))
    return "".join(out)


def t(template: str) -> str:
    """``template`` in the current language, its ``{...}`` fields filled from the calling cell.

    Write the English f-string without its ``f``; see the module docstring.
    """
    frame = sys._getframe(1)
    try:
        return render_template(_lookup_template(template), frame.f_globals, frame.f_locals)
    finally:
        del frame


#: :func:`t` under the name the package's own modules use (``_f``), so that extracting the package's
#: strings does not pick up their many local variables named ``t``.
_f = t


def md(template: str) -> None:
    """Display :func:`t` of ``template`` as Markdown (``display(Markdown(f"..."))`` in one call)."""
    from IPython.display import Markdown, display

    frame = sys._getframe(1)
    try:
        text = render_template(_lookup_template(template), frame.f_globals, frame.f_locals)
    finally:
        del frame
    display(Markdown(text))


@lru_cache(maxsize=1)
def _province_names() -> dict:
    from .data import load

    p = load("provinces")
    names = dict(zip(p["province_en"], p["province_zh"]))
    names.update(zip(p["province_code"], p["province_zh"]))
    return names


def province(name) -> str:
    """A province's name in the current language, from its English name or its NBS code.

    >>> set_language("zh"); province("Guangdong"), province(110000)
    ('广东', '北京')
    >>> set_language("en"); province("Guangdong")
    'Guangdong'
    """
    if _state["language"] == "en":
        if isinstance(name, str):
            return name
        from .data import load

        p = load("provinces").set_index("province_code")["province_en"]
        return str(p.get(name, name))
    return _province_names().get(name, str(name))


# ------------------------------------------------------------------------------------------------
# Fonts
# ------------------------------------------------------------------------------------------------


def cjk_font_path() -> Path | None:
    """The Noto Sans CJK font file installed with the course (PyPI ``noto-cjk-sans-otc``), if any."""
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.exists() else None


@lru_cache(maxsize=1)
def _register_cjk_font() -> str | None:
    from matplotlib import font_manager

    path = cjk_font_path()
    if path is None:
        return None
    # the file is a collection (JP, KR, SC, TC, HK faces); matplotlib registers each face by name
    font_manager.fontManager.addfont(str(path))
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return CJK_FAMILY if CJK_FAMILY in names else None


def use_fonts() -> None:
    """Set matplotlib's fonts for the current language.

    English: matplotlib's default (DejaVu Sans). Chinese: DejaVu Sans with per-glyph fallback to
    Noto Sans CJK (Latin letters and the minus sign from DejaVu, Chinese from Noto); a glyph that
    neither font has makes :func:`course.plots.figure_bundle` fail instead of drawing a box.
    """
    import matplotlib as mpl

    if _state["language"] == "zh":
        name = _register_cjk_font()
        if name is None:
            warnings.warn("the Chinese font (PyPI package noto-cjk-sans-otc) is not installed: "
                          "run `make setup`; Chinese chart text cannot be drawn", stacklevel=2)
            return
        mpl.rcParams["font.family"] = ["DejaVu Sans", name]
        # The font ships one weight: bold titles draw their Chinese characters in the regular weight
        # (Latin stays bold), and matplotlib would say so in a log line under every figure.
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    else:
        mpl.rcParams["font.family"] = ["sans-serif"]


# a kernel can also start in Chinese (problem-set feedback, a classroom set up for Chinese)
if os.environ.get("COURSE_LANGUAGE", "en") != "en":  # pragma: no cover - exercised by the zh notebooks
    set_language(os.environ["COURSE_LANGUAGE"])

