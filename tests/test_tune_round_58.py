"""Principles found in the twenty-fourth session (blind rounds 125-131, first contact).
Each test lints small files written here with the real CLI."""
from __future__ import annotations

from test_model_rules_tune2 import reported_lines

# ---- GL401: a CI job that only tears down what a deploy tool placed -------------------------------

TEARDOWN_WORKFLOW = """
name: destroy
on: workflow_dispatch
jobs:
  destroy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-terraform@v3
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/ci
          aws-region: us-east-1
      - name: Destroy
        run: |
          npm install -g serverless
          {command}
"""


def test_a_job_that_only_tears_down_places_nothing(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for command in ("serverless remove --verbose", "sls remove --stage dev", "npx cdk destroy --force",
                    "terraform -chdir=infra destroy -auto-approve", "terraform init\n          terraform destroy"):
        text = TEARDOWN_WORKFLOW.replace("{command}", command.removeprefix("npx "))
        assert reported_lines(tmp_path, ".github/workflows/destroy.yml", text, "GL401") == [], command


def test_a_job_that_deploys_with_the_same_tool_is_reported(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    for command in ("serverless deploy --stage prod", "terraform init\n          terraform apply -auto-approve"):
        text = TEARDOWN_WORKFLOW.replace("{command}", command)
        assert reported_lines(tmp_path, ".github/workflows/deploy.yml", text, "GL401") == [13], command


# ---- GL304: a name bound in both branches, rebound by the densifying statement; a parameter -------

BRANCHES = """
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

vectorizer = TfidfVectorizer(min_df=5)


def create_features(split):
    with open(f"{split}.txt") as f:
        if split == "train":
            X = vectorizer.fit_transform(f)
        else:
            X = vectorizer.transform(f)
        X = pd.DataFrame(X.toarray(), columns=vectorizer.get_feature_names_out())
        X.to_csv(f"{split}.feature.txt", index=False)


for split in ["train", "valid", "test"]:
    create_features(split)
"""


def test_a_name_sparse_in_both_branches_and_rebound_by_its_densification_is_reported(tmp_path):
    assert reported_lines(tmp_path, "features.py", BRANCHES, "GL304") == [14]


def test_a_binding_after_the_use_still_reaches_it_through_a_loop(tmp_path):
    looped = """
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from augment import augment

X = CountVectorizer().fit_transform(open("docs.txt"))
for step in range(3):
    np.save(f"step{step}.npy", X.toarray())
    X = augment(X)
"""
    # line 10 binds X after the use at line 9, and reaches it on the next pass: what `augment`
    # returns is not known to be sparse, so X is not either
    assert reported_lines(tmp_path, "loop.py", looped, "GL304") == []
    straight = looped.replace("for step in range(3):", "step = 0").replace("\n    ", "\n")
    assert reported_lines(tmp_path, "straight.py", straight, "GL304") == [9]


PARAMETER = """
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from data import load_training_titles

vectorizer = TfidfVectorizer()
model = LogisticRegression().fit(vectorizer.fit_transform(load_training_titles()).toarray(), [0, 1] * 50)


def predict_titles(titles):
    print(model.predict(vectorizer.transform(titles).toarray()))


if __name__ == "__main__":
    titles = {titles}
    predict_titles(titles)
"""


def test_a_transform_of_a_parameter_every_call_gives_a_written_list_is_small(tmp_path):
    text = PARAMETER.replace("{titles}", '["US stocks dip ahead of jobs data", "Predict confidence scores"]')
    assert reported_lines(tmp_path, "predict.py", text, "GL304") == [8]
    read = PARAMETER.replace("{titles}", 'open("titles.txt").read().splitlines()')
    assert reported_lines(tmp_path, "predict_file.py", read, "GL304") == [8, 12]


# ---- GL403: a cleanup command only printed runs nothing ---------------------------------------------

DEPLOY = """
import logging

from sagemaker.sklearn import SKLearnModel

logger = logging.getLogger(__name__)
model = SKLearnModel(model_data="s3://b/model.tar.gz", role="arn:aws:iam::1:role/r", entry_point="inference.py")
predictor = model.deploy(initial_instance_count=1, instance_type="ml.m5.large")
logger.info(f"delete it with: aws sagemaker delete-endpoint --endpoint-name {predictor.endpoint_name}")
{cleanup}
"""


def test_a_cleanup_command_in_a_log_message_is_not_a_cleanup(tmp_path):
    assert reported_lines(tmp_path, "deploy.py", DEPLOY.replace("{cleanup}", ""), "GL403") == [8]


def test_a_cleanup_command_the_file_runs_is_a_cleanup(tmp_path):
    run = ('import subprocess\nsubprocess.run(["aws", "sagemaker", "delete-endpoint", "--endpoint-name",'
           ' predictor.endpoint_name], check=True)')
    assert reported_lines(tmp_path, "deploy_run.py", DEPLOY.replace("{cleanup}", run), "GL403") == []


# ---- GL401: a region given to a scheduler's classes and client ----------------------------------------

SCHEDULER = """
from google.cloud import scheduler_v1

PROJECT = "my-project"
REGION = "us-central1"

client = scheduler_v1.CloudSchedulerClient()
parent = client.common_location_path(PROJECT, REGION)
job = scheduler_v1.Job(name=f"projects/{PROJECT}/locations/{REGION}/jobs/retrain", schedule="0 3 * * *")
client.create_job(parent=parent, job=job)
"""


def test_a_region_only_given_to_a_scheduler_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "schedule.py", SCHEDULER, "GL401") == []


def test_the_same_region_given_to_a_training_job_is_reported(tmp_path):
    training = SCHEDULER + ('\nfrom google.cloud import aiplatform\n'
                            'aiplatform.init(project=PROJECT, location=REGION)\n'
                            'aiplatform.CustomTrainingJob(display_name="t", script_path="train.py", '
                            'container_uri="gcr.io/x").run()\n')
    assert reported_lines(tmp_path, "schedule_and_train.py", training, "GL401") == [5]


# ---- GL201: patience nobody reads, a count read with dict.get, a trainer a helper returns ----------

TORCH_LOOP = """
import torch

model = torch.nn.Linear(10, 1).cuda()
optimizer = torch.optim.Adam(model.parameters())
epochs = 100
patience = 20
best = 0.0

for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        score = sum(float(model(x).mean()) for x, _ in val_loader)
    if score > best:
        best, bad_epochs = score, 0
        torch.save(model.state_dict(), "best.pt")
{stop}
"""


def test_a_patience_that_no_line_reads_stops_nothing(tmp_path):
    commented = TORCH_LOOP.replace("{stop}", "#    elif bad_epochs > patience:\n#        break")
    assert reported_lines(tmp_path, "loop.py", commented, "GL201") == [10]


def test_a_patience_the_loop_reads_stops_the_run(tmp_path):
    live = TORCH_LOOP.replace("{stop}", "    else:\n        bad_epochs += 1\n        if bad_epochs > patience:\n            break")
    assert reported_lines(tmp_path, "loop_stops.py", live, "GL201") == []


def test_an_epoch_count_read_from_a_written_dict_with_get(tmp_path):
    text = ('from tensorflow import keras\n\nparams = {"epoch": 100, "batch": 32}\nmodel = keras.Sequential()\n'
            'model.fit(x, y, epochs=params.get("epoch"), validation_data=(xv, yv))\n'
            'model.fit(x, y, epochs=params.get("epochs", 3), validation_data=(xv, yv))\n')
    assert reported_lines(tmp_path, "fit.py", text, "GL201") == [5]


LIGHTNING = """
import argparse

import pytorch_lightning as pl

from vae import VAE, get_data


def make_trainer(args):
    trainer = pl.Trainer(max_epochs=args.epochs, callbacks={callbacks})
    return trainer


def train(args):
    trainer = make_trainer(args)
    train_loader, val_loader = get_data(args)
    trainer.fit(VAE(), train_loader, val_loader)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", default=80, type=int)
    train(parser.parse_args())
"""


def test_a_trainer_a_helper_returns_is_fitted_where_its_caller_binds_it(tmp_path):
    assert reported_lines(tmp_path, "train_pl.py", LIGHTNING.replace("{callbacks}", "[]"), "GL201") == [10]
    stopping = LIGHTNING.replace("{callbacks}", '[pl.callbacks.EarlyStopping(monitor="val_loss")]')
    assert reported_lines(tmp_path, "train_pl_es.py", stopping, "GL201") == []


# ---- GL401: a Vertex AI default location for requests to an endpoint that exists --------------------

PREDICT = """
from google.cloud import aiplatform

location = "us-central1"
aiplatform.init(project="my-project", location=location)

endpoint = aiplatform.Endpoint("projects/123/locations/us-central1/endpoints/456")
print(endpoint.predict(instances=[{"text": "hello"}]))
"""


def test_a_default_location_for_requests_to_an_existing_endpoint_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "predict.py", PREDICT, "GL401") == []


