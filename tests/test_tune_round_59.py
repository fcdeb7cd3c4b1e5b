"""Principles found in the twenty-fifth session (blind rounds 154-163, first contact).
Each test lints small files written here with the real CLI."""
from __future__ import annotations

from test_model_rules_tune2 import reported_lines

# ---- GL404: a CronJob's container named as training ----------------------------------------------

CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata:
  name: churn-weekly
spec:
  schedule: "0 3 * * 0"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: {name}
              image: example/churn-ml:1
              command: ["sh", "-c"]
              args:
                - |
                  dvc repro
                  dvc push
"""


def test_a_cronjob_container_named_as_training_is_a_training_schedule(tmp_path):
    for name in ("retrain", "model-training", "drift-auto-retrain"):
        assert reported_lines(tmp_path, "cron.yaml", CRONJOB.format(name=name), "GL404") == [6], name


def test_a_cronjob_container_named_for_other_work_is_not(tmp_path):
    for name in ("pipeline", "build-training-data", "report"):
        assert reported_lines(tmp_path, "cron.yaml", CRONJOB.format(name=name), "GL404") == [], name


# ---- GL201: a callbacks list the code never changes is all the fit gets --------------------------

TWO_STAGES = """\
from tensorflow.keras import callbacks


class Trainer:
    def train(self, train_ds, val_ds, epochs_stage1=15, epochs_stage2=45):
        cb1 = [callbacks.ModelCheckpoint("best.keras", save_best_only=True),
               callbacks.ReduceLROnPlateau(factor=0.5, patience=2)]
        {grow}
        self.model.fit(train_ds, validation_data=val_ds, epochs=epochs_stage1, callbacks=cb1)
        cb2 = [callbacks.EarlyStopping(patience=5, restore_best_weights=True)]
        self.model.fit(train_ds, validation_data=val_ds, epochs=epochs_stage2, callbacks=cb2)
"""


def test_an_unchanged_callbacks_list_without_early_stopping_is_reported(tmp_path):
    """The early stopping built for the second stage's list cannot reach the first stage's fit."""
    assert reported_lines(tmp_path, "spatial.py", TWO_STAGES.format(grow="pass"), "GL201") == [9]


def test_a_callbacks_list_grown_in_place_may_hold_early_stopping(tmp_path):
    grown = TWO_STAGES.format(grow="cb1.append(callbacks.EarlyStopping(patience=3))")
    assert reported_lines(tmp_path, "spatial.py", grown, "GL201") == []


# ---- GL304: a label is a word of a name, not a part of one ----------------------------------------

TITANIC = """\
import pandas as pd
from sklearn.linear_model import LogisticRegression

dataset = pd.read_csv("titanic_train.csv")
y = dataset["Survived"]
{name} = dataset["{column}"]
dummies = pd.get_dummies({name}, drop_first=True)
embarked = pd.get_dummies(dataset["Embarked"], drop_first=True)
X = pd.concat([dataset["Age"], embarked, dummies], axis=1)
LogisticRegression().fit(X, y)
"""


def test_a_name_that_only_contains_a_label_word_is_a_feature(tmp_path):
    for name in ("pclass", "subclass"):
        text = TITANIC.format(name=name, column=name.title())
        assert reported_lines(tmp_path, "titanic.py", text, "GL304") == [7, 8], name


def test_a_name_with_a_label_word_is_the_labels(tmp_path):
    for name in ("class_labels", "targetOneHot"):
        text = TITANIC.format(name=name, column="Survived")
        assert reported_lines(tmp_path, "titanic.py", text, "GL304") == [8], name


# ---- GL401: an argument given to a module of stores places their data ------------------------------

STATE_MODULE = """\
variable "rg_location" {}
resource "azurerm_resource_group" "state" {
  name     = "state"
  location = var.rg_location
}
resource "azurerm_storage_account" "state" {
  name                = "tfstate"
  resource_group_name = azurerm_resource_group.state.name
  location            = azurerm_resource_group.state.location
}
resource "azurerm_key_vault" "kv" {
  name     = "kv"
  location = azurerm_resource_group.state.location
}
"""

CALLER = """\
module "state" {
  source      = "../../modules/state"
  rg_location = "East US"
}
"""


def test_an_argument_of_a_module_of_stores_places_data(tmp_path):
    (tmp_path / "modules" / "state").mkdir(parents=True)
    (tmp_path / "modules" / "state" / "main.tf").write_text(STATE_MODULE)
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    assert reported_lines(tmp_path, "envs/prod/main.tf", CALLER, "GL401") == []


def test_an_argument_of_a_module_that_runs_compute_is_reported(tmp_path):
    (tmp_path / "modules" / "state").mkdir(parents=True)
    (tmp_path / "modules" / "state" / "main.tf").write_text(
        STATE_MODULE + 'resource "azurerm_linux_virtual_machine" "vm" {\n  name = "vm"\n}\n')
    (tmp_path / "envs" / "prod").mkdir(parents=True)
    assert reported_lines(tmp_path, "envs/prod/main.tf", CALLER, "GL401") == [3]
    # a registry module is not in the project: what it places is not known, so its region is reported
    registry = CALLER.replace('"../../modules/state"', '"Azure/storage/azurerm"')
    assert reported_lines(tmp_path, "envs/prod/registry.tf", registry, "GL401") == [3]


# ---- GL301: a weights flag some call of the file turns off ----------------------------------------

INITIALIZE = """\
import torch
from torch import nn, optim
from torchvision import datasets, models


