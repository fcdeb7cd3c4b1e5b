"""Property: no program makes a detector fail. Whatever valid Python (or notebook) greenlint reads,
running every rule (`--select ALL`) yields no GL000 "internal error" finding.

The programs are generated: ML-shaped statements (fit/train/backward/step loops, Trainer,
GridSearchCV, boosting, schedulers, early-stopping callbacks) arranged in every block and
expression form Python has (if/elif/else, for/while with else, try/except/except*/else/finally,
match, with, async def/for/with, def, class, lambda, comprehensions, walrus, IfExp), with names
drawn from a small pool so that bindings collide the way they do in real scripts and notebooks.
Every program is compiled first, so only valid code is linted; nothing generated is ever run.
"""
from __future__ import annotations

import ast
import json
import textwrap
import warnings
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from greenlint.engine import lint_text
from greenlint.rules import load_rules

# modest and without the explain phase: the whole file runs in well under a minute
SETTINGS = settings(max_examples=40, deadline=None, database=None, phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])

# Every rule's plain trigger tokens, in a comment, with the imports below: the prefilter then runs
# every detector on every program (each rule has an alternative of plain tokens the header holds).
TRIGGERS = sorted({token.decode() for rule in load_rules().values() for alternatives in rule.triggers.values()
                   for groups in alternatives for group in groups for token in group if not token.startswith(b"re:")})
HEADER = "# " + " ".join(t.replace("\n", " ") for t in TRIGGERS) + "\n" + textwrap.dedent("""\
    import argparse
    import itertools
    import numpy as np
    import torch
    import torch.nn as nn
    import tensorflow as tf
    from tensorflow import keras
    import pytorch_lightning as pl
    import lightning as L
    import xgboost as xgb
    import lightgbm as lgb
    import optuna
    from ray import tune
    from catboost import CatBoostClassifier
    from xgboost import XGBClassifier
    from sklearn.model_selection import GridSearchCV, ParameterGrid, RandomizedSearchCV
    from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.neural_network import MLPClassifier
    from torch.optim.lr_scheduler import CosineAnnealingLR, OneCycleLR, StepLR, MultiStepLR, LambdaLR
    from transformers import (Trainer, TrainingArguments, EarlyStoppingCallback, AutoModel,
                              get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup)
    from pytorch_lightning.callbacks import EarlyStopping
    EPOCHS = 50
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    """)

NAMES = ["model", "net", "clf", "trainer", "args", "cbs", "es", "epochs", "EPOCHS", "n", "x", "y",
         "val_loader", "train_loader", "optimizer", "scheduler", "params", "dtrain", "dvalid", "search",
         "study", "cfg", "loss", "epoch", "best", "patience", "history", "steps", "data"]


@dataclass(frozen=True)
class Where:
    """What the enclosing blocks allow: `break` in a loop, `return` in a function, `await` in
    an async function, and no break/continue/return in an `except*` handler."""
    loop: bool = False
    function: bool = False
    async_: bool = False
    star_handler: bool = False
    depth: int = 0


names = st.sampled_from(NAMES)
constants = st.sampled_from(["0", "1", "3", "5", "10", "50", "100", "200", "1000", "-1", "0.1", "1e-3",
                             "None", "True", "False", "'epoch'", "'steps'", "'no'", "'cuda'", "'val'",
                             "'cosine'", "'linear'", "'constant'", "'train'", "(1, 2)", "[]", "{}"])