def test_a_default_location_for_a_deploy_to_that_endpoint_is_reported(tmp_path):
    deploy = PREDICT + 'aiplatform.Model("projects/123/locations/us-central1/models/9").deploy(endpoint=endpoint)\n'
    assert reported_lines(tmp_path, "deploy.py", deploy, "GL401") == [4]


# ---- GL402: a type followed by its description ------------------------------------------------------

ARM = """{
  "$schema": "https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#",
  "parameters": {
    "vmSize": {
      "type": "string",
      "defaultValue": "%s",
      "allowedValues": ["Standard_NC6_Promo (1 Nvidia K80 GPU, 6 vCPU)", "Standard_NC6s_v3 (1 Nvidia V100 GPU, 6 vCPU)"]
    }
  },
  "resources": []
}
"""


def test_a_type_followed_by_its_description_names_the_type(tmp_path):
    legacy = ARM % "Standard_NC6_Promo (1 Nvidia K80 GPU, 6 vCPU)"
    assert reported_lines(tmp_path, "azuredeploy.json", legacy, "GL402") == [6]
    current = ARM % "Standard_NC4as_T4_v3 (1 Nvidia T4 GPU, 4 vCPU)"
    assert 6 not in reported_lines(tmp_path, "azuredeploy_t4.json", current, "GL402")


