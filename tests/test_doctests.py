"""The runnable examples in the `course` package's docstrings are correct (doctest)."""

import doctest
import importlib
import pkgutil

import pytest

import course

MODULES = sorted(m.name for m in pkgutil.iter_modules(course.__path__, prefix="course."))


def test_every_module_is_found():
    assert {"course.data", "course.measures", "course.plots", "course.widgets", "course.quiz"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
