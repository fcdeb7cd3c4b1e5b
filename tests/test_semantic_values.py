"""Values every rule shares: a name rebound in straight-line code (cell after cell of a
notebook) resolves to the binding that reaches the use; a binding under a block does not."""
from __future__ import annotations

import json

from test_cli import run, write


def notebook(*cells: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": cell} for cell in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def findings(tmp_path, *select):
    proc = run(["--format", "json", "--no-cache", "--select", ",".join(select), "."], tmp_path)
    return [(f["code"], f.get("cell"), f.get("cell_line")) for f in json.loads(proc.stdout)["findings"]]


def test_a_later_cell_rebinding_a_constant_is_the_value_used(tmp_path):
    (tmp_path / "train.ipynb").write_text(notebook(
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n",
        "grid = {'C': [1]}\nsearch = GridSearchCV(SVC(), grid)\n",  # one candidate: not reported
        "grid = {'C': [0.1, 1, 10], 'gamma': [0.1, 0.01]}\nsearch = GridSearchCV(SVC(), grid, cv=3)\n",
    ))
    assert findings(tmp_path, "GL101") == [("GL101", 3, 2)]


def test_a_rebinding_inside_a_block_makes_the_value_unknown(tmp_path):
    write(tmp_path, {"region.py": """\
        import boto3
        region = "eu-north-1"
        if use_us:
            region = "us-east-1"
        client = boto3.client("sagemaker", region_name=region)
        region = "us-east-1"
        other = boto3.client("sagemaker", region_name=region)
        """})
    assert [code for code, _, _ in findings(tmp_path, "GL401")] == ["GL401"]  # only the last client


def test_function_scope_uses_the_reaching_assignment(tmp_path):
    write(tmp_path, {"fit.py": """\
        from tensorflow import keras

        def train(model, x, y, xv, yv):
            epochs = 3
            model.fit(x, y, validation_data=(xv, yv), epochs=epochs)
            epochs = epochs * 20
            model.fit(x, y, validation_data=(xv, yv), epochs=epochs)
        """})
    assert len(findings(tmp_path, "GL201")) == 1
