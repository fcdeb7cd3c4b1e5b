"""Project scope: constants imported from another module of the same project are read from
that file (never imported), and the findings cache notices when that file changes."""
from __future__ import annotations

import json

from test_cli import run, write

KERAS_FIT = """\
from tensorflow import keras
{import_line}
model = keras.Sequential()
model.fit(x, y, validation_data=(xv, yv), epochs={epochs})
"""


def gl201(tmp_path, *args):
    proc = run(["--format", "json", "--select", "GL201", *args, "."], tmp_path)
    return [(f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]]


def test_from_import_of_a_sibling_module(tmp_path):
    write(tmp_path, {"settings.py": "EPOCHS = 60\n",
                     "train.py": KERAS_FIT.format(import_line="from settings import EPOCHS", epochs="EPOCHS")})
    assert gl201(tmp_path, "--no-cache") == [("train.py", 4)]


def test_relative_import_and_module_attribute(tmp_path):
    write(tmp_path, {"pkg/__init__.py": "", "pkg/config.py": "EPOCHS = 40\nSHORT = 2\n",
                     "pkg/train.py": KERAS_FIT.format(import_line="from .config import EPOCHS", epochs="EPOCHS"),
                     "pkg/short.py": KERAS_FIT.format(import_line="from . import config", epochs="config.SHORT"),
                     "pkg/long.py": KERAS_FIT.format(import_line="import pkg.config as cfg", epochs="cfg.EPOCHS")})
    assert gl201(tmp_path, "--no-cache") == [("pkg/long.py", 4), ("pkg/train.py", 4)]


def test_module_found_in_a_folder_above_the_script(tmp_path):
    write(tmp_path, {"conf/__init__.py": "", "conf/defaults.py": "EPOCHS = 30\n",
                     "scripts/train.py": KERAS_FIT.format(import_line="from conf.defaults import EPOCHS", epochs="EPOCHS")})
    assert gl201(tmp_path, "--no-cache") == [("scripts/train.py", 4)]


def test_re_export_chain_and_import_cycle_are_bounded(tmp_path):
    write(tmp_path, {"base.py": "EPOCHS = 25\n", "settings.py": "from base import EPOCHS\n",
                     "a.py": "from b import X\n", "b.py": "from a import X\n",
                     "train.py": KERAS_FIT.format(import_line="from settings import EPOCHS\nfrom a import X", epochs="EPOCHS"),
                     "cycle.py": KERAS_FIT.format(import_line="from a import X", epochs="X")})
    assert gl201(tmp_path, "--no-cache") == [("train.py", 5)]


def test_unknown_when_the_constant_is_rebound_or_missing(tmp_path):
    write(tmp_path, {"settings.py": "EPOCHS = 60\nif FAST:\n    EPOCHS = 60\n",
                     "train.py": KERAS_FIT.format(import_line="from settings import EPOCHS", epochs="EPOCHS"),
                     "other.py": KERAS_FIT.format(import_line="from nowhere_in_project import EPOCHS", epochs="EPOCHS")})
    assert gl201(tmp_path, "--no-cache") == []


def test_cache_sees_a_change_in_the_imported_module(tmp_path):
    write(tmp_path, {"settings.py": "EPOCHS = 60\n",
                     "train.py": KERAS_FIT.format(import_line="from settings import EPOCHS", epochs="EPOCHS")})
    assert gl201(tmp_path) == [("train.py", 4)]
    write(tmp_path, {"settings.py": "EPOCHS = 3\n"})  # train.py itself is unchanged
    assert gl201(tmp_path) == []
    write(tmp_path, {"settings.py": "EPOCHS = 60\n"})
    assert gl201(tmp_path) == [("train.py", 4)]


def test_names_unpacked_from_an_opaque_call_do_not_crash_any_rule(tmp_path):
    """Regression: a name bound by `a, b = f()` stands for an unknown value; analyses that
    compare its position with statements' (GL301's data reading) crashed on it."""
    write(tmp_path, {"train.py": """\
        import torch
        from torchvision import datasets, models
        train_dir, test_dir = get_dirs()
        try:
            pass
        except Exception as error:
            train_dir = error
        data = datasets.ImageFolder(train_dir)
        model = models.resnet50()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for epoch in range(90):
            for x, y in data:
                loss = model(x).sum()
                loss.backward()
                optimizer.step()
        """})
    proc = run(["--format", "json", "--no-cache", "--select", "ALL", "."], tmp_path)
    codes = [f["code"] for f in json.loads(proc.stdout)["findings"]]
    assert "GL000" not in codes and "GL301" in codes