# ---- GL401: a region every call gives a function is reported at the call -----------------------------

COMPONENT = """
from google.cloud import aiplatform

REGION = "us-central1"


def deploy_model(project_id, location, model_name):
    aiplatform.init(project=project_id, location=location)
    endpoint = aiplatform.Endpoint.create(display_name="serve", project=project_id, location=location)
    aiplatform.Model(model_name=model_name).deploy(endpoint=endpoint, machine_type="n1-standard-4")


def pipeline():
    deploy_model(
        project_id="my-project",
        location={given},
        model_name="churn",
    )
"""


def test_a_region_every_call_gives_is_reported_at_the_call_once(tmp_path):
    assert reported_lines(tmp_path, "pipeline.py", COMPONENT.replace("{given}", '"us-east4"'), "GL401") == [16]
    # a module constant is reported where it is defined, once
    assert reported_lines(tmp_path, "pipeline_const.py", COMPONENT.replace("{given}", "REGION"), "GL401") == [4]


# ---- GL401 (semantic model): a config class another module of the project declares ----------------

def test_a_field_of_an_imported_config_class_is_reported_where_it_is_given(tmp_path):
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "config.py").write_text(
        'import os\nfrom dataclasses import dataclass\n\n\n@dataclass\nclass SageMakerConfig:\n'
        '    aws_region: str = os.getenv("AWS_REGION", "us-east-1")\n    bucket: str = "models"\n')
    (tmp_path / "scripts").mkdir()
    deploy = ('import boto3\n\nfrom utils.config import SageMakerConfig\n\n\n'
              'class Deployer:\n    def __init__(self, config: SageMakerConfig):\n'
              '        self.s3 = boto3.client("s3", region_name=config.aws_region)\n'
              '        self.sm = boto3.client("sagemaker", region_name=config.aws_region)\n\n'
              '    def deploy(self, name):\n        self.sm.create_endpoint(EndpointName=name, EndpointConfigName=name)\n\n\n'
              'if __name__ == "__main__":\n    Deployer(SageMakerConfig()).deploy("churn")\n')
    assert reported_lines(tmp_path, "scripts/deploy.py", deploy, "GL401") == [9]


# ---- GL401 configs: a Spring-style placeholder; a resource group of an all-stores module --------------

def test_a_spring_style_placeholder_is_its_fallback(tmp_path):
    config = ("azure:\n  subscription_id: ${AZURE_SUBSCRIPTION_ID}\n  location: ${AZURE_LOCATION:eastus}\n"
              "deployment:\n  instance_type: Standard_DS3_v2\n  region: ${AZURE_REGION:westus2}\n")
    assert reported_lines(tmp_path, "config.yaml", config, "GL401") == [3]


STATIC_SITE = """
resource "random_string" "suffix" {
  length = 6
}

resource "azurerm_resource_group" "rg" {
  name     = "site-rg"
  location = "East US"
}

resource "azurerm_storage_account" "site" {
  name                     = "site${random_string.suffix.result}"
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = azurerm_resource_group.rg.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
"""


