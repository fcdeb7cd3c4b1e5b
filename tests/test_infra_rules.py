"""GL401-GL404 (and the config side of GL101 / GL302) on realistic files, through the real CLI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from greenlint import carbon
from greenlint.checks.gl101_exhaustive_grid_search import grid_sweep_config
from greenlint.checks.context import LintRequest
from greenlint.frontends.config import ConfigContext, parse_config
from greenlint.rules import Rule, load_rules
from greenlint.finding import Severity

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "infra"
EXAMPLES = ROOT / "examples" / "infra"


def run_cli(path: Path, *args: str, cwd: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "greenlint", str(path), "--format", "json", *args],
                         capture_output=True, text=True, cwd=cwd)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    return data["findings"] if isinstance(data, dict) else data


def where(findings: list[dict]) -> set[tuple[str, str, int, int]]:
    return {(Path(f["path"]).name, f["code"], f["line"], f["column"]) for f in findings}


# ---- carbon data

def test_regions_table_and_lookup():
    table = carbon.load_regions()
    assert len(table) == 236
    east = carbon.lookup("aws:us-east-1")
    assert east.gco2e_per_kwh == pytest.approx(396.2) and east.spec == "aws:us-east-1" and east.source
    assert carbon.lookup("google:us-central1-a").region == "us-central1"
    assert carbon.lookup("AWS:us-east-1b").region == "us-east-1"
    assert carbon.lookup("oci:us-ashburn-1").provider == "oracle"
    assert carbon.lookup("aws:mars-north-1") is None and carbon.lookup("us-east-1") is None


def test_cleaner_alternative_rules():
    alt = carbon.cleaner_alternative(carbon.lookup("aws:us-east-1"))
    assert alt.region == "us-west-2" and alt.gco2e_per_kwh == pytest.approx(119.8)
    # never a government or China region for a commercial one, and only within their own partition
    for spec in ("aws:us-east-1", "azure:eastus", "gcp:us-east1"):
        alt = carbon.cleaner_alternative(carbon.lookup(spec))
        assert alt.partition == "commercial"
    assert carbon.cleaner_alternative(carbon.lookup("azure:usgovvirginia")) is None
    assert carbon.cleaner_alternative(carbon.lookup("aws:us-gov-east-1")).region == "us-gov-west-1"
    assert carbon.cleaner_alternative(carbon.lookup("alibaba:cn-beijing")) is None
    # same country first, then continent
    assert carbon.cleaner_alternative(carbon.lookup("aws:ap-south-1")).country_iso in ("IN", "JP", "KR")
    assert carbon.cleaner_alternative(carbon.lookup("aws:us-east-1"), allowed=["us-east-1", "us-east-2"]) is None
    assert carbon.cleaner_alternative(carbon.lookup("aws:us-east-1"), allowed=["aws:ca-central-1"]).region == "ca-central-1"


def test_overrides_of_a_figure_and_of_the_table(tmp_path):
    assert carbon.lookup("aws:us-east-1", {"intensity": {"aws:us-east-1": 90}}).gco2e_per_kwh == 90
    table = tmp_path / "regions.csv"
    table.write_text("provider,region,location,country_iso,continent,gco2e_per_kwh,year,source\n"
                     "aws,us-east-1,Virginia,US,North America,500,2025,own meter\n"
                     "aws,us-west-2,Oregon,US,North America,100,2025,own meter\n", encoding="utf-8")
    overrides = {"table": str(table)}
    assert len(carbon.load_regions(overrides)) == 2
    assert carbon.lookup("aws:us-east-1", overrides).source == "own meter"


# ---- the examples project and test data through the CLI

def test_examples_project_findings_exact(tmp_path):
    target = tmp_path / "infra"
    shutil.copytree(EXAMPLES, target)
    found = where(run_cli(target, "--select", "GL4", cwd=tmp_path))
    assert found == {
        ("nightly-train.yml", "GL404", 4, 13),
        ("nightly-train.yml", "GL401", 13, 23),
        ("deploy_sagemaker.py", "GL401", 6, 10),
        ("deploy_sagemaker.py", "GL403", 18, 13),
        ("deploy_sagemaker.py", "GL402", 18, 66),
        ("k8s-serving.yaml", "GL403", 14, 18),
        ("k8s-serving.yaml", "GL402", 17, 41),
        ("k8s-serving.yaml", "GL403", 32, 44),
        ("k8s-serving.yaml", "GL404", 43, 13),
        ("k8s-serving.yaml", "GL401", 50, 44),
        ("main.tf", "GL401", 13, 17),
        ("main.tf", "GL402", 22, 19),
        ("main.tf", "GL402", 36, 19),
    }


def test_messages_give_both_figures_and_the_factor(tmp_path):
    shutil.copy(EXAMPLES / "main.tf", tmp_path / "main.tf")
    findings = [f for f in run_cli(tmp_path, "--select", "GL401", cwd=tmp_path) if f["code"] == "GL401"]
    (finding,) = findings
    assert "396 gCO2e/kWh" in finding["message"] and "us-west-2" in finding["message"] and "120" in finding["message"]
    assert "3.3x" in finding["message"] and "annual average" in finding["message"]
    assert finding["impact"]["factor"] == pytest.approx(3.31, abs=0.01)
    # the S3 backend's region (state storage) is not reported
    assert finding["line"] == 13


def test_v100_is_a_note_and_k80_a_warning(tmp_path):
    (tmp_path / "job.yaml").write_text("instance_type: ml.p3.2xlarge\nnotebook_instance_type: ml.p2.xlarge\n", encoding="utf-8")
    findings = run_cli(tmp_path, "--select", "GL402", cwd=tmp_path)
    assert {(f["line"], f["severity"]) for f in findings} == {(1, "note"), (2, "warning")}


def test_tfvars_env_and_azure_display_names(tmp_path):
    shutil.copy(DATA / "terraform.tfvars", tmp_path / "terraform.tfvars")
    shutil.copy(DATA / "dotenv", tmp_path / ".env")
    found = where(run_cli(tmp_path, "--select", "GL401,GL402", cwd=tmp_path))
    assert found == {
        ("terraform.tfvars", "GL401", 2, 19),   # "East US": Azure eastus
        ("terraform.tfvars", "GL402", 3, 19),   # NCv2 (P100); the allowed_sizes list is not a use
        (".env", "GL401", 2, 20),               # the bucket name holding a region is not
    }


def test_suppression_comment_and_allowed_regions_config(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1" # greenlint: ignore[GL401]\n}\n'
        'provider "aws" {\n  alias = "b"\n  region = "us-east-2"\n}\n', encoding="utf-8")
    assert [f["line"] for f in run_cli(tmp_path, "--select", "GL401", cwd=tmp_path)] == [6]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.greenlint.rules.GL401]\nallowed-regions = ["aws:us-east-2"]\n', encoding="utf-8")
    assert [f["line"] for f in run_cli(tmp_path, "--select", "GL401", cwd=tmp_path)] == []


def test_carbon_override_in_configuration(tmp_path):
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.greenlint.carbon]\nintensity = { "aws:us-east-1" = 200 }\n', encoding="utf-8")
    assert run_cli(tmp_path, "--select", "GL401", cwd=tmp_path) == []


# ---- GL101 / GL302 config detectors (their rule files list config kinds once their owners add them)

def _ctx(name: str, kind: str, code: str, text: str | None = None) -> ConfigContext:
    rules = load_rules()
    if code in rules:
        rule = rules[code]._replace(kinds=rules[code].kinds + (kind,))
    else:
        rule = Rule(code, "oversized-architecture-default", "models", Severity.WARNING, True, "s", (kind,), (), {})
    text = text if text is not None else (DATA / name).read_text(encoding="utf-8")
    request = LintRequest(path=name, kind=kind, rules={code: rule}, options={code: {}})
    return ConfigContext(request, text, parse_config(kind, text))


@pytest.mark.parametrize("name,kind,line,candidates", [
    ("wandb_sweep.yaml", "yaml", 3, 45),
    ("launch_sweep.yaml", "yaml", 7, 4),
    ("katib_grid.yaml", "yaml", 11, 120),
    ("azureml_sweep.yml", "yaml", 7, 6),
    ("vertex_tuning.json", "json", 4, 9),
])
def test_grid_sweeps_in_configs(name, kind, line, candidates):
    ctx = _ctx(name, kind, "GL101")
    grid_sweep_config(ctx)
    assert [(f.line, f.impact["candidates"]) for f in ctx.findings] == [(line, candidates)]
    assert f"{candidates:,} combinations" in ctx.findings[0].message


def test_random_and_bayes_sweeps_are_clean():
    for text in ("method: bayes\nparameters:\n  lr:\n    values: [0.1, 0.01]\n",
                 "method: grid\nparameters: {}\n",
                 "method: grid\nsteps: 3\n"):
        ctx = _ctx("x.yaml", "yaml", "GL101", text)
        grid_sweep_config(ctx)
        assert ctx.findings == []


# ---- regressions from real projects (amazon-sagemaker-examples, vertex-ai-samples, azureml-examples,
# terraform-aws-eks, kubeflow/pipelines, kubeflow/katib, wandb/examples): each was a false alarm

def _lint(source: str, filename: str, code: str, kind: str | None = None) -> list:
    from greenlint.engine import lint_text

    return [f for f in lint_text(source, filename=filename, select=[code], kind=kind) if f.code == code]


_MODEL_BUILDER = '''\
from sagemaker.serve import ModelBuilder
from sagemaker.serverless.serverless_inference_config import ServerlessInferenceConfig
from sagemaker.async_inference.async_inference_config import AsyncInferenceConfig
from sagemaker.batch_inference.batch_transform_inference_config import BatchTransformInferenceConfig

model_builder = ModelBuilder(model=model, schema_builder=schema, role_arn=role)
model_builder.build()
serverless = model_builder.deploy(endpoint_name="x-serverless",
                                  inference_config=ServerlessInferenceConfig(memory_size_in_mb=2048))
async_config = AsyncInferenceConfig(output_path="s3://bucket/out")
asynchronous = model_builder.deploy(endpoint_name="x-async", inference_config=async_config)
transformer = model_builder.deploy(endpoint_name="x-batch",
                                   inference_config=BatchTransformInferenceConfig(instance_count=1,
                                                                                  instance_type="ml.m5.large",
                                                                                  output_path="s3://bucket/b"))
'''


def test_gl403_model_builder_serverless_async_and_batch_configs_are_not_always_on():
    assert _lint(_MODEL_BUILDER, "deploy.py", "GL403") == []
    realtime = _MODEL_BUILDER + 'predictor = model_builder.deploy(endpoint_name="x-realtime")\n'
    assert [f.line for f in _lint(realtime, "deploy.py", "GL403")] == [len(realtime.splitlines())]


def test_gl403_managed_endpoint_with_auto_delete_cleans_up():
    source = '''\
from sagemaker import AutoML
from sagemaker_explaining import ManagedEndpoint

automl_job = AutoML.attach(auto_ml_job_name=job_name)
automl_job.deploy(initial_instance_count=1, instance_type="ml.m5.2xlarge", endpoint_name=ep_name)
with ManagedEndpoint(ep_name, auto_delete=True) as mep:
    shap_values = explainer.shap_values(samples)
'''
    assert _lint(source, "explain.py", "GL403") == []
    assert len(_lint(source.replace("auto_delete=True", "auto_delete=False"), "explain.py", "GL403")) == 1


def test_gl403_project_cleanup_helper_counts_as_cleanup():
    source = '''\
import sagemaker
import demo_helpers

xgb_estimator = sagemaker.estimator.Estimator(image, role, instance_count=1, instance_type="ml.m5.xlarge")
xgb_estimator.fit(inputs)
xgb_estimator.deploy(initial_instance_count=1, instance_type="ml.m4.xlarge", endpoint_name=endpoint_name)
demo_helpers.delete_project_resources(sagemaker_boto_client=sm, endpoint_names=[endpoint_name])
'''
    assert _lint(source, "pipeline.py", "GL403") == []


def _notebook(*cells: str) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": cell.splitlines(keepends=True)} for cell in cells],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5})


def test_gl403_cleanup_in_a_shell_cell_counts(tmp_path):
    deploy = 'from google.cloud import aiplatform\nendpoint = model.deploy(machine_type="n1-standard-4")\n'
    for cleanup in ("! gcloud ai endpoints delete $endpoint.name --quiet --region $REGION\n",
                    '! curl -X DELETE -H "Authorization: Bearer $(gcloud auth print-access-token)" '
                    '{ENDPOINT}/v1/projects/{PROJECT_ID}/locations/{LOCATION}/endpoints/{ENDPOINT_ID}\n',
                    "!aws sagemaker delete-endpoint --endpoint-name $name\n"):
        (tmp_path / "tutorial.ipynb").write_text(_notebook(deploy, cleanup), encoding="utf-8")
        assert run_cli(tmp_path, "--select", "GL403", "--no-cache", cwd=tmp_path) == [], cleanup
    (tmp_path / "tutorial.ipynb").write_text(_notebook(deploy, "! gcloud ai endpoints list\n"), encoding="utf-8")
    assert [f["code"] for f in run_cli(tmp_path, "--select", "GL403", "--no-cache", cwd=tmp_path)] == ["GL403"]


def test_gl401_terraform_data_source_region_is_a_lookup(tmp_path):
    (tmp_path / "main.tf").write_text('''\
provider "aws" {
  region = local.region
}

data "aws_ecrpublic_authorization_token" "token" {
  region = "us-east-1"
}

locals {
  region = "eu-west-1"
}
''', encoding="utf-8")
    assert [f["line"] for f in run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)] == [10]


def test_gl401_azure_ml_registry_location_places_data_not_compute(tmp_path):
    (tmp_path / "registry.yml").write_text('''\
name: DemoRegistry
tags:
  description: Basic registry with one primary region and two additional regions
location: eastus
replication_locations:
  - location: eastus
  - location: eastus2
''', encoding="utf-8")
    (tmp_path / "workspace.yml").write_text(
        "$schema: https://azuremlschemas.azureedge.net/latest/workspace.schema.json\nname: mlw\nlocation: eastus\n",
        encoding="utf-8")
    assert where(run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)) == {
        ("workspace.yml", "GL401", 3, 11)}


def test_gl401_module_constant_is_reported_once_where_it_is_set():
    source = '''\
from google.cloud import aiplatform

FAST_DEPLOYMENT_REGION = "us-east4"


def deploy(model_name):
    model = aiplatform.Model.upload(display_name=model_name, location=FAST_DEPLOYMENT_REGION)
    endpoint = aiplatform.Endpoint.create(display_name=model_name, location=FAST_DEPLOYMENT_REGION)
    return model, endpoint
'''
    findings = _lint(source, "deploy.py", "GL401")
    assert [(f.line, f.column) for f in findings] == [(3, 26)]


def test_gl401_colab_form_choices_bound_the_alternative():
    only_one = ('from google.cloud import aiplatform\n'
                'ZONE = "us-central1-a"  # @param ["us-central1-a"] {"allow-input":true}\n'
                'FAST_REGION = "us-central1"  # @param ["us-central1"] {isTemplate:true}\n'
                'aiplatform.init(location=FAST_REGION)\n')
    assert _lint(only_one, "nim.py", "GL401") == []
    offered = ('from google.cloud import aiplatform\n'
               'LOCATION = "us-central1"  # @param ["us-central1", "us-east1", "europe-west4", "us-west1"]\n'
               'aiplatform.init(location=LOCATION)\n')
    [finding] = _lint(offered, "tuning.py", "GL401")
    assert finding.impact["alternative"] == "us-west1"
    # no cleaner choice among those offered in the country or continent: nothing to suggest
    assert _lint(offered.replace(', "us-west1"', ""), "tuning.py", "GL401") == []
    free_text = 'from google.cloud import aiplatform\nREGION = "us-central1"  # @param {type:"string"}\naiplatform.init(location=REGION)\n'
    assert len(_lint(free_text, "x.py", "GL401")) == 1


def test_gl401_container_image_region_is_a_registry():
    source = '''\
import sagemaker
from sagemaker import image_uris

image = image_uris.retrieve(framework="pytorch", region="us-east-1", version="1.11.0", py_version="py38",
                            image_scope="training", instance_type="ml.g4dn.xlarge")
session = sagemaker.Session()
'''
    assert _lint(source, "build_container.py", "GL401") == []


def test_gl402_unit_test_expected_values_are_not_uses():
    source = '''\
from kfp import dsl
from kfp.dsl import structures


class PipelineTaskTest(unittest.TestCase):
    def test_set_accelerator_type(self):
        task.set_accelerator_type("NVIDIA_TESLA_K80")
        self.assertEqual(structures.ResourceSpec(accelerator_type="NVIDIA_TESLA_K80", accelerator_count="1"),
                         task.container_spec.resources)
'''
    # a test suite by what it defines, whatever the file is called
    assert _lint(source, "sdk/python/kfp/dsl/pipeline_task_test.py", "GL402") == []
    assert _lint(source, "sdk/python/kfp/dsl/pipeline_task.py", "GL402") == []
    used = "from kfp.dsl import structures\nspec = structures.ResourceSpec(accelerator_type='NVIDIA_TESLA_K80')\n"
    assert len(_lint(used, "tests/test_pipeline.py", "GL402")) == 1


def test_gl4xx_test_fixture_configs_are_not_deployments(tmp_path):
    snapshot = '''\
deploymentSpec:
  executors:
    exec-comp:
      nodeSelector:
        labels:
          cloud.google.com/gke-accelerator: nvidia-tesla-p4
'''
    # a folder's name does not make a config a fixture: per-file-ignores silences a fixture folder
    fixture = tmp_path / "python" / "test" / "snapshot" / "data"
    fixture.mkdir(parents=True)
    (fixture / "node_selector.yaml").write_text(snapshot, encoding="utf-8")
    (tmp_path / "pipeline.yaml").write_text(snapshot, encoding="utf-8")
    assert where(run_cli(tmp_path, "--select", "GL4", "--no-cache", cwd=tmp_path)) == {
        ("pipeline.yaml", "GL402", 6, 45), ("node_selector.yaml", "GL402", 6, 45)}
    (tmp_path / "greenlint.toml").write_text('[per-file-ignores]\n"python/test/**" = ["GL4"]\n', encoding="utf-8")
    assert where(run_cli(tmp_path, "--select", "GL4", "--no-cache", cwd=tmp_path)) == {
        ("pipeline.yaml", "GL402", 6, 45)}


def test_gl101_grid_capped_below_its_size_is_not_exhaustive():
    wandb = '''\
description: sweeps on launch quickstart
method: grid
run_cap: 10
job: wandb/sweep-jobs/job-fashion-MNIST-train:latest
parameters:
  learning_rate:
    values: [0.0001, 0.001, 0.01, 0.1]
  epochs:
    values: [5, 10, 15]
'''
    assert _lint(wandb, "launch_sweep_config.yaml", "GL101", kind="yaml") == []
    assert [f.impact["candidates"] for f in
            _lint(wandb.replace("run_cap: 10", "run_cap: 12"), "sweep.yaml", "GL101", kind="yaml")] == [12]
    assert len(_lint(wandb.replace("run_cap: 10\n", ""), "sweep.yaml", "GL101", kind="yaml")) == 1
    katib = (DATA / "katib_grid.yaml").read_text(encoding="utf-8").replace(
        "maxTrialCount: 120", "maxTrialCount: 12")
    assert _lint(katib, "grid.yaml", "GL101", kind="yaml") == []


def test_gl101_launch_sweep_grid_over_an_int_range_is_found():
    # wandb/examples launch-sweeps/custom-scheduler: the method sits under scheduler.settings,
    # and a parameter is an int range (a grid walks all 11 values)
    source = '''\
scheduler:
  job: <INSERT SCHEDULER JOB>
  settings:
    verbose_logging: True
    method: grid

job: wandb/sweep-jobs/job-fashion-MNIST-train:latest

parameters:
  param1:
    max: 10
    min: 0
'''
    assert _lint(source, "custom_job_sweep_config.yaml", "GL101", kind="yaml") == []  # one axis: a coarser grid
    source += "  param2:\n    values: [0.1, 0.01]\n"
    [finding] = _lint(source, "custom_job_sweep_config.yaml", "GL101", kind="yaml")
    assert (finding.line, finding.impact["candidates"]) == (5, 22)
    assert _lint(source.replace("method: grid", "method: bayes"), "c.yaml", "GL101", kind="yaml") == []


def test_gl302_flat_vocabulary_json_is_not_a_training_config(tmp_path):
    """Regression (rasbt/LLMs-from-scratch gpt2_model/encoder.json): a 50,257-token vocabulary
    holds "width", "lr" and "epochs" as tokens, with integer ids above any threshold."""
    import json as _json
    from greenlint.engine import lint_text

    vocab = {f"tok{i}": i for i in range(600)}
    vocab.update({"width": 5000, "lr": 3, "epochs": 4, "num_layers": 900})
    assert lint_text(_json.dumps(vocab), filename="encoder.json", select=["GL302"]) == []
    config = {"num_layers": 96, "lr": 3e-4, "epochs": 10}
    assert [f.code for f in lint_text(_json.dumps(config), filename="train.json", select=["GL302"])] == ["GL302"]


def test_gl401_dashboard_widgets_and_sample_events_run_nothing(tmp_path):
    # aws-samples/amazon-sagemaker-safe-deployment-pipeline model/dashboard.json: a CloudWatch dashboard
    # whose every widget and metric names the region it reads from (15 findings, one file).
    (tmp_path / "dashboard.json").write_text(json.dumps({"widgets": [{"type": "metric", "properties": {
        "metrics": [[{"expression": "SEARCH('{/aws/sagemaker/Endpoints}')", "id": "e1", "region": "ap-southeast-2"}]],
        "region": "ap-southeast-2", "title": "SageMaker CPUUtilization"}}]}, indent=2), encoding="utf-8")
    # DataTalksClub/mlops-zoomcamp 06-best-practices/code/integraton-test/event.json: a recorded Kinesis event
    # for a Lambda test; and an EventBridge event of the same kind.
    (tmp_path / "event.json").write_text(json.dumps({"Records": [{
        "kinesis": {"partitionKey": "1"}, "eventSource": "aws:kinesis", "awsRegion": "eu-west-1",
        "eventSourceARN": "arn:aws:kinesis:eu-west-1:387546586013:stream/ride_events"}]}, indent=2), encoding="utf-8")
    (tmp_path / "bridge.json").write_text(json.dumps({
        "version": "0", "detail-type": "SageMaker Training Job State Change", "source": "aws.sagemaker",
        "region": "us-east-1", "detail": {}}, indent=2), encoding="utf-8")
    # the region the same project deploys to is still reported
    (tmp_path / "variables.tf").write_text('variable "region" {\n  default = "eu-west-1"\n}\n', encoding="utf-8")
    (tmp_path / "deploy.json").write_text(json.dumps({"Records": [], "region": "eu-west-1"}), encoding="utf-8")
    assert where(run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)) == {
        ("variables.tf", "GL401", 2, 13), ("deploy.json", "GL401", 1, 27)}


def test_gl401_terraform_region_follows_what_the_file_places_not_its_folder(tmp_path):
    # A file whose resources are all stores (a container registry, a bucket): its region places them.
    store = tmp_path / "modules" / "images"
    store.mkdir(parents=True)
    (store / "main.tf").write_text(
        'variable "region" {\n  default = "eu-west-1"\n}\nprovider "aws" {\n  region = var.region\n}\n'
        'resource "aws_ecr_repository" "repo" {\n  name = "models"\n}\n'
        'resource "aws_s3_bucket" "weights" {\n  bucket = "weights"\n}\n', encoding="utf-8")
    # The same variable next to a training instance is reported, whatever the folder is called,
    # and a label the project chose ("backup_trainer") does not make the instance a store.
    compute = tmp_path / "modules" / "ecr"
    compute.mkdir(parents=True)
    (compute / "main.tf").write_text(
        'variable "region" {\n  default = "eu-west-1"\n}\n'
        'resource "aws_instance" "backup_trainer" {\n  instance_type = "p4d.24xlarge"\n}\n', encoding="utf-8")
    # A Terraform state backend is still a store.
    (tmp_path / "backend.tf").write_text(
        'terraform {\n  backend "s3" {\n    bucket = "state"\n    region = "eu-west-1"\n  }\n}\n', encoding="utf-8")
    found = {(Path(f["path"]).parent.name, Path(f["path"]).name, f["line"])
             for f in run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)}
    assert found == {("ecr", "main.tf", 2)}
    # A bucket beside a call of a module (an endpoint the module deploys): the region places that too.
    caller = tmp_path / "examples" / "serve"
    caller.mkdir(parents=True)
    (caller / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\nresource "aws_s3_bucket" "io" {\n  bucket = "io"\n}\n'
        'module "endpoint" {\n  source = "../../"\n  instance_type = "ml.g5.xlarge"\n}\n', encoding="utf-8")
    found = {(Path(f["path"]).parent.name, f["line"]) for f in run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)}
    assert ("serve", 2) in found


@pytest.mark.parametrize("text,reported", [
    # SkyPilot: `resources:` places the job; "source" is a word of "resource(s)" only as a substring
    ("resources:\n  cloud: aws\n  region: eu-west-1\n  accelerators: A100:8\nrun: python train.py\n", True),
    ("replication:\n  destination:\n    region: eu-west-1\n", False),
    ("backupRegion: eu-west-1\n", False),          # camelCase words: backup + region
    ("sourceRegion: eu-west-1\n", False),
    ("resource:\n  region: eu-west-1\n", True),
])
def test_gl401_data_words_match_whole_words_of_keys(tmp_path, text, reported):
    (tmp_path / "sky.yaml").write_text(text, encoding="utf-8")
    found = run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)
    assert bool(found) is reported, found


def test_gl401_data_words_are_an_option(tmp_path):
    (tmp_path / "job.yaml").write_text("staging:\n  region: eu-west-1\n", encoding="utf-8")
    assert len(run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path)) == 1
    (tmp_path / "pyproject.toml").write_text('[tool.greenlint.rules.GL401]\ndata-words = ["staging"]\n', encoding="utf-8")
    assert run_cli(tmp_path, "--select", "GL401", "--no-cache", cwd=tmp_path) == []


# ---- GL404: smoke runs and test jobs are not scheduled training

def _workflow(*runs: str) -> str:
    steps = "\n".join(f"      - run: {r}" for r in runs)
    return ("on:\n  schedule:\n    - cron: \"15 3 * * *\"\njobs:\n  nightly:\n    runs-on: ubuntu-latest\n"
            f"    steps:\n{steps}\n")


@pytest.mark.parametrize("runs,reported", [
    (["python train_net.py --epochs 1"], False),                          # one epoch: a smoke run
    (["python train_net.py --num_train_epochs=1 --max_steps 5"], False),
    (["python -m mypkg.train trainer.max_epochs=1"], False),               # Hydra override
    (["python train_net.py --fast_dev_run"], False),
    (["python train_net.py --epochs 40", "python -m pytest -x"], False),   # a test job
    (["python train_net.py --epochs 40"], True),
    (["python train_net.py --epochs 1", "torchrun --nproc_per_node 8 train_net.py --max_steps 50000"], True),
    (["python train_net.py --resume --epoch 0"], True),                    # `--epoch` is where to resume, not a budget
])
def test_gl404_budget_and_test_jobs(tmp_path, runs, reported):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "nightly.yml").write_text(_workflow(*runs), encoding="utf-8")
    found = [f for f in run_cli(tmp_path, "--select", "GL404", "--no-cache", cwd=tmp_path) if f["code"] == "GL404"]
    assert bool(found) is reported, found


def test_gl404_budget_thresholds_are_options(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "nightly.yml").write_text(_workflow("python train_net.py --epochs 3"), encoding="utf-8")
    assert len(run_cli(tmp_path, "--select", "GL404", "--no-cache", cwd=tmp_path)) == 1
    (tmp_path / "pyproject.toml").write_text("[tool.greenlint.rules.GL404]\nmin-epochs = 5\n", encoding="utf-8")
    assert run_cli(tmp_path, "--select", "GL404", "--no-cache", cwd=tmp_path) == []


def test_gl404_airflow_bash_operator_running_tests_is_not_training(tmp_path):
    dag = tmp_path / "dags.py"
    dag.write_text(textwrap.dedent("""
        from airflow import DAG
        from airflow.operators.bash import BashOperator
        with DAG("nightly", schedule="0 1 * * *") as dag:
            BashOperator(task_id="check", bash_command="python train_net.py --epochs 1 && pytest tests")
    """), encoding="utf-8")
    assert run_cli(dag, "--select", "GL404", "--no-cache", cwd=tmp_path) == []
    dag.write_text(dag.read_text().replace("--epochs 1 && pytest tests", "--epochs 12"), encoding="utf-8")
    assert len(run_cli(dag, "--select", "GL404", "--no-cache", cwd=tmp_path)) == 1


def test_gl401_terraform_module_is_its_folder(tmp_path):
    """A region variable in a module's variables.tf places what the module's other files declare:
    nothing to report for a registry-only module (a null_resource that pushes an image places
    nothing), but reported for a module that runs compute."""
    variables = 'variable "region" {\n  type    = string\n  default = "eu-west-1"\n}\n'
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "variables.tf").write_text(variables)
    (tmp_path / "registry" / "main.tf").write_text(
        'resource "aws_ecr_repository" "repo" {\n  name = "x"\n}\n'
        'resource "null_resource" "push" {\n  triggers = { a = "b" }\n}\n')
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "variables.tf").write_text(variables)
    (tmp_path / "service" / "main.tf").write_text(
        'provider "aws" {\n  region = var.region\n}\n'
        'resource "aws_ecr_repository" "repo" {\n  name = "x"\n}\n'
        'resource "aws_lambda_function" "predict" {\n  function_name = "p"\n}\n')
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--format", "json", "--select", "GL401", "."],
                           cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    assert [(f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]] == [("service/variables.tf", 3)]
    # the cache notices a change in a sibling file
    (tmp_path / "service" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    again = subprocess.run([sys.executable, "-m", "greenlint", "--format", "json", "--select", "GL401", "."],
                            cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    assert json.loads(again.stdout)["findings"] == []
