"""Principles found in the twenty-eighth session. Each test lints small files written here with
the real CLI."""
from __future__ import annotations

from test_gl4_commands_and_tuning import run_cli
from test_model_rules_tune2 import reported_lines


def workflow_lines(folder, name: str, text: str) -> list[int]:
    """The lines GL401 reports in a GitHub Actions workflow `name` holding `text`."""
    workflows = folder / ".github" / "workflows"
    workflows.mkdir(parents=True)
    return reported_lines(workflows, name, text, "GL401")


def run_cli_file(folder, name: str, text: str, code: str) -> list[dict]:
    """The real CLI's findings of an off-by-default rule, selected by name, in one file."""
    (folder / name).write_text(text)
    return run_cli(folder / name, code)

# ---- GL401: the module that only writes a region constant places nothing -----------------------

CONFIG = 'PROJECT = "my-project"\nREGION = "us-central1"\nBUCKET = "gs://my-bucket"\n'

TRAIN = """\
from google.cloud import aiplatform

from config import PROJECT, REGION


def main():
    aiplatform.init(project=PROJECT, location=REGION)
    job = aiplatform.CustomTrainingJob(display_name="t", script_path="task.py", container_uri="c")
    job.run(machine_type="n1-standard-8")
"""


def test_a_config_module_is_reported_where_its_importer_places_compute(tmp_path):
    (tmp_path / "config.py").write_text(CONFIG)
    (tmp_path / "train.py").write_text(TRAIN)
    found = {(f["path"].rsplit("/", 1)[-1], f["line"]) for f in run_cli(tmp_path, "GL401")}
    assert found == {("train.py", 7)}


def test_a_config_module_alone_places_nothing(tmp_path):
    """Even when it imports the SDK for something else: the constant is written for its importers."""
    code = "from google.cloud.aiplatform import version\n\n" + CONFIG + "SDK_VERSION = version.__version__\n"
    assert reported_lines(tmp_path, "config.py", code, "GL401") == []


def test_a_constant_a_script_reads_is_still_reported(tmp_path):
    """Only the unread constant is left over: the same module read by its own call places."""
    code = CONFIG + "\nfrom google.cloud import aiplatform\naiplatform.init(project=PROJECT, location=REGION)\n" \
        "aiplatform.CustomJob(display_name='t', worker_pool_specs=[]).run()\n"
    assert reported_lines(tmp_path, "run.py", code, "GL401") == [2]


# ---- GL401: a resource's name identifies it, its create request's parent places it -------------

NAMES = """\
from google.cloud.aiplatform.compat import types

PROJECT = "test-project"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
VIEW_PATH = f"{PARENT}/featureOnlineStores/fos/featureViews/v1"
VIEW = types.feature_view.FeatureView(name=VIEW_PATH, labels={"k": "v"})
"""


def test_a_location_spelled_only_into_resource_names_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "constants.py", NAMES, "GL401") == []


def test_a_location_spelled_into_a_create_requests_parent_places(tmp_path):
    code = """\
from google.cloud import aiplatform_v1

PROJECT = "p"
LOCATION = "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
client = aiplatform_v1.JobServiceClient()
client.create_custom_job(parent=PARENT, custom_job={"display_name": "t", "job_spec": {}})
"""
    assert reported_lines(tmp_path, "submit.py", code, "GL401") == [4]


# ---- Test code: an assertion helper called by name is an assertion -----------------------------

DEEPEVAL_SUITE = """\
from deepeval import assert_test
from deepeval.test_case import LLMTestCase
from google import genai

LOCATION = "us-central1"


def test_capital():
    client = genai.Client(vertexai=True, project="p", location=LOCATION)
    answer = client.models.generate_content(model="gemini-2.0-flash", contents="Capital of France?")
    assert_test(LLMTestCase(input="Capital of France?", actual_output=answer.text), [])
"""


def test_a_suite_that_asserts_through_a_helper_is_a_test_suite(tmp_path):
    assert reported_lines(tmp_path, "test_quality.py", DEEPEVAL_SUITE, "GL401") == []


def test_the_same_code_without_a_test_is_reported(tmp_path):
    script = DEEPEVAL_SUITE.replace("def test_capital():", "def ask():").replace(
        "    assert_test(LLMTestCase(", "    return (")
    assert reported_lines(tmp_path, "ask.py", script, "GL401") == [5]


