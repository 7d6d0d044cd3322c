"""Helpers for the course on Zhang & Ma (2024), *developing new quality productive forces
according to local conditions* (因地制宜发展新质生产力).

The notebooks show the pandas steps a student should learn; this package does the plumbing:

- :mod:`course.data` reads and validates the datasets (``course.load(name)``);
- :mod:`course.measures` holds the inequality, growth and index measures;
- :mod:`course.plots` the palette, the tile map of the 31 provinces and figure display with alt text;
- :mod:`course.widgets` the pattern for interactive figures;
- :mod:`course.quiz` check questions with immediate feedback;
- :mod:`course.syllabus` the paper map and the lesson registry.
"""

from .data import DataError, citation, datasets, load

__all__ = ["DataError", "citation", "datasets", "load"]
__version__ = "0.1.0"
