"""Principles found on the seventh round of tune labels. Each test lints a small file written here
with the real engine (`lint_text`) or the real CLI on files in tmp_path."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from greenlint.engine import lint_text


def lint(source: str, code: str, filename: str = "run.py"):
    found = lint_text(textwrap.dedent(source), filename=filename, select=[code])
    return [f for f in found if f.code == code]


def cli(path: Path, code: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "--select", code, "--format", "json",
                          str(path)], capture_output=True, text=True, check=False)
    return [f for f in json.loads(out.stdout)["findings"] if f["code"] == code]


def test_gl304_one_hot_targets_made_dense_with_toarray_are_not_features():
    source = """\
        from sklearn.preprocessing import OneHotEncoder
        enc = OneHotEncoder()
        y_onehot = enc.fit_transform({labels}.reshape(-1, 1)).toarray()
        """
    assert lint(source.format(labels="y_train"), "GL304") == []
    # the same encoder on the features is reported
    assert [f.line for f in lint(source.format(labels="X_train"), "GL304")] == [3]


def test_gl402_gcloud_spells_the_basic_gpu_scale_tier_in_lowercase_with_a_hyphen(tmp_path):
    script = tmp_path / "submit.sh"
    script.write_text(textwrap.dedent("""\
        gcloud ml-engine jobs submit training job_1 \\
            --module-name trainer.task \\
            --scale-tier basic-gpu \\
            --region us-east1
        gcloud ml-engine jobs submit training job_2 --module-name trainer.task --scale-tier basic --region us-east1
        """))
    assert [f["line"] for f in cli(script, "GL402")] == [3]


def test_gl403_an_azure_deployment_is_reported_where_it_is_created_or_where_built_if_a_helper_creates_it():
    source = """\
        from azure.ai.ml import MLClient
        from azure.ai.ml.entities import ManagedOnlineDeployment
        ml_client = MLClient(cred, sub, rg, ws)
        blue = ManagedOnlineDeployment(name="blue", endpoint_name="e", model=model, instance_count=1)
        {create}
        """
    direct = "poller = ml_client.online_deployments.begin_create_or_update(deployment=blue)"
    assert [f.line for f in lint(source.format(create=direct), "GL403")] == [5]
    helper = "def deploy(d):\n            ml_client.begin_create_or_update(d)\n        deploy(blue)"
    assert [f.line for f in lint(source.format(create=helper), "GL403")] == [4]


def test_gl304_a_label_encoded_feature_column_is_still_a_feature():
    source = """\
        from sklearn import preprocessing
        def encode(df, col):
            df[col + "_label"] = preprocessing.LabelEncoder().fit_transform(df[col])
            return preprocessing.OneHotEncoder().fit_transform(df[[col + "_label"]]).toarray()
        """
    assert [f.line for f in lint(source, "GL304")] == [4]
    assert lint(source.replace('df[[col + "_label"]]', 'df[["label"]]'), "GL304") == []


def test_one_definition_of_an_optimizer_step_serves_every_training_reader():
    import ast

    from greenlint.checks.training_loops import optimizer_step

    def step(code: str) -> bool:
        return optimizer_step(ast.parse(code).body[0].value)

    for code in ("optimizer.step()", "g_optim.step()", "self.optimizer_d.step()", "opt.step()", "opt_g.step()",
                 "optD.step()", "scaler.step(optimizer)", "xm.optimizer_step(opt)"):
        assert step(code), code
    for code in ("scheduler.step()", "env.step(action)", "options.step()", "adopt.step()", "optimizer.zero_grad()"):
        assert not step(code), code
