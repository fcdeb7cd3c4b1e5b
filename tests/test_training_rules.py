"""GL201-GL203 beyond the YAML examples: counts and impact, API generations, callback wiring,
and regression cases for false alarms found on real projects (pytorch/examples,
dmlc/xgboost demos, catboost/tutorials, pytorch-image-models, Lightning tutorials)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from greenlint.engine import lint_text
from greenlint.finding import Severity


def lint(source: str, code: str = "GL201", filename: str = "train.py", **options):
    findings = lint_text(textwrap.dedent(source), filename=filename, select=[code], options={code: options})
    return [f for f in findings if f.code == code]


def lines(source: str, code: str = "GL201", filename: str = "train.py", **options) -> list[int]:
    return [f.line for f in lint(source, code, filename, **options)]


# ---- Keras -------------------------------------------------------------------------------


def test_keras_message_and_impact_state_the_epochs():
    (finding,) = lint("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, epochs=120, validation_split=0.1)
    """)
    assert "120 epochs" in finding.message and "EarlyStopping" in finding.message
    assert finding.impact == {"library": "keras", "epochs": 120}
    assert (finding.line, finding.column) == (4, 1)


@pytest.mark.parametrize("callbacks_setup, callbacks_arg", [
    ("cbs = [keras.callbacks.EarlyStopping(patience=3)]", "cbs"),
    ("es = keras.callbacks.EarlyStopping()\ncbs = [keras.callbacks.TensorBoard()]\ncbs.append(es)", "cbs"),
    ("cbs = []\ncbs += [keras.callbacks.EarlyStopping()]", "cbs"),
    ("base = [keras.callbacks.TensorBoard()]", "base + [keras.callbacks.EarlyStopping()]"),
    ("def make():\n    return [keras.callbacks.EarlyStopping()]", "make()"),
    # a callback of the project's own that stops training counts as early stopping
    ("class Stop(keras.callbacks.Callback):\n    def on_epoch_end(self, epoch, logs=None):\n"
     "        if logs['val_loss'] > 1:\n            self.model.stop_training = True", "[Stop()]"),
    # optuna's pruning callback ends unpromising trials early
    ("import optuna\ncb = optuna.integration.TFKerasPruningCallback(trial, 'val_loss')", "[cb]"),
])
def test_keras_early_stopping_is_found_through_the_callbacks_wiring(callbacks_setup, callbacks_arg):
    source = "from tensorflow import keras\n" + callbacks_setup + "\n" + (
        "model = keras.Sequential([keras.layers.Dense(1)])\n"
        f"model.fit(x, y, epochs=100, validation_data=(xv, yv), callbacks={callbacks_arg})\n"
    )
    assert lines(source) == []


def test_keras_callbacks_without_early_stopping_are_reported():
    assert lines("""
        from tensorflow import keras
        cbs = [keras.callbacks.ModelCheckpoint("m.keras"), keras.callbacks.ReduceLROnPlateau()]
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, epochs=100, validation_data=(xv, yv), callbacks=cbs)
    """) == [5]


@pytest.mark.parametrize("fit", [
    "model.fit(x, y, epochs=100, validation_split=0.0)",
    "model.fit(x, y, epochs=100, validation_data=None)",
    "model.fit(x, y, validation_data=(xv, yv))",  # Keras trains 1 epoch by default
    "model.fit(x, y, epochs=100, validation_data=(xv, yv), **fit_kwargs)",
    "model.fit(x, y, epochs=n_epochs, validation_data=(xv, yv))",
    "model.fit(x, y, epochs=100, initial_epoch=95, validation_data=(xv, yv))",
])
def test_keras_fits_that_are_not_reported(fit):
    assert lines(f"""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        {fit}
    """) == []


def test_keras_fit_on_a_non_keras_object_is_not_reported():
    assert lines("""
        import tensorflow as tf
        from mylib import Wrapper
        model = Wrapper()
        model.fit(x, y, epochs=100, validation_data=(xv, yv))
    """) == []


def test_keras_epochs_from_a_function_default_and_min_epochs_option():
    source = """
        from tensorflow import keras
        def train(model, epochs=25):
            model.fit(x, y, epochs=epochs, validation_data=(xv, yv))
    """
    assert lines(source) == [4]
    assert lines(source, **{"min-epochs": 30}) == []


def test_keras_safety_net_when_early_stopping_is_built_but_wired_opaquely():
    assert lines("""
        from tensorflow import keras
        es = keras.callbacks.EarlyStopping()
        registry = {"es": es}
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, epochs=100, validation_data=(xv, yv), callbacks=list(registry.values()))
    """) == []


# ---- Hugging Face ------------------------------------------------------------------------

HF = """
from transformers import Trainer, TrainingArguments, EarlyStoppingCallback, IntervalStrategy
args = TrainingArguments("out", {strategy}, num_train_epochs={epochs}{extra})
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset={eval_ds}{callbacks})
{after}
trainer.train()
"""


def hf(strategy='eval_strategy="epoch"', epochs="20", extra="", eval_ds="val_ds", callbacks="", after=""):
    return HF.format(strategy=strategy, epochs=epochs, extra=extra, eval_ds=eval_ds, callbacks=callbacks, after=after)


@pytest.mark.parametrize("source", [
    hf(),
    hf(strategy='evaluation_strategy="steps"'),  # transformers < 4.41 spelling
    hf(strategy="eval_strategy=IntervalStrategy.EPOCH"),
    hf(extra=", load_best_model_at_end=True, save_strategy='epoch'"),
])
def test_hf_trainer_reported(source):
    (finding,) = lint(source)
    assert finding.line == 4 and finding.impact == {"library": "transformers", "epochs": 20}


@pytest.mark.parametrize("source", [
    hf(callbacks=", callbacks=[EarlyStoppingCallback(early_stopping_patience=2)]"),
    hf(after="trainer.add_callback(EarlyStoppingCallback(3))"),
    hf(strategy='eval_strategy="no"'),
    hf(eval_ds="train_ds"),  # evaluating on the training set is not validation
    hf(eval_ds="None"),
    hf(epochs="5"),
    hf(extra=", max_steps=10000"),
    hf(epochs="trial.suggest_int('epochs', 10, 50)"),
])
def test_hf_trainer_not_reported(source):
    assert lines(source) == []


def test_hf_arguments_from_an_argument_parser_are_not_guessed():
    assert lines("""
        from transformers import HfArgumentParser, Trainer, TrainingArguments
        (training_args,) = HfArgumentParser(TrainingArguments).parse_args_into_dataclasses()
        trainer = Trainer(model=model, args=training_args, train_dataset=tr, eval_dataset=va)
    """) == []


# ---- Lightning ---------------------------------------------------------------------------


def test_lightning_default_max_epochs_is_1000():
    (finding,) = lint("""
        import pytorch_lightning as pl
        class M(pl.LightningModule):
            def validation_step(self, batch, i): ...
        trainer = pl.Trainer(accelerator="auto")
        trainer.fit(M(), train_loader, val_loader)
    """)
    assert finding.impact["epochs"] == 1000 and "default" in finding.message


@pytest.mark.parametrize("trainer", [
    "L.Trainer(max_epochs=50, callbacks=[EarlyStopping(monitor='val_loss')])",
    "L.Trainer(max_epochs=50, max_steps=1000)",
    "L.Trainer(max_epochs=5)",
    "L.Trainer(max_epochs=50, limit_val_batches=0)",
    "L.Trainer(max_epochs=50, callbacks=[PyTorchLightningPruningCallback(trial, monitor='val_acc')])",
])
def test_lightning_not_reported(trainer):
    assert lines(f"""
        import lightning as L
        from lightning.pytorch.callbacks import EarlyStopping
        from optuna.integration import PyTorchLightningPruningCallback
        class M(L.LightningModule):
            def validation_step(self, batch, i): ...
        trainer = {trainer}
        trainer.fit(M(), train_loader, val_loader)
    """) == []


def test_keras_fit_keywords_tell_a_keras_model_in_a_file_that_also_uses_sklearn():
    # The model comes out of a method of an object built elsewhere, which the file does not show;
    # `validation_data=` is a keyword of Keras's fit only, so the run is Keras's even beside
    # scikit-learn's metrics.
    source = """
        import tensorflow as tf
        from sklearn.metrics import accuracy_score
        from helpers import Builder
        model = Builder(cfg).resnet50()
        model.fit(train, epochs=40, {held_out})
    """
    assert lines(source.format(held_out="validation_data=valid")) == [6]
    assert lines(source.format(held_out="eval_set=[(xv, yv)]")) == []


