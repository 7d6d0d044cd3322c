"""Grading specifications of the problem sets, one module per assignment (instructor-only)."""
