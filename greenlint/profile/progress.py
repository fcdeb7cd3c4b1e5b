"""Report units of work from your own training loop to `greenlint profile`.

    from greenlint.profile.progress import report
    report("epoch", planned=EPOCHS)   # once, before the loop
    ...
    report("epoch", done=1)           # after each epoch

Outside `greenlint profile` this does nothing. Known libraries (scikit-learn searches, Keras,
Hugging Face Trainer, Lightning, XGBoost, LightGBM) are counted without it.
"""
from __future__ import annotations

import sys


def report(kind: str, done: int = 0, planned: int | None = None) -> None:
    hooks = sys.modules.get("_greenlint_profile_hooks")  # loaded by the profile bootstrap only
    if hooks is None:
        return
    if planned is not None:
        hooks.plan(kind, int(planned))
    if done:
        hooks.done(kind, int(done))
        hooks.flush()