# ---- GL401: a value formatted by a call inside a printed f-string is displayed ---------------------

def test_a_region_formatted_for_a_printed_message_places_nothing(tmp_path):
    code = """\
import os

import vertexai
from vertexai.generative_models import GenerativeModel

from colors import orange

LOCATION = os.getenv("GCP_LOCATION", "us-central1")
print(f"Vertex AI configured with location={orange(LOCATION)}")
model = GenerativeModel("gemini-1.5-flash")
"""
    assert reported_lines(tmp_path, "agent.py", code, "GL401") == []


# ---- GL402: SkyPilot's GPU named as a dict key in Python, and a fractional GPU ---------------------

def test_skypilot_accelerators_given_as_a_dict_in_python(tmp_path):
    code = """\
import sky

cluster = sky.Resources(infra="aws", accelerators={"V100": 4})
trial = sky.Resources(accelerators={"A100": 1})
"""
    assert reported_lines(tmp_path, "launch.py", code, "GL402") == [3]


def test_a_fractional_share_of_a_legacy_gpu_is_that_gpu(tmp_path):
    text = "name: job\nresources:\n  accelerators: K80:0.5\nrun: python train.py\n"
    assert reported_lines(tmp_path, "job.yaml", text, "GL402") == [3]


# ---- GL401: an orchestrator's operator that addresses what exists places nothing --------------------

LIST_DAG = """\
from airflow.models.dag import DAG
from airflow.providers.google.cloud.operators.vertex_ai.custom_job import {operator}

LOCATION_REGION = "us-central1"
with DAG("jobs", schedule="@once") as dag:
    task = {operator}(task_id="t", region=LOCATION_REGION, project_id="p"{extra})
"""


def test_a_region_only_given_to_a_list_operator_places_nothing(tmp_path):
    code = LIST_DAG.format(operator="ListCustomTrainingJobOperator", extra="")
    assert reported_lines(tmp_path, "list_jobs.py", code, "GL401") == []


def test_a_region_given_to_a_create_operator_places(tmp_path):
    code = LIST_DAG.format(operator="CreateCustomTrainingJobOperator", extra=', display_name="d", script_path="t.py"')
    assert reported_lines(tmp_path, "train_dag.py", code, "GL401") == [4]


# ---- GL401: TFX's Google Cloud components through its public v1 API ------------------------------

def test_tfx_v1_vertex_trainer_args_place_training(tmp_path):
    code = """\
from tfx import v1 as tfx

_gcp_region = "us-central1"
_training_args = {"project": "p", "region": _gcp_region, "masterConfig": {"imageUri": "gcr.io/p/i"}}


def create_pipeline():
    return tfx.extensions.google_cloud_ai_platform.Trainer(
        module_file="m.py", custom_config={tfx.extensions.google_cloud_ai_platform.TRAINING_ARGS_KEY: _training_args})
"""
    assert reported_lines(tmp_path, "pipeline.py", code, "GL401") == [3]


# ---- GL401: a CI job of runner tools and a cluster deploy places nothing -------------------------

def test_a_job_that_inspects_builds_and_applies_to_a_cluster_places_nothing(tmp_path):
    text = """\
name: deploy
on: push
env:
  REGION: us-central1
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          pwd
          find . -maxdepth 2 -type d | sort
      - run: gcloud container clusters get-credentials c --region $REGION
      - run: |
          docker build -t $REGION-docker.pkg.dev/p/r/app .
          kustomize edit set image app=$REGION-docker.pkg.dev/p/r/app
          kubectl apply -k .
"""
    assert workflow_lines(tmp_path, "deploy.yml", text) == []


# ---- GL401: a browser bundle's copy of the provider region is the same setting -------------------

def test_a_bundle_prefixed_region_variable_is_the_same_placement(tmp_path):
    text = "AWS_DEFAULT_REGION=us-east-1\nAGENT_RUNTIME_REGION=us-east-1\n\nREACT_APP_AWS_REGION=us-east-1\n"
    assert reported_lines(tmp_path, ".env", text, "GL401") == [1, 2]


# ---- GL401: a request signer's region, and search stores --------------------------------------

