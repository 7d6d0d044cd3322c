"""nbval in `make test` runs every English instructor source here. The Chinese ones (``*_zh``, built by
``scripts/translations.py``) have the same code cells (tests/test_problem_sets_zh.py checks it) and one of
them runs end to end in the grading sandbox there; running them again here would only repeat the English."""

collect_ignore_glob = ["*_zh/*.ipynb"]
