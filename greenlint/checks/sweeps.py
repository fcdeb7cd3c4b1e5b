"""Compatibility only: tests/test_infra_rules.py calls `sweeps.grid_sweep_config`. GL101's config
reader now lives in gl101_exhaustive_grid_search (configs.py); delete this module once that test
imports it from there."""
from __future__ import annotations

from .gl101_exhaustive_grid_search import grid_sweep_config  # noqa: F401