def test_a_request_signers_region_places_nothing(tmp_path):
    code = """\
import boto3
from opensearchpy import AWSV4SignerAuth, OpenSearch

region = "us-east-1"
credentials = boto3.Session().get_credentials()
auth = AWSV4SignerAuth(credentials, region, "aoss")
client = OpenSearch(hosts=[{"host": "h", "port": 443}], http_auth=auth)
"""
    assert reported_lines(tmp_path, "search.py", code, "GL401") == []


def test_a_search_stores_region_key_places_nothing(tmp_path):
    text = 'bedrock_region = "us-east-1"\nopensearch_region = "us-east-1"\nopensearch_index = "docs"\n'
    assert reported_lines(tmp_path, "environment.toml", text, "GL401") == [1]


# ---- GL103: an objective that hands back another function's score --------------------------------

def test_a_wrapper_objective_is_judged_by_the_function_it_returns(tmp_path):
    code = """\
import numpy as np
import optuna
from sklearn.model_selection import cross_val_score
from xgboost import XGBClassifier


def optimization_objective(trial, X, y):
    model = XGBClassifier(n_estimators=trial.suggest_int("n_estimators", 10, 300))
    model.fit(X, y)
    cv_scores = cross_val_score(model, X, y, cv=5)
    return np.mean(cv_scores)


def func(trial):
    return optimization_objective(trial, X_train, y_train)


study = optuna.create_study(direction="maximize")
study.optimize(func, n_trials=50)
"""
    assert [f["line"] for f in run_cli_file(tmp_path, "tune.py", code, "GL103")] == [18]


# ---- Training: a third-party model compiled with Keras's signature is Keras's --------------------

def test_a_compiled_third_party_model_is_a_keras_training_run(tmp_path):
    code = """\
import segmentation_models as sm

model = sm.Unet("resnet34", encoder_weights="imagenet")
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["mse"])
history = model.fit(x_train, y_train, batch_size=8, epochs=10, validation_data=(x_val, y_val))
"""
    assert reported_lines(tmp_path, "segment.py", code, "GL203") == [5]


# ---- GL402: an autoscaling cap allows a type, it does not choose it ------------------------------

def test_a_node_auto_provisioning_cap_is_not_a_choice(tmp_path):
    text = """\
apiVersion: container.cnrm.cloud.google.com/v1beta1
kind: ContainerCluster
spec:
  clusterAutoscaling:
    enabled: true
    resourceLimits:
      - resourceType: cpu
        maximum: 128
      - resourceType: nvidia-tesla-k80
        maximum: 16
  nodeConfig:
    guestAccelerator:
      - type: nvidia-tesla-k80
        count: 1
"""
    assert reported_lines(tmp_path, "cluster.yaml", text, "GL402") == [13]


# ---- GL401: a path given to an SDK's `get` retrieves what exists ---------------------------------

def test_a_region_spelled_into_a_path_an_sdk_gets_places_nothing(tmp_path):
    code = """\
from vertexai import agent_engines

location = "us-central1"
ENGINE = f"projects/p/locations/{location}/reasoningEngines/123"
remote_app = agent_engines.get(ENGINE)
for event in remote_app.stream_query(user_id="u", message="hi"):
    print(event)
"""
    assert reported_lines(tmp_path, "query.py", code, "GL401") == []


def test_the_same_region_given_to_an_sdk_create_places(tmp_path):
    code = """\
from vertexai import agent_engines
import vertexai

location = "us-central1"
vertexai.init(project="p", location=location)
remote_app = agent_engines.create(agent_engine=my_agent, requirements=["google-adk"])
"""
    assert reported_lines(tmp_path, "deploy.py", code, "GL401") == [4]


# ---- GL401: a .tfvars file sets a whole module's variables, not a store's connection ---------------

def test_a_tfvars_region_beside_secrets_and_repository_names_is_reported(tmp_path):
    text = """\
project_name = "slides-agent"
github_pat_secret_id = "your-github-pat-secret-id"
repository_owner = "me"
repository_name = "slides-agent"
host_connection_name = "git-slides-agent"
region = "us-central1"
"""
    assert reported_lines(tmp_path, "env.tfvars", text, "GL401") == [6]


# ---- Prefilters: a keyword written with spaces around `=` is the same keyword --------------------

