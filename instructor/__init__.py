"""Instructor-only material: the instructor guide's sources and its generator.

Nothing in this folder is for students: the guides contain the answers to every check question,
the model answers to the discussion prompts and the problem sets' rubrics. A student edition of the
course must leave the whole ``instructor/`` folder out (``tests/test_student_facing.py`` checks the
student website and the slides for answers).
"""