def test_a_resource_group_of_a_module_of_stores_places_data(tmp_path):
    assert reported_lines(tmp_path, "main.tf", STATIC_SITE, "GL401") == []


def test_a_resource_group_of_a_module_that_runs_compute_is_reported(tmp_path):
    compute = STATIC_SITE + ('\nresource "azurerm_linux_virtual_machine" "gpu" {\n  name = "train"\n'
                             '  resource_group_name = azurerm_resource_group.rg.name\n'
                             '  location = azurerm_resource_group.rg.location\n  size = "Standard_NC4as_T4_v3"\n}\n')
    assert reported_lines(tmp_path, "main.tf", compute, "GL401") == [8]


# ---- GL201: a search over one estimator's rounds leaves another's count what it is ------------------

def test_a_search_over_xgboost_rounds_leaves_an_mlp_max_iter_alone(tmp_path):
    text = ("from sklearn.model_selection import GridSearchCV\nfrom sklearn.neural_network import MLPRegressor\n"
            "from xgboost import XGBRegressor\n\n"
            'search = GridSearchCV(XGBRegressor(), {"n_estimators": [100, 400], "max_depth": [3, 6]}).fit(X, y)\n'
            "mlp = MLPRegressor(random_state=1, max_iter=10000).fit(X, y)\n")
    assert reported_lines(tmp_path, "models.py", text, "GL201") == [6]
    searched = text.replace('"n_estimators": [100, 400]', '"max_iter": [200, 1000]')
    assert reported_lines(tmp_path, "models_mlp_search.py", searched, "GL201") == []


# ---- GL304: a returned tuple's part, an absolute value, a loop counter's column -------------------------

def test_a_part_of_a_returned_tuple_and_an_absolute_value_stay_sparse(tmp_path):
    text = ("import numpy as np\nfrom sklearn.feature_extraction.text import TfidfVectorizer\n"
            "from sklearn.linear_model import LogisticRegression\n\n\n"
            "def convert(texts):\n    vectorizer = TfidfVectorizer(max_features=1000)\n"
            "    return vectorizer.fit_transform(texts), vectorizer\n\n\n"
            "tfidf, vectorizer = convert(open('comments.txt'))\n"
            "LogisticRegression().fit(np.array(tfidf.toarray()), labels)\n"
            "gaps = np.abs(tfidf[::2] - tfidf[1::2]).toarray()\nnp.save('gaps.npy', gaps)\n")
    assert reported_lines(tmp_path, "toxic.py", text, "GL304") == [12, 13]


def test_a_column_picked_by_a_loop_counter_is_a_vector(tmp_path):
    text = ("import pandas as pd\nfrom sklearn.feature_extraction.text import TfidfVectorizer\n\n"
            "frame = pd.read_csv('questions.csv')\nencoded = TfidfVectorizer(max_features=32).fit_transform(frame.text)\n"
            "for idx, col in enumerate(['f%d' % i for i in range(32)]):\n    frame[col] = encoded[:, idx].toarray()\n"
            "frame.to_csv('features.csv')\n")
    assert reported_lines(tmp_path, "columns.py", text, "GL304") == []
    whole = text.replace("encoded[:, idx].toarray()", "encoded[:, idx:].toarray()[:, 0]")
    assert reported_lines(tmp_path, "columns_slice.py", whole, "GL304") == [7]


# ---- GL101: a list of one grid; GL304: labels re-encoded before a dense encoder ------------------------

def test_a_list_of_one_grid_with_a_pinned_key_is_a_single_axis(tmp_path):
    text = ("from sklearn import svm\nfrom sklearn.model_selection import GridSearchCV\n\n"
            "grid = [{'kernel': ['rbf'], 'C': [1, 10, 100, 1000]}]\n"
            "GridSearchCV(svm.SVC(), grid, cv=3).fit(X, y)\n")
    assert reported_lines(tmp_path, "svm.py", text, "GL101") == []
    two_axes = text.replace("'kernel': ['rbf']", "'kernel': ['rbf', 'linear']")
    assert reported_lines(tmp_path, "svm_two.py", two_axes, "GL101") == [5]