def test_a_field_of_the_object_a_class_stores_is_read_at_its_construction():
    # `self.args.epochs` is `configs.epochs` when every construction passes `configs`; setting
    # another field of the namespace (`configs.run_id = ...`) leaves `epochs` known.
    source = """
        from argparse import Namespace
        from tensorflow import keras
        configs = Namespace(epochs=30, lr=0.1)
        configs.run_id = "a1"
        class Pipeline:
            def __init__(self, args):
                self.args = args
            def train(self):
                model = keras.Sequential()
                model.fit(x, epochs=self.args.epochs, validation_data=v)
        Pipeline({passed}).train()
    """
    assert lines(source.format(passed="configs")) == [11]
    assert lines(source.format(passed="other")) == []
    assert lines(source.format(passed="configs").replace('configs.run_id = "a1"', "configs.epochs = 5")) == []


def test_lightning_a_callback_watching_a_validation_metric_shows_validation():
    # Module and data come from the project's package; a checkpoint on a validation metric shows
    # that the run validates. A metric of the training set, or a local module with no
    # validation_step, shows nothing.
    source = """
        import pytorch_lightning as pl
        from pytorch_lightning.callbacks import ModelCheckpoint
        from mypkg import Model, DataModule
        callbacks = [ModelCheckpoint(monitor="{metric}", mode="min")]
        trainer = pl.Trainer(max_epochs=500, callbacks=callbacks)
        trainer.fit(Model(), datamodule=DataModule())
    """
    assert lines(source.format(metric="valid/loss")) == [6]
    assert lines(source.format(metric="val_acc")) == [6]
    assert lines(source.format(metric="train_loss")) == []
    assert lines(source.format(metric="interval_loss")) == []
    assert lines("""
        import pytorch_lightning as pl
        from pytorch_lightning.callbacks import ModelCheckpoint
        class Model(pl.LightningModule):
            def training_step(self, batch, i): ...
        trainer = pl.Trainer(max_epochs=500, callbacks=[ModelCheckpoint(monitor="val_loss")])
        trainer.fit(Model(), train_loader)
    """) == []


def test_lightning_needs_a_validation_loop():
    # a module without validation_step runs no validation even when a loader is passed
    assert lines("""
        import lightning as L
        class M(L.LightningModule):
            def training_step(self, batch, i): ...
        trainer = L.Trainer(max_epochs=50)
        trainer.fit(M(), train_loader, val_loader)
    """) == []
    # a datamodule in the file with val_dataloader is a validation loop
    assert lines("""
        import lightning as L
        class M(L.LightningModule):
            def validation_step(self, batch, i): ...
        class DM(L.LightningDataModule):
            def train_dataloader(self): ...
            def val_dataloader(self): ...
        trainer = L.Trainer(max_epochs=50)
        trainer.fit(M(), datamodule=DM())
    """) == [8]


# ---- XGBoost / LightGBM / CatBoost ------------------------------------------------------


def test_xgb_train_default_is_10_rounds_and_training_set_evals_are_not_validation():
    assert lines("""
        import xgboost as xgb
        xgb.train(params, dtrain, evals=[(dvalid, "valid")])
        xgb.train(params, dtrain, 500, evals=[(dtrain, "train")])
    """) == []


def test_xgb_params_dict_passed_by_name_and_by_double_star():
    assert lines("""
        from xgboost import XGBRegressor
        PARAMS = {"n_estimators": 800, "max_depth": 6}
        model = XGBRegressor(**PARAMS)
        model.fit(X, y, eval_set=[(X_val, y_val)])
    """) == [5]
    assert lines("""
        from xgboost import XGBRegressor
        PARAMS = {"n_estimators": 800, "early_stopping_rounds": 20}
        model = XGBRegressor(**PARAMS)
        model.fit(X, y, eval_set=[(X_val, y_val)])
    """) == []


@pytest.mark.parametrize("setup, fit_extra", [
    ("clf = xgb.XGBClassifier(n_estimators=500)", ", early_stopping_rounds=20"),  # xgboost < 2
    ("clf = xgb.XGBClassifier(n_estimators=500, callbacks=[xgb.callback.EarlyStopping(rounds=20)])", ""),
    ("clf = xgb.XGBClassifier(n_estimators=500)", ", **fit_params"),
    ("clf = xgb.XGBRFClassifier(n_estimators=500)", ""),  # a random forest: one round
    ("clf = xgb.XGBClassifier(n_estimators=trial.suggest_int('n', 100, 900))", ""),
])
def test_xgb_sklearn_api_not_reported(setup, fit_extra):
    assert lines(f"""
        import xgboost as xgb
        {setup}
        clf.fit(X, y, eval_set=[(X_val, y_val)]{fit_extra})
    """) == []


def test_xgb_callback_that_returns_true_stops_training_and_one_that_plots_does_not():
    # from dmlc/xgboost demo/guide-python/callbacks.py: a plotting callback returning False
    source = """
        import xgboost as xgb
        class Plotting(xgb.callback.TrainingCallback):
            def after_iteration(self, model, epoch, evals_log):
                return {ret}
        xgb.train(params, dtrain, num_boost_round=100, evals=[(dtrain, "t"), (dvalid, "v")], callbacks=[Plotting()])
    """
    assert lines(source.format(ret="False")) == [6]
    assert lines(source.format(ret="self.best_round + 10 < epoch")) == []


def test_lightgbm_generations():
    # LightGBM >= 4: callbacks; params aliases; older: early_stopping_rounds in train()
    assert lines("""
        import lightgbm as lgb
        lgb.train({"objective": "binary"}, dtrain, 1000, valid_sets=[dvalid], callbacks=[lgb.early_stopping(20)])
        lgb.train({"objective": "binary", "n_iter_no_change": 30}, dtrain, 1000, valid_sets=[dvalid])
        lgb.train({"objective": "binary"}, dtrain, 1000, valid_sets=[dvalid], early_stopping_rounds=30)
        lgb.train({"objective": "binary"}, dtrain, 1000, valid_sets=[dtrain])
        lgb.train({"objective": "binary", "num_iterations": 20}, dtrain, 1000, valid_sets=[dvalid])
    """) == []
    (finding,) = lint("""
        import lightgbm as lgb
        lgb.train({"objective": "binary"}, dtrain, valid_sets=[dtrain, dvalid])
    """)
    assert finding.impact == {"library": "lightgbm", "rounds": 100}  # LightGBM's default


def test_catboost_default_iterations_and_fit_time_early_stopping():
    (finding,) = lint("""
        from catboost import CatBoostClassifier, Pool
        model = CatBoostClassifier(learning_rate=0.1)
        model.fit(train_pool, eval_set=Pool(X_val, y_val))
    """)
    assert finding.impact == {"library": "catboost", "rounds": 1000}
    assert lines("""
        from catboost import CatBoostClassifier
        model = CatBoostClassifier(iterations=5000)
        model.fit(X, y, eval_set=(X_val, y_val), early_stopping_rounds=100)
    """) == []


def test_notebook_rebinding_resolves_each_fit_to_its_own_constructor():
    # catboost/tutorials categorical_features_parameters.ipynb rebinds `model` cell after cell
    assert lines("""
        from catboost import CatBoostRegressor
        model = CatBoostRegressor(n_estimators=5)
        model.fit(train_pool, eval_set=test_pool)
        model = CatBoostRegressor(n_estimators=5000)
        model.fit(train_pool, eval_set=test_pool)
        if fast:
            model = CatBoostRegressor(n_estimators=10)
        model.fit(train_pool, eval_set=test_pool)
    """) == [6]


# ---- scikit-learn ------------------------------------------------------------------------


def test_sklearn_estimators():
    assert lines("""
        from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingRegressor
        from sklearn.neural_network import MLPClassifier
        a = GradientBoostingClassifier()
        b = HistGradientBoostingRegressor(early_stopping=False, max_iter=300)
        c = HistGradientBoostingRegressor(max_iter=300)
        d = MLPClassifier(max_iter=1000)
        e = MLPClassifier(max_iter=1000, early_stopping=True)
        f = MLPClassifier(max_iter=1000, solver="lbfgs")
        g = MLPClassifier()
        h = GradientBoostingClassifier(n_estimators=20)
        i = GradientBoostingClassifier(n_estimators=500)
    """) == [4, 5, 7, 12]  # `a`: the default 100 rounds, which nobody chose, is a note (below)


def test_sklearn_default_rounds_are_a_note_also_inside_a_search():
    source = """
        from sklearn.ensemble import GradientBoostingClassifier
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(GradientBoostingClassifier(), {"learning_rate": [0.2, 0.1, 0.05]}, cv=10)
        chosen = GradientBoostingClassifier(n_estimators=300)
    """
    assert lines(source) == [4, 5]
    assert [str(f.severity) for f in lint(source, "GL201")] == ["note", "warning"]


def test_sklearn_estimator_tuned_by_a_grid_is_not_reported():
    assert lines("""
        from sklearn.ensemble import GradientBoostingClassifier
        from sklearn.model_selection import GridSearchCV
        GridSearchCV(GradientBoostingClassifier(), {"n_estimators": [100, 300]})
    """) == []


