"""Compatibility only: search.py (GL101/GL102) imports `_reaching` from here. The training rules
now live in gl201_missing_early_stopping/, gl202_full_precision_training.py and
gl203_energy_not_measured.py; delete this module once search.py imports
`training_values.reaching`."""
from __future__ import annotations

from .training_values import reaching as _reaching  # noqa: F401
