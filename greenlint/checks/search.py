"""Compatibility only: tests/test_notebook.py checks that this module exists before running its
GL101 tests. The search rules now live in gl101_exhaustive_grid_search/, gl102_unbounded_search.py
and gl103_accuracy_only_objective.py; delete this module once that test looks for
greenlint.checks.gl101_exhaustive_grid_search."""
from __future__ import annotations

from .gl101_exhaustive_grid_search import exhaustive_grid_search  # noqa: F401