# ---- hand-written PyTorch loops ----------------------------------------------------------

MNIST = """
import argparse
import torch

def train(model, loader, optimizer):
    for data, target in loader:
        optimizer.zero_grad()
        loss = model(data).sum()
        loss.backward()
        optimizer.step()

def test(model, loader):
    with torch.no_grad():
        for data, target in loader:
            model(data)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=14)
    args = parser.parse_args()
    for epoch in range(1, args.epochs + 1):
        train(model, train_loader, optimizer)
        {evaluation}
        {extra}
"""


def test_pytorch_epoch_loop_is_a_note_with_the_epoch_count():
    # pytorch/examples mnist/main.py: evaluates on held-out data every epoch
    (finding,) = lint(MNIST.format(evaluation="test(model, test_loader)", extra=""))
    assert finding.line == 21 and str(finding.severity) == "note"
    assert finding.impact == {"library": "pytorch", "epochs": 14}


@pytest.mark.parametrize("evaluation, extra", [
    ("test(model, train_loader)", ""),  # evaluating on the training set is not validation
    ("test(model, val_loader)", "if trial.should_prune(): raise optuna.TrialPruned()"),
    ("loss = test(model, val_loader)", "if loss < 0.01: break"),
    ("loss = test(model, val_loader)", "if stopper.step(loss): return"),
    ("pass", ""),
])
def test_pytorch_epoch_loop_not_reported(evaluation, extra):
    assert lines(MNIST.format(evaluation=evaluation, extra=extra)) == []


# A course file whose imports, model and loaders live in an earlier one.
TORCH_EXCERPT = """
    n_epochs = 50
    for epoch in range(n_epochs):
        for data, target in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(data), target)
            loss.backward()
            optimizer.step()
        for data, target in valid_loader:
            valid_loss = criterion(model(data), target)
"""


def test_an_excerpt_that_imports_nothing_is_read_as_pytorch():
    # a file that imports another framework (and not torch) is not read as PyTorch
    assert lines(TORCH_EXCERPT) == [3]
    assert lines("import mxnet as mx\n" + textwrap.dedent(TORCH_EXCERPT)) == []


def test_an_excerpts_checkpoint_callback_is_not_early_stopping():
    # the callbacks' imports live in an earlier file: a checkpoint never stops the run, while a
    # callback the file cannot see might
    excerpt = """
        mc = ModelCheckpoint("best.h5", monitor="val_loss", save_best_only=True)
        history = model.fit(x_tr, y_tr, epochs=50, validation_data=(x_val, y_val), callbacks=[{callback}])
    """
    assert lines(excerpt.format(callback="mc")) == [3]
    assert lines(excerpt.format(callback="mc, make_stopper()")) == []


def test_break_in_the_batch_loop_does_not_stop_the_epochs():
    assert lines("""
        import torch
        for epoch in range(30):
            for i, (x, y) in enumerate(train_loader):
                model(x).sum().backward()
                optimizer.step()
                if i > 100:
                    break
            for x, y in val_loader:
                model(x)
    """) == [3]


def test_step_loops_and_optimizer_tests_are_not_epoch_loops():
    # pytorch/examples time_sequence_prediction/train.py: LBFGS steps with a test-set plot
    assert lines("""
        import torch
        for i in range(15):
            optimizer.step(closure)
            with torch.no_grad():
                pred = seq(test_input)
            loss.backward()
    """) == []
    # pytorch-image-models tests/test_optim.py: an optimiser unit test, a test by what it defines
    # (a test function that asserts), whatever the file is called
    assert lines("""
        import torch

        def test_optimizer_converges():
            for epoch in range(2000):
                optimizer.step(functools.partial(eval, params, True, w))
                loss.backward()
                test(params)
            assert params.norm() < 1e-3
    """, filename="check_optim.py") == []


# ---- GL202 -------------------------------------------------------------------------------


def test_gl202_pytorch_cuda_loop_once_per_file():
    found = lint("""
        import torch
        model = Net().cuda()
        for x, y in loader:
            loss_fn(model(x.cuda()), y.cuda()).backward()
            optimizer.step()
        for x, y in loader2:
            loss_fn(model(x.cuda()), y.cuda()).backward()
            optimizer.step()
    """, code="GL202")
    assert [f.line for f in found] == [5] and str(found[0].severity) == "note"


def test_gl202_device_chosen_at_run_time_is_cuda():
    assert lines("""
        import torch
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model = Net().to(device)
        for x, y in loader:
            loss_fn(model(x.to(device)), y.to(device)).backward()
            optimizer.step()
    """, code="GL202") == [6]


@pytest.mark.parametrize("trainer, reported", [
    ('L.Trainer(accelerator="gpu")', True),
    ("L.Trainer(gpus=1)", True),  # Lightning < 2
    ('L.Trainer(accelerator="gpu", precision=32)', True),
    ('L.Trainer(accelerator="gpu", precision="16-mixed")', False),
    ('L.Trainer(accelerator="gpu", precision=16)', False),
    ('L.Trainer(accelerator="gpu", precision=args.precision)', False),
    ('L.Trainer(accelerator="gpu", strategy="deepspeed_stage_2")', False),
    ('L.Trainer(accelerator="auto")', False),
    # hardware chosen by whether CUDA exists, as `torch.device("cuda" if ... else "cpu")` is
    ("L.Trainer(gpus=int(torch.cuda.is_available()))", True),
    ('L.Trainer(accelerator="gpu" if torch.cuda.is_available() else "cpu")', True),
    ("L.Trainer(devices=torch.cuda.device_count(), precision=\"bf16-mixed\")", False),
    ("L.Trainer(gpus=AVAIL_GPUS)", True),  # AVAIL_GPUS = min(1, torch.cuda.device_count()) below
])
def test_gl202_lightning(trainer, reported):
    source = f"import torch\nimport lightning as L\nAVAIL_GPUS = min(1, torch.cuda.device_count())\ntrainer = {trainer}\n"
    assert lines(source, code="GL202") == ([4] if reported else [])


def test_gl202_a_trainer_that_only_tests_and_a_quantized_model_are_not_reported():
    base = "import pytorch_lightning as pl\ntrainer = pl.Trainer(gpus=1)\n"
    assert lines(base + "trainer.test(model, loader)\n", code="GL202") == []
    assert lines(base + "trainer.fit(model, loader)\ntrainer.test(model, loader)\n", code="GL202") == [2]
    qlora = """
        from transformers import AutoModelForCausalLM, BitsAndBytesConfig, Trainer, TrainingArguments
        bnb = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16)
        model = AutoModelForCausalLM.from_pretrained("google/gemma-2b", quantization_config=bnb)
        trainer = Trainer(model=model, args=TrainingArguments("out"), train_dataset=ds)
        trainer.train()
    """
    assert lines(qlora, code="GL202") == []


def test_gl202_a_hand_written_loop_of_a_file_that_imports_transformers():
    # transformers for the model only; the loop is the file's own
    assert lines("""
        import torch
        from transformers import BertForSequenceClassification
        model = BertForSequenceClassification.from_pretrained("bert-base-uncased").to("cuda")
        for epoch in range(3):
            for batch in loader:
                model(**batch).loss.backward()
                optimizer.step()
    """, code="GL202") == [7]


def test_gl202_training_arguments_need_a_train_call():
    source = """
        from transformers import Trainer, TrainingArguments
        args = TrainingArguments("out"{extra})
        trainer = Trainer(model=model, args=args, train_dataset=ds)
        {train}
    """
    assert lines(source.format(extra="", train="trainer.train()"), code="GL202") == [3]
    assert lines(source.format(extra="", train="trainer.evaluate()"), code="GL202") == []
    assert lines(source.format(extra=", fp16=True", train="trainer.train()"), code="GL202") == []
    assert lines(source.format(extra=", use_cpu=True", train="trainer.train()"), code="GL202") == []


# ---- GL203 -------------------------------------------------------------------------------


def test_gl203_one_finding_at_the_first_training_call():
    found = lint("""
        import xgboost as xgb
        import lightgbm as lgb
        def main():
            lgb.train(p, d)
            xgb.train(p, d)
        if __name__ == "__main__":
            main()
    """, code="GL203")
    assert [f.line for f in found] == [5]


@pytest.mark.parametrize("source, filename", [
    ("import torch\nfrom zeus.monitor import ZeusMonitor\nloss.backward()\n", "train.py"),
    ("import torch\nfrom carbontracker.tracker import CarbonTracker\nloss.backward()\n", "train.py"),
    ("import torch\nloss.backward()\n", "tests/test_train.py"),
    ("import torch\ndef step():\n    loss.backward()\n", "lib.py"),  # a library module, not an entry point
])
def test_gl203_not_reported(source, filename):
    assert lines(source, code="GL203", filename=filename) == []


# ---- through the CLI, on files on disk ------------------------------------------------------

