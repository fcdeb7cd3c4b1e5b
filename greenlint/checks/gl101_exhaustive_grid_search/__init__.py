"""GL101 exhaustive-grid-search: a search that trains every combination of a grid of
hyper-parameters, where a random or adaptive search of a fraction of the budget finds as good
a configuration.

One module per kind of search: `sklearn` (GridSearchCV, HalvingGridSearchCV, ParameterGrid,
CatBoost's grid_search), `loops` (hand-written nested loops and itertools.product), `tuners`
(Optuna, Ray Tune, keras-tuner), `platforms` (the Python SDKs of SageMaker, Vertex AI, Azure ML,
Katib, NNI, Spark MLlib, H2O) and `configs` (sweep configs, in config files and as Python
dicts); `common` holds the cost texts and folds they share. Everything is static: where the
code does not make a grid's size knowable, the finding says so instead of guessing.
"""
from __future__ import annotations

from .. import detector
from ...frontends.python import PythonContext
from ..search_values import rule_options, skip_tests
from .common import CODE, defines_search_api
from .configs import python_sweep_dicts, read_sweep_configs
from .loops import loop_grids
from .platforms import sagemaker_vertex_grids, sdk_grids
from .sklearn import catboost_grids, parameter_grids, sklearn_searches
from .tuners import keras_tuner_grids, optuna_grids, ray_grids


@detector(CODE)
def exhaustive_grid_search(ctx: PythonContext) -> None:
    if defines_search_api(ctx) or skip_tests(ctx, CODE):
        return
    opts = rule_options(ctx, CODE)
    sklearn_searches(ctx, opts)
    parameter_grids(ctx, opts)
    optuna_grids(ctx, opts)
    ray_grids(ctx, opts)
    keras_tuner_grids(ctx, opts)
    sagemaker_vertex_grids(ctx)  # cloud tuners' grid strategies
    python_sweep_dicts(ctx)  # W&B / Comet / SageMaker / Vertex / Katib / NNI configs as dicts
    sdk_grids(ctx)  # Azure ML, Katib, NNI, Spark, H2O
    catboost_grids(ctx, opts)
    loop_grids(ctx, opts)


@detector(CODE, "config")
def grid_sweep_config(ctx) -> None:
    for doc in ctx.documents:
        if doc.is_map:
            read_sweep_configs(ctx, doc)