def train_model(model, loader, optimizer):
    for epoch in range(25):
        for inputs, labels in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(inputs), labels).backward()
            optimizer.step()


def initialize_model(num_classes, use_pretrained=True):
    model = models.squeezenet1_0(pretrained=use_pretrained)
    model.classifier[1] = nn.Conv2d(512, num_classes, kernel_size=1)
    return model


loader = torch.utils.data.DataLoader(datasets.ImageFolder("data/bees/train"))
model_ft = initialize_model(2)
train_model(model_ft, loader, optim.SGD(model_ft.parameters(), lr=0.001))
scratch = initialize_model(2, {second})
train_model(scratch, loader, optim.SGD(scratch.parameters(), lr=0.001))
"""


def test_a_weights_flag_some_call_turns_off_builds_random_weights(tmp_path):
    for second in ("use_pretrained=False", "False"):
        assert reported_lines(tmp_path, "finetune.py", INITIALIZE.format(second=second), "GL301") == [15], second


def test_a_weights_flag_every_call_leaves_on_loads_weights(tmp_path):
    assert reported_lines(tmp_path, "finetune.py", INITIALIZE.format(second="use_pretrained=True"), "GL301") == []


# ---- GL401: one imported constant, one placement; a default that a generated client ignores -------

RUN_PIPELINE = """\
from google.cloud import aiplatform
from constants import PROJECT_ID, REGION


def run():
    aiplatform.init(project=PROJECT_ID, location=REGION)
    job = aiplatform.PipelineJob(project=PROJECT_ID, location=REGION, display_name="x", template_path="p.json")
    job.submit()
"""


def test_an_imported_region_constant_is_reported_once_per_file(tmp_path):
    (tmp_path / "constants.py").write_text('PROJECT_ID = "p"\nREGION = "us-central1"\n')
    assert reported_lines(tmp_path, "run.py", RUN_PIPELINE, "GL401") == [6]


DELETE_MODEL = """\
from google.cloud import aiplatform


def delete_endpoint(project, location, endpoint_id):
    client = aiplatform.gapic.EndpointServiceClient(client_options={"api_endpoint": f"{location}-aiplatform.googleapis.com"})
    client.delete_endpoint(name=client.endpoint_path(project=project, location=location, endpoint=endpoint_id))


def delete_model(model_id, project, location):
    aiplatform.init(project=project, location=location)
    aiplatform.Model(model_name=model_id).delete()


def clean_up(project, region):
    delete_model("5811743586516992000", project, region)


clean_up("p", "us-central1")
"""


def test_a_default_location_that_serves_only_deletes_places_nothing_beside_a_generated_client(tmp_path):
    assert reported_lines(tmp_path, "delete_model.py", DELETE_MODEL, "GL401") == []
    training = DELETE_MODEL.replace("aiplatform.Model(model_name=model_id).delete()",
                                    'aiplatform.CustomJob.from_local_script(display_name="t", script_path="t.py").run()')
    assert reported_lines(tmp_path, "train.py", training, "GL401") == [18]


# ---- GL402: a name given to a hardware keyword, read through a pipeline's default ----------------

SAGEMAKER_PIPELINE = """\
from sagemaker.estimator import Estimator
from sagemaker.workflow.parameters import ParameterString

training_instance_type = ParameterString(name="TrainingInstanceType", default_value="{default}")
estimator = Estimator(image_uri="x", role="r", instance_count=1, instance_type=training_instance_type)
"""

KFP_PIPELINE = """\
from kfp import dsl
from google_cloud_pipeline_components.v1.custom_job import CustomTrainingJobOp