TRAIN_SCRIPT = """\
import argparse

import torch
from tensorflow import keras

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=40)
args = parser.parse_args()

model = keras.Sequential([keras.layers.Dense(10)])
model.compile("adam", "mse")
model.fit(x_train, y_train, epochs=args.epochs, validation_data=(x_val, y_val))

if __name__ == "__main__":
    net = torch.nn.Linear(4, 1).cuda()
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(3):
        net(torch.ones(4).cuda()).sum().backward()
        opt.step()
"""


def _notebook(cells: list[str]) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": c.splitlines(keepends=True)} for c in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def _run(args: list[str], cwd: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "greenlint", *args, "--format", "json", "--no-cache"],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_cli_reports_gl201_by_default_and_gl202_gl203_only_when_selected(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN_SCRIPT)
    (tmp_path / "explore.ipynb").write_text(_notebook([
        "import lightgbm as lgb\nparams = {'objective': 'binary', 'num_iterations': 400}",
        "booster = lgb.train(params, dtrain, valid_sets=[dvalid])",
    ]))
    default = _run(["."], tmp_path)
    got = sorted((f["path"], f["code"], f["line"]) for f in default["findings"] if f["code"].startswith("GL2"))
    assert [(p, c) for p, c, _ in got] == [("explore.ipynb", "GL201"), ("train.py", "GL201")]
    by_path = {f["path"]: f for f in default["findings"] if f["code"] == "GL201"}
    assert by_path["train.py"]["line"] == 12 and by_path["train.py"]["impact"]["epochs"] == 40
    assert by_path["explore.ipynb"]["cell"] == 2 and by_path["explore.ipynb"]["impact"]["rounds"] == 400

    selected = _run([".", "--select", "GL202,GL203"], tmp_path)
    codes = sorted((f["path"], f["code"], f["line"]) for f in selected["findings"])
    assert ("train.py", "GL202", 18) in codes
    assert ("train.py", "GL203", 12) in codes  # the Keras fit comes first
    assert any(p == "explore.ipynb" and c == "GL203" for p, c, _ in codes)


