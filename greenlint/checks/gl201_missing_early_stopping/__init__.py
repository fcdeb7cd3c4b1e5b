"""GL201 missing-early-stopping: iterative training that watches a validation score every epoch
(or boosting round) but always runs to the last one.

One module per framework: keras, hf (Hugging Face Trainer), lightning, boosting (XGBoost,
LightGBM, CatBoost, scikit-learn) and torch_loops (hand-written epoch loops); `common` holds
what they share (callback lists, patience that cannot fire, the finding texts).
"""
from __future__ import annotations

from .. import detector
from ...frontends.python import PythonContext
from .boosting import check_boosting, check_sklearn
from .common import reports_to_nni_assessor
from .hf import check_hf_trainer
from .keras import check_keras
from .lightning import check_lightning
from .torch_loops import check_torch_loops
from ..testing_code import is_test_module


@detector("GL201")
def missing_early_stopping(ctx: PythonContext) -> None:
    if is_test_module(ctx):  # a test suite trains on toy data to check code (by what it defines)
        return
    if reports_to_nni_assessor(ctx):
        return
    opts = ctx.options("GL201")
    min_epochs = opts["min-epochs"]
    min_rounds = opts["min-rounds"]
    check_keras(ctx, min_epochs)
    check_hf_trainer(ctx, min_epochs)
    check_lightning(ctx, min_epochs)
    check_boosting(ctx, min_rounds)
    check_sklearn(ctx, min_rounds)
    check_torch_loops(ctx, min_epochs)
