"""The course's grading tools (instructor-only; left out of the student edition).

- :mod:`.spec`: how a problem set declares its questions (points, names, variants, references);
- :mod:`.sandbox`: the bubblewrap sandbox every student's kernel runs in;
- :mod:`.preprocessors`: the nbgrader steps that run a notebook in the sandbox, read the answers by
  name and compare them in the grader's process;
- :mod:`.submissions`: collecting, checking and cleaning the submitted notebooks;
- :mod:`.edition`: the student edition (what students receive).
"""
