"""Principles found in the seventeenth session (round 43 of tune labels). Each test lints small
files written here with the real CLI or the real engine."""
from __future__ import annotations

from test_model_rules_tune2 import cli, lint, reported_lines

# ---- GL401: a variable file Terraform loads by itself replaces a default ---------------------------

MODULE_VARIABLES = """\
variable "region" {
  default = "us-central1"
}

variable "zone" {
  default = "us-east1-b"
}
"""
MODULE_MAIN = """\
provider "google" {
  region = var.region
}

resource "google_compute_instance" "trainer" {
  name         = "trainer"
  machine_type = "a2-highgpu-1g"
  zone         = var.zone
}
"""


def _module(folder, **variable_files: str):
    (folder / "variables.tf").write_text(MODULE_VARIABLES)
    (folder / "main.tf").write_text(MODULE_MAIN)
    for name, text in variable_files.items():
        (folder / name.replace("_", ".")).write_text(text)
    return folder / "variables.tf"


def test_a_default_that_terraform_tfvars_sets_is_not_what_runs(tmp_path):
    variables = _module(tmp_path, terraform_tfvars='region = "us-west1"\n')
    assert [f["line"] for f in cli(variables, "GL401")] == [6]  # the zone's default still runs


def test_the_value_the_variable_file_sets_is_checked_where_it_is_written(tmp_path):
    _module(tmp_path, terraform_tfvars='region = "us-east4"\n')
    found = cli(tmp_path, "GL401")
    assert sorted((f["path"].rsplit("/", 1)[-1], f["line"]) for f in found) == [("terraform.tfvars", 1), ("variables.tf", 6)]


def test_auto_loaded_files_count_and_files_chosen_per_run_do_not(tmp_path):
    variables = _module(tmp_path)
    (tmp_path / "gpu.auto.tfvars.json").write_text('{"zone": "us-west1-b"}')
    (tmp_path / "staging.tfvars").write_text('region = "us-west1"\n')  # only with -var-file: not every run
    assert [f["line"] for f in cli(variables, "GL401")] == [2]


# ---- GL401: work on what the script created in a region is that placement --------------------------

SCRIPT = """\
gcloud dataproc clusters create etl --region europe-west3 --num-workers 4
gcloud dataproc jobs submit pyspark --cluster=etl --region=europe-west3 gs://jobs/job.py
gcloud dataproc workflow-templates create nightly --region europe-west3
gcloud dataproc workflow-templates add-job pyspark gs://jobs/job.py --step-id s --workflow-template nightly --region europe-west3
gcloud dataproc workflow-templates instantiate nightly --region europe-west3
"""


def test_jobs_on_a_cluster_and_edits_of_a_template_the_script_created_are_not_new_placements(tmp_path):
    assert reported_lines(tmp_path, "deploy.sh", SCRIPT, "GL401") == [1, 3]


def test_a_job_on_a_cluster_the_script_did_not_create_isreported_lines(tmp_path):
    path = tmp_path / "deploy.sh"
    path.write_text(SCRIPT.splitlines(keepends=True)[1])
    assert [f["line"] for f in cli(path, "GL401")] == [1]
    path.write_text(SCRIPT.replace("--cluster=etl", "--cluster=existing"))
    assert [f["line"] for f in cli(path, "GL401")] == [1, 2, 3]


# ---- GL401: an Azure resource group runs nothing ------------------------------------------------

def test_a_module_of_a_resource_group_alone_places_no_compute(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "random_pet" "name" {}\n\n'
        'resource "azurerm_resource_group" "rg" {\n  name     = random_pet.name.id\n  location = var.resource_group_location\n}\n')
    variables = tmp_path / "variables.tf"
    variables.write_text('variable "resource_group_location" {\n  default = "eastus"\n}\n')
    assert cli(variables, "GL401") == []
    (tmp_path / "aks.tf").write_text(
        'resource "azurerm_kubernetes_cluster" "k8s" {\n  name     = "k8s"\n'
        '  location = azurerm_resource_group.rg.location\n}\n')
    assert [f["line"] for f in cli(variables, "GL401")] == [2]


