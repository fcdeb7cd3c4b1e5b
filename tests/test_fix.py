"""--fix, --unsafe-fixes and --diff on real files through the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TRAIN = textwrap.dedent(
    """\
    import torch
    from torchvision import models

    model = models.resnet50()  # the backbone
    head = models.resnet18(
        num_classes=10,  # our classes
    )
    legacy = models.vgg16(pretrained=False)
    optimizer = torch.optim.SGD(list(model.parameters()) + list(head.parameters()) + list(legacy.parameters()), lr=0.1)
    for images, labels in loader:
        loss = criterion(model(images) + head(images) + legacy(images), labels)
        loss.backward()
        optimizer.step()
    """
)


def run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL301", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)


def test_unsafe_fixes_need_their_flag_and_keep_formatting(tmp_path):
    target = tmp_path / "train.py"
    target.write_text(TRAIN)
    safe_only = run(["--fix", "."], tmp_path)
    assert target.read_text() == TRAIN  # GL301's fix is unsafe: --fix alone leaves it
    assert "3 more can be fixed with --unsafe-fixes" in safe_only.stderr and safe_only.returncode == 1

    fixed = run(["--fix", "--unsafe-fixes", "."], tmp_path)
    assert "fixed 3 finding(s)" in fixed.stderr and fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = target.read_text()
    assert 'model = models.resnet50(weights="DEFAULT")  # the backbone' in text
    assert '    num_classes=10, weights="DEFAULT",  # our classes\n' in text
    assert 'legacy = models.vgg16(weights="DEFAULT")' in text
    assert run(["."], tmp_path).returncode == 0  # nothing left to report


def test_diff_shows_without_writing(tmp_path):
    target = tmp_path / "train.py"
    target.write_text(TRAIN)
    proc = run(["--diff", "--unsafe-fixes", "train.py"], tmp_path)
    assert proc.returncode == 1 and target.read_text() == TRAIN
    assert '-model = models.resnet50()  # the backbone' in proc.stdout
    assert '+model = models.resnet50(weights="DEFAULT")  # the backbone' in proc.stdout
    without = run(["--diff", "train.py"], tmp_path)
    assert without.stdout == "" and "0 fixable finding(s); 3 more can be fixed with --unsafe-fixes" in without.stderr
    clean = tmp_path / "clean.py"
    clean.write_text("from torchvision import models\nmodels.resnet50(weights='DEFAULT')\n")
    assert run(["--diff", "--unsafe-fixes", "clean.py"], tmp_path).returncode == 0


def test_keras_and_timm_fixes(tmp_path):
    (tmp_path / "k.py").write_text(textwrap.dedent("""\
        import timm
        from tensorflow import keras
        base = keras.applications.EfficientNetB0(weights=None, include_top=False)
        net = timm.create_model("resnet50", num_classes=5)
        base.fit(train_ds, validation_data=val_ds, epochs=3)
        optimizer = torch.optim.AdamW(net.parameters())
        for x, y in loader:
            loss = criterion(net(x), y)
            loss.backward()
            optimizer.step()
    """))
    run(["--fix", "--unsafe-fixes", "."], tmp_path)
    text = (tmp_path / "k.py").read_text()
    assert 'EfficientNetB0(weights="imagenet", include_top=False)' in text
    assert 'timm.create_model("resnet50", num_classes=5, pretrained=True)' in text


def test_unbounded_study_gets_a_trial_budget(tmp_path):
    (tmp_path / "tune.py").write_text(
        "import optuna\nstudy = optuna.create_study()\nstudy.optimize(objective)\nother = optuna.create_study()\n"
        "other.optimize(objective, n_trials=None)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL102", "--fix", "--unsafe-fixes", "."],
                   cwd=tmp_path, env=env, capture_output=True)
    text = (tmp_path / "tune.py").read_text()
    assert "study.optimize(objective, n_trials=100)\n" in text and "other.optimize(objective, n_trials=100)\n" in text


def _documented_fixes():
    """Every rule example with a `fixed:` source, grouped by rule (one CLI run per rule)."""
    from greenlint.rules import load_rules

    by_rule: dict[str, list[dict]] = {}
    for code, rule in load_rules().items():
        for example in rule.examples.get("invalid") or []:
            if "fixed" in example and example.get("kind", "python") == "python" and not example.get("options"):
                by_rule.setdefault(code, []).append(example)
    return by_rule


def test_cli_fix_writes_what_the_rule_examples_document(tmp_path):
    """`greenlint --fix --unsafe-fixes` on real files writes each example's `fixed:` source, the
    same text the generated example tests get from greenlint.fix.fix_text."""
    documented = _documented_fixes()
    assert documented, "no rule documents a fix"
    for code, examples in documented.items():
        folder = tmp_path / code
        folder.mkdir()
        for index, example in enumerate(examples):
            (folder / f"example_{index}.py").write_text(textwrap.dedent(example["code"]))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        proc = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", code, "--fix",
                               "--unsafe-fixes", "."], cwd=folder, capture_output=True, text=True, env=env)
        assert "internal error" not in proc.stderr, proc.stderr
        for index, example in enumerate(examples):
            written = (folder / f"example_{index}.py").read_text()
            assert written == textwrap.dedent(example["fixed"]), f"{code} example {index}: {proc.stderr}"


def test_fix_keeps_line_endings_and_counts_only_applicable_unsafe_fixes(tmp_path):
    """A CRLF file stays CRLF (new import lines too); --fix alone says how many unsafe fixes wait."""
    source = ("import lightning as L\r\n"
              "class Net(L.LightningModule):\r\n"
              "    def validation_step(self, batch, i): ...\r\n"
              "trainer = L.Trainer(max_epochs=50)\r\n"
              "trainer.fit(Net(), train_loader, val_loader)\r\n")
    target = tmp_path / "train.py"
    target.write_bytes(source.encode())
    # a notebook's fix has no file position to apply: it is not counted as waiting
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["from tensorflow import keras\n", "model.fit(x, y, epochs=90, validation_split=0.2)\n"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "explore.ipynb").write_text(json.dumps(notebook))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    base = [sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL201"]
    safe = subprocess.run([*base, "--fix", "."], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert "fixed 0 finding(s); 1 more can be fixed with --unsafe-fixes" in safe.stderr
    assert "explore.ipynb" in subprocess.run([*base, "."], cwd=tmp_path, capture_output=True, text=True, env=env).stdout
    assert target.read_bytes() == source.encode()
    subprocess.run([*base, "--fix", "--unsafe-fixes", "."], cwd=tmp_path, capture_output=True, env=env)
    data = target.read_bytes()
    assert b"import lightning as L\r\nfrom lightning.pytorch.callbacks import EarlyStopping\r\n" in data
    assert b'callbacks=[EarlyStopping(monitor="val_loss", patience=5)]' in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_two_searches_share_one_import_edit(tmp_path):
    """Both fixes add RandomizedSearchCV to the same import: the edit is made once, both apply,
    and GridSearchCV stays imported (each fix alone must leave a working file)."""
    (tmp_path / "search.py").write_text(
        "from sklearn.model_selection import GridSearchCV\n"
        "a = GridSearchCV(est, {'a': [1, 2, 3, 4], 'b': [1, 2, 3], 'c': [0, 1]})\n"
        "b = GridSearchCV(est, {'a': [1, 2, 3, 4, 5, 6], 'b': [1, 2, 3, 5, 6, 7]})\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL101", "--fix", "--unsafe-fixes",
                           "."], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert "fixed 2 finding(s)" in proc.stderr, proc.stderr
    assert (tmp_path / "search.py").read_text() == (
        "from sklearn.model_selection import GridSearchCV, RandomizedSearchCV\n"
        "a = RandomizedSearchCV(est, {'a': [1, 2, 3, 4], 'b': [1, 2, 3], 'c': [0, 1]}, n_iter=6)\n"
        "b = RandomizedSearchCV(est, {'a': [1, 2, 3, 4, 5, 6], 'b': [1, 2, 3, 5, 6, 7]}, n_iter=9)\n")


def _fix_all(tmp_path, code: str, files: dict[str, str]) -> dict[str, str]:
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", code, "--fix", "--unsafe-fixes",
                           "."], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert "internal error" not in proc.stderr, proc.stderr
    return {name: (tmp_path / name).read_text() for name in files}


def test_early_stopping_fixes_place_their_names_with_care(tmp_path):
    out = _fix_all(tmp_path, "GL201", {
        # no keras module alias: EarlyStopping is imported from where the file takes Keras
        "layers_only.py": """\
            from tensorflow.keras.models import Sequential
            model = Sequential()
            model.fit(x, y, epochs=30, validation_split=0.2)
        """,
        # the name EarlyStopping already means something else: no fix
        "taken.py": """\
            import lightning as L
            from mylib import EarlyStopping
            class Net(L.LightningModule):
                def validation_step(self, batch, i): ...
            trainer = L.Trainer(max_epochs=40)
            trainer.fit(Net(), train_loader, val_loader)
        """,
        # evaluations every 300 steps, checkpoints every 500: load_best_model_at_end would be rejected
        "steps.py": """\
            from transformers import Trainer, TrainingArguments
            args = TrainingArguments("out", eval_strategy="steps", eval_steps=300, num_train_epochs=12)
            trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va)
        """,
        # 100 | 500: fine
        "steps_ok.py": """\
            from transformers import Trainer, TrainingArguments
            args = TrainingArguments("out", eval_strategy="steps", eval_steps=100, num_train_epochs=12)
            trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va)
        """,
    })
    assert out["layers_only.py"] == textwrap.dedent("""\
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.callbacks import EarlyStopping
        model = Sequential()
        model.fit(x, y, epochs=30, validation_split=0.2, callbacks=[EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)])
    """)
    assert "EarlyStopping(" not in out["taken.py"].split("\n", 2)[2]
    assert "EarlyStoppingCallback" not in out["steps.py"]
    assert ('TrainingArguments("out", eval_strategy="steps", eval_steps=100, num_train_epochs=12, '
            'load_best_model_at_end=True, metric_for_best_model="eval_loss")') in out["steps_ok.py"]


def test_json_carries_unsafe_fixes_and_sarif_only_safe_ones(tmp_path):
    (tmp_path / "train.py").write_text("from xgboost import XGBClassifier\nclf = XGBClassifier(n_estimators=900)\n"
                                       "clf.fit(X, y, eval_set=[(Xv, yv)])\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    base = [sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL201", "train.py", "--format"]
    report = json.loads(subprocess.run([*base, "json"], cwd=tmp_path, capture_output=True, text=True, env=env).stdout)
    fix = report["findings"][0]["fix"]
    assert fix["safety"] == "unsafe" and fix["edits"][0]["replacement"] == ", early_stopping_rounds=50"
    sarif = json.loads(subprocess.run([*base, "sarif"], cwd=tmp_path, capture_output=True, text=True, env=env).stdout)
    assert [r for r in sarif["runs"][0]["results"] if "fixes" in r] == []


def test_a_file_libcst_cannot_parse_is_left_alone_and_says_why(tmp_path):
    """A .py export of a notebook keeps IPython magics: greenlint reads it, but libcst cannot
    check a fix there, so the file is left as it is."""
    source = ("from xgboost import XGBClassifier\n%matplotlib inline\nclf = XGBClassifier(n_estimators=900)\n"
              "clf.fit(X, y, eval_set=[(Xv, yv)])\n")
    (tmp_path / "nb.py").write_text(source)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", "GL201", "--fix", "--unsafe-fixes",
                           "."], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert "the fixed text cannot be checked" in proc.stderr, proc.stderr
    assert (tmp_path / "nb.py").read_text() == source
