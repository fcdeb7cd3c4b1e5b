"""Principles found in the twenty-second session (tune false alarms and blind rounds 90-92).
Each test lints small files written here with the real CLI."""
from __future__ import annotations

from test_model_rules_tune2 import cli, reported_lines

# ---- GL303: a model stored whole on an instance is trained with the object -------------------

WRAPPED_IN_A_KERAS_MODEL = """
import numpy as np
import tensorflow as tf
import transformers

BERT = transformers.TFAutoModel.from_pretrained("roberta-base")
print(BERT(np.array([[1, 2, 3]]))[0].shape)


class Classifier(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = {stored}
        self.head = tf.keras.layers.Dense(2)

    def call(self, inputs):
        return self.head(self.encoder(inputs)[1])


x_train, y_train = np.load("x.npy"), np.load("y.npy")
model = Classifier()
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, epochs=3)
"""


def test_a_model_stored_on_the_instance_is_trained_when_the_object_is(tmp_path):
    text = WRAPPED_IN_A_KERAS_MODEL.format(stored="BERT")
    assert reported_lines(tmp_path, "wrapped.py", text, "GL303") == []


def test_what_a_model_computed_stored_on_the_instance_is_not_the_model(tmp_path):
    # `self.encoder = BERT(...)` stores an output: training the object does not train BERT
    text = WRAPPED_IN_A_KERAS_MODEL.format(stored="BERT(np.array([[1, 2, 3]]))")
    assert reported_lines(tmp_path, "output.py", text, "GL303") == [6]


# ---- GL303/GL304: a definition named only inside itself never runs ---------------------------

SELF_NAMED_CLASS = """
import torch
import transformers
from torch import nn

NAME = "bert-base-uncased"


class Embedder(nn.Module):
    def __init__(self, n):
        super(Embedder, self).__init__()
        self.emb = nn.Embedding(n, 8)

    def forward(self, x):
        return self.emb(x)


class BertHead(nn.Module):
    def __init__(self):
        super(BertHead, self).__init__()
        self.bert = transformers.BertModel.from_pretrained(NAME)

    def forward(self, ids):
        return self.bert(ids)


model = Embedder(10)
out = model(torch.zeros(3, dtype=torch.long))
print(model)
print(out.shape)
print(out.sum())
{extra}
"""


def test_a_class_named_only_in_its_own_super_call_never_runs(tmp_path):
    assert reported_lines(tmp_path, "script.py", SELF_NAMED_CLASS.format(extra=""), "GL303") == []


def test_a_class_the_script_constructs_runs(tmp_path):
    text = SELF_NAMED_CLASS.format(extra="head = BertHead()\nprint(head(torch.zeros(1, 4, dtype=torch.long)))")
    assert reported_lines(tmp_path, "script.py", text, "GL303") == [21]


SELF_NAMED_FUNCTION = """
import pandas as pd
from sklearn.linear_model import LogisticRegression


def fit_levels(frame, depth=0):
    if depth > 3:
        return None
    dummies = pd.get_dummies(frame, columns=["city"])
    LogisticRegression().fit(dummies, frame["label"])
    return fit_levels(frame, depth + 1)


def load(path):
    return pd.read_csv(path)


frame = load("train.csv")
print(frame.head())
print(frame.shape)
print(frame.describe())
{extra}
"""


def test_a_function_named_only_in_its_own_recursion_never_runs(tmp_path):
    assert reported_lines(tmp_path, "script.py", SELF_NAMED_FUNCTION.format(extra=""), "GL304") == []


def test_a_recursive_function_the_script_calls_runs(tmp_path):
    text = SELF_NAMED_FUNCTION.format(extra="fit_levels(frame)")
    assert reported_lines(tmp_path, "script.py", text, "GL304") == [9]


# ---- GL303: a load nothing reads in a script runs nothing -----------------------------------

UNREAD_LOAD = """
from transformers import BertModel, BertTokenizer

NAME = "bert-base-uncased"
tokenizer = BertTokenizer.from_pretrained(NAME)
bert_model = BertModel.from_pretrained(NAME)
encoded = tokenizer("hello world", return_tensors="pt")
print(encoded)
print(encoded["input_ids"].shape)
print(tokenizer.decode(encoded["input_ids"][0]))
{extra}
"""


def test_a_model_a_script_loads_and_never_reads_is_not_reported(tmp_path):
    assert reported_lines(tmp_path, "script.py", UNREAD_LOAD.format(extra=""), "GL303") == []