def test_a_dense_encoder_flag_written_with_spaces_is_read(tmp_path):
    code = """\
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder
from xgboost import XGBClassifier

encoder = Pipeline(steps=[("onehot", OneHotEncoder(drop = "first", sparse = False))])
columns = ColumnTransformer(transformers=[("cat", encoder, ["Sex", "Pclass"])], remainder="passthrough")
model = Pipeline(steps=[("columns", columns), ("model", XGBClassifier())])
model.fit(X, y)
"""
    assert reported_lines(tmp_path, "titanic.py", code, "GL304") == [7]


def test_a_search_scoring_written_with_spaces_is_read(tmp_path):
    code = """\
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

search = GridSearchCV(SVC(), {"C": [1, 10], "gamma": [0.1, 1]}, scoring = "accuracy")
search.fit(X, y)
"""
    assert [f["line"] for f in run_cli_file(tmp_path, "search.py", code, "GL103")] == [4]


# ---- Training runs: Keras's older fit_generator, and torch reached through a star import ---------

def test_a_fit_generator_entry_point_is_a_training_run(tmp_path):
    code = """\
from keras.models import Model
from keras.optimizers import Adam


def create_model():
    return Model(inputs, outputs)


if __name__ == "__main__":
    model = create_model()
    model.compile(optimizer=Adam(1e-3), loss="mse")
    model.fit_generator(batches, steps_per_epoch=100, validation_data=val_batches, epochs=50)
"""
    assert reported_lines(tmp_path, "train.py", code, "GL203") == [12]


def test_torch_used_through_a_star_import_is_pytorch(tmp_path):
    code = """\
from modeling.deeplab import *


class Trainer:
    def __init__(self, args):
        self.model = DeepLab(num_classes=21)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=args.lr)

    def training(self, loader):
        for image, target in loader:
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(image), target)
            loss.backward()
            self.optimizer.step()


if __name__ == "__main__":
    Trainer(args).training(loader)
"""
    assert reported_lines(tmp_path, "train.py", code, "GL203") == [13]


# ---- GL401: CI steps that run a test module, wait on a lock, or refresh a CDN -------------------

def test_a_test_job_run_as_a_python_module_places_nothing(tmp_path):
    text = """\
name: integration
on: workflow_dispatch
jobs:
  test:
    runs-on: self-hosted
    steps:
      - uses: actions/checkout@v4
      - name: Clean env
        run: |
          yes | docker system prune -a --volumes
          while sudo fuser /var/lib/dpkg/lock >/dev/null 2>&1; do sleep 5; done
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-region: us-east-1
      - run: python -m pytest tests.py -k smoke
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: aws cloudfront create-invalidation --distribution-id E1 --paths "/docs/*"
        env:
          AWS_DEFAULT_REGION: us-east-1
"""
    assert workflow_lines(tmp_path, "integration.yml", text) == []


def test_a_job_that_runs_a_project_module_is_still_read_as_placing(tmp_path):
    text = """\
name: train
on: workflow_dispatch
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-region: us-east-1
      - run: python -m pipelines.launch_training --instance-type ml.g5.xlarge
"""
    assert workflow_lines(tmp_path, "train.yml", text) == [9]


# ---- GL402: a table of every type lists what exists ---------------------------------------------

def test_the_rows_of_a_table_of_types_choose_nothing(tmp_path):
    rows = ["a1.large", "c5.xlarge", "g3.4xlarge", "g4dn.xlarge", "m5.large", "p2.xlarge", "p3.2xlarge",
            "r5.large", "t3.micro", "t3.small", "x1.16xlarge"]
    table = "".join(f"- {{instanceType: {row}, vcpu: 4}}\n" for row in rows)
    assert reported_lines(tmp_path, "vcpu_mapping.yaml", table, "GL402") == []


def test_a_short_list_of_candidate_machines_still_counts(tmp_path):
    text = "resources:\n  any_of:\n    - {instance_type: p2.xlarge}\n    - {instance_type: g5.xlarge}\n"
    assert reported_lines(tmp_path, "task.yaml", text, "GL402") == [3]


# ---- GL401: a data service named with a qualifier is that data service --------------------------

def test_a_public_registry_is_a_registry(tmp_path):
    text = "#!/bin/bash\naws ecr-public create-repository --repository-name dynamo --region us-east-1\n"
    assert reported_lines(tmp_path, "build.sh", text, "GL401") == []
