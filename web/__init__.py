"""Build tools for the course website and the slides (not part of the `course` package)."""
