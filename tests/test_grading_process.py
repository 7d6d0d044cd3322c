"""What the grading process does to spend less CPU per submission (issue 14), and that it loses nothing.

- ``exercises/nqpf_grading/nbgrader_main.py``: nbgrader opens a new ``Gradebook`` five times per
  student; in the grading process each one reuses the engine of its database and skips the table and
  course checks after the first. Each case runs in a fresh interpreter, because the change is
  process-wide (that is its point) and must not leak into the test process.
- ``preprocessors._nodes_unchecked``: nbformat's check of each output node is skipped while grading,
  so the outputs rebuilt for the graded notebook must fit the schema by construction.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grading_helpers import EXERCISES

SCRIPT = r"""
import json, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
import nbgrader
PATCH = sys.argv[2] == "patched"
if sys.argv[3] != "-":
    nbgrader.__version__ = sys.argv[3]
from nqpf_grading import nbgrader_main
if PATCH:
    nbgrader_main.reuse_gradebook_engines()
from nbgrader.api import Gradebook

statements = []
event.listen(Engine, "before_cursor_execute", lambda conn, cur, stmt, *a: statements.append(stmt))
tmp = sys.argv[1]
out = {}
with Gradebook(f"sqlite:///{tmp}/a.db") as gb:
    gb.add_student("s1", first_name="Ada")
    gb.add_assignment("ps1")
    first_engine = id(gb.engine)
n_first = len(statements)
with Gradebook(f"sqlite:///{tmp}/a.db") as gb:
    out["students"] = [s.id for s in gb.students]
    out["assignments"] = [a.name for a in gb.assignments]
    out["same_engine"] = id(gb.engine) == first_engine
out["second_open_statements"] = sum("sqlite_master" in s or "PRAGMA" in s for s in statements[n_first:])
with Gradebook(f"sqlite:///{tmp}/b.db") as gb:  # another course in the same process
    gb.add_student("s2")
    out["other_db_students"] = [s.id for s in gb.students]
out["patched"] = nbgrader.api.Gradebook.__init__.__module__
print(json.dumps(out))
"""


MODES = {"patched": ("patched", "-"), "plain": ("plain", "-"), "other version": ("patched", "0.10.0")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The three cases at once (each interpreter imports nbgrader and runs alembic: seconds each)."""
    env = {"PYTHONPATH": str(EXERCISES), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    procs = {}
    for label, (mode, version) in MODES.items():
        tmp = tmp_path_factory.mktemp("gradebook")
        procs[label] = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp), mode, version], cwd=EXERCISES,
                                        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = {}
    for label, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{label}: {stderr[-2000:]}"
        out[label] = json.loads(stdout.strip().splitlines()[-1])
    return out


def test_the_gradebook_reuses_its_engine_and_keeps_every_record(runs):
    got = runs["patched"]
    assert got["patched"] == "nqpf_grading.nbgrader_main"
    assert got["same_engine"] is True
    assert got["second_open_statements"] == 0  # no table inspection, no create_all the second time
    assert got["students"] == ["s1"] and got["assignments"] == ["ps1"]
    assert got["other_db_students"] == ["s2"]  # a new database still gets its tables


def test_unpatched_nbgrader_inspects_the_tables_each_time(runs):
    # the saving above is real: nbgrader's own __init__ inspects the tables on every open
    got = runs["plain"]
    assert got["patched"] == "nbgrader.api"
    assert got["same_engine"] is False and got["second_open_statements"] > 0
    assert got["students"] == ["s1"] and got["other_db_students"] == ["s2"]


def test_another_nbgrader_version_is_left_alone(runs):
    got = runs["other version"]
    assert got["patched"] == "nbgrader.api" and got["same_engine"] is False


def test_outputs_rebuilt_for_the_graded_notebook_fit_the_schema_without_the_per_node_check():
    # While grading, nbformat's check of each output node is skipped (preprocessors._nodes_unchecked):
    # clean_outputs must turn whatever a hostile kernel sent into outputs of the schema's types.
    import nbformat
    from nbformat import NotebookNode

    from nqpf_grading import preprocessors as pp

    raw = [
        {"output_type": "stream", "name": "evil", "text": ["a", "b"]},
        {"output_type": "error", "ename": 7, "evalue": None, "traceback": "not a list"},
        {"output_type": "execute_result", "execution_count": "7", "metadata": {"x": object()},
         "data": {"text/plain": ["4", "2"], "text/html": "<b>x</b>", "image/png": "not base64!"}},
        {"output_type": "execute_result", "execution_count": True, "data": {}},
        {"output_type": "execute_result", "execution_count": -3, "data": {"text/plain": 5}},
        {"output_type": "display_data", "data": {"application/x-weird": {"a": 1}}},
        {"output_type": "clear_output"},
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    with pp._nodes_unchecked():
        nb.cells[0].outputs = [NotebookNode(o) for o in raw]
        pp.clean_outputs(nb)
    nbformat.validate(nb)  # the whole notebook, as nbformat checks it
    counts = [o.get("execution_count") for o in nb.cells[0].outputs if o.output_type == "execute_result"]
    assert counts == [None, None, None]
    from nbformat.v4 import nbbase
    assert nbbase.validate is not None and nbbase.validate.__module__ == "nbformat.v4.nbbase"  # put back


def test_the_sandbox_starts_python_by_a_path_it_can_follow(monkeypatch, tmp_path):
    # an instructor who runs `../.venv/bin/python grade.py ...` from exercises/ gives Python the name
    # /course/exercises/../.venv/bin/python; inside the sandbox exercises/ does not exist, so that name
    # cannot be followed and no kernel started ("setpriv: failed to execute")
    import os
    import sys

    from nqpf_grading import sandbox

    real = sys.executable
    detour = os.path.join(os.path.dirname(os.path.dirname(real)), "include", "..", "bin", os.path.basename(real))
    assert os.path.exists(detour) and ".." in detour
    monkeypatch.setattr(sys, "executable", detour)
    policy = sandbox.make_policy()
    assert policy["python"] == os.path.normpath(detour) and ".." not in policy["python"]
    assert ".." not in policy["env"]["PATH"].split(":")[0]
    spec = json.loads((sandbox.write_kernelspec(tmp_path) / "kernel.json").read_text())
    assert ".." not in spec["argv"][0]