def test_labels_label_encoded_and_reshaped_before_a_dense_encoder_are_targets(tmp_path):
    text = ("from sklearn.preprocessing import LabelEncoder, OneHotEncoder\n\n\n"
            "def encode(y):\n    integer_encoded = LabelEncoder().fit_transform(y)\n"
            "    integer_encoded = integer_encoded.reshape(len(integer_encoded), 1)\n"
            "    return OneHotEncoder(sparse=False).fit_transform(integer_encoded)\n\n\n"
            "targets = encode(frame['diagnosis'])\nmodel.fit(images, targets, epochs=10)\n")
    assert reported_lines(tmp_path, "targets.py", text, "GL304") == []
    features = text.replace("def encode(y):", "def encode(colours):").replace("fit_transform(y)", "fit_transform(colours)")
    assert reported_lines(tmp_path, "features.py", features, "GL304") == [7]


# ---- GL401: a positional argument's fallback, lookups chained with `or`, an env template --------------

def test_a_positional_arguments_fallback_is_its_value(tmp_path):
    script = ('#!/bin/bash\nPROJECT=${1:-"my-project"}\nREGION=${2:-"us-central1"}\n\n'
              'gcloud run deploy api --source . --project "$PROJECT" --region "${REGION}"\n')
    assert reported_lines(tmp_path, "deploy.sh", script, "GL401") == [3]


def test_environment_lookups_chained_with_or_fall_back_to_the_literal(tmp_path):
    text = ('import os\n\nimport vertexai\nfrom vertexai.generative_models import GenerativeModel\n\n'
            'LOCATION = os.getenv("VERTEX_LOCATION") or os.getenv("GOOGLE_LOCATION") or "us-central1"\n'
            'vertexai.init(project="p", location=LOCATION)\nprint(GenerativeModel("gemini-2.5-pro").generate_content("hi").text)\n')
    assert reported_lines(tmp_path, "gateway.py", text, "GL401") == [6]


def test_an_env_template_without_the_dot_is_a_dotenv_file(tmp_path):
    text = 'VERTEX_PROJECT="p"\nVERTEX_LOCATION="us-central1"\n'
    assert reported_lines(tmp_path, "env.example", text, "GL401") == [2]


# ---- GL304: a dense copy stored as columns of a frame travels with the frame --------------------------

FRAME_COLUMNS = """
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import OneHotEncoder, StandardScaler

X = pd.read_csv("bank.csv")
categorical = X.select_dtypes(include=["object"]).columns
ohe = OneHotEncoder()
encoded = ohe.fit_transform(X[categorical])
X[ohe.get_feature_names_out(categorical)] = encoded.toarray()
X = X.drop(categorical, axis=1)
{scale}
RandomForestClassifier().fit(features, y)
"""


def test_a_dense_copy_stored_in_a_frame_that_is_centred_is_needed(tmp_path):
    text = FRAME_COLUMNS.replace("{scale}", "features = StandardScaler().fit_transform(X)")
    assert reported_lines(tmp_path, "bank.py", text, "GL304") == []


def test_a_dense_copy_stored_in_a_frame_fitted_as_it_is_is_reported(tmp_path):
    text = FRAME_COLUMNS.replace("{scale}", "features = X")
    assert reported_lines(tmp_path, "bank_raw.py", text, "GL304") == [10]


# ---- GL401: a redeploy of the same service is the first deploy's placement ----------------------------

def test_a_second_deploy_of_the_same_service_is_one_placement(tmp_path):
    script = ("#!/bin/bash\ngcloud run deploy api --image gcr.io/p/api:v1 --region us-central1\n"
              "gcloud run deploy api --image gcr.io/p/api:v2 --region us-central1 --memory 2Gi\n"
              "gcloud functions deploy ingest --runtime python311 --region us-central1\n"
              "gcloud functions deploy ingest --runtime python312 --region us-central1\n"
              "gcloud run deploy worker --image gcr.io/p/worker --region us-central1\n")
    assert reported_lines(tmp_path, "deploy.sh", script, "GL401") == [2, 4, 6]


# ---- GL401: a Serverless fallback after several sources; Parameter Store places nothing ---------------

def test_a_serverless_fallback_after_several_sources(tmp_path):
    config = ("service: uploads\nprovider:\n  name: aws\n  runtime: nodejs18.x\n"
              "  region: ${opt:region, env:AWS_REGION, 'eu-central-1'}\nfunctions:\n  sign:\n    handler: handler.sign\n")
    assert reported_lines(tmp_path, "serverless.yml", config, "GL401") == [5]


def test_a_parameter_store_command_places_nothing(tmp_path):
    script = ('#!/bin/bash\naws ssm put-parameter --name /app/key --type SecureString --value "$KEY" --region us-east-1\n'
              "aws lambda create-function --function-name resize --runtime python3.12 --region us-east-1\n")
    assert reported_lines(tmp_path, "push.sh", script, "GL401") == [3]


