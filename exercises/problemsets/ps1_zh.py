"""Problem set 1 in Chinese (中文版): the English specification under the Chinese assignment's name.

The instructor source ``exercises/source/ps1_zh/ps1_zh.ipynb`` is built by
``python scripts/translations.py build ps1`` from the English source and ``translations/zh/ps1.po``:
same code cells, same grade ids, Chinese Markdown. The questions below are the *same objects* as
problem set 1's (points, variants and their salts, references, tolerances), so a student graded
under ``ps1_zh`` gets exactly the variant and the score they would get under ``ps1``.
Its verdicts (in the feedback) and the sandboxed kernel's self-checks are in Chinese (``course.i18n``).
"""

from __future__ import annotations

from nqpf_grading.spec import ProblemSet
from problemsets import ps1 as english

LANGUAGE = "zh"
ENGLISH = "ps1"
PROBLEM_SET = ProblemSet("ps1_zh", list(english.PROBLEM_SET.questions.values()), language=LANGUAGE)
MISCONCEPTIONS = english.MISCONCEPTIONS