def test_a_model_the_script_runs_is_reported(tmp_path):
    text = UNREAD_LOAD.format(extra="print(bert_model(**encoded).last_hidden_state.shape)")
    assert reported_lines(tmp_path, "script.py", text, "GL303") == [6]


def test_a_module_that_only_binds_a_model_keeps_it_for_its_importers(tmp_path):
    text = 'from transformers import BertModel\n\nbert_model = BertModel.from_pretrained("bert-base-uncased")\n'
    assert reported_lines(tmp_path, "models.py", text, "GL303") == [3]


# ---- GL304: a function that declares a name global centres the module's own copy -------------

GLOBAL_CENTRING = """
import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import StandardScaler
from sklearn.ensemble import RandomForestClassifier

train = pd.read_csv("train.csv")
test = pd.read_csv("test.csv")
vec = DictVectorizer()
trainx = vec.fit_transform(train.to_dict("records")).toarray()
testx = vec.transform(test.to_dict("records")).toarray()


def main():
    {declaration}
    scaler = StandardScaler()
    scaled = scaler.fit_transform(trainx)
    testx = scaler.transform(testx)
    clf = RandomForestClassifier()
    clf.fit(scaled, train["label"])
    print(clf.predict_proba(testx))


main()
"""


def test_a_test_copy_centred_through_a_global_declaration_is_needed_dense(tmp_path):
    text = GLOBAL_CENTRING.format(declaration="global testx")
    assert reported_lines(tmp_path, "script.py", text, "GL304") == []


def test_a_local_of_the_same_name_is_another_copy(tmp_path):
    # without `global`, `testx = scaler.transform(testx)` would fail at run time; the local
    # `testx2` here is another name, so the module's test copy is centred nowhere
    text = GLOBAL_CENTRING.format(declaration="pass").replace("testx = scaler.transform(testx)",
                                                            "testx2 = scaler.transform(trainx[:5])")
    text = text.replace("predict_proba(testx)", "predict_proba(testx2)")
    assert reported_lines(tmp_path, "script.py", text, "GL304") == [11]


# ---- GL401: a Compose service's environment sets where its SDK calls go ----------------------

COMPOSE = """
services:
  tracking:
    build: .
    command: mlflow server --host 0.0.0.0
    environment:
      MLFLOW_ARTIFACT_ROOT: s3://artifacts/mlruns
      AWS_DEFAULT_REGION: us-east-1
  worker:
    image: python:3.11
    environment:
      - AWS_REGION=us-east-1
"""


def test_a_compose_service_environment_is_not_a_placement(tmp_path):
    assert reported_lines(tmp_path, "docker-compose.yml", COMPOSE, "GL401") == []


def test_the_same_keys_outside_a_service_environment_are_read(tmp_path):
    # no service holds them: a deployment's settings map, read as usual
    text = "deployment:\n  environment:\n    AWS_DEFAULT_REGION: us-east-1\n  instance_type: ml.g5.xlarge\n"
    assert reported_lines(tmp_path, "deploy.yml", text, "GL401") == [3]


# ---- GL401: an option's default that is an environment lookup's default ----------------------

OPTION_DEFAULT = """
import argparse
import os

import boto3
import sagemaker
from sagemaker.pytorch import PyTorch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--region", default={default})
    args = parser.parse_args()
    session = sagemaker.Session(boto_session=boto3.Session(region_name=args.region))
    estimator = PyTorch(entry_point="train.py", role="r", instance_type="ml.g5.xlarge", instance_count=1,
                        framework_version="2.1", py_version="py310", sagemaker_session=session)
    estimator.fit({{"training": "s3://b/data/"}})


if __name__ == "__main__":
    main()
"""


def test_an_option_defaulting_to_an_environment_lookup_reports_the_lookups_default(tmp_path):
    text = OPTION_DEFAULT.format(default='os.environ.get("AWS_DEFAULT_REGION", "us-east-1")')
    found = cli_lines_and_columns(tmp_path, text)
    assert found == [(12, 82)]  # the "us-east-1" inside the lookup, where it is written


def test_an_option_defaulting_to_a_lookup_without_a_default_is_not_known(tmp_path):
    text = OPTION_DEFAULT.format(default='os.environ.get("AWS_DEFAULT_REGION")')
    assert cli_lines_and_columns(tmp_path, text) == []


def cli_lines_and_columns(folder, text):
    path = folder / "launch.py"
    path.write_text(text)
    return [(f["line"], f["column"]) for f in cli(path, "GL401")]


# ---- GL401: a region handed to the script a job runs -----------------------------------------

