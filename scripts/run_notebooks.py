"""Execute course notebooks in place so that their stored outputs are current.

Readers without a live kernel (GitHub, a static site, a printed handout) see the stored outputs,
and nbval compares the cells marked ``# NBVAL_CHECK_OUTPUT`` against them. Run this after editing a
lesson::

    python scripts/run_notebooks.py notebooks/11_high_quality_development.ipynb
    python scripts/run_notebooks.py            # every lesson and exercise source

Execution noise (timings, widget state that changes on every run) is removed so that a diff shows
what changed in the lesson.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def clean(nb) -> None:
    """Drop metadata that changes on every run and teaches nothing."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for out in cell.get("outputs", []):
                out.get("metadata", {}).pop("execution", None)


def run(path: Path, timeout: int = 120) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    clean(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path}: {run(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
