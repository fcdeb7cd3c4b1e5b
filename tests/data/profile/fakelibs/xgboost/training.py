import time

from .callback import TrainingCallback


def train(params, dtrain, num_boost_round=10, *, callbacks=None, **kwargs):
    for callback in callbacks or []:
        assert isinstance(callback, TrainingCallback)
    for epoch in range(num_boost_round):
        # Busy, like a real round: the CPU estimate counts CPU time, which a sleep would not accrue.
        deadline = time.perf_counter() + params.get("seconds_per_round", 0.0)
        while time.perf_counter() < deadline:
            pass
        if any(cb.after_iteration(None, epoch, {}) for cb in callbacks or []):
            break
    return "booster"
