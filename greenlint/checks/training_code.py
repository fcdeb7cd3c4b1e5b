"""Does this code train a model? The question GL101 (is a grid's objective a real training run?),
GL103 (does a study's objective train?) and GL404 (does a scheduled task's callable train?) ask.
Not a rule.

A call trains when it is a training API (`fit`, `xgb.train`, `cross_val_score`, a `Trainer`,
`loss.backward()`, an optimizer built over a model), or when it calls a function or method of
the same file that trains (followed a few levels deep).
"""
from __future__ import annotations

import ast
import re
from typing import Iterable

from ..frontends.python import PythonContext, call_name, kwarg
from .training_loops import FIT_METHODS, builds_optimizer, trainer_object
from .search_values import (RAY_WRAPPERS, SKLEARN_SEARCHES, TRAIN_FUNCTIONS, call_qual, class_named, follow,
                            is_study, method_named, origin_calls, walk_without_nested_defs)

# `.fit()` on these only computes statistics (a scaler's mean); it is not a training run.
NOT_TRAINING_PREFIXES = ("sklearn.preprocessing.", "sklearn.feature_extraction.", "sklearn.impute.",
                         "sklearn.compose.", "sklearn.feature_selection.VarianceThreshold")
TRAINER_LIBS = ("transformers", "pytorch_lightning", "trl", "ray", "sentence_transformers", "setfit",
                "accelerate", "composer", "mmengine", "ignite", "detectron2", "ultralytics", "catalyst")
MAX_DEPTH = 4


def _is_library_trainer(q: str | None, name: str) -> bool:
    """A `...Trainer` of a training library (transformers.Trainer, ray.train.torch.TorchTrainer)."""
    return bool(q) and name.endswith("Trainer") and q.split(".")[0] in TRAINER_LIBS  # type: ignore[union-attr]


def _is_training_api(q: str | None, name: str) -> bool:
    return q in TRAIN_FUNCTIONS or _is_library_trainer(q, name) or q in SKLEARN_SEARCHES


def _is_mode_switch(call: ast.Call) -> bool:
    """model.train(True) / train(mode=False): PyTorch's mode switch."""
    if kwarg(call, "mode") is not None:
        return True
    return len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.Constant) \
        and isinstance(call.args[0].value, bool)


def _imported_training_function(q: str | None, call: ast.Call, name: str) -> bool:
    """`from ray.tune.examples.mnist_pytorch import train`: an imported training function, called with arguments."""
    return bool(q) and bool(call.args or call.keywords) \
        and re.fullmatch(r"train(_one)?(_epoch|_model|_step)?|fit", name) is not None


class TrainingCode:
    """Answers 'does this code train a model?', following calls to functions of the same file."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx
        self.memo: dict[int, bool] = {}

    def nodes_train(self, nodes: Iterable[ast.AST], depth: int = 0) -> bool:
        for root in nodes:
            for node in walk_without_nested_defs(root):
                if isinstance(node, ast.Call) and self.call_trains(node, depth):
                    return True
        return False

    def function_trains(self, fn: ast.AST, depth: int = 0) -> bool:
        key = id(fn)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = False  # recursion guard
        body = fn.body if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else [fn]
        if isinstance(fn, ast.Lambda):
            body = [fn.body]
        if isinstance(fn, ast.ClassDef):  # a callable objective / Trainable class: any method
            body = fn.body
        result = depth < MAX_DEPTH and self.nodes_train(body, depth + 1)
        self.memo[key] = result
        return result

    def call_trains(self, call: ast.Call, depth: int) -> bool:
        q = call_qual(self.ctx, call)
        name = call_name(call)
        if _is_training_api(q, name):
            return True
        if isinstance(call.func, ast.Attribute):
            verdict = self._method_call_trains(call, call.func, name, depth)
            if verdict is not None:
                return verdict
        if builds_optimizer(self.ctx, call):  # an objective that builds an optimizer over a model trains it
            return True
        if isinstance(call.func, ast.Name):
            fn = self.ctx.functions.get(call.func.id)
            if fn is not None:
                return self.function_trains(fn, depth)
            return _imported_training_function(q, call, name)
        return False

    def _method_call_trains(self, call: ast.Call, func: ast.Attribute, name: str, depth: int) -> bool | None:
        """`receiver.name(...)`: True or False when the method decides, None to look further."""
        if name in FIT_METHODS or name == "fit_predict":  # a clusterer's fit_predict fits it
            return not self._preprocessing(func.value)
        if name == "train":
            return self._train_method_trains(call, func.value)
        if name == "backward":  # loss.backward(): a gradient step is being taken
            return True
        if name == "run" and trainer_object(self.ctx, func.value, call):  # an Ignite engine's run
            return True
        if name == "optimize" and is_study(self.ctx, func.value, call):
            return True
        if isinstance(func.value, ast.Name) and func.value.id == "self":
            method = method_named(self.ctx.enclosing_class(call), name)
            if method is not None:
                return self.function_trains(method, depth)
        return None

    def _train_method_trains(self, call: ast.Call, receiver: ast.AST) -> bool:
        if _is_mode_switch(call):
            return False
        if call.args or call.keywords:  # xgb.train(params, dtrain), model.train(data)
            return True
        # zero-argument `.train()` is PyTorch's mode switch, except on a trainer or an RLlib
        # algorithm (`config.build()`, `PPO(config=...)`)
        if trainer_object(self.ctx, receiver, call):
            return True
        return any(call_name(origin) in ("build", "build_algo") or (call_qual(self.ctx, origin) or "").startswith("ray.rllib")
                   for origin in origin_calls(self.ctx, receiver, call))

    def _preprocessing(self, receiver: ast.AST) -> bool:
        return any((call_qual(self.ctx, origin) or "").startswith(NOT_TRAINING_PREFIXES)
                   for origin in origin_calls(self.ctx, receiver))

    def callable_trains(self, node: ast.AST | None, at: ast.AST) -> bool | None:
        """Whether a callable (objective, trainable) trains: True, False, or None when not in this file."""
        node = follow(self.ctx, node, at)
        if isinstance(node, ast.Lambda):
            return self.function_trains(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return True  # Ray Tune trainable named by string: an RLlib algorithm ("PPO"), which trains
        if isinstance(node, ast.Call):
            return self._made_callable_trains(node, at)
        if isinstance(node, ast.Name):
            definition = self.ctx.functions.get(node.id) or class_named(self.ctx, node.id)
            return self.function_trains(definition) if definition is not None else None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            method = method_named(self.ctx.enclosing_class(at), node.attr)
            return self.function_trains(method) if method is not None else None
        return None

    def _made_callable_trains(self, node: ast.Call, at: ast.AST) -> bool | None:
        """A callable built by a call: a wrapper of another, a library trainer, an instance of a local class."""
        q = call_qual(self.ctx, node) or ""
        if q in RAY_WRAPPERS or q == "functools.partial":
            return self.callable_trains(node.args[0] if node.args else None, at)
        if _is_library_trainer(q, call_name(node)):
            return True  # ray.train TorchTrainer / XGBoostTrainer as a Tuner's trainable
        if isinstance(node.func, ast.Name):  # Objective(...) instance of a class in this file
            cls = class_named(self.ctx, node.func.id)
            if cls is not None:
                return self.function_trains(cls)
        return None


def training_code(ctx: PythonContext) -> TrainingCode:
    """The file's training oracle, shared by the search rules (its memo spans them)."""
    return ctx.memo("search.training", lambda: TrainingCode(ctx))