JOB_ARGUMENTS = """
import sagemaker
from sagemaker.processing import ScriptProcessor

REGION = "us-east-1"
role = sagemaker.get_execution_role()
processor = ScriptProcessor(role=role, image_uri="img", command=["python3"], instance_type="ml.m5.xlarge",
                            instance_count=1, sagemaker_session=sagemaker.Session())
processor.run({program}arguments=["--bucket", "data", "--region", REGION], wait=False)
print("started")
print(role)
"""


def test_a_region_given_to_a_jobs_own_script_is_not_where_the_job_runs(tmp_path):
    text = JOB_ARGUMENTS.format(program='code="prep.py", ')
    assert reported_lines(tmp_path, "launch.py", text, "GL401") == []


def test_a_region_in_a_list_of_a_call_that_names_no_program_is_read(tmp_path):
    assert reported_lines(tmp_path, "launch.py", JOB_ARGUMENTS.format(program=""), "GL401") == [5]


VERTEX_JOB_ARGS = """
from google.cloud import aiplatform

LOCATION = "us-central1"
aiplatform.init(project="p", location="us-west1")
job = aiplatform.CustomTrainingJob(display_name="t", script_path="task.py", container_uri="img")
job.run(args=["--location", LOCATION], replica_count=1, machine_type="n1-standard-4")
print(job.resource_name)
print("done")
print("ok")
"""


def test_a_region_in_a_custom_jobs_run_args_is_the_scripts_input(tmp_path):
    assert reported_lines(tmp_path, "vertex.py", VERTEX_JOB_ARGS, "GL401") == []


# ---- shared flow: a parameter stored on the instance is each construction's own argument -------

TWO_BACKBONES = """
import torch
from torch import nn
from torchvision import models


class Head(nn.Module):
    def __init__(self, backbone):
        super(Head, self).__init__()
        self.backbone = backbone
        self.fc = nn.Linear(1000, 2)

    def forward(self, x):
        return self.fc(self.backbone(x))


probe = Head(models.resnet18(weights=None))
print(probe(torch.rand(1, 3, 224, 224)).shape)


def train(loader):
    model = Head(models.resnet18(weights="IMAGENET1K_V1"))
    optimizer = torch.optim.Adam(model.parameters())
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()


train(torch.utils.data.DataLoader(torch.load("data.pt")))
"""


def test_training_one_object_of_a_class_does_not_train_what_another_was_given(tmp_path):
    # the probe's from-scratch resnet18 is only run once; the trained Head holds pre-trained weights
    assert reported_lines(tmp_path, "script.py", TWO_BACKBONES, "GL301") == []


# ---- GL303: a class that a pickle may rebuild runs -------------------------------------------

PICKLED_MODEL = """
import torch
from transformers import BertModel


class Classifier(torch.nn.Module):
    def __init__(self):
        super(Classifier, self).__init__()
        self.bert = BertModel.from_pretrained("bert-base-uncased")
        self.fc = torch.nn.Linear(768, 1)

    def forward(self, ids):
        return self.fc(self.bert(ids)[1])


def show(value):
    print(value)


model = {load}
model.eval()
show(model(torch.zeros(1, 8, dtype=torch.long)))
show("done")
"""


def test_a_class_a_script_unpickles_runs_though_it_names_it_only_inside_itself(tmp_path):
    text = PICKLED_MODEL.format(load='torch.load("model.pth")')
    assert reported_lines(tmp_path, "infer.py", text, "GL303") == [9]


def test_without_an_unpickling_load_the_class_is_never_entered(tmp_path):
    text = PICKLED_MODEL.format(load='torch.jit.load("model.pt")')
    assert reported_lines(tmp_path, "infer.py", text, "GL303") == []


# ---- run order: code an exported notebook runs through a cell magic --------------------------

MAGIC_CELL = '''
from transformers import BertModel, BertTokenizer

NAME = "bert-base-uncased"
tokenizer = BertTokenizer.from_pretrained(NAME)
bert_model = BertModel.from_pretrained(NAME)
encoded = tokenizer("hello world", return_tensors="pt")
print(encoded)
print(encoded["input_ids"].shape)
get_ipython().run_cell_magic("{magic}", "", "output = bert_model(**encoded)\\\\nprint(output)\\\\n")
'''


def test_a_model_read_in_a_time_cell_of_an_exported_notebook_is_read(tmp_path):
    assert reported_lines(tmp_path, "kernel.py", MAGIC_CELL.format(magic="time"), "GL303") == [6]


