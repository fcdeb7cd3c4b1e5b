"""Principles found in rounds 28 and 29 of tune labels (the thirteenth session). Each test lints a small
file written here with the real engine or the real CLI."""
from __future__ import annotations

import json
import subprocess
import sys

from test_model_rules_tune2 import lint  # the real engine on a string

from greenlint.engine import lint_text


def cli(path, codes: str) -> list[dict]:
    """The real CLI on a file: findings of `codes` (a parse error shows only where a rule reads the file)."""
    out = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", codes, "--format", "json",
                          str(path)], capture_output=True, text=True, check=False)
    return json.loads(out.stdout)["findings"]

# ---- a Hugging Face trainer class of another module of the project ----------------------------

PROJECT_TRAINER = """
    from transformers import AutoModelForSequenceClassification, TrainingArguments
    from {module} import {cls}

    if __name__ == "__main__":
        model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=2)
        args = TrainingArguments("out", num_train_epochs=20, eval_strategy="epoch")
        trainer = {cls}(model=model, {keywords})
        trainer.train()
    """


def _project_trainer(keywords: str, module: str = "logging_trainer", cls: str = "LoggingTrainer") -> str:
    return PROJECT_TRAINER.format(module=module, cls=cls, keywords=keywords)


def test_a_project_trainer_built_with_the_hugging_face_keywords_trains():
    source = _project_trainer("args=args, train_dataset=train_set, eval_dataset=valid_set")
    assert [f.line for f in lint(source, "GL203")] == [9]


def test_a_project_trainer_built_with_other_keywords_is_not_known_to_train():
    # a project's own TF/TPU loop that happens to be called Trainer and takes `args=`
    source = _project_trainer("args=args, datasets=data, tpu_name='tpu-large'", module="trainer", cls="Trainer")
    assert lint(source, "GL203") == []


def test_the_keywords_alone_do_not_make_a_trainer_in_a_file_without_transformers():
    source = _project_trainer("args=args, train_dataset=train_set").replace(
        "from transformers import AutoModelForSequenceClassification, TrainingArguments",
        "from models import AutoModelForSequenceClassification, TrainingArguments")
    assert lint(source, "GL203") == []


def test_a_project_trainer_may_stop_itself_so_missing_early_stopping_is_not_reported():
    source = _project_trainer("args=args, train_dataset=train_set, eval_dataset=valid_set")
    assert lint(source, "GL201") == []
    library = source.replace("from logging_trainer import LoggingTrainer\n", "").replace(
        "TrainingArguments\n", "TrainingArguments, Trainer as LoggingTrainer\n", 1)
    assert [f.line for f in lint(library, "GL201")] == [7]  # the library's own trainer is read


# ---- LightningCLI's trainer --------------------------------------------------------------------

def test_the_trainer_of_a_lightning_cli_that_does_not_run_itself_fits():
    source = """
        from lightning.pytorch.cli import LightningCLI

        cli = LightningCLI(seed_everything_default=42, run=False)
        cli.trainer.validate(cli.model, datamodule=cli.datamodule)
        cli.trainer.fit(cli.model, datamodule=cli.datamodule)
        """
    assert [f.line for f in lint(source, "GL203")] == [6]
    assert lint(source, "GL202") == [] and lint(source, "GL201") == []  # its precision and callbacks are in its config


def test_a_lightning_cli_that_runs_itself_runs_the_subcommand_its_command_line_names():
    source = """
        from pytorch_lightning.cli import LightningCLI
        from model import Model

        if __name__ == "__main__":
            LightningCLI(Model)
        """
    assert lint(source, "GL203") == []


# ---- a script with a few statements this Python cannot read ----------------------------------

NEWER_FSTRINGS = '''\
import torch

def train(model, loader, epochs=30):
    device = torch.device("cuda")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x.to(device)), y.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {
              epoch}: {loss.item():.3f}")

if __name__ == "__main__":
    train(torch.nn.Linear(4, 2), [])
'''


