"""The Chinese edition cannot silently fall behind the English one.

* Every English lesson has a catalogue ``translations/zh/NN_name.po`` (made by
  ``python scripts/translations.py update``), so a new lesson is on the translators' list at once.
* A lesson published in Chinese (``notebooks/zh/NN_name.ipynb`` exists) has a current translation of
  every English prose cell and of every string its code shows through ``i18n.t`` / ``i18n.md`` or a
  check question: a changed English sentence makes the translation stale (*fuzzy*) and this test
  fail, naming the cell, until a translator revises it.
* The Chinese notebook is exactly what the build makes from the English one: the same code cells
  (same source, same ids, same order), the Markdown from the catalogue, and a first cell that
  switches the language. It is executed by nbval like any lesson (``make test`` collects
  ``notebooks/``, including ``notebooks/zh/``).
* The package's own strings and the glossary's definitions are all translated and current.
* Every ``{field}`` of a translated template is a valid Python expression; a translation has fields
  only where its English has them.
* Every character of the translations can be drawn by the Chinese font (no empty boxes in a chart),
  and the check can fail: the same text without the Chinese font is refused.

``test_changing_one_english_sentence_*`` show that the sync check fails for a changed sentence
(prose and code template) and passes again once the translation is revised.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

from course import i18n

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts" / "translations.py")
tr = importlib.util.module_from_spec(spec)
sys.modules.setdefault("translations", tr)
spec.loader.exec_module(tr)

ENGLISH = tr.english_lessons()
PUBLISHED = sorted((ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


def _stale_report(st) -> str:
    lines = [f"  stale   {m.context}: {m.id[:80]!r}" for m in st.stale]
    lines += [f"  missing {m.context}: {m.id[:80]!r}" for m in st.missing]
    return "\n".join(lines)


def test_every_english_lesson_has_a_catalogue():
    missing = [p.stem for p in ENGLISH if not (tr.CATALOGUES / f"{p.stem}.po").exists()]
    assert not missing, (f"no Chinese catalogue for {missing}: run `python scripts/translations.py update` "
                         "and commit translations/zh/*.po (translators take it from there)")


def test_every_chinese_notebook_has_an_english_twin():
    orphans = [p.name for p in PUBLISHED if not (tr.NOTEBOOKS / p.name).exists()]
    assert not orphans, f"notebooks/zh/ has lessons with no English original: {orphans}"


def test_lessons_zero_and_eleven_are_published_in_chinese():
    assert {p.stem for p in PUBLISHED} >= {"00_start_here", "11_high_quality_development"}


@pytest.mark.parametrize("zh", PUBLISHED, ids=lambda p: p.stem)
def test_published_lesson_has_a_current_translation_of_every_text(zh):
    st = tr.lesson_status(tr.NOTEBOOKS / zh.name)
    assert st.complete, (f"{zh.stem}: {len(st.stale)} stale and {len(st.missing)} missing translations "
                         "(run `python scripts/translations.py update`, translate, then `build`):\n"
                         + _stale_report(st))


@pytest.mark.parametrize("zh", PUBLISHED, ids=lambda p: p.stem)
def test_chinese_notebook_is_its_english_twin_with_translated_prose(zh):
    built = tr.translated_notebook(tr.NOTEBOOKS / zh.name)    # raises if a translation is not current
    stored = nbformat.read(zh, as_version=4)
    english = nbformat.read(tr.NOTEBOOKS / zh.name, as_version=4)
    first = stored.cells[0]
    assert first.id == tr.LANGUAGE_CELL_ID and tr.LANGUAGE_TAG in first.metadata.get("tags", [])
    assert f'set_language("zh", lesson="{zh.stem}")' in first.source
    assert [c.id for c in stored.cells[1:]] == [c.id for c in english.cells], "cells added, removed or moved"
    for mine, theirs, want in zip(stored.cells[1:], english.cells, built.cells[1:]):
        assert mine.cell_type == theirs.cell_type, mine.id
        if mine.cell_type == "code":
            assert mine.source == theirs.source, (f"{zh.stem}: code cell {mine.id} differs from the English "
                                                  "lesson; rebuild with scripts/translations.py build")
        else:
            assert mine.source == want.source, (f"{zh.stem}: markdown cell {mine.id} is not the catalogue's "
                                                "translation; rebuild with scripts/translations.py build")
    executed = [c for c in stored.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in executed if c.source.strip()), \
        f"{zh.stem}: stored without outputs; build executes it"


def test_package_strings_and_glossary_are_translated():
    st = tr.package_status()
    assert st.complete, ("course/locale/zh_CN/LC_MESSAGES/course.po is behind course/*.py or the glossary "
                         "(run `python scripts/translations.py update` and translate):\n" + _stale_report(st))


def _catalogues():
    yield tr.PACKAGE_PO
    for zh in PUBLISHED:
        yield tr.CATALOGUES / f"{zh.stem}.po"


@pytest.mark.parametrize("po", list(_catalogues()), ids=lambda p: p.stem)
def test_translated_templates_have_valid_fields(po):
    catalog = tr.read_catalogue(po)
    for m in catalog:
        if not m.id or not m.string or m.context and m.context.startswith("markdown"):
            continue
        source_fields = i18n.fields(m.id) if "python-brace-format" in m.flags else []
        try:
            fields = i18n.fields(m.string) if "python-brace-format" in m.flags else []
        except i18n.TranslationError as exc:
            pytest.fail(f"{po.name}: {m.id[:60]!r}: {exc}")
        for f in fields:
            i18n._compiled(f)                                   # raises TranslationError if not Python
        if not source_fields and "python-brace-format" not in m.flags:
            continue
        assert bool(fields) == bool(source_fields), f"{po.name}: {m.id[:60]!r} lost or gained its fields"


# ------------------------------------------------------------------------------ staleness demonstration
def _english_00():
    return nbformat.read(tr.NOTEBOOKS / "00_start_here.ipynb", as_version=4)


def test_changing_one_english_sentence_makes_the_translation_stale(tmp_path, monkeypatch):
    nb = _english_00()
    cell = next(c for c in nb.cells if c.id == "6d831d35")        # "## 4. A tour of the data" ...
    old = "Nothing is invented; a value the\nsource did not publish stays empty."
    assert old in cell.source
    cell.source = cell.source.replace(old, "Nothing is invented; a value the source did not publish is left blank.")
    po = tr.CATALOGUES / "00_start_here.po"
    st = tr.status_of(tr.lesson_messages(nb), tr.read_catalogue(po), "00_start_here")
    assert [m.context for m in st.stale] == ["markdown 6d831d35"] and not st.missing and not st.complete

    # the merge keeps the old translation, marked fuzzy, with the old English beside it
    merged = tr.merge(tr.lesson_messages(nb), tr.read_catalogue(po), "test")
    entry = next(m for m in merged if m.context == "markdown 6d831d35")
    assert entry.fuzzy and entry.previous_id and old in entry.previous_id[0] and "数据概览" in entry.string

    # ... so the Chinese notebook cannot be built from it, and the build names the cell
    english = tmp_path / "00_start_here.ipynb"
    nbformat.write(nb, english)
    monkeypatch.setattr(tr, "NOTEBOOKS", tmp_path)
    with pytest.raises(ValueError, match="markdown 6d831d35"):
        tr.translated_notebook(english)

    # the translator revises the entry and removes the flag: current again
    entry.flags.discard("fuzzy")
    entry.previous_id = ()
    revised = tmp_path / "revised.po"
    tr.write_catalogue(merged, revised)
    st = tr.status_of(tr.lesson_messages(nb), tr.read_catalogue(revised), "00_start_here")
    assert st.complete


def test_changing_a_code_template_makes_its_translation_stale():
    nb = _english_00()
    cell = next(c for c in nb.cells if c.id == "5790b9f8")
    assert 'i18n.t("{len(catalogue)} tables")' in cell.source
    cell.source = cell.source.replace('"{len(catalogue)} tables"', '"{len(catalogue)} tables in all"')
    st = tr.status_of(tr.lesson_messages(nb), tr.read_catalogue(tr.CATALOGUES / "00_start_here.po"), "x")
    assert [m.context for m in st.stale] == ["code 5790b9f8 0"]


def test_a_new_english_cell_is_missing_until_translated():
    nb = _english_00()
    new = nbformat.v4.new_markdown_cell("A new paragraph nobody has translated yet.")
    nb.cells.insert(3, new)
    st = tr.status_of(tr.lesson_messages(nb), tr.read_catalogue(tr.CATALOGUES / "00_start_here.po"), "x")
    assert [m.id for m in st.missing] == [new.source] and not st.stale


def test_a_moved_cell_keeps_its_translation():
    """Same English text under a new cell id (a cell cut and pasted): the translation follows it."""
    nb = _english_00()
    cell = next(c for c in nb.cells if c.id == "6d831d35")
    cell.id = "moved123"
    merged = tr.merge(tr.lesson_messages(nb), tr.read_catalogue(tr.CATALOGUES / "00_start_here.po"), "t")
    entry = next(m for m in merged if m.context == "markdown moved123")
    assert entry.string and not entry.fuzzy


# ------------------------------------------------------------------------------ fonts
def _all_translated_text() -> str:
    chars = set()
    for po in _catalogues():
        for m in tr.read_catalogue(po):
            if m.id and m.string:
                chars |= set(m.string)
    for zh in PUBLISHED:   # what the edition's code puts into charts comes from these; the notebooks' outputs too
        chars |= set(zh.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c.isprintable() and not c.isspace() and ord(c) > 127))


def _render(text: str):
    import warnings

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 6))
    for i in range(0, len(text), 60):
        ax.text(0, 1 - i / max(len(text), 1), text[i:i + 60], fontsize=6)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    return sorted({str(w.message) for w in caught if "missing from font" in str(w.message)})


def test_the_chinese_font_draws_every_character_of_the_translations():
    text = _all_translated_text()
    assert len(text) > 500                                        # the edition's Chinese, not a sample
    try:
        i18n.set_language("zh")
        assert i18n.cjk_font_path() is not None, "the CJK font (PyPI noto-cjk-sans-otc) is not installed"
        missing = _render(text)
    finally:
        i18n.set_language("en")
    assert not missing, f"characters with no glyph in DejaVu Sans + Noto Sans CJK SC: {missing[:5]}"


def test_without_the_chinese_font_the_same_text_has_missing_glyphs():
    i18n.set_language("en")
    assert _render("资本增长远快于产出"), "the glyph check would not notice a missing font"