def test_a_writefile_cell_is_a_file_not_code_the_script_runs(tmp_path):
    assert reported_lines(tmp_path, "kernel.py", MAGIC_CELL.format(magic="writefile"), "GL303") == []


# ---- GL401: a region given to a function of another module of the project ---------------------

HELPER_MODULE = '''
from google.cloud import aiplatform as aip


def run_pipeline(project_id, location, template_path):
    configs = {{"location": location, "template_path": template_path, "display_name": "train"}}
    aip.init(project=project_id, location=location)
    {body}
'''

LAUNCHER = '''
from kfp import dsl
from helpers.pipelines import run_pipeline
{region}
print(dsl)
run_pipeline(project_id="p", location=REGION, template_path="gs://b/pipeline.json")
'''


def _project(folder, body, region='from helpers.settings import REGION'):
    (folder / "helpers").mkdir()
    (folder / "helpers" / "__init__.py").write_text("")
    (folder / "helpers" / "settings.py").write_text('REGION = "us-central1"\n')
    (folder / "helpers" / "pipelines.py").write_text(HELPER_MODULE.format(body=body))
    path = folder / "launch.py"
    path.write_text(LAUNCHER.format(region=region))
    return path


def test_an_imported_region_handed_to_a_project_function_that_places_a_job_is_reported_where_given(tmp_path):
    path = _project(tmp_path, "aip.PipelineJob(**configs).submit()")
    assert [(f["line"], f["column"]) for f in cli(path, "GL401")] == [(6, 39)]


def test_a_project_function_that_only_makes_data_places_nothing(tmp_path):
    path = _project(tmp_path, 'aip.TabularDataset.create(display_name="d", gcs_source="gs://b/d.csv")')
    assert cli(path, "GL401") == []


def test_a_constant_only_handed_to_a_project_function_that_makes_data_places_nothing(tmp_path):
    path = _project(tmp_path, 'aip.TabularDataset.create(display_name="d", gcs_source="gs://b/d.csv")',
                    region='REGION = "us-central1"')
    assert cli(path, "GL401") == []


def test_a_model_read_only_inside_a_function_of_the_notebook_is_read(tmp_path):
    # the model is called by `predict`, which the script runs: a read, though not at top level
    text = UNREAD_LOAD.format(extra="def predict(batch):\n    return bert_model(**batch)\n\n\nprint(predict(encoded))")
    assert reported_lines(tmp_path, "script.py", text, "GL303") == [6]


# ---- GL401: reads of a region constant that place nothing --------------------------------------

BUCKET_SCRIPT = """
import boto3

REGION = "us-east-1"
s3 = boto3.client("s3", region_name=REGION)
cloudfront = boto3.client("cloudfront")


def make_bucket(name):
    if REGION == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={{"LocationConstraint": REGION}})
    cloudfront.create_distribution(DistributionConfig={{"Origins": [{{"DomainName": f"{{name}}.s3.{{REGION}}.amazonaws.com"}}]}})
    {extra}
"""


def test_a_comparison_a_stores_settings_and_an_address_place_nothing(tmp_path):
    assert reported_lines(tmp_path, "deploy.py", BUCKET_SCRIPT.format(extra=""), "GL401") == []


def test_the_same_constant_given_to_a_compute_client_is_reported(tmp_path):
    text = BUCKET_SCRIPT.format(extra='boto3.client("sagemaker", region_name=REGION).create_training_job(TrainingJobName=name)')
    assert reported_lines(tmp_path, "deploy.py", text, "GL401") == [4]


# ---- GL301: a factory's architecture is its name argument ------------------------------------

TIMM_BRANCHES = """
import argparse
import timm
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--arch", default="convnext")
args = parser.parse_args()
if args.arch == "resnet50":
    model = timm.create_model("resnet50", pretrained=False, num_classes=9)
elif args.arch == "swin":
    model = timm.create_model({other}, pretrained={other_weights}, num_classes=9)
else:
    model = timm.create_model("convnext_tiny", pretrained=True, num_classes=9)
optimizer = torch.optim.Adam(model.parameters())
for x, y in torch.load("train.pt"):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
"""


def test_architecture_branches_of_one_factory_are_configurations(tmp_path):
    text = TIMM_BRANCHES.format(other='"swin_base_patch4_window7_224"', other_weights="False")
    assert reported_lines(tmp_path, "train.py", text, "GL301") == [10, 12]