def test_a_script_is_checked_without_the_statements_this_python_cannot_read(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(NEWER_FSTRINGS)
    found = cli(script, "GL000,GL203")
    errors = [f for f in found if f["code"] == "GL000"]
    if errors:  # Python 3.12 and newer read f-strings that span lines
        assert [f["line"] for f in errors] == [12]
        assert "lines 12-13 read as blank, the rest of the file is checked" in errors[0]["message"]
    assert [f["line"] for f in found if f["code"] == "GL203"] == [10]


def test_a_file_with_many_broken_statements_stays_one_unchecked_parse_error(tmp_path):
    script = tmp_path / "template.py"
    broken = "".join(f"value_{i} = {{{{ cookiecutter.value_{i} }}}} +\n" for i in range(8))
    script.write_text("import torch\n" + broken + "loss.backward()\noptimizer.step()\n")
    found = cli(script, "GL000,GL203")
    assert [f["code"] for f in found] == ["GL000"] and "read as blank" not in found[0]["message"]


def test_a_broken_block_header_takes_its_block_with_it():
    source = "import torch\n\ndef train(model loader):\n    for x in loader:\n        model(x).backward()\n\nvalue = 1\n"
    found = lint_text(source, filename="train.py", select=["GL000", "GL203"])
    assert [f.line for f in found] == [3] and "lines 3-5 read as blank" in found[0].message


# ---- a module bound to a name at module level ------------------------------------------------

def test_a_module_bound_to_a_name_resolves_like_an_import_alias():
    source = """
        import keras
        K = keras.callbacks
        reduce_lr = K.ReduceLROnPlateau(monitor="val_mae", patience=7)
        model.fit(x, y, validation_data=(xv, yv), epochs=600, callbacks=[reduce_lr])
        """
    assert [f.line for f in lint(source, "GL201")] == [5]  # a learning-rate callback never stops the run
    assert lint(source.replace("ReduceLROnPlateau", "EarlyStopping"), "GL201") == []
    rebound = source.replace("reduce_lr = K", "K = make_callbacks()\nreduce_lr = K")
    assert lint(rebound, "GL201") == []  # bound twice: no longer known


# ---- a callbacks helper that may return a plain function ---------------------------------------

def test_a_helper_that_returns_a_callback_or_its_schedule_function_returns_no_early_stopping():
    source = """
        import tensorflow as tf

        def get_lr_callback(plot=False):
            def schedule(epoch):
                return 1e-3 * 0.99 ** epoch
            if plot:
                return schedule
            return tf.keras.callbacks.LearningRateScheduler(schedule)

        model.fit(x, y, epochs=1500, validation_data=(xv, yv), callbacks=[get_lr_callback()])
        """
    assert [f.line for f in lint(source, "GL201")] == [11]
    unread = source.replace("return schedule", "return make_stopper()")
    assert lint(unread, "GL201") == []  # a helper result it cannot read keeps the benefit of the doubt


# ---- Lightning before 1.0 ----------------------------------------------------------------------

OLD_LIGHTNING = """
    import pytorch_lightning as pl
    from pytorch_lightning.callbacks import EarlyStopping

    class Model(pl.LightningModule):
        def training_step(self, batch, i):
            return self.loss(batch)
        def validation_step(self, batch, i):
            return self.loss(batch)
        def val_dataloader(self):
            return self.loader("val")

    trainer = pl.Trainer(gpus=[0], max_nb_epochs=40{early})
    trainer.fit(Model())
    """


def test_lightning_before_1_0_spelled_the_epoch_budget_and_early_stopping_otherwise():
    assert [f.line for f in lint(OLD_LIGHTNING.format(early=""), "GL201")] == [13]
    stops = OLD_LIGHTNING.format(early=", early_stop_callback=EarlyStopping('val_loss', patience=3)")
    assert lint(stops, "GL201") == []
    assert [f.line for f in lint(OLD_LIGHTNING.format(early=", early_stop_callback=False"), "GL201")] == [13]


# ---- GL202: what delegates or sets precision ----------------------------------------------------

HAND_STEPPED = """
    import torch
    {imports}

    device = torch.device("cuda")
    model = {model}.to(device)
    optimizer = torch.optim.Adam(model.parameters())
    for epoch in range(10):
        for batch in loader:
            loss = model.training_step(batch, 0)
            loss.backward()
            optimizer.step()
    {after}
    """


def test_a_lightning_module_stepped_by_hand_is_a_pytorch_loop():
    source = HAND_STEPPED.format(imports="import pytorch_lightning as pl", model="Classifier()", after="")
    assert [f.line for f in lint(source, "GL202")] == [11]
    with_trainer = HAND_STEPPED.format(imports="import pytorch_lightning as pl", model="Classifier()",
                                       after="pl.Trainer(accelerator='gpu', precision='16-mixed').fit(model)")
    assert lint(with_trainer, "GL202") == []  # Lightning runs it: its Trainer owns the precision


def test_vector_quantization_is_a_layer_not_a_numeric_format():
    vq = HAND_STEPPED.format(imports="from models import VQVAE, SoftmaxQuantize",
                             model="VQVAE(quantize=SoftmaxQuantize(512))", after="")
    assert [f.line for f in lint(vq, "GL202")] == [11]
    qat = HAND_STEPPED.format(imports="from models import Net, quantize_weights",
                              model="quantize_weights(Net())", after="")
    assert lint(qat, "GL202") == []  # low-bit training sets its own formats


# ---- GL203: an excerpt that imports nothing ----------------------------------------------------

def test_an_excerpt_that_imports_nothing_trains_with_a_keras_only_keyword():
    source = """
        history = model.fit(X_train, y_train, epochs=25, validation_data=(X_test, y_test))
        plot_loss(history.history["loss"])
        """
    assert [f.line for f in lint(source, "GL203")] == [2]
    assert lint(source.replace("validation_data", "eval_set"), "GL203") == []  # whose fit is not known


# ---- an epoch range that starts wherever a checkpoint left off ---------------------------------

def test_a_range_whose_stop_is_its_start_plus_the_epochs_spans_the_epochs():
    source = """
        import torch
        num_epoch, start_epoch = 50, load_checkpoint()
        optimizer = torch.optim.Adam(model.parameters())
        for epoch in range(start_epoch + 1, num_epoch + 1 + start_epoch):
            for x, y in train_loader:
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
            validate(model, val_loader)
        """
    found = lint(source, "GL201")
    assert [f.line for f in found] == [5] and "50 epochs" in found[0].message
    unknown = source.replace("num_epoch + 1 + start_epoch", "num_epoch + 1 + offset")
    assert lint(unknown, "GL201") == []  # the terms do not cancel: not knowable


# ---- round 30 -----------------------------------------------------------------------------------

SCRIPT_LOOP = """
    import argparse
    import torch

    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--gpu", type=int, default=0)
    args = parser.parse_args()
    model = build().cuda(args.gpu)
    optimizer = torch.optim.Adam(model.parameters())

    def train(epoch):
        for x, y in train_loader:
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()

    for epoch in range(args.epochs):
        train(epoch)
        evaluate(model, val_loader)
        if args.dry_run:
            break
    """


def test_a_cuda_device_given_to_cuda_places_the_training_on_the_gpu():
    assert [f.line for f in lint(SCRIPT_LOOP, "GL202")] == [16]
    assert lint(SCRIPT_LOOP.replace(".cuda(args.gpu)", ""), "GL202") == []


def test_a_function_the_script_calls_at_module_level_is_its_training_entry_point():
    assert [f.line for f in lint(SCRIPT_LOOP, "GL203")] == [16]
    library = SCRIPT_LOOP.replace("        train(epoch)\n", "")
    assert lint(library, "GL203") == []  # a module that only defines `train` runs nothing


def test_a_break_under_a_switch_that_is_off_by_default_never_stops_the_run():
    assert [f.line for f in lint(SCRIPT_LOOP, "GL201")] == [19]
    stops = SCRIPT_LOOP.replace("if args.dry_run:", "if val_loss_stalled(model):")
    assert lint(stops, "GL201") == []


def test_keras_1_spelled_the_epoch_count_nb_epoch():
    source = """
        from keras.models import Model
        autoencoder = Model(inputs, decoded)
        autoencoder.fit(X_train, X_train, nb_epoch=40, validation_data=(X_test, X_test))
        """
    assert [f.line for f in lint(source, "GL201")] == [4]
    assert lint(source.replace("nb_epoch=40", "nb_epoch=4"), "GL201") == []


# ---- a name bound in both branches of an `if` the code decides -----------------------------------

BRANCHED_MODELS = """
    from lightgbm import LGBMClassifier
    import model_parameters

    def fit_models(x, y, x_valid, y_valid, quick=True):
        if quick:
            model = LGBMClassifier()
        else:
            model = LGBMClassifier(**model_parameters.LGB_PARAMS)
        model.fit(x, y, eval_set=[(x_valid, y_valid)])
        return model

    fit_models(x_train, y_train, x_valid, y_valid)
    """


def test_the_branch_a_parameter_default_takes_binds_the_model():
    assert [f.line for f in lint(BRANCHED_MODELS, "GL201")] == [10]
    slow = BRANCHED_MODELS.replace("fit_models(x_train, y_train, x_valid, y_valid)",
                                   "fit_models(x_train, y_train, x_valid, y_valid, quick=False)")
    assert lint(slow, "GL201") == []  # the other branch: rounds from another module, not knowable


def test_a_branch_a_command_line_option_takes_stays_a_configuration():
    source = """
        import argparse
        from lightgbm import LGBMClassifier

        parser = argparse.ArgumentParser()
        parser.add_argument("--tuned", action="store_true")
        args = parser.parse_args()
        if args.tuned:
            model = LGBMClassifier(**load_params())
        else:
            model = LGBMClassifier()
        model.fit(x, y, eval_set=[(x_valid, y_valid)])
        """
    assert lint(source, "GL201") == []  # which model runs is the user's choice at the command line
    constant = source.replace("if args.tuned:", "if False:")
    assert [f.line for f in lint(constant, "GL201")] == [12]  # a literal decides: the other branch never runs
    edited = source.replace("if args.tuned:", "if TUNED:").replace("args = parser.parse_args()", "TUNED = False")
    assert lint(edited, "GL201") == []  # a module constant a user edits picks a configuration, like an option


# ---- the Trainer a name holds where it is used -----------------------------------------------------

SEVERAL_TRAINERS = """
    import lightning as L

    if __name__ == "__main__":
        if RESUME:
            model = Segmenter.load_from_checkpoint("final.ckpt")
            trainer = L.Trainer(accelerator="gpu", devices=2)
            trainer.validate(model, data)
        else:
            model = Segmenter()
            trainer = L.Trainer(accelerator="gpu", devices=2, max_epochs=40, precision="16-mixed")
            trainer.fit(model, data)
        trainer.save_checkpoint("model.ckpt")
    """


def test_a_trainer_that_only_validates_is_not_trained_by_another_trainer_of_the_same_name():
    assert lint(SEVERAL_TRAINERS, "GL202") == []
    assert lint(SEVERAL_TRAINERS, "GL201") == []
    both_full = SEVERAL_TRAINERS.replace(', precision="16-mixed"', "")
    assert [f.line for f in lint(both_full, "GL202")] == [11]


def test_a_device_argument_is_not_a_dev_split():
    source = """
        import torch
        dev = torch.device("cuda")

        def check_accuracy(loader, model, device):
            return sum((model(x.to(device)).argmax(1) == y.to(device)).sum() for x, y in loader)

        def train_model(loader, model, n_epochs=20):
            opt = torch.optim.Adam(model.parameters())
            for epoch in range(n_epochs):
                for x, y in loader:
                    opt.zero_grad()
                    loss = criterion(model(x.to(dev)), y.to(dev))
                    loss.backward()
                    opt.step()
                check_accuracy(train_loader, model, device=dev)
        """
    assert lint(source, "GL201") == []  # it checks the training split: no validation
    validated = source.replace("check_accuracy(train_loader", "check_accuracy(val_loader")
    assert [f.line for f in lint(validated, "GL201")] == [10]


def test_a_method_is_not_run_by_a_module_level_call_of_another_function_with_its_name():
    source = """
        import torch
        from helpers import train

        class Runner:
            def train(self, loader):
                for x, y in loader:
                    loss = self.model(x).sum()
                    loss.backward()
                    self.optimizer.step()

        train(config)
        """
    assert lint(source, "GL203") == []  # `train` here is the imported function, not the method
