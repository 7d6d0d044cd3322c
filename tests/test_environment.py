"""environment.yml (conda, Binder) lists exactly the packages that pyproject.toml installs."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_requirements() -> set[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"])
    for extra in meta.get("optional-dependencies", {}).values():
        reqs += extra
    return {r.replace(" ", "").lower() for r in reqs}


def _environment_requirements() -> set[str]:
    lines = (ROOT / "environment.yml").read_text().splitlines()
    pins = set()
    for line in lines:
        m = re.match(r"^\s*-\s+([A-Za-z0-9_.\-\[\]]+[=<>!~]=?[^\s#]+)\s*$", line)
        if m and not m.group(1).startswith("python="):
            pins.add(m.group(1).replace(" ", "").lower())
    return pins


def test_environment_yml_lists_the_same_packages_as_pyproject():
    assert _environment_requirements() == _pyproject_requirements()


def test_environment_yml_installs_the_course_package():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s+-e \.\s*$", text, flags=re.M)
    assert re.search(r"^\s*-\s+python=3\.11\s*$", text, flags=re.M)


def test_makefile_installs_the_no_deps_extra_without_dependencies():
    """inequality is pinned once (pyproject's reference-nodeps extra); make setup installs it --no-deps."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert [r.split("==")[0] for r in extras["reference-nodeps"]] == ["inequality"]
    make = (ROOT / "Makefile").read_text()
    line = next(ln for ln in make.splitlines() if "--no-deps" in ln)
    following = make[make.index(line):].split("\n\t$(BIN)", 1)[0]
    assert "reference-nodeps" in following