# ML-shaped calls; `{}` slots are filled with generated expressions
CALLS = [
    "{}.fit({}, {}, epochs={}, validation_data={}, callbacks={})",
    "{}.fit({}, {}, epochs={}, validation_split={})",
    "{}.fit({}, eval_set=[({}, {})], callbacks={})",
    "{}.fit({}, {}, **{})",
    "keras.Sequential([keras.layers.Dense({})])",
    "keras.callbacks.EarlyStopping(patience={})",
    "keras.callbacks.ReduceLROnPlateau(patience={})",
    "keras.optimizers.schedules.CosineDecay({}, decay_steps={})",
    "keras.optimizers.schedules.PolynomialDecay({}, {}, end_learning_rate={})",
    "keras.optimizers.Adam(learning_rate={})",
    "TrainingArguments({}, eval_strategy={}, num_train_epochs={}, lr_scheduler_type={}, max_steps={})",
    "TrainingArguments(output_dir={}, evaluation_strategy={}, **{})",
    "Trainer(model={}, args={}, train_dataset={}, eval_dataset={}, callbacks={})",
    "EarlyStoppingCallback(early_stopping_patience={})",
    "{}.add_callback({})",
    "{}.train()",
    "pl.Trainer(max_epochs={}, callbacks={})",
    "L.Trainer(max_epochs={}, max_steps={}, accelerator={})",
    "EarlyStopping(monitor={}, patience={})",
    "{}.fit({}, {}, {})",
    "xgb.train({}, {}, num_boost_round={}, evals={}, early_stopping_rounds={})",
    "XGBClassifier(n_estimators={}, early_stopping_rounds={})",
    "lgb.train({}, {}, valid_sets={}, callbacks={})",
    "lgb.LGBMRegressor(n_estimators={})",
    "lgb.early_stopping({})",
    "CatBoostClassifier(iterations={}, od_wait={})",
    "GradientBoostingClassifier(n_estimators={})",
    "HistGradientBoostingRegressor(early_stopping={}, max_iter={})",
    "MLPClassifier(max_iter={}, early_stopping={})",
    "GridSearchCV({}, {{'a': [1, 2, 3], 'b': {}}}, cv={})",
    "RandomizedSearchCV({}, {}, n_iter={})",
    "ParameterGrid({})",
    "itertools.product({}, [1, 2])",
    "optuna.create_study(sampler={})",
    "{}.optimize({}, n_trials={}, timeout={})",
    "tune.run({}, config={{'lr': tune.grid_search([1, 2])}}, num_samples={})",
    "tune.Tuner({}, param_space={})",
    "{}.backward()",
    "{}.step()",
    "{}.zero_grad()",
    "{}.step({})",
    "torch.optim.SGD({}, lr={})",
    "CosineAnnealingLR({}, T_max={})",
    "OneCycleLR({}, max_lr={}, total_steps={}, epochs={})",
    "StepLR({}, step_size={})",
    "MultiStepLR({}, milestones=[{}, {}])",
    "LambdaLR({}, lambda e: 1 - e / {})",
    "get_cosine_schedule_with_warmup({}, {}, {})",
    "get_linear_schedule_with_warmup({}, num_warmup_steps={}, num_training_steps={})",
    "torch.autocast({})",
    "{}.cuda()",
    "{}.to({})",
    "AutoModel.from_pretrained({})",
    "range({})",
    "range({}, {})",
    "len({})",
    "evaluate({}, {})",
    "{}.parse_args()",
    "argparse.ArgumentParser().add_argument('--epochs', type=int, default={})",
    "dict(epochs={}, lr={})",
    "print({})",
]
OPERATORS = ["{} + {}", "{} * {}", "{} - {}", "{} < {}", "{} and {}", "not {}", "-{}", "{} // {}", "{} in {}"]


