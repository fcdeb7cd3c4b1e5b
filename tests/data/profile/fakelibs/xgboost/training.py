import time

from .callback import TrainingCallback


def train(params, dtrain, num_boost_round=10, *, callbacks=None, **kwargs):
    for callback in callbacks or []:
        assert isinstance(callback, TrainingCallback)
    for epoch in range(num_boost_round):
        time.sleep(params.get("seconds_per_round", 0.0))
        if any(cb.after_iteration(None, epoch, {}) for cb in callbacks or []):
            break
    return "booster"
