"""The graded capstone in Chinese (中文版): the English specification under the Chinese assignment's name.

The instructor source ``exercises/source/capstone_zh/capstone_zh.ipynb`` is built by
``python scripts/translations.py build capstone`` from the English source and ``translations/zh/capstone.po``:
same code cells, same grade ids, Chinese Markdown. The questions below are the *same objects* as
the capstone's (points, variants and their salts, references, tolerances), so a student graded
under ``capstone_zh`` gets exactly the variant and the score they would get under ``capstone``.
Its verdicts (in the feedback) and the sandboxed kernel's self-checks are in Chinese (``course.i18n``).
"""

from __future__ import annotations

from nqpf_grading.spec import ProblemSet
from problemsets import capstone as english

LANGUAGE = "zh"
ENGLISH = "capstone"
PROBLEM_SET = ProblemSet("capstone_zh", list(english.PROBLEM_SET.questions.values()), language=LANGUAGE)
MISCONCEPTIONS = english.MISCONCEPTIONS