def test_gl203_finding_renders_in_the_text_report(tmp_path):
    # GL203's impact must not use `measured`, the key profile mode fills with its figures
    (tmp_path / "train.py").write_text(TRAIN_SCRIPT)
    proc = subprocess.run([sys.executable, "-m", "greenlint", "train.py", "--select", "GL203", "--no-cache"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr  # GL203 is a note: below the default --fail-on
    assert "GL203" in proc.stdout and "internal error" not in proc.stdout + proc.stderr


# ---- regression cases from a second real-project pass (handson-ml3, deeplearning-models,
# wandb/examples, microsoft/nni examples, Lightning examples, pytorch-tutorial) ----------------


def test_gan_real_label_named_valid_is_not_validation_data():
    # rasbt/deeplearning-models pytorch_ipynb/gan/gan.ipynb: `valid = torch.ones(n)` is the
    # "real" label fed to the discriminator loss, not a validation set
    assert lines("""
        import torch
        import torch.nn.functional as F
        NUM_EPOCHS = 100
        for epoch in range(NUM_EPOCHS):
            for batch_idx, (features, targets) in enumerate(train_loader):
                valid = torch.ones(targets.size(0)).float().to(device)
                fake = torch.zeros(targets.size(0)).float().to(device)
                gener_loss = F.binary_cross_entropy(model.discriminator_forward(model.generator_forward(z)), valid)
                optim_gener.zero_grad()
                gener_loss.backward()
                optim_gener.step()
    """) == []


def test_epoch_loop_evaluating_a_validation_loader_is_still_reported():
    # the same notebooks' classifier loops: compute_accuracy(model, valid_loader) every epoch
    assert lines("""
        import torch
        NUM_EPOCHS = 20
        for epoch in range(NUM_EPOCHS):
            for features, targets in train_loader:
                cost = F.cross_entropy(model(features), targets)
                optimizer.zero_grad()
                cost.backward()
                optimizer.step()
            valid_acc = compute_accuracy(model, valid_loader, device=DEVICE)
    """) == [4]


def test_reduce_lr_on_plateau_patience_is_not_early_stopping():
    # microsoft/nni examples/trials/kaggle-tgs-salt/train.py (without its NNI reporting):
    # ReduceLROnPlateau(patience=args.patience) lowers the learning rate and never stops the loop
    assert lines("""
        import argparse
        import torch
        from torch.optim.lr_scheduler import ReduceLROnPlateau
        def train(args):
            lr_scheduler = ReduceLROnPlateau(optimizer, mode='max', patience=args.patience)
            for epoch in range(args.start_epoch, args.epochs):
                for img, target in train_loader:
                    loss = criterion(model(img), target)
                    loss.backward()
                    optimizer.step()
                iout = validate(args, model, val_loader, epoch=epoch)
                lr_scheduler.step(iout)
        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument('--epochs', default=200, type=int)
            parser.add_argument('--start_epoch', default=0, type=int)
            parser.add_argument('--patience', default=6, type=int)
            args = parser.parse_args()
            train(args)
    """) == [7]


@pytest.mark.parametrize("report", [
    "nni.report_intermediate_result(acc)",
    '"""@nni.report_intermediate_result(acc)"""',  # NNI's annotation syntax
])
def test_nni_trial_reporting_every_epoch_leaves_stopping_to_the_assessor(report):
    # microsoft/nni examples/trials/cifar10_pytorch/main.py: the experiment's assessor stops trials
    assert lines(f"""
        import nni
        import torch
        for epoch in range(0, 200):
            for x, y in trainloader:
                loss = criterion(net(x), y)
                loss.backward()
                optimizer.step()
            acc = test(epoch, testloader)
            {report}
    """) == []


@pytest.mark.parametrize("trainer, fit", [
    ("pl.Trainer(max_epochs=15, resume_from_checkpoint='ckpt/epoch=9.ckpt')", "trainer.fit(model=m, datamodule=dm)"),
    ("pl.Trainer(max_epochs=15)", "trainer.fit(model=m, datamodule=dm, ckpt_path='ckpt/epoch=9.ckpt')"),
])
def test_lightning_resuming_from_a_checkpoint_is_not_reported(trainer, fit):
    # rasbt/deeplearning-models pytorch_ipynb/lightning/lightning-mlp.ipynb: max_epochs=15 resumed
    # from epoch 9 trains 5 more epochs
    source = f"""
        import pytorch_lightning as pl
        class DM(pl.LightningDataModule):
            def val_dataloader(self): ...
        class M(pl.LightningModule):
            def validation_step(self, batch, i): ...
        m, dm = M(), DM()
        trainer = {trainer}
        {fit}
    """
    assert lines(source) == []
    assert lines(source.replace("resume_from_checkpoint='ckpt/epoch=9.ckpt'", "").replace(
        ", ckpt_path='ckpt/epoch=9.ckpt'", "").replace("max_epochs=15, )", "max_epochs=15)")) == [8]


def test_notebook_early_stopping_in_one_cell_does_not_silence_other_fits():
    # ageron/handson-ml3 10_neural_nets_with_keras.ipynb: EarlyStopping is built for one fit
    # (cell 131); the earlier fits with no callbacks still train every epoch
    assert lines("""
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        history = model.fit(X_train, y_train, epochs=30, validation_data=(X_valid, y_valid))
        early_stopping_cb = tf.keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
        history = model.fit(X_train, y_train, epochs=100, validation_data=(X_valid, y_valid),
                            callbacks=[checkpoint_cb, early_stopping_cb])
    """) == [4]


def test_epochs_from_a_spelled_out_config_dict():
    # wandb/examples colabs/keras/cosine_decay_using_keras.ipynb: configs = dict(epochs=10, ...)
    assert lines("""
        import tensorflow as tf
        from tensorflow.keras import models
        from wandb.integration.keras import WandbMetricsLogger
        configs = dict(num_classes=10, epochs=10, learning_rate=1e-3)
        model = models.Sequential()
        model.fit(trainloader, epochs=configs["epochs"], validation_data=validloader,
                  callbacks=[WandbMetricsLogger(log_freq=2)])
    """) == [7]


def test_third_party_keras_model_known_by_its_compile_call():
    # wandb/examples colabs/keras/restorers/Train_Nafnet_Restorers.ipynb: restorers.model.NAFNet
    source = """
        import tensorflow as tf
        from restorers.model import NAFNet
        model = NAFNet(filters=16)
        model.compile(optimizer=tf.keras.optimizers.AdamW(learning_rate=2e-4), loss=loss)
        model.fit(train_dataset, validation_data=val_dataset, epochs=50, callbacks=callbacks)
    """
    assert lines(source.replace("callbacks=callbacks", "callbacks=[]")) == [6]
    # PyTorch 2's nn.Module.compile() takes no loss: not a Keras model
    assert lines(source.replace("import tensorflow as tf\n", "import tensorflow as tf\nimport torch\n").replace(
        "optimizer=tf.keras.optimizers.AdamW(learning_rate=2e-4), loss=loss", "")) == []


def test_one_cycle_callback_planned_over_the_run_is_a_fixed_budget_note():
    # ageron/handson-ml3 11_training_deep_neural_networks.ipynb cell 161: 1cycle over n_epochs
    source = """
        import tensorflow as tf
        class OneCycleScheduler(tf.keras.callbacks.Callback): ...
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        n_epochs = 25
        onecycle = SCHEDULER
        model.fit(X_train, y_train, epochs=n_epochs, validation_data=(X_valid, y_valid), callbacks=[onecycle])
    """
    (finding,) = lint(source.replace("SCHEDULER", "OneCycleScheduler(n_steps, max_lr=0.1)"))
    assert finding.severity == Severity.NOTE and "fixed budget: OneCycleScheduler plans" in finding.message
    assert finding.impact == {"library": "keras", "epochs": 25, "schedule": "OneCycleScheduler"}
    (finding,) = lint(source.replace("SCHEDULER", "tf.keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=5)"))
    assert finding.severity == Severity.WARNING and "no early stopping" in finding.message


# GL202 / GL203: gradients that are not a training run

@pytest.mark.parametrize("source", [
    # nni examples/nas/legacy/cdarts/utils.py: one backward pass to count parameters with gradients
    """
    import torch
    def param_size(model, loss_fn, input_size):
        x = torch.rand([2] + input_size).cuda()
        loss_fn(model(x)[0], torch.randint(10, size=[2]).cuda()).backward()
        return sum(v.numel() for v in model.parameters() if v.grad is not None)
    """,
    # deeplearning-models viz/cnns/cats-and-dogs/cnn-viz-grad__vgg16-cats-dogs.ipynb: a saliency map
    """
    import torch
    DEVICE = torch.device("cuda:0")
    def get_viz(image_tensor, label, model, device=DEVICE):
        image_tensor.requires_grad = True
        cost = F.cross_entropy(model(image_tensor.to(device)), label)
        model.zero_grad()
        cost.backward()
        return image_tensor.grad[0]
    """,
    # yunjey/pytorch-tutorial 01-basics/pytorch_basics/main.py: an autograd demonstration
    """
    import torch
    x = torch.tensor(1., requires_grad=True, device="cuda")
    y = 2 * x + 3
    y.backward()
    optimizer = torch.optim.SGD([x], lr=0.01)
    optimizer.step()
    """,
    # deeplearning-models basic-ml/perceptron.ipynb: a hand-written backward method
    """
    import torch
    device = torch.device("cuda:0")
    class Perceptron:
        def backward(self, x, y):
            return y - self.forward(x)
        def train(self, x, y, epochs):
            for e in range(epochs):
                for i in range(y.size()[0]):
                    errors = self.backward(x[i].view(1, 2), y[i]).view(-1)
                    self.weights += (errors * x[i]).view(2, 1)
    """,
])
@pytest.mark.parametrize("code", ["GL202", "GL203"])
def test_backward_without_a_training_run_is_not_training(source, code):
    assert lines(source, code=code) == []


def test_quantization_aware_training_is_not_told_to_autocast():
    # microsoft/nni examples/compression/quantization/qat_example.py
    source = """
        import torch
        from nni.compression.quantization import QATQuantizer
        device = torch.device("cuda")
        def training_model(model, optimizer, max_epochs=10):
            for epoch in range(max_epochs):
                for x, y in train_loader:
                    loss = F.cross_entropy(model(x.to(device)), y.to(device))
                    loss.backward()
                    optimizer.step()
        quantizer = QATQuantizer(model, config_list, evaluator)
    """
    assert lines(source, code="GL202") == []
    assert lines(source.replace("from nni.compression.quantization import QATQuantizer", "import os").replace(
        "quantizer = QATQuantizer(model, config_list, evaluator)", "training_model(model, opt)"), code="GL202") == [9]


def test_deepspeed_engine_step_is_a_training_step():
    # microsoft/nni examples/model_compress/quantization/quantization_with_deepspeed.py
    assert lines("""
        import torch
        def training_model(model, max_epochs=3):
            for epoch in range(max_epochs):
                for batch in train_dataloader:
                    loss = training_step(batch, model)
                    model.backward(loss)
                    model.step()
        if __name__ == "__main__":
            training_model(engine)
    """, code="GL203") == [7]


def test_lightning_smoke_test_trainer_is_not_a_training_entry_point():
    # Lightning-AI/pytorch-lightning examples/pytorch/bug_report/bug_report_model.py
    source = """
        from lightning.pytorch import LightningModule, Trainer
        def run():
            trainer = Trainer(limit_train_batches=1, limit_val_batches=1, max_epochs=1)
            trainer.fit(model, train_dataloaders=train_data, val_dataloaders=val_data)
        if __name__ == "__main__":
            run()
    """
    assert lines(source, code="GL203") == []
    assert lines(source.replace("limit_train_batches=1, ", ""), code="GL203") == [5]


# ---- third real-project audit (huggingface/peft, deepchem, keras guides, skorch, qlib,
# optuna tutorial, christianversloot/machine-learning-articles) ------------------------------


@pytest.mark.parametrize("prepare", ["", """
        model, train_dataloader, eval_dataloader, optimizer = accelerator.prepare(
            model, train_dataloader, eval_dataloader, optimizer)
"""])
def test_eval_loader_over_the_training_split_is_not_validation(prepare):
    # huggingface/peft examples/causal_language_modeling/peft_lora_clm_accelerate_ds_zero3_offload.py
    # and peft_{ln,prefix,prompt}_tuning_clm.ipynb: the test split has no labels, so the
    # "eval" loader is `processed_datasets["train"]` and eval_loss/eval_ppl are training scores
    source = """
        import torch
        from torch.utils.data import DataLoader

        def main():
            num_epochs = 20
            train_dataset = processed_datasets["train"]
            eval_dataset = processed_datasets["train"]
            train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=8)
            eval_dataloader = DataLoader(eval_dataset, batch_size=8)
        """ + textwrap.indent(textwrap.dedent(prepare), " " * 12) + """
            for epoch in range(num_epochs):
                model.train()
                for step, batch in enumerate(tqdm(train_dataloader)):
                    loss = model(**batch).loss
                    loss.backward()
                    optimizer.step()
                model.eval()
                eval_loss = 0
                eval_preds = []
                for step, batch in enumerate(tqdm(eval_dataloader)):
                    with torch.no_grad():
                        outputs = model(**batch)
                    eval_loss += outputs.loss.detach().float()
                    eval_preds.extend(decode(outputs))
                eval_ppl = torch.exp(eval_loss / len(eval_dataloader))
                for pred, true in zip(eval_preds, labels):
                    correct += pred == true
        """
    assert lines(source) == []
    # the same loop over the validation split is reported
    validation = source.replace('eval_dataset = processed_datasets["train"]',
                                'eval_dataset = processed_datasets["validation"]')
    epoch_line = textwrap.dedent(validation).splitlines().index(" " * 4 + "for epoch in range(num_epochs):") + 1
    assert lines(validation) == [epoch_line]


def test_epochs_passed_by_every_call_site_in_the_file_are_counted():
    # huggingface/peft examples/multilayer_perceptron/multilayer_perceptron_lora.ipynb and
    # image_classification_timm_peft_lora.ipynb: `def train(..., epochs)` called with epochs=30
    source = """
        import torch

        max_epochs = 30

        def train(model, optimizer, criterion, train_dataloader, eval_dataloader, epochs):
            for epoch in range(epochs):
                model.train()
                for xb, yb in train_dataloader:
                    loss = criterion(model(xb), yb)
                    loss.backward()
                    optimizer.step()
                model.eval()
                for xb, yb in eval_dataloader:
                    with torch.no_grad():
                        eval_loss += criterion(model(xb), yb)

        train(module, optimizer, criterion, train_dataloader, eval_dataloader, epochs=max_epochs)
        train(peft_model, optimizer, criterion, train_dataloader, eval_dataloader, max_epochs)
    """
    (finding,) = lint(source)
    assert (finding.line, finding.impact["epochs"]) == (7, 30)
    # the smallest count wins; one call below min-epochs means no finding
    assert lines(source.replace("eval_dataloader, max_epochs)", "eval_dataloader, 3)")) == []
    # a call site whose count is unknown, or the function passed around, leaves it unknown
    assert lines(source.replace("eval_dataloader, max_epochs)", "eval_dataloader, n)")) == []
    assert lines(source + "\nrun(train)\n") == []


def test_epochs_from_args_parsed_in_a_helper_function():
    """The core resolves `args.x` when a helper of the file returns the parsed arguments (timm's
    `args, args_text = _parse_args()`), for every rule, not only GL301."""
    from greenlint.engine import lint_text

    source = (
        "import argparse\nfrom tensorflow import keras\n"
        "def get_args():\n    p = argparse.ArgumentParser()\n    p.add_argument('--epochs', type=int, default=80)\n"
        "    return p.parse_args()\n"
        "args = get_args()\nmodel = keras.Sequential([keras.layers.Dense(1)])\n"
        "model.fit(x, y, validation_split=0.1, epochs=args.epochs)\n"
    )
    [finding] = lint_text(source, filename="train.py", select=["GL201"])
    assert "80 epochs" in finding.message


def test_epochs_from_config_dataclass_defaults():
    """Config dataclasses resolve like argparse defaults; a keyword at construction or a later
    assignment wins (peft adamss_finetuning/glue_adamss_asa_example.py uses HfArgumentParser)."""
    from greenlint.engine import lint_text

    base = ("from dataclasses import dataclass, field\nfrom tensorflow import keras\n@dataclass\n"
            "class TrainConfig:\n    epochs: int = 120\n    lr: float = field(default=1e-3)\n")
    fit = "model = keras.Sequential([keras.layers.Dense(1)])\nmodel.fit(x, y, validation_split=0.1, epochs=cfg.epochs)\n"
    [finding] = lint_text(base + "cfg = TrainConfig()\n" + fit, select=["GL201"])
    assert "120 epochs" in finding.message
    assert lint_text(base + "cfg = TrainConfig(epochs=5)\n" + fit, select=["GL201"]) == []
    assert lint_text(base + "cfg = TrainConfig()\ncfg.epochs = 3\n" + fit, select=["GL201"]) == []
    assert lint_text(base + "cfg = TrainConfig(*sys.argv)\n" + fit, select=["GL201"]) == []
    hf = ("from dataclasses import dataclass, field\n"
          "from transformers import HfArgumentParser, Trainer, TrainingArguments\n@dataclass\n"
          "class ScriptArguments:\n    num_epochs: int = field(default=100)\n"
          "parser = HfArgumentParser((ScriptArguments, TrainingArguments))\n"
          "script_args, training_args = parser.parse_args_into_dataclasses()\n"
          "args = TrainingArguments(output_dir='o', eval_strategy='epoch', num_train_epochs=script_args.num_epochs)\n"
          "trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=ev)\ntrainer.train()\n")
    [finding] = lint_text(hf, select=["GL201"])
    assert "100 epochs" in finding.message


# ---- every AST node kind inside an epoch loop (GL000 "internal error" regressions) ---------

EPOCH_LOOP = """
import torch
for epoch in range(40):
    for x, y in train_loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
{extra}
    val_loss = evaluate(model, val_loader)
"""


def _loop(extra: str) -> str:
    return EPOCH_LOOP.format(extra=textwrap.indent(textwrap.dedent(extra).strip("\n"), "    "))


def _gl201_and_internal_errors(source: str) -> tuple[list[int], list[str]]:
    findings = lint_text(source, filename="train.py", select=["GL201"])
    errors = [f.message for f in findings if f.code == "GL000"]
    return [f.line for f in findings if f.code == "GL201"], errors


# constructs that neither end the epoch loop nor count as early-stopping bookkeeping
@pytest.mark.parametrize("extra", [
    "lr = 0.1 if epoch < 10 else 0.01",  # IfExp: its `orelse` is an expression, not a block
    "print('warm' if epoch < 3 else ('cool' if epoch > 30 else 'mid'))",
    "match epoch:\n    case 0:\n        print('first')\n    case {'k': k}:\n        pass\n    case [*rest]:\n        pass\n    case _:\n        pass",
    "try:\n    save(model)\nexcept* OSError as err:\n    print(err)",
    "try:\n    save(model)\nexcept OSError as err:\n    print(err)\nelse:\n    print('saved')\nfinally:\n    print('done')",
    "if (n := len(history)) > 5:\n    history.pop(0)",
    "norms = [p.grad.norm() for p in model.parameters() if p.grad is not None]",
    "stats = {k: v for k, v in metrics.items()}\ngen = sum(x for x in stats.values())",
    "decay = lambda e: 0.95 ** e\nlr = decay(epoch)",
    "def log(msg):\n    return print(msg)\nlog(epoch)",
    "class Tracker:\n    def update(self):\n        return 1",
    "with torch.no_grad(), open('log.txt', 'a') as fh:\n    fh.write(str(epoch))",
    "while queue:\n    item = queue.pop()\n    if item is None:\n        break\nelse:\n    pass",
    "for p in model.parameters():\n    if p.grad is None:\n        break",
    "assert epoch >= 0, 'bad epoch'\ndel norms\nglobal STEP\nSTEP += 1",
])
def test_epoch_loop_with_any_node_kind_is_analysed_without_internal_error(extra):
    reported, errors = _gl201_and_internal_errors(_loop(extra))
    assert errors == []
    assert reported == [3]


# the same constructs holding a statement that does end the epoch loop
@pytest.mark.parametrize("extra", [
    "if val_loss > best:\n    break",
    "match state:\n    case 'diverged':\n        break",
    "try:\n    check(model)\nexcept ValueError:\n    break",
    "try:\n    check(model)\nexcept ValueError:\n    pass\nelse:\n    break",
    "try:\n    check(model)\nfinally:\n    raise SystemExit(0)",
    "with open('stop') as fh:\n    if fh.read():\n        break",
    # a `break` in the `else` of a nested loop runs after that loop: it ends the epoch loop
    "for p in model.parameters():\n    if p.grad is not None:\n        break\nelse:\n    break",
    "while False:\n    pass\nelse:\n    break",
    "if (ratio := val_loss / best) > 1.5:\n    return",
])
def test_a_stop_inside_any_block_ends_the_epoch_loop(extra):
    source = _loop(extra)
    if "return" in extra:
        source = "def main():\n" + textwrap.indent(source, "    ")
    reported, errors = _gl201_and_internal_errors(source)
    assert errors == []
    assert reported == []


def test_async_epoch_loop_and_async_blocks_do_not_crash():
    source = """
        import torch
        async def main():
            async with session() as s:
                async for batch in s.stream():
                    pass
            for epoch in range(40):
                async for x, y in train_stream:
                    loss = loss_fn(model(x), y)
                    loss.backward()
                    optimizer.step()
                await log(epoch if epoch else None)
                val_loss = evaluate(model, val_loader)
    """
    reported, errors = _gl201_and_internal_errors(textwrap.dedent(source))
    assert errors == []
    assert reported == [7]


@pytest.mark.parametrize("rebinding", [
    "for EPOCHS in (1, 2):\n    model.fit(x, y, epochs=EPOCHS, validation_split=0.1)",
    "with open('n') as EPOCHS:\n    model.fit(x, y, epochs=EPOCHS, validation_split=0.1)",
    "match cfg:\n    case {'epochs': EPOCHS}:\n        model.fit(x, y, epochs=EPOCHS, validation_split=0.1)",
    "try:\n    pass\nexcept Exception as EPOCHS:\n    model.fit(x, y, epochs=EPOCHS, validation_split=0.1)",
])
def test_a_name_rebound_by_a_loop_with_match_or_except_is_not_its_earlier_value(rebinding):
    # `EPOCHS = 100` above does not reach a use where a block has rebound the name
    source = "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\nEPOCHS = 100\n"
    assert lines(source + "model.fit(x, y, epochs=EPOCHS, validation_split=0.1)\n") == [4]
    assert lines(source + rebinding + "\n") == []


# ---- early stopping whose patience outlasts the run --------------------------------------


@pytest.mark.parametrize("source, n, patience", [
    ("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=40)
        model.fit(x, y, epochs=40, validation_data=(xv, yv), callbacks=[stop])
    """, 40, 40),
    ("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        stop = keras.callbacks.EarlyStopping(patience=10, start_from_epoch=25)
        model.fit(x, y, epochs=30, validation_split=0.2, callbacks=[stop])
    """, 30, 35),
    ("""
        from transformers import Trainer, TrainingArguments, EarlyStoppingCallback
        args = TrainingArguments("o", eval_strategy="epoch", num_train_epochs=12)
        trainer = Trainer(model=m, args=args, train_dataset=tr, eval_dataset=va,
                          callbacks=[EarlyStoppingCallback(early_stopping_patience=15)])
    """, 12, 15),
    ("""
        import lightning as L
        from lightning.pytorch.callbacks import EarlyStopping
        class Net(L.LightningModule):
            def validation_step(self, batch, i): ...
        trainer = L.Trainer(max_epochs=100, check_val_every_n_epoch=10, callbacks=[EarlyStopping("val_loss", patience=10)])
        trainer.fit(Net(), train_dl, val_dl)
    """, 10, 10),
    ("""
        from xgboost import XGBClassifier
        clf = XGBClassifier(n_estimators=200, early_stopping_rounds=200)
        clf.fit(X, y, eval_set=[(Xv, yv)])
    """, 200, 200),
    ("""
        import xgboost as xgb
        bst = xgb.train(params, dtrain, num_boost_round=100, evals=[(dvalid, "valid")], early_stopping_rounds=150)
    """, 100, 150),
    ("""
        import lightgbm as lgb
        gbm = lgb.train({"num_iterations": 300}, dtrain, valid_sets=[dvalid], callbacks=[lgb.early_stopping(300)])
    """, 300, 300),
    ("""
        from catboost import CatBoostRegressor
        model = CatBoostRegressor(iterations=500, od_type="Iter", od_wait=600)
        model.fit(X, y, eval_set=(Xv, yv))
    """, 500, 600),
])
def test_patience_that_never_runs_out_is_missing_early_stopping(source, n, patience):
    (finding,) = lint(source)
    assert finding.message.startswith("no early stopping in effect")
    assert f"={patience:,} never runs out in a run of {n:,}" in finding.message
    assert finding.impact["patience"] == patience
    assert n in finding.impact.values()


@pytest.mark.parametrize("source", [
    # patience below the count: early stopping can fire
    """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, epochs=40, validation_data=(xv, yv), callbacks=[keras.callbacks.EarlyStopping(patience=39)])
    """,
    # Keras's default patience is 0
    """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, epochs=40, validation_data=(xv, yv), callbacks=[keras.callbacks.EarlyStopping()])
    """,
    # a patience the code does not show
    """
        from tensorflow import keras
        def fit(model, patience):
            model.fit(x, y, epochs=40, validation_data=(xv, yv), callbacks=[keras.callbacks.EarlyStopping(patience=patience)])
    """,
    # a subclass may count differently
    """
        from tensorflow import keras
        class Stop(keras.callbacks.EarlyStopping): ...
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x, y, epochs=40, validation_data=(xv, yv), callbacks=[Stop(patience=100)])
    """,
    # Hugging Face evaluating every N steps: how many evaluations is not knowable here
    """
        from transformers import Trainer, TrainingArguments, EarlyStoppingCallback
        args = TrainingArguments("o", eval_strategy="steps", eval_steps=500, num_train_epochs=12)
        trainer = Trainer(model=m, args=args, train_dataset=tr, eval_dataset=va,
                          callbacks=[EarlyStoppingCallback(early_stopping_patience=15)])
    """,
    # Lightning validating several times an epoch
    """
        import lightning as L
        from lightning.pytorch.callbacks import EarlyStopping
        class Net(L.LightningModule):
            def validation_step(self, batch, i): ...
        trainer = L.Trainer(max_epochs=20, val_check_interval=0.25, callbacks=[EarlyStopping("val_loss", patience=30)])
        trainer.fit(Net(), train_dl, val_dl)
    """,
    """
        from xgboost import XGBClassifier
        clf = XGBClassifier(n_estimators=1000, early_stopping_rounds=50)
        clf.fit(X, y, eval_set=[(Xv, yv)])
    """,
])
def test_patience_that_can_run_out_is_not_reported(source):
    assert lines(source) == []


# ---- learning-rate schedules planned over the whole run: fixed-budget recipes -------------

TORCH_RUN = """
import argparse
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, OneCycleLR, MultiStepLR, StepLR, LambdaLR, ExponentialLR
from transformers import get_cosine_schedule_with_warmup, get_scheduler
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=90)
args = parser.parse_args()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = SCHEDULE
for epoch in range(args.epochs):
    for x, y in train_loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    scheduler.step()
    val_acc = evaluate(model, val_loader)
"""


@pytest.mark.parametrize("schedule, named", [
    ("CosineAnnealingLR(optimizer, T_max=args.epochs)", "CosineAnnealingLR(T_max=args.epochs)"),
    ("CosineAnnealingLR(optimizer, 90)", "CosineAnnealingLR(T_max=90)"),
    ("CosineAnnealingLR(optimizer, T_max=len(train_loader) * args.epochs)", "CosineAnnealingLR"),
    ("OneCycleLR(optimizer, max_lr=0.1, total_steps=steps)", "OneCycleLR"),
    ("MultiStepLR(optimizer, milestones=[30, 60, 80], gamma=0.1)", "MultiStepLR(milestones=[30, 60, 80])"),
    ("MultiStepLR(optimizer, [args.epochs // 2, args.epochs * 3 // 4])", "MultiStepLR"),
    ("StepLR(optimizer, step_size=30)", "StepLR(step_size=30)"),
    ("LambdaLR(optimizer, lambda e: (1 - e / args.epochs) ** 0.9)", "LambdaLR"),
    ("get_cosine_schedule_with_warmup(optimizer, 500, args.epochs * len(train_loader))", "get_cosine_schedule_with_warmup"),
    ("get_scheduler('linear', optimizer, num_warmup_steps=0, num_training_steps=total)", "get_scheduler"),
])
def test_pytorch_loop_with_a_schedule_over_the_run_is_a_fixed_budget_note(schedule, named):
    source = TORCH_RUN.replace("SCHEDULE", schedule)
    if "total)" in schedule:
        source = source.replace("scheduler =", "total = args.epochs * len(train_loader)\nscheduler =")
    (finding,) = lint(source)
    assert finding.severity == Severity.NOTE
    assert finding.message.startswith("trains 90 epochs on a fixed budget: " + named)
    assert finding.impact == {"library": "pytorch", "epochs": 90, "schedule": named.split("(")[0]}


@pytest.mark.parametrize("schedule", [
    "CosineAnnealingLR(optimizer, T_max=10)",  # cosine cycles of 10 epochs, not one over 90
    "MultiStepLR(optimizer, milestones=[10, 20])",  # all its decays early in the run
    "StepLR(optimizer, step_size=1, gamma=0.97)",  # an exponential curve, not a plan over the run
    "ExponentialLR(optimizer, gamma=0.95)",
    "LambdaLR(optimizer, lambda e: 0.95 ** e)",
    "get_scheduler('constant', optimizer, num_warmup_steps=0, num_training_steps=args.epochs)",
])
def test_pytorch_loop_with_a_schedule_not_tied_to_the_run_is_reported_as_usual(schedule):
    (finding,) = lint(TORCH_RUN.replace("SCHEDULE", schedule))
    assert "never stops early" in finding.message


@pytest.mark.parametrize("schedule, named", [
    ("keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=EPOCHS * steps_per_epoch)", "CosineDecay"),
    ("keras.optimizers.schedules.PolynomialDecay(1e-3, EPOCHS * 100, end_learning_rate=0.0)", "PolynomialDecay"),
])
def test_keras_schedule_over_the_run_is_a_fixed_budget_note(schedule, named):
    source = f"""
        from tensorflow import keras
        EPOCHS = 60
        schedule = {schedule}
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=schedule), loss="mse")
        model.fit(x, y, epochs=EPOCHS, validation_data=(xv, yv))
    """
    (finding,) = lint(source)
    assert finding.severity == Severity.NOTE and f"fixed budget: {named}(decay_steps=" in finding.message
    # restarts are not planned to end with the run
    restarts = source.replace(schedule, "keras.optimizers.schedules.CosineDecayRestarts(1e-3, 1000)")
    (finding,) = lint(restarts)
    assert finding.severity == Severity.WARNING


def test_lightning_configure_optimizers_over_the_run_is_a_fixed_budget_note():
    source = """
        import lightning as L
        import torch
        class Net(L.LightningModule):
            def validation_step(self, batch, i): ...
            def configure_optimizers(self):
                opt = torch.optim.AdamW(self.parameters(), lr=1e-3)
                sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=self.trainer.estimated_stepping_batches)
                return [opt], [sched]
        trainer = L.Trainer(max_epochs=50)
        trainer.fit(Net(), train_dl, val_dl)
    """
    (finding,) = lint(source)
    assert finding.severity == Severity.NOTE and "fixed budget: OneCycleLR" in finding.message
    cosine = source.replace("torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=self.trainer.estimated_stepping_batches)",
                            "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.trainer.max_epochs)")
    (finding,) = lint(cosine)
    assert "CosineAnnealingLR(T_max=self.trainer.max_epochs)" in finding.message
    plain = cosine.replace("T_max=self.trainer.max_epochs", "T_max=5")
    (finding,) = lint(plain)
    assert finding.severity == Severity.WARNING


@pytest.mark.parametrize("extra, note", [
    (', lr_scheduler_type="cosine"', 'lr_scheduler_type="cosine"'),
    (", lr_scheduler_type=SchedulerType.POLYNOMIAL", 'lr_scheduler_type="polynomial"'),
    ('', None),  # the default linear decay is no one's choice: still reported as missing early stopping
    (', lr_scheduler_type="constant"', None),
    (', lr_scheduler_type="cosine_with_restarts"', None),
])
def test_hf_explicit_schedule_over_the_run_is_a_fixed_budget_note(extra, note):
    (finding,) = lint(hf(extra=extra).replace("IntervalStrategy\n", "IntervalStrategy, SchedulerType\n"))
    if note is None:
        assert finding.severity == Severity.WARNING and "no early stopping" in finding.message
    else:
        assert finding.severity == Severity.NOTE and f"fixed budget: {note} plans" in finding.message


def test_hf_optimizers_pair_with_a_schedule_over_the_run_is_a_fixed_budget_note():
    source = hf(callbacks=", optimizers=(opt, sched)").replace(
        "args = TrainingArguments", "sched = get_cosine_schedule_with_warmup(opt, 100, len(dl) * EPOCHS)\nargs = TrainingArguments").replace(
        "num_train_epochs=20", "num_train_epochs=EPOCHS").replace(
        "IntervalStrategy\n", "IntervalStrategy, get_cosine_schedule_with_warmup\nEPOCHS = 20\n")
    (finding,) = lint(source)
    assert finding.severity == Severity.NOTE and "get_cosine_schedule_with_warmup(num_training_steps=len(dl) * EPOCHS)" in finding.message


# ---- training_facts: the runs the training rules ask about ----------------------------------


def _context(source: str):
    from greenlint.checks.context import LintRequest
    from greenlint.frontends.python import PythonContext, parse

    text = textwrap.dedent(source)
    return PythonContext(LintRequest("x.py", "python", {}, {}), text, parse(text))


def _calls(ctx, attr):
    return [c for c in ctx.calls if getattr(c.func, "attr", getattr(c.func, "id", None)) == attr]


def test_facts_keras_fit_reads_validation_and_the_epochs_left_after_initial_epoch():
    from greenlint.checks.training_facts import keras_fit
    from greenlint.checks.training_values import MISSING

    ctx = _context("""
        from tensorflow import keras
        net = keras.Sequential([keras.layers.Dense(4)])
        total = 40
        net.fit(xs, ys, epochs=total, initial_epoch=15, validation_split=0.2, callbacks=[keras.callbacks.CSVLogger("l")])
        net.fit(xs, ys, validation_split=0.0)
    """)
    first, second = (keras_fit(ctx, c) for c in _calls(ctx, "fit"))
    assert first.framework == "keras" and first.model.id == "net" and first.data.id == "xs"
    assert (first.epochs.n, first.epochs.planned) == (25, 40)
    assert first.validation.value == 0.2 and first.callbacks.elts[0].func.attr == "CSVLogger"
    assert second.validation is MISSING and (second.epochs.n, second.epochs.default) == (1, True)


def test_facts_keras_fit_is_none_for_a_model_of_another_library():
    from greenlint.checks.training_facts import keras_fit

    ctx = _context("""
        import keras
        from sklearn.linear_model import LogisticRegression
        clf = LogisticRegression()
        clf.fit(a, b)
    """)
    assert [keras_fit(ctx, c) for c in _calls(ctx, "fit")] == [None]


def test_facts_hf_trainer_reads_its_arguments_and_drops_an_eval_set_that_is_the_training_set():
    from greenlint.checks.training_facts import hf_trainer
    from greenlint.checks.training_values import MISSING

    ctx = _context("""
        from transformers import Trainer, TrainingArguments
        cfg = TrainingArguments("out", num_train_epochs=12, eval_strategy="epoch", lr_scheduler_type="cosine")
        a = Trainer(model=m, args=cfg, train_dataset=tr, eval_dataset=va)
        b = Trainer(model=m, args=cfg, train_dataset=tr, eval_dataset=tr)
        c = Trainer(model=m, args=TrainingArguments("out", max_steps=500), train_dataset=tr, eval_dataset=va)
    """)
    a, b, c = (hf_trainer(ctx, call) for call in _calls(ctx, "Trainer"))
    assert a.framework == "transformers" and a.validation.id == "va" and a.epochs.n == 12
    assert a.schedule == 'lr_scheduler_type="cosine"'
    assert b.validation is MISSING
    assert c.epochs.n is None  # max_steps decides the length, not the epochs


def test_facts_lightning_trainer_defaults_and_validation_fit():
    from greenlint.checks.training_facts import lightning_trainer
    from greenlint.checks.training_values import MISSING

    ctx = _context("""
        import pytorch_lightning as pl
        t1 = pl.Trainer()
        t1.fit(model, train_loader, val_loader)
        t2 = pl.Trainer(max_epochs=30, limit_val_batches=0)
        t2.fit(model, train_loader, val_loader)
        t3 = pl.Trainer(max_epochs=30, max_time="00:01:00:00")
    """)
    t1, t2, t3 = (lightning_trainer(ctx, call) for call in _calls(ctx, "Trainer"))
    assert (t1.epochs.n, t1.epochs.default) == (1000, True) and t1.validation.func.attr == "fit"
    assert t2.epochs.n == 30 and t2.validation is MISSING
    assert t3.epochs.n is None


def test_facts_epoch_loop_counts_epochs_only_of_a_loop_that_trains():
    import ast

    from greenlint.checks.training_facts import epoch_loop

    ctx = _context("""
        import torch
        for epoch in range(5, 25):
            loss = model(x).sum()
            loss.backward()
            opt.step()
        for epoch in range(50):
            print(epoch)
    """)
    trains, prints = (epoch_loop(ctx, loop) for loop in ctx.nodes_of(ast.For))
    assert trains.framework == "pytorch" and trains.epochs.n == 20
    assert prints is None


def test_facts_training_runs_lists_every_run_in_source_order_with_its_framework():
    from greenlint.checks.training_facts import training_runs

    ctx = _context("""
        import xgboost as xgb
        from tensorflow import keras
        from transformers import Trainer
        booster = xgb.train(params, dtrain, 100)
        net = keras.Sequential([])
        net.fit(x, y, epochs=3)
        trainer = Trainer(model=m)
        trainer.train()
    """)
    assert [(r.framework, r.call.lineno) for r in training_runs(ctx)] == [
        ("xgboost", 5), ("keras", 7), ("transformers", 9)]


def test_keras_fit_generator_is_the_older_spelling_of_fit():
    # Keras < 2.4: fit_generator(generator, steps_per_epoch, epochs, verbose, callbacks, validation_data)
    assert lines("""
        from keras.models import Sequential
        from keras.callbacks import ModelCheckpoint, EarlyStopping
        model = Sequential()
        model.compile(loss="mse", optimizer="adam")
        model.fit_generator(flow, steps_per_epoch=100, epochs=100, callbacks=[ModelCheckpoint("m.h5")],
                            validation_data=(xv, yv))
        model.fit_generator(flow, 100, 80, 1, [EarlyStopping(patience=5)], (xv, yv))
        model.fit_generator(flow, steps_per_epoch=100, epochs=100)
    """) == [6]
    assert lines("""
        from keras.models import Sequential
        model = Sequential()
        model.compile(loss="mse", optimizer="adam")
        model.fit_generator(flow, 100, 80, 1, None, (xv, yv))
    """) == [5]  # epochs, callbacks and validation_data by position


def test_an_early_stopping_object_elsewhere_does_not_reach_a_train_call_without_callbacks():
    """Written for the safety-net principle: the file's lgb.early_stopping guards the run it is
    handed to; a functional train call that passes no callbacks trains every round."""
    source = textwrap.dedent("""\
        import lightgbm as lgb

        params = {"objective": "regression"}
        train, valid = lgb.Dataset(X_train, label=y_train), lgb.Dataset(X_test, label=y_test)
        plain = lgb.train(params, train, valid_sets=[train, valid])
        stopped = lgb.train(params, train, valid_sets=[train, valid], callbacks=[lgb.early_stopping(5)])
        logged = lgb.train(params, train, valid_sets=[valid], callbacks=CALLBACKS)
        """)
    assert [f.line for f in lint(source)] == [5]


def test_a_params_dict_that_sets_the_round_count_is_not_a_search_over_it():
    """Written for the principle from round 23: only a key mapped to several values (or a
    sampled parameter) varies n_estimators; a literal params dict sets the count itself."""
    source = textwrap.dedent("""\
        from sklearn.ensemble import GradientBoostingRegressor
        params = {"n_estimators": 500, "max_depth": 4, "learning_rate": 0.01}
        model = GradientBoostingRegressor(**params)
        model.fit(X_train, y_train)
        """)
    assert [f.line for f in lint(source)] == [3]
    searched = source + 'search = GridSearchCV(GradientBoostingRegressor(), {"n_estimators": [100, 500]})\n'
    assert lint(searched) == []
    sampled = source + 'n = trial.suggest_int("n_estimators", 50, 500)\n'
    assert lint(sampled) == []


def test_gl203_an_excerpt_that_imports_nothing_trains_like_pytorch():
    assert lines(TORCH_EXCERPT, code="GL203") == [7]
    assert lines("import jax\n" + textwrap.dedent(TORCH_EXCERPT), code="GL203") == []