def test_a_weights_switch_of_one_factory_architecture_is_decided_by_the_default(tmp_path):
    # the default run takes the branch that builds resnet50 with weights: the switch is the weights alone
    text = TIMM_BRANCHES.format(other='"resnet50"', other_weights="True").replace('default="convnext"', 'default="swin"')
    assert reported_lines(tmp_path, "train.py", text, "GL301") == []


# ---- GL303: training in an exported notebook's %%time cell ------------------------------------

TIME_CELL_TRAINING = '''
import torch
from transformers import BertModel


class Classifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bert = BertModel.from_pretrained("bert-base-uncased")
        self.out = torch.nn.Linear(768, 2)


def train_epoch(model, loader, optimizer):
    for batch in loader:
        optimizer.zero_grad()


model = Classifier()
optimizer = torch.optim.AdamW(model.parameters())
loader = torch.load("batches.pt")
get_ipython().run_cell_magic("time", "", "{body}")
'''


def test_a_model_a_time_cell_trains_is_not_loaded_for_inference(tmp_path):
    text = TIME_CELL_TRAINING.format(body="for epoch in range(3):\\\\n    train_epoch(model, loader, optimizer)\\\\n")
    assert reported_lines(tmp_path, "kernel.py", text, "GL303") == []


def test_a_time_cell_that_only_shows_the_model_trains_nothing(tmp_path):
    text = TIME_CELL_TRAINING.format(body="print(model)\\\\n")
    assert reported_lines(tmp_path, "kernel.py", text, "GL303") == [9]


# ---- GL401: a dev container's environment; gcloud export and import ----------------------------

def test_a_dev_containers_environment_is_not_a_placement(tmp_path):
    folder = tmp_path / ".devcontainer"
    folder.mkdir()
    text = '{\n  "build": {"dockerfile": "Dockerfile"},\n  "remoteEnv": {\n    "AWS_REGION": "us-east-1"\n  }\n}\n'
    assert reported_lines(folder, "devcontainer.json", text, "GL401") == []
    # the same map in a settings file that runs no container is read as usual
    settings = text.replace('"build": {"dockerfile": "Dockerfile"},', '"name": "tools",')
    assert reported_lines(tmp_path, "settings.json", settings, "GL401") == [4]


WORKFLOW_TEMPLATES = """\
#!/bin/bash
gcloud dataproc workflow-templates export nightly --destination=template.yaml --region=us-central1
gcloud dataproc workflow-templates import nightly --source=template2.yaml --region=us-central1
gcloud dataproc workflow-templates instantiate nightly --region=us-central1
"""


def test_an_export_writes_a_file_and_an_import_makes_what_instantiate_runs(tmp_path):
    # export places nothing; import makes the template, and instantiating it is that placement, once
    assert reported_lines(tmp_path, "run.sh", WORKFLOW_TEMPLATES, "GL401") == [3]


# ---- run order: a cell that does not parse may read what the rest binds ------------------------

BROKEN_CELL_EXPORT = """
# coding: utf-8

# In[1]:

from transformers import BertModel, BertTokenizer
NAME = "bert-base-uncased"
tokenizer = BertTokenizer.from_pretrained(NAME)
bert_model = BertModel.from_pretrained(NAME)
encoded = tokenizer("hello", return_tensors="pt")
print(encoded)
print(encoded["input_ids"].shape)
print(NAME)

# In[2]:

{cell}
"""


def test_a_model_an_unparsable_cell_may_read_is_not_never_read(tmp_path):
    text = BROKEN_CELL_EXPORT.format(cell="output = bert_model(**encoded))")  # a stray parenthesis: a GL000
    assert reported_lines(tmp_path, "kernel.py", text, "GL303") == [9]


def test_a_cell_that_parses_and_reads_other_things_leaves_the_model_unread(tmp_path):
    text = BROKEN_CELL_EXPORT.format(cell="output = tokenizer.decode(encoded['input_ids'][0])")
    assert reported_lines(tmp_path, "kernel.py", text, "GL303") == []


def test_training_words_in_an_unparsable_cell_do_not_train_the_model(tmp_path):
    # an unparsable cell is a possible read, not training: only a cell magic's Python is read for that
    text = BROKEN_CELL_EXPORT.format(cell="train_epoch(bert_model, loader))")
    assert reported_lines(tmp_path, "kernel.py", text, "GL303") == [9]


def test_boto3s_region_name_is_a_region_key_in_a_config_file(tmp_path):
    text = '{\n  "region_name": "us-east-1",\n  "instance_type": "ml.g5.12xlarge"\n}\n'
    assert reported_lines(tmp_path, "configs.json", text, "GL401") == [2]
