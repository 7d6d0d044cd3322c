"""Placeholder put first on the graded kernel's path: no debugger while grading.

ipykernel imports debugpy at start-up when it can (0.1-0.15 s of CPU per kernel, and a debugger
server in every student's kernel). Raising ImportError here makes ipykernel start without it, as
it does where debugpy is not installed. Only the sandbox sees this folder (see sandbox.py).
"""

raise ImportError("the debugger is off in the grading sandbox")