@st.composite
def expressions(draw, where: Where, depth: int = 0):
    """A Python expression; `where` says whether `await` is allowed."""
    if depth >= 2:
        return draw(st.one_of(names, constants))
    sub = expressions(where, depth + 1)
    kind = draw(st.integers(0, 16))
    if kind <= 3:
        return draw(st.one_of(names, constants))
    if kind <= 6:
        template = draw(st.sampled_from(CALLS))
        return template.format(*[draw(sub) for _ in range(template.count("{}"))])
    if kind == 7:
        return f"({draw(sub)} if {draw(sub)} else {draw(sub)})"
    if kind == 8:
        return f"({draw(names)} := {draw(sub)})"
    if kind == 9:  # a lambda's body is not async, even inside an async function
        body = draw(expressions(replace(where, async_=False), depth + 1))
        return f"(lambda {draw(names)}, *a, k={draw(constants)}, **kw: {body})"
    if kind == 10:
        target, form = draw(names), draw(st.sampled_from(["[{} for {} in {} if {}]", "{{{}: 1 for {} in {} if {}}}",
                                                          "({} for {} in {} if {})", "{{{} for {} in {} if {}}}"]))
        return form.format(draw(sub), target, draw(sub), draw(sub))
    if kind == 11:
        return draw(st.sampled_from(OPERATORS)).format(*[f"({draw(sub)})" for _ in range(2)])
    if kind == 12:
        return f"[{draw(sub)}, *{draw(sub)}]" if draw(st.booleans()) else f"({draw(sub)}, {draw(sub)})"
    if kind == 13:
        return f"{{'epochs': {draw(sub)}, 'early_stopping_rounds': {draw(sub)}, **{draw(sub)}}}"
    if kind == 14:
        return f"{draw(sub)}[{draw(sub)}]" if draw(st.booleans()) else f"{draw(names)}.{draw(names)}"
    if kind == 15 and where.async_:
        return f"(await {draw(sub)})"
    return f'f"{{{draw(names)}!r:>8}} done"'  # no nested quotes: Python < 3.12 rejects them


SIMPLE = ["{n} = {e}", "{n}, {n2} = {e}", "{n}, *{n2} = {e}", "{n} += {e}", "{n}: int = {e}", "{e}",
          "{n}.{n2} = {e}", "{n}[{e}] = {e}", "assert {e}, {e}", "del {n}", "pass", "raise {e}",
          "{n}.append({e})", "{n}.extend({e})", "{n} = {n2} = {e}"]

PATTERNS = ["0", "'val' | 'test'", "{{'epochs': ep, **rest}}", "[first, *others]", "Point(x=0, y=yy)",
            "(aa, bb)", "str() as text", "{{'k': [1, kk]}}", "None"]


def _block(lines: list[str]) -> str:
    return textwrap.indent("\n".join(lines) or "pass", "    ")