@dsl.pipeline(name="train")
def pipeline(project: str, accelerator_train_type: str = "{default}"):
    CustomTrainingJobOp(project=project, worker_pool_specs=[], accelerator_type=accelerator_train_type)
"""


def test_a_pipeline_parameter_default_given_to_a_hardware_keyword_is_the_choice(tmp_path):
    assert reported_lines(tmp_path, "pipeline.py", SAGEMAKER_PIPELINE.format(default="ml.p3.2xlarge"), "GL402") == [4]
    assert reported_lines(tmp_path, "kfp_pipeline.py", KFP_PIPELINE.format(default="NVIDIA_TESLA_P100"), "GL402") == [6]


def test_a_current_pipeline_default_is_not_reported(tmp_path):
    assert reported_lines(tmp_path, "pipeline.py", SAGEMAKER_PIPELINE.format(default="ml.g5.xlarge"), "GL402") == []
    assert reported_lines(tmp_path, "kfp_pipeline.py", KFP_PIPELINE.format(default="NVIDIA_L4"), "GL402") == []


# ---- GL303: a model class of any package that mirrors transformers; introspection runs nothing ------

VENDORED_BERT = """\
from transformers import AutoTokenizer
from {module} import BertModel

tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
inputs = tokenizer("I like natural language processing!", return_tensors="pt")
model = BertModel.from_pretrained("bert-base-uncased")
{use}
"""


def test_a_transformers_model_class_of_another_package_loads_the_checkpoint(tmp_path):
    for module in ("modeling_bert", "pytorch_transformers", "paddlenlp.transformers"):
        text = VENDORED_BERT.format(module=module, use="print(model(**inputs).last_hidden_state)")
        assert reported_lines(tmp_path, "bert_demo.py", text, "GL303") == [6], module


def test_a_model_only_introspected_runs_nothing(tmp_path):
    text = VENDORED_BERT.format(module="transformers", use="print(type(model))\nmodel = None")
    assert reported_lines(tmp_path, "bert_demo.py", text, "GL303") == []


# ---- GL401: the value an ARM / Bicep parameter file deploys ---------------------------------------

PARAMETERS_FILE = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {
      "value": "%s"
    },
    "prefix": {
      "value": "usedcar"
    }
  }
}
"""


def test_an_arm_parameter_file_location_is_the_region_deployed(tmp_path):
    assert reported_lines(tmp_path, "dev.parameters.json", PARAMETERS_FILE % "eastus", "GL401") == [6]
    assert reported_lines(tmp_path, "dev.parameters.json", PARAMETERS_FILE % "swedencentral", "GL401") == []


# ---- GL202: an unused import delegates nothing; a lowered matmul precision is a choice -------------

CUDA_LOOP = """\
import torch
{imports}

model = torch.nn.Linear(10, 2).to("cuda")
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x.to("cuda")), y.to("cuda"))
        loss.backward()
        optimizer.step()
{use}
"""


def test_an_unused_import_of_a_precision_library_delegates_nothing(tmp_path):
    text = CUDA_LOOP.format(imports="from lightning import Fabric", use="")
    assert reported_lines(tmp_path, "vit.py", text, "GL202") == [9]
    used = CUDA_LOOP.format(imports="from lightning import Fabric", use='fabric = Fabric(precision="bf16-mixed")')
    assert reported_lines(tmp_path, "vit.py", used, "GL202") == []


LIGHTNING_GPU = """\
import torch
import lightning as L

{setting}
trainer = L.Trainer(accelerator="gpu", max_epochs=20)
trainer.fit(model, datamodule=data)
"""


def test_a_lowered_matmul_precision_is_a_numeric_format_chosen(tmp_path):
    assert reported_lines(tmp_path, "train.py", LIGHTNING_GPU.format(setting=""), "GL202") == [5]
    lowered = LIGHTNING_GPU.format(setting='torch.set_float32_matmul_precision("medium")')
    assert reported_lines(tmp_path, "train.py", lowered, "GL202") == []


# ---- GL201: a grid held under another model's name varies that model's rounds -------------------

MODELS_AND_GRIDS = """\
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import GridSearchCV

models = {{
    "random_forest": RandomForestClassifier(),
    "{gbm_key}": GradientBoostingClassifier(n_estimators=300),
}}
grids = {{
    "random_forest": {{"n_estimators": [50, 100, 200], "max_depth": [None, 10]}},
}}
for name, model in models.items():
    if name in grids:
        GridSearchCV(model, grids[name], cv=5).fit(X, y)
    else:
        model.fit(X, y)
"""


def test_a_grid_of_another_model_leaves_the_boosting_rounds_alone(tmp_path):
    text = MODELS_AND_GRIDS.format(gbm_key="gradient_boosting")
    assert reported_lines(tmp_path, "models.py", text, "GL201") == [6]