# ---- GL401: a compiled pipeline component that only reads or registers runs nothing ---------------

COMPILED = """\
components:
  comp-{name}:
    executorLabel: exec-{name}
    inputDefinitions:
      parameters:
        location:
          defaultValue: us-central1
          isOptional: true
          parameterType: STRING
pipelineInfo:
  name: train-and-serve
"""


def test_a_component_that_gets_or_uploads_a_model_places_nothing(tmp_path):
    path = tmp_path / "pipeline.yaml"
    for name in ("model-get", "model-upload-2", "endpoint-create"):
        path.write_text(COMPILED.format(name=name))
        assert cli(path, "GL401") == [], name


def test_a_component_that_deploys_trains_or_is_the_projects_own_places_compute(tmp_path):
    path = tmp_path / "pipeline.yaml"
    for name in ("model-deploy", "custom-training-job", "model-batch-predict", "preprocess-op"):
        path.write_text(COMPILED.format(name=name))
        assert [f["line"] for f in cli(path, "GL401")] == [7], name


def test_creating_an_empty_vertex_endpoint_places_nothing_and_deploying_to_it_does(tmp_path):
    path = tmp_path / "serve.sh"
    path.write_text("gcloud beta ai endpoints create --display-name=e --region=us-central1\n"
                    "gcloud ai endpoints deploy-model 123 --region=us-central1 --model=9 --machine-type=n1-standard-4\n")
    assert [f["line"] for f in cli(path, "GL401")] == [2]


# ---- GL304: a name rebound on many paths is followed once per place ------------------------------

def _rebound_in_branches(first: str, step: str, branches: int = 40) -> str:
    body = "".join(f"    if i == {k}:\n        x = x + {step}\n" for k in range(branches))
    return ("import numpy as np\nimport scipy.sparse as sp\nfrom sklearn.svm import SVC\n\n"
            f"x = {first}\nfor i in range(9):\n{body}SVC().fit(x.toarray(), y)\n")


def test_a_name_rebound_in_forty_branches_is_read_in_linear_time(tmp_path):
    # every branch's `x` reaches every later one: following each path was 40**6 steps (minutes)
    path = tmp_path / "features.py"
    path.write_text(_rebound_in_branches("np.zeros((5, 5))", "1"))
    assert cli(path, "GL304") == []  # dense from the start: nothing densified
    text = _rebound_in_branches("sp.csr_matrix(counts)", "sp.eye(5)")
    path.write_text(text)
    assert [f["line"] for f in cli(path, "GL304")] == [text.count("\n")]  # the last line densifies it


# ---- GL304: names are followed in the order the code runs -------------------------------------------

