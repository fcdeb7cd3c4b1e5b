"""Principles found on the seventh and eighth rounds of tune labels. Each test lints a small file written here
with the real engine (`lint_text`) or the real CLI on files in tmp_path."""
from __future__ import annotations

import textwrap
from pathlib import Path

from test_model_rules_tune2 import cli, lint  # the real engine on a string, the real CLI on a file


def test_gl304_one_hot_targets_made_dense_with_toarray_are_not_features():
    source = """\
        from sklearn.preprocessing import OneHotEncoder
        enc = OneHotEncoder()
        {encoded} = enc.fit_transform({labels}.reshape(-1, 1)).toarray()
        """
    assert lint(source.format(encoded="onehot", labels="y_train"), "GL304") == []
    # the same encoder on the features is reported (a dense copy bound to `y_...` is targets too)
    assert [f.line for f in lint(source.format(encoded="onehot", labels="X_train"), "GL304")] == [3]
    assert lint(source.format(encoded="y_onehot", labels="X_train"), "GL304") == []


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


def test_gl403_an_azure_deployment_is_reported_where_it_is_created_also_inside_a_helper_given_it():
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
    assert [f.line for f in lint(source.format(create=helper), "GL403")] == [6]


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


WORKFLOW = """\
name: nightly
on:
  schedule:
    - cron: "0 3 * * 1"
jobs:
  pipeline:
    runs-on: ubuntu-latest
    steps:
      - run: |
{script}
"""


def _workflow(tmp_path: Path, script: str) -> list[int]:
    path = tmp_path / ".github" / "workflows" / "nightly.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(WORKFLOW.format(script=textwrap.indent(textwrap.dedent(script), " " * 10)))
    return [f["line"] for f in cli(path, "GL404")]


def test_gl404_a_command_continued_with_backslashes_is_read_whole(tmp_path):
    assert _workflow(tmp_path, "python -m src.retrain \\\n  --version v1 \\\n  --dry-run\n") == []
    assert _workflow(tmp_path, "python -m src.retrain \\\n  --version v1\n") == [4]


def test_gl404_fetching_or_scraping_data_named_for_training_is_data_work(tmp_path):
    assert _workflow(tmp_path, "python src/fetch_spring_training.py\n") == []
    assert _workflow(tmp_path, "python src/scrape_training_sets.py\n") == []
    assert _workflow(tmp_path, "python src/model_training.py\n") == [4]


def test_gl404_a_shell_script_named_for_training_trains_like_a_python_one(tmp_path):
    cronjob = tmp_path / "cron.yaml"
    cronjob.write_text(textwrap.dedent("""\
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: nightly
        spec:
          schedule: "0 2 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - name: job
                    image: app:latest
                    command: ["/bin/bash", "-c", "cd /app && ./scripts/run_training.sh"]
        """))
    assert [f["line"] for f in cli(cronjob, "GL404")] == [6]
    cronjob.write_text(cronjob.read_text().replace("run_training.sh", "export_reports.sh"))
    assert cli(cronjob, "GL404") == []


def test_gl401_a_subprocess_command_bound_to_a_name_or_split_from_a_string_is_read():
    listed = """\
        from subprocess import call
        def submit(job):
            cmd = ["gcloud", "ai-platform", "jobs", "submit", "training", job,
                   "--region", "us-central1", "--module-name", "trainer.task"]
            call(cmd)
        """
    assert [f.line for f in lint(listed, "GL401")] == [4]
    split = """\
        import subprocess
        deploy = "gcloud run deploy api --image img --region us-central1"
        subprocess.run(deploy.split(" "), check=True)
        """
    assert [f.line for f in lint(split, "GL401")] == [2]
    # a list that is never run is not a placement
    assert lint(listed.replace("    call(cmd)\n", "    print(cmd)\n"), "GL401") == []


def test_gl301_a_mini_imagenet_subset_spelled_after_the_name_is_another_dataset():
    source = """\
        import torch
        from torchvision import datasets, models
        model = models.resnet50(weights=None)
        data = datasets.ImageFolder("/data/{folder}/train")
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for epoch in range(90):
            for x, y in torch.utils.data.DataLoader(data):
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()
        """
    assert [f.line for f in lint(source.format(folder="imagenet-mini"), "GL301")] == [3]
    assert lint(source.format(folder="imagenet"), "GL301") == []  # the weights' own dataset: a recipe


def test_gl404_a_dagster_asset_job_named_for_training_on_a_fixed_clock():
    source = """\
        from dagster import AssetSelection, ScheduleDefinition, define_asset_job
        job = define_asset_job("nightly", AssetSelection.groups("{group}"))
        nightly = ScheduleDefinition(job=job, cron_schedule="0 8 * * *")
        """
    assert [f.line for f in lint(source.format(group="TrainingPhase"), "GL404")] == [3]
    assert lint(source.format(group="ReportingPhase"), "GL404") == []


def test_gl301_restoring_the_models_own_best_epoch_is_not_a_starting_checkpoint():
    source = """\
        import copy
        import torch
        from torchvision import models
        model = models.vgg16(weights=None)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        best = copy.deepcopy(model.state_dict())
        for epoch in range(100):
            for x, y in loader:
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()
        model.load_state_dict({state})
        """
    assert [f.line for f in lint(source.format(state="best"), "GL301")] == [4]
    assert lint(source.format(state='torch.load("imagenet_vgg16.pt")'), "GL301") == []


def test_gl301_a_helper_built_model_stored_by_a_lightning_module_is_trained_by_its_training_step():
    source = """\
        import torch
        import torchvision
        from pytorch_lightning import LightningModule

        def create_model():
            return torchvision.models.resnet18(weights=None, num_classes=10)

        class {name}(LightningModule):
            def __init__(self):
                super().__init__()
                self.model = create_model()

            def training_step(self, batch, batch_idx):
                x, y = batch
                return torch.nn.functional.cross_entropy(self.model(x), y)

            def configure_optimizers(self):
                return torch.optim.SGD(self.parameters(), lr=0.05)
        """
    assert [f.line for f in lint(source.format(name="LitResnet"), "GL301")] == [6]
    # the same helper, stored by a class that is no LightningModule (no configure_optimizers)
    plain = source.format(name="Holder").replace("configure_optimizers", "describe")
    assert lint(plain, "GL301") == []


def test_gl303_a_pipeline_given_no_model_loads_its_tasks_default_checkpoint():
    source = """\
        from transformers import pipeline
        generator = pipeline("{task}")
        print(generator(prompt))
        """
    found = lint(source.format(task="text-generation"), "GL303")
    assert [f.line for f in found] == [2] and "`gpt2`" in found[0].message and "distilgpt2" in found[0].message
    assert [f.line for f in lint(source.format(task="zero-shot-classification"), "GL303")] == [2]
    assert lint(source.format(task="summarization"), "GL303") == []  # its default is distilled already
    assert lint('from transformers import pipeline\ngenerator = pipeline("text-generation", model=name)\n',
                "GL303") == []  # a model chosen at run time is not the default