def test_a_grid_under_the_boosting_models_own_name_varies_its_rounds(tmp_path):
    text = MODELS_AND_GRIDS.format(gbm_key="random_forest_gb").replace(
        '"random_forest": {', '"random_forest_gb": {')
    assert reported_lines(tmp_path, "models.py", text, "GL201") == []


# ---- GL404: fitting a preprocessor is not training -------------------------------------------------

PROCESSING_DAG = """\
from airflow.decorators import dag, task
from pendulum import datetime


@dag(start_date=datetime(2025, 1, 1), schedule="@daily")
def processing_dag():
    @task
    def preprocessing():
        X_train = load("x_train.csv")
        return {call}(build_preprocessor(), X_train)

    preprocessing()


processing_dag()
"""


def test_a_task_that_fits_a_preprocessor_trains_nothing(tmp_path):
    text = PROCESSING_DAG.format(call="fit_transform_preprocessor")
    assert reported_lines(tmp_path, "processing_dag.py", text, "GL404") == []


def test_a_task_that_fits_a_model_trains(tmp_path):
    assert reported_lines(tmp_path, "processing_dag.py", PROCESSING_DAG.format(call="fit_model"), "GL404") == [5]


def test_a_telemetry_location_in_a_parameter_file_places_data(tmp_path):
    text = PARAMETERS_FILE.replace('"location"', '"applicationInsightsLocation"') % "eastus"
    assert reported_lines(tmp_path, "parameters.json", text, "GL401") == []


# ---- GL201 / GL203: a model a project helper builds, fitted with a keyword only Keras takes ----------

HELPER_BUILT = """\
import numpy as np
from Models import ANN_1
{extra}
model = ANN_1.build_Model(input_shape=729)
history = model.fit(x=X_train, y=y_train, epochs=50, batch_size=64, {validation})
"""


def test_a_project_helpers_model_fitted_with_validation_data_is_keras(tmp_path):
    text = HELPER_BUILT.format(extra="", validation="validation_data=(X_val, y_val)")
    assert reported_lines(tmp_path, "notebook_export.py", text, "GL201") == [5]
    assert reported_lines(tmp_path, "notebook_export.py", text, "GL203") == [5]


def test_a_project_helpers_model_without_a_keras_keyword_is_not_read(tmp_path):
    text = HELPER_BUILT.format(extra="", validation="shuffle=True")
    assert reported_lines(tmp_path, "notebook_export.py", text, "GL201") == []
    sklearn_model = HELPER_BUILT.format(extra="from sklearn.linear_model import SGDClassifier",
                                        validation="validation_data=(X_val, y_val)").replace(
        "ANN_1.build_Model(input_shape=729)", "SGDClassifier()")
    assert reported_lines(tmp_path, "notebook_export.py", sklearn_model, "GL201") == []


# ---- an excerpt's conventional library alias (`pl`, `tf`) means that library -----------------------

LIGHTNING_EXCERPT = """\
def train_model(model, train_loader, val_loader):
    trainer = {alias}.Trainer(max_epochs=60, accelerator="gpu", devices=1)
    trainer.fit(model, train_loader, val_loader)
    return model
"""


def test_an_unbound_pl_alias_is_pytorch_lightning(tmp_path):
    assert reported_lines(tmp_path, "train.py", LIGHTNING_EXCERPT.format(alias="pl"), "GL201") == [2]


def test_a_bound_alias_is_what_the_file_binds(tmp_path):
    text = "import mylib as pl\n" + LIGHTNING_EXCERPT.format(alias="pl")
    assert reported_lines(tmp_path, "train.py", text, "GL201") == []


# ---- GL401: a TFX pipeline config's region ----------------------------------------------------------

TFX_CONFIG = """\
import tfx.extensions.google_cloud_ai_platform.constants as vertex_const

PIPELINE_NAME = "vit-pipeline"
GOOGLE_CLOUD_REGION = "{region}"
GCP_AI_PLATFORM_TRAINING_ARGS = {{vertex_const.VERTEX_REGION_KEY: GOOGLE_CLOUD_REGION, "machine_type": "n1-standard-4"}}
"""


def test_a_tfx_pipeline_configs_region_is_where_its_vertex_components_run(tmp_path):
    assert reported_lines(tmp_path, "configs.py", TFX_CONFIG.format(region="us-central1"), "GL401") == [4]
    assert reported_lines(tmp_path, "configs.py", TFX_CONFIG.format(region="us-west1"), "GL401") == []