TRAIN_AND_TEST_DUMMIES = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
days = pd.get_dummies(train.DayOfWeek)
district = pd.get_dummies(train.PdDistrict)
train_new = pd.concat([days, district], axis=1)
days = pd.get_dummies(test.DayOfWeek)
district = pd.get_dummies(test.PdDistrict)
test_new = pd.concat([days, district], axis=1)
X_train, X_valid, y_train, y_valid = train_test_split(train_new, train.Category)
model = DecisionTreeClassifier().fit(X_train, y_train)
probabilities = model.predict_proba(test_new)
"""


def test_the_training_sets_dummies_reach_the_fit_and_the_test_sets_do_not(tmp_path):
    assert reported_lines(tmp_path, "crime.py", TRAIN_AND_TEST_DUMMIES, "GL304") == [7, 8]


def test_a_statement_inside_a_function_may_run_after_the_dummies_are_made(tmp_path):
    path = tmp_path / "crime.py"
    inside = TRAIN_AND_TEST_DUMMIES.replace(
        "train_new = pd.concat([days, district], axis=1)\n", "").replace(
        "X_train, X_valid", "def frame():\n    return pd.concat([days, district], axis=1)\n\n\ntrain_new = frame()\nX_train, X_valid")
    path.write_text(inside)
    # the test set's dummies are what `frame()` reads when it runs (a function's statements keep
    # every flow: where it is called from is not read in order)
    assert {9, 10} <= {f["line"] for f in cli(path, "GL304")}


def test_updating_what_exists_places_nothing_and_creating_it_does(tmp_path):
    path = tmp_path / "composer.sh"
    path.write_text("gcloud composer environments update dev --location us-central1 --update-pypi-packages-from-file r.txt\n")
    assert cli(path, "GL401") == []
    path.write_text("gcloud composer environments create dev --location us-central1\n")
    assert [f["line"] for f in cli(path, "GL401")] == [1]


# ---- GL401: a region constant that only says where a store is made places nothing ------------------

BUCKET_ONLY = """\
from google.cloud import automl_v1beta1 as automl
from google.cloud import storage

region = "us-central1"
bucket = storage.Client(project="p").bucket("data")
bucket.create(location=region)
"""


def test_a_constant_read_only_as_a_buckets_location_places_nothing(tmp_path):
    path = tmp_path / "prepare.py"
    path.write_text(BUCKET_ONLY)
    assert cli(path, "GL401") == []
    path.write_text(BUCKET_ONLY + 'client = automl.AutoMlClient()\nclient.create_model(parent=f"projects/p/locations/{region}", model={})\n')
    assert [f["line"] for f in cli(path, "GL401")] == [4]


# ---- GL401: a region among a store's connection settings says where the store is ------------------

def test_a_region_beside_a_databases_credentials_places_nothing(tmp_path):
    path = tmp_path / "tracking.json"
    path.write_text('{"mlflow": {"project": "p", "region": "us-central1", "db": "mlflow", "user": "postgres",\n'
                    '            "password": "x", "artifact_root": "gs://b/mlflow"}}\n')
    assert cli(path, "GL401") == []
    path.write_text('{"cluster_arn": "arn:aws:rds:us-east-1:1:cluster:c", "secret_arn": "arn:aws:secretsmanager:x",\n'
                    ' "database": "app", "region": "us-east-1"}\n')
    assert cli(path, "GL401") == []


def test_a_region_beside_credentials_and_compute_settings_isreported_lines(tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("region: us-east-1\nbucket: data\naccess_key: AKIA\ninstance_type: ml.p3.2xlarge\n")
    assert [f["line"] for f in cli(path, "GL401")] == [1]
    path.write_text("region: us-east-1\nbucket: data\nrole_arn: arn:aws:iam::1:role/r\n")  # no credential: may place
    assert [f["line"] for f in cli(path, "GL401")] == [1]


def test_cloud_credentials_beside_a_region_are_no_store(tmp_path):
    path = tmp_path / "deploy.yml"
    path.write_text("jobs:\n  apply:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
                    "          aws-access-key-id: ${{ secrets.KEY }}\n          aws-secret-access-key: ${{ secrets.SECRET }}\n"
                    "          aws-region: us-east-1\n      - run: terraform apply -auto-approve\n")
    assert [f["line"] for f in cli(path, "GL401")] == [9]


REBOUND = """\
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.model_selection import train_test_split

train = pd.read_csv("sample.csv")
train = pd.get_dummies(train)
kept = [column for column in train.columns if train[column].nunique() > 1]
train = pd.read_csv("combined.csv")
train = train[kept + ["TARGET"]]
X_train, X_valid, y_train, y_valid = train_test_split(train.drop(columns="TARGET"), train.TARGET)
LGBMClassifier().fit(X_train, y_train)
"""


def test_dummies_whose_name_is_rebound_from_a_file_before_the_fit_do_not_reach_it(tmp_path):
    path = tmp_path / "selection.py"
    path.write_text(REBOUND)
    assert cli(path, "GL304") == []
    path.write_text(REBOUND.replace('train = pd.read_csv("combined.csv")\n', ""))
    assert [f["line"] for f in cli(path, "GL304")] == [6]


# ---- GL301: training that the code's constants rule out never runs ---------------------------------

SWITCHED_OFF = """\
from tensorflow.keras.applications import DenseNet169
from tensorflow.keras import layers, Model