@st.composite
def statements(draw, where: Where):
    """One statement (perhaps compound), as source lines at indentation 0."""
    expr = expressions(where)
    kind = draw(st.integers(0, 22 if where.depth < 2 else 5))
    if kind <= 4:
        line = draw(st.sampled_from(SIMPLE)).format(n=draw(names), n2=draw(names), e=draw(expr))
        return line.replace("{e}", draw(expr)) if "{e}" in line else line
    if kind == 5:
        jumps = ["continue", "break"] if where.loop and not where.star_handler else []
        jumps += [f"return {draw(expr)}"] if where.function and not where.star_handler else []
        jumps += [f"yield {draw(expr)}"] if where.function and not where.async_ else []
        return draw(st.sampled_from(jumps or ["pass"]))
    inner = replace(where, depth=where.depth + 1)
    loop = replace(inner, loop=True)
    body = lambda w=inner: _block(draw(blocks(w)))  # noqa: E731
    if kind in (6, 20, 21, 22):  # the epoch loop of a hand-written PyTorch script, with anything inside
        count = draw(st.one_of(st.sampled_from(["20", "100", "EPOCHS", "args.epochs", "1, EPOCHS + 1"]), expr))
        return (f"for epoch in range({count}):\n    for x, y in train_loader:\n"
                f"        loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()\n"
                f"{body(loop)}\n    val_loss = evaluate(model, val_loader)")
    if kind == 7:  # any other loop
        target = draw(st.sampled_from(["epoch", "ep", "e", "i", "(i, batch)", "epoch, _"]))
        head = f"for {target} in {draw(st.sampled_from(['range({})', 'tqdm(range({}))', 'enumerate({})', '{}']))}:"
        text = head.format(draw(expr)) + "\n" + body(loop)
        return text + ("\nelse:\n" + body() if draw(st.booleans()) else "")
    if kind == 8:
        text = f"while {draw(expr)}:\n" + body(loop)
        return text + ("\nelse:\n" + body() if draw(st.booleans()) else "")
    if kind == 9:
        text = f"if {draw(expr)}:\n{body()}"
        if draw(st.booleans()):
            text += f"\nelif {draw(expr)}:\n{body()}"
        return text + (f"\nelse:\n{body()}" if draw(st.booleans()) else "")
    if kind == 10:
        text = f"try:\n{body()}\nexcept (ValueError, KeyError) as {draw(names)}:\n{body()}"
        if draw(st.booleans()):
            text += f"\nexcept Exception:\n{body()}\nelse:\n{body()}"
        return text + (f"\nfinally:\n{body()}" if draw(st.booleans()) else "")
    if kind == 11:
        return f"try:\n{body()}\nexcept* OSError as {draw(names)}:\n{body(replace(inner, star_handler=True))}"
    if kind == 12:
        cases = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3, unique=True))
        text = f"match {draw(expr)}:\n" + "\n".join(
            textwrap.indent(f"case {p.format()}{' if ' + draw(expr) if draw(st.booleans()) else ''}:\n{body()}", "    ")
            for p in cases)
        return text + ("\n" + textwrap.indent(f"case _:\n{body()}", "    ") if draw(st.booleans()) else "")
    if kind == 13:
        items = ", ".join(f"{draw(expr)} as {draw(names)}" for _ in range(draw(st.integers(1, 2))))
        return f"with {items}:\n{body()}"
    if kind == 14 and where.async_:
        return f"async with {draw(expr)} as {draw(names)}:\n{body()}"
    if kind == 15 and where.async_:
        return f"async for {draw(names)} in {draw(expr)}:\n{body(loop)}"
    if kind in (14, 15, 16, 17):
        is_async = draw(st.booleans())
        scope = Where(function=True, async_=is_async, depth=where.depth + 1)
        params = draw(st.sampled_from(["()", "(self)", "(model, epochs=100, *args, callbacks=None, **kw)",
                                       "(x, /, y=1, *, patience=5)", "(trial)", "(self, batch, batch_idx)"]))
        name = draw(st.sampled_from(["train", "evaluate", "objective", "main", "build_model", "get_callbacks",
                                     "training_step", "validation_step", "val_dataloader", "configure_optimizers"]))
        decorator = draw(st.sampled_from(["", "@torch.no_grad()\n", "@staticmethod\n", "@tune.with_parameters(x)\n"]))
        return f"{decorator}{'async ' if is_async else ''}def {name}{params}:\n" + _block(draw(blocks(scope)))
    if kind in (18, 19):
        base = draw(st.sampled_from(["", "(pl.LightningModule)", "(L.LightningDataModule)", "(keras.callbacks.Callback)",
                                     "(Trainer)", "(EarlyStopping)", "(nn.Module)", "(keras.Model)"]))
        methods = [draw(statements(Where(depth=where.depth + 1))) for _ in range(draw(st.integers(1, 3)))]
        return f"class {draw(st.sampled_from(['Model', 'DM', 'Stop', 'Config']))}{base}:\n" + _block(methods)
    return f"{draw(names)} = {draw(expr)}"


@st.composite
def blocks(draw, where: Where):
    return [draw(statements(where)) for _ in range(draw(st.integers(1, 3)))]


