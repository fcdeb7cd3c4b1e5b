"""A stand-in for xgboost with the shape the profile hooks rely on (training.train with
callbacks of type callback.TrainingCallback), so the hook is tested without the library."""
from . import callback, training  # noqa: F401
from .training import train  # noqa: F401