base = DenseNet169(weights=None, include_top=False, input_shape=(128, 128, 3))
model = Model(base.input, layers.Dense(10)(layers.GlobalAveragePooling2D()(base.output)))
model.compile(optimizer="adam", loss="categorical_crossentropy")
training = False  # set True to train
if training:
    model.fit(train_generator, epochs=60)
else:
    model.load_weights("model.h5")
"""


def test_a_fit_under_a_constant_that_is_false_is_no_training():
    assert lint(SWITCHED_OFF, "GL301") == []
    assert [f.line for f in lint(SWITCHED_OFF.replace("training = False", "training = True"), "GL301")] == [4]


HELPER_LOAD = """\
import h5py
from tensorflow.keras import applications, layers, Model
from tensorflow.python.keras.saving import hdf5_format

base = applications.VGG16(include_top=False, weights=None)


def load_split_weights(model, pattern):
    weights = h5py.File(pattern, "r", driver="family")
    hdf5_format.load_weights_from_hdf5_group_by_name(weights, model.layers)
    return model


base = load_split_weights(base, "vgg16_weights_%d.h5")
model = Model(base.input, layers.Dense(1)(layers.GlobalAveragePooling2D()(base.output)))
model.compile(optimizer="sgd", loss="binary_crossentropy")
model.fit(train_ds, epochs=10)
"""


def test_weights_loaded_by_a_helper_of_the_file_are_a_starting_checkpoint():
    assert lint(HELPER_LOAD, "GL301") == []
    not_loading = HELPER_LOAD.replace("hdf5_format.load_weights_from_hdf5_group_by_name(weights, model.layers)",
                                      "print(weights, model.layers)")
    assert [f.line for f in lint(not_loading, "GL301")] == [5]


def test_a_training_helper_that_restores_its_own_best_epoch_loads_no_checkpoint():
    source = """\
import copy
import torch
from torchvision import models

def train_model(model, loader, optimizer, epochs=25):
    best = copy.deepcopy(model.state_dict())
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        best = copy.deepcopy(model.state_dict())
    model.load_state_dict(best)
    return model

net = models.resnet18(pretrained=False)
net = train_model(net, loader, torch.optim.SGD(net.parameters(), lr=0.1))
"""
    assert [f.line for f in lint(source, "GL301")] == [16]


def test_a_helper_that_loads_only_when_asked_to_resume_loads_no_checkpoint():
    source = HELPER_LOAD.replace(
        "    hdf5_format.load_weights_from_hdf5_group_by_name(weights, model.layers)\n",
        "    if resume:\n        hdf5_format.load_weights_from_hdf5_group_by_name(weights, model.layers)\n").replace(
        "def load_split_weights(model, pattern):", "def load_split_weights(model, pattern, resume=None):")
    assert "if resume:" in source
    assert [f.line for f in lint(source, "GL301")] == [5]


def test_a_helper_that_trains_and_reloads_its_saved_best_is_no_starting_checkpoint():
    source = """\
import torch
from torchvision import models

def train_model(model, loader, optimizer, epochs=25):
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        torch.save(model.state_dict(), "best.pt")
    model.load_state_dict(torch.load("best.pt"))
    return model

net = models.resnet18(weights=None)
net = train_model(net, loader, torch.optim.SGD(net.parameters(), lr=0.1))
"""
    assert [f.line for f in lint(source, "GL301")] == [14]