# ---- semantic model: options read through their dict or a global bound to one ----------------------

OPTIONS = """
import argparse

from google.cloud import aiplatform


def main():
    aiplatform.init(project=PROJECT, location=REGION)
    aiplatform.CustomTrainingJob(display_name="t", script_path="train.py", container_uri="gcr.io/x").run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--region", default="us-central1")
    parser.add_argument("--project", required=True)
    args = {parsed}
    PROJECT = args{project}
    REGION = args{region}
    main()
"""


def test_an_option_default_read_through_a_global_or_the_options_dict_is_reported_where_written(tmp_path):
    plain = OPTIONS.format(parsed="parser.parse_args()", project=".project", region=".region")
    assert reported_lines(tmp_path, "train_attr.py", plain, "GL401") == [14]
    as_dict = OPTIONS.format(parsed="vars(parser.parse_args())", project='["project"]', region='["region"]')
    assert reported_lines(tmp_path, "train_vars.py", as_dict, "GL401") == [14]
    dunder = OPTIONS.format(parsed="parser.parse_args().__dict__", project='["project"]', region='["region"]')
    assert reported_lines(tmp_path, "train_dict.py", dunder, "GL401") == [14]


def test_an_epoch_count_read_through_the_options_dict(tmp_path):
    text = ('import argparse\nfrom tensorflow import keras\n\nparser = argparse.ArgumentParser()\n'
            'parser.add_argument("--epochs", type=int, default=80)\nargs = vars(parser.parse_args())\n'
            'model = keras.Sequential()\nmodel.fit(x, y, epochs=args["epochs"], validation_data=(xv, yv))\n')
    assert reported_lines(tmp_path, "fit.py", text, "GL201") == [8]


# ---- GL303: a checkpoint handed only to a function that reads its weights ---------------------------

WEIGHTS = """
from transformers import AutoModelForCausalLM


def compare_layers(model, other):
    for name in model.state_dict():
        print(name, model.state_dict()[name].size(), other.state_dict()[name].size())


pretrained = AutoModelForCausalLM.from_pretrained("gpt2")
finetuned = AutoModelForCausalLM.from_pretrained("smgriffin/pop-lyrics-generator-v1")
compare_layers(pretrained, finetuned)
{run}
"""


def test_a_checkpoint_only_handed_to_a_weight_reader_is_not_run(tmp_path):
    assert reported_lines(tmp_path, "layers.py", WEIGHTS.replace("{run}", ""), "GL303") == []


def test_the_same_checkpoint_also_run_on_inputs_is_reported(tmp_path):
    run = WEIGHTS.replace("{run}", 'print(pretrained.generate(max_new_tokens=20))')
    assert reported_lines(tmp_path, "layers_run.py", run, "GL303") == [10]


def test_a_job_made_with_a_display_name_is_not_a_retrieved_resource(tmp_path):
    text = ('from google.cloud import aiplatform\n\nREGION = "us-central1"\n'
            'aiplatform.init(project="p", location=REGION)\n'
            'job = aiplatform.CustomTrainingJob(display_name="train", script_path="train.py", container_uri="gcr.io/x")\n'
            'job.delete()\n')
    assert reported_lines(tmp_path, "job.py", text, "GL401") == [3]


# ---- run order: a function that reads the model as a global runs while the name holds it -------------

NOTEBOOK_TRAINING = """
import torch
from transformers import AutoModelForTokenClassification, BertForTokenClassification

model = BertForTokenClassification.from_pretrained("bert-base-uncased")
optimizer = torch.optim.Adam(params=model.parameters(), lr=1e-5)


def train(epoch):
    model.train()
    for batch in training_loader:
        loss = model(input_ids=batch["ids"], labels=batch["targets"]).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


{run}
model.eval()
print(model(input_ids=sample_ids).logits.argmax(-1))
model = AutoModelForTokenClassification.from_pretrained("nielsr/bert-finetuned-ner")
"""


def test_a_model_trained_by_a_function_reading_it_as_a_global_is_trained(tmp_path):
    text = NOTEBOOK_TRAINING.replace("{run}", "for epoch in range(3):\n    train(epoch)")
    assert reported_lines(tmp_path, "ner.py", text, "GL303") == []


def test_the_same_model_never_trained_is_reported(tmp_path):
    text = NOTEBOOK_TRAINING.replace("{run}", "")
    assert reported_lines(tmp_path, "ner_untrained.py", text, "GL303") == [5]