def _compiles(source: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning for `1()` and the like: valid, if odd
        try:
            compile(source, "<generated>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


@st.composite
def programs(draw):
    body = "\n".join(draw(st.lists(statements(Where()), min_size=1, max_size=6)))
    source = HEADER + body + "\n" + draw(st.sampled_from(["", "if __name__ == '__main__':\n    main()\n"]))
    assume(_compiles(source))
    return source


def internal_errors(source: str, filename: str) -> list[str]:
    findings = lint_text(source, filename=filename, select=["ALL"])
    return [f.message for f in findings if f.code == "GL000" and "internal error" in f.message]


@settings(SETTINGS, max_examples=150)  # the main property: most examples go here
@given(source=programs())
def test_no_rule_fails_on_a_generated_ml_script(source):
    assert internal_errors(source, "train.py") == [], source


@SETTINGS
@given(source=programs(), tests_too=st.booleans())
def test_no_rule_fails_under_any_file_name(source, tests_too):
    # file names change what rules do (test files, notebooks-as-scripts): every path must hold
    assert internal_errors(source, "tests/test_model.py" if tests_too else "pkg/models/lightning_module.py") == [], source


MAGICS = ["%matplotlib inline", "!pip install -q xgboost", "%load_ext autoreload", "%time x = 1", "?model",
          "%%time\nx = 1"]


@st.composite
def notebooks(draw):
    cells = [HEADER]
    for _ in range(draw(st.integers(1, 5))):
        cell = draw(statements(Where()))
        assume(_compiles(cell))
        if draw(st.integers(0, 4)) == 0:
            magic = draw(st.sampled_from(MAGICS))
            cell = magic if magic.startswith("%%") else magic + "\n" + cell
        cells.append(cell)
    kinds = ["code"] * len(cells)
    if draw(st.booleans()):
        cells.append("# Training\nmodel.fit(x, y, epochs=100, validation_data=(xv, yv))")
        kinds.append("markdown")
    return json.dumps({
        "cells": [{"cell_type": kind, "metadata": {}, "source": cell.splitlines(keepends=True),
                   **({"execution_count": None, "outputs": []} if kind == "code" else {})}
                  for kind, cell in zip(kinds, cells)],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5,
    })


@SETTINGS
@given(notebook=notebooks())
def test_no_rule_fails_on_a_generated_notebook(notebook):
    assert internal_errors(notebook, "explore.ipynb") == [], notebook


try:  # optional: arbitrary programs from the Python grammar (in the `test` extra)
    import hypothesmith
except ImportError:  # pragma: no cover
    hypothesmith = None


@pytest.mark.skipif(hypothesmith is None, reason="hypothesmith is not installed")
@settings(SETTINGS, max_examples=30)
@given(code=hypothesmith.from_grammar() if hypothesmith else st.just(""))
def test_no_rule_fails_on_arbitrary_python(code):
    """Arbitrary valid Python from hypothesmith's grammar, after the ML header: the shapes no
    template above thought of."""
    source = HEADER + code
    assume(_compiles(source))
    assert internal_errors(source, "train.py") == [], source


def test_the_property_can_fail(monkeypatch):
    """The check is not vacuous: a detector that raises on a program shows up as an internal error."""
    from greenlint import checks

    checks.detectors_for(["GL201"], {"GL201": {"python": "gl201_missing_early_stopping"}}, "python")  # registers it
    key = ("GL201", "python")

    def broken(ctx):
        raise TypeError("argument of type 'Constant' is not iterable")

    monkeypatch.setitem(checks._DETECTORS, key, broken)
    monkeypatch.delenv("GREENLINT_DEBUG", raising=False)  # users' setting: the error becomes a GL000
    (message,) = internal_errors(HEADER + "model.fit(x, y, epochs=100, validation_split=0.1)\n", "train.py")
    assert message.startswith("internal error in GL201")


_PY2_LINES = st.sampled_from([
    "print x", "print", "print 'a', b,", "print(x)", "exec code", "if x: print y; z = 1", "try:", "    pass",
    "except E, e:", "    print e", "print >>f, x", "x = `y`", "def f(print_me):", "    return print_me",
    "s = '''", "'''", "print x, \\", "    y", "l = [1,", "  2]", "# print x", "print -1", "x = # TODO",
    "y += ", "f(a=",
])


@SETTINGS
@given(lines=st.lists(_PY2_LINES, max_size=12), noise=st.text(max_size=20))
@example(lines=["print(x)", "except E, e:"], noise="\r")  # a lone \r: splitlines breaks there, the tokenizer does not
def test_lenient_readings_never_raise_and_keep_every_line(lines, noise):
    from greenlint.frontends.lenient import readings

    for text in ("\n".join(lines) + "\n", noise + "\n".join(lines)):
        assert all(reading.count("\n") == text.count("\n") for reading in readings(text))
