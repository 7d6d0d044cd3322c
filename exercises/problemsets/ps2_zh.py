"""Problem set 2 in Chinese (中文版): the English specification under the Chinese assignment's name.

The instructor source ``exercises/source/ps2_zh/ps2_zh.ipynb`` is built by
``python scripts/translations.py build ps2`` from the English source and ``translations/zh/ps2.po``:
same code cells, same grade ids, Chinese Markdown. The questions below are the *same objects* as
problem set 2's (points, variants and their salts, references, tolerances), so a student graded
under ``ps2_zh`` gets exactly the variant and the score they would get under ``ps2``.
Its verdicts (in the feedback) and the sandboxed kernel's self-checks are in Chinese (``course.i18n``).
"""

from __future__ import annotations

from nqpf_grading.spec import ProblemSet
from problemsets import ps2 as english

LANGUAGE = "zh"
ENGLISH = "ps2"
PROBLEM_SET = ProblemSet("ps2_zh", list(english.PROBLEM_SET.questions.values()), language=LANGUAGE)
MISCONCEPTIONS = english.MISCONCEPTIONS
