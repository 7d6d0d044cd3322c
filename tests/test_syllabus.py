"""The paper map and lesson registry agree with the course plan and the files on disk."""

import re
from pathlib import Path

import nbformat
import pytest

from course import syllabus

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT.parent / "shared" / "COURSE_PLAN.md"


def test_paper_map_has_the_42_ids_once_each():
    ids = syllabus.ids()
    assert len(ids) == 42 and len(set(ids)) == 42
    parts = {i[0] for i in ids}
    assert parts == {"P", "N", "S", "F"}
    # every sub-section has its parent
    for i in ids:
        if "." in i:
            assert i.split(".")[0] in ids


@pytest.mark.skipif(not PLAN.exists(), reason="the course plan (../shared) is not beside this clone")
def test_paper_map_matches_the_course_plan():
    rows = re.findall(r"^\| (P0|[NSF]\d(?:\.\d)?) \|", PLAN.read_text(encoding="utf-8"), flags=re.M)
    assert rows == syllabus.ids()


def test_every_registered_notebook_exists_and_names_its_ids():
    for entry in (*syllabus.LESSONS, *syllabus.EXERCISES):
        file, _, item = entry.path.partition("#")
        path = ROOT / file
        assert path.exists(), f"{entry.path} is registered but missing"
        if item:  # a graded item: the instructor source has a cell with that nbgrader grade_id
            grade_ids = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nbformat.read(path, as_version=4).cells}
            assert item in grade_ids, f"{entry.path}: no cell with grade_id {item!r}"
            continue
        if path.suffix == ".ipynb":
            text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
            for sid in entry.ids:
                assert sid in text, f"{entry.path} does not mention the paper id {sid} it is registered for"


def test_every_lesson_notebook_is_registered():
    registered = {e.path for e in syllabus.LESSONS}
    on_disk = {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert on_disk == registered


def test_coverage_marks_parents_taught_through_children():
    lessons = (syllabus.Entry("x.ipynb", "x", ("S1.2",)),)
    table = syllabus.coverage(lessons=lessons, exercises=()).set_index("id")
    assert table.loc["S1", "status"] == "taught"
    assert table.loc["S1.2", "status"] == "taught"
    assert table.loc["S1.1", "status"] == "not yet"


def test_coverage_rejects_unknown_ids():
    with pytest.raises(KeyError, match="Z9"):
        syllabus.coverage(lessons=(syllabus.Entry("x.ipynb", "x", ("Z9",)),), exercises=())


def test_coverage_command_prints_a_table(capsys):
    syllabus.main()
    out = capsys.readouterr().out
    assert "N1" in out and "taught" in out and "(of 42 ids)" in out


def test_the_introduction_and_part_two_are_taught_and_graded():
    table = syllabus.coverage().set_index("id")
    for sid in ("P0", "N1", "N2", "N3", "N4", "N5"):
        assert table.loc[sid, "status"] == "taught and graded", sid


def test_part_three_is_taught_and_graded():
    table = syllabus.coverage().set_index("id")
    for sid in ("S1", "S1.1", "S1.2", "S1.3", "S2", "S2.1", "S2.2", "S2.3", "S3", "S3.1", "S3.2", "S3.3",
                "S4", "S4.1", "S4.2", "S4.3"):
        assert table.loc[sid, "status"] == "taught and graded", sid
