"""Principles found in the nineteenth session (round 47 of tune labels). Each test lints small
files written here with the real CLI or the real engine."""
from __future__ import annotations

import json

from test_model_rules_tune2 import cli, lint, reported_lines

# ---- GL101: what the body does with a loop's value decides, not its name ----------------------

INDEX_NAMED_GRID = """
from sklearn.ensemble import RandomForestClassifier

estimators = [100, 200, 500, 1000, 1500]
depths = [5, 10]
for i in estimators:
    for j in depths:
        clf = RandomForestClassifier({keywords})
        clf.fit(X, y)
"""


def test_index_named_loops_passed_as_hyper_parameters_are_a_grid():
    found = lint(INDEX_NAMED_GRID.format(keywords="n_estimators=i, max_depth=j"), "GL101")
    assert [f.line for f in found] == [6] and "5 x 2" in found[0].message


def test_index_named_loops_passed_as_seed_and_jobs_are_not_a_grid():
    assert lint(INDEX_NAMED_GRID.format(keywords="random_state=i, n_jobs=j"), "GL101") == []


CLUSTER_GRID = """
from sklearn.cluster import DBSCAN
from sklearn.metrics import davies_bouldin_score

scores = {}
for min_samples in range(2, 20):
    for i in range(1, 50):
        labels = DBSCAN(eps=i * 0.05, min_samples=min_samples).%s(X)
        scores[(min_samples, i)] = davies_bouldin_score(X, labels)
"""


def test_a_clusterer_fitted_by_fit_predict_over_two_ranges_is_a_grid(tmp_path):
    assert reported_lines(tmp_path, "cluster.py", CLUSTER_GRID % "fit_predict", "GL101") == [6]


def test_a_range_only_used_to_index_is_not_an_axis():
    source = CLUSTER_GRID.replace("eps=i * 0.05", "eps=0.5").replace("(X)", "(X[i])") % "fit_predict"
    assert lint(source, "GL101") == []


# ---- GL301: a function runs only through its calls ---------------------------------------------

SWITCHED_TRAINING = """
import torch
import torchvision

run_training = {flag}
model = torchvision.models.resnet18(pretrained=False)


def train_loop(model, optimizer, epochs=3):
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()


optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
if run_training:
    train_loop(model, optimizer)
"""


def test_training_function_called_only_under_a_false_constant_never_runs(tmp_path):
    assert reported_lines(tmp_path, "kernel.py", SWITCHED_TRAINING.format(flag="False"), "GL301") == []


def test_training_function_called_under_a_true_constant_is_reported(tmp_path):
    assert reported_lines(tmp_path, "kernel.py", SWITCHED_TRAINING.format(flag="True"), "GL301") == [6]


def test_a_function_also_passed_as_a_callback_may_run_whatever_its_calls_say(tmp_path):
    source = SWITCHED_TRAINING.format(flag="False") + "\ncallbacks = [train_loop]\n"
    assert reported_lines(tmp_path, "kernel.py", source, "GL301") == [6]


# ---- GL303: a model nothing reads, and a list that already offers the alternative --------------

def test_a_loaded_model_that_nothing_reads_before_the_name_is_reused_never_runs():
    source = """
        from transformers import AutoModel

        model = AutoModel.from_pretrained("roberta-base")
        for name in checkpoints:
            model = AutoModel.from_pretrained(name)
            del model
    """
    assert lint(source, "GL303") == []


def test_a_loaded_model_read_by_another_module_is_still_reported():
    source = """
        from transformers import AutoModel

        model = AutoModel.from_pretrained("roberta-base")
    """
    assert [f.line for f in lint(source, "GL303")] == [4]


def test_a_model_list_that_names_the_alternative_too_is_a_catalogue(tmp_path):
    models = [{"model_name": "resnet-18", "handler": "image_classifier"},
              {"model_name": "bert-base-uncased", "handler": "text"},
              {"model_name": "distilbert-base-uncased", "handler": "text"}]
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(models, indent=1))
    assert cli(path, "GL303") == []
    path.write_text(json.dumps(models[:2], indent=1))
    assert [f["line"] for f in cli(path, "GL303")] == [7]


# ---- GL304: a pipeline that centres -------------------------------------------------------------

CENTRED_BY_A_PIPELINE = """
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import {scaler}

frame = pd.get_dummies(pd.read_csv("houses.csv"))
prepare = make_pipeline(SimpleImputer(), {scaler}())
prepare.fit(frame)
LinearRegression().fit(prepare.transform(frame), target)
"""


def test_dummies_centred_by_a_pipeline_inside_the_fit_are_dense_anyway(tmp_path):
    source = CENTRED_BY_A_PIPELINE.format(scaler="StandardScaler")
    assert reported_lines(tmp_path, "houses.py", source, "GL304") == []


def test_dummies_scaled_by_a_pipeline_that_keeps_zeros_are_reported(tmp_path):
    source = CENTRED_BY_A_PIPELINE.format(scaler="MaxAbsScaler")
    assert reported_lines(tmp_path, "houses.py", source, "GL304") == [8]


# ---- GL401: queues and a default nothing uses ---------------------------------------------------

def test_a_region_that_only_names_a_task_queue_places_nothing(tmp_path):
    source = """from google.cloud import tasks_v2

client = tasks_v2.CloudTasksClient()
location = "europe-west3"
parent = client.queue_path("my-project", location, "jobs")
client.create_task(parent=parent, task={"http_request": {"url": "https://service.run.app"}})
"""
    assert reported_lines(tmp_path, "enqueue.py", source, "GL401") == []


def _notebook(tmp_path, cells):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c}
                    for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "analysis.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return cli(path, "GL401")


def test_a_notebook_default_location_that_no_call_uses_places_nothing(tmp_path):
    cells = ['import vertexai\nREGION = "us-central1"\nvertexai.init(project="p", location=REGION)',
             'from google.cloud import bigquery\nrows = bigquery.Client(location="US").query("SELECT 1").result()']
    assert _notebook(tmp_path, cells) == []


def test_a_notebook_default_location_that_a_model_call_uses_is_reported(tmp_path):
    cells = ['import vertexai\nREGION = "us-central1"\nvertexai.init(project="p", location=REGION)',
             'from vertexai.generative_models import GenerativeModel\n'
             'answer = GenerativeModel("gemini-1.5-flash").generate_content("hello")']
    assert [f["cell"] for f in _notebook(tmp_path, cells)] == [1]


# ---- GL401: orchestrators' cloud operators (round 48) -------------------------------------------

AIRFLOW_DAG = """from airflow import DAG
from airflow.contrib.operators.mlengine_operator import MLEngineTrainingOperator
from airflow.providers.google.cloud.operators.gcs import GCSCreateBucketOperator

REGION = "us-central1"

with DAG("taxi") as dag:
    bucket = GCSCreateBucketOperator(task_id="bucket", bucket_name="runs", location="us-east1")
    {train}
"""


def test_an_airflow_training_operator_places_the_job_where_its_region_says(tmp_path):
    dag = AIRFLOW_DAG.format(train='train = MLEngineTrainingOperator(task_id="t", project_id="p", job_id="j", '
                                   'region=REGION, training_python_module="trainer.task")')
    assert reported_lines(tmp_path, "dag.py", dag, "GL401") == [5]


def test_an_airflow_operator_named_by_a_data_word_places_no_compute(tmp_path):
    assert reported_lines(tmp_path, "dag.py", AIRFLOW_DAG.format(train="pass"), "GL401") == []


def test_a_region_spelled_into_a_database_connection_name_places_nothing(tmp_path):
    source = """import vertexai
from google.cloud.sql.connector import Connector

region = "us-central1"
vertexai.init(project="p", location="us-west1")


async def create_table():
    async with Connector() as connector:
        return await connector.connect_async(f"p:{region}:vectors", "asyncpg", user="u")
"""
    assert reported_lines(tmp_path, "store.py", source, "GL401") == []
    given_to_a_job = source + '\nvertexai.init(project="p", location=region)\n'
    assert reported_lines(tmp_path, "store.py", given_to_a_job, "GL401") == [4]


# ---- Flow: module-level statements run in order -------------------------------------------------

TRAIN_THEN_TEST_DUMMIES = """
import pandas as pd
from sklearn.ensemble import RandomForestRegressor

train, test = pd.read_csv("train.csv"), pd.read_csv("test.csv")
season = pd.get_dummies(train["season"], prefix="season")
train = pd.concat([train, season], axis=1)
season = pd.get_dummies(test["season"], prefix="season")
test = pd.concat([test, season], axis=1)
weather = pd.get_dummies(train["weather"], prefix="weather")
train = pd.concat([train, weather], axis=1)
weather = pd.get_dummies(test["weather"], prefix="weather")
test = pd.concat([test, weather], axis=1)
model = RandomForestRegressor().fit(train.drop(columns=["count"]), train["count"])
predictions = model.predict(test)
"""


def test_a_statement_that_ran_before_a_name_was_rebound_does_not_carry_its_new_value(tmp_path):
    """The test set's season dummies reach `test`, then `weather` (line 12); `train = concat([train,
    weather])` ran before that (line 11), so they never reach the fit: only `predict`."""
    assert reported_lines(tmp_path, "bikes.py", TRAIN_THEN_TEST_DUMMIES, "GL304") == [6, 10]


def test_statements_in_a_loop_may_run_in_any_order(tmp_path):
    lines = TRAIN_THEN_TEST_DUMMIES.splitlines()
    looped = "\n".join(lines[:5] + ["for _ in range(2):"] + ["    " + line for line in lines[5:13]] + lines[13:]) + "\n"
    assert reported_lines(tmp_path, "bikes.py", looped, "GL304") == [7, 9, 11, 13]


# ---- Round 49: branches the code's own values decide; labels are not values --------------------

SEARCH_BY_ARGUMENT = """
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV


def build(train, cvtype):
    params = {"n_estimators": [100, 200, 500], "max_depth": [4, 8, 16]}
    if cvtype == "grid":
        search = GridSearchCV(RandomForestClassifier(), params, cv=5)
    else:
        search = RandomizedSearchCV(RandomForestClassifier(), params, n_iter=5, cv=5)
    return search.fit(train.drop(columns="y"), train.y)


model = build(frame, "%s")
"""


def test_a_grid_search_in_a_branch_no_call_takes_never_runs(tmp_path):
    assert reported_lines(tmp_path, "credit.py", SEARCH_BY_ARGUMENT % "rand", "GL101") == []
    assert reported_lines(tmp_path, "credit.py", SEARCH_BY_ARGUMENT % "grid", "GL101") == [9]


WEIGHTS_BY_ARGUMENT = """
from tensorflow.keras.applications import DenseNet121


def train(weights=None, epochs=10):
    net = DenseNet121(weights=None, include_top=False, input_shape=(224, 224, 3))
    if weights is not None:
        net.load_weights(weights)
    net.compile(optimizer="adam", loss="mse")
    net.fit(x_train, y_train, epochs=epochs)
    return net


model = train(%s)
"""


def test_a_weights_load_every_call_asks_for_is_unconditional(tmp_path):
    given = WEIGHTS_BY_ARGUMENT % 'weights="densenet121-imagenet-notop.h5"'
    assert reported_lines(tmp_path, "retina.py", given, "GL301") == []
    assert reported_lines(tmp_path, "retina.py", WEIGHTS_BY_ARGUMENT % "", "GL301") == [6]


def test_a_frame_whose_columns_alone_are_read_does_not_carry_its_dummies(tmp_path):
    source = """
import pandas as pd
from sklearn.svm import SVR

train = pd.get_dummies(pd.read_csv("train.csv"), columns=["X0", "X1"])
test = pd.get_dummies(pd.read_csv("test.csv"), columns=["X0", "X1"])
shared = train.columns.intersection(test.columns).tolist()
train = train[shared]
test = test[shared]
model = SVR().fit(train.drop(columns="y"), train.y)
predictions = model.predict(test)
"""
    assert reported_lines(tmp_path, "mercedes.py", source, "GL304") == [5]


def test_a_hardware_local_that_nothing_reads_chooses_nothing(tmp_path):
    source = """from googleapiclient import discovery


def create_instance(zone):
    gpu_type = "nvidia-tesla-p100"
    config = {"machineType": f"zones/{zone}/machineTypes/n1-standard-1"}
    return discovery.build("compute", "v1").instances().insert(project="p", zone=zone, body=config).execute()


def create_gpu_instance(zone):
    gpu_type = "nvidia-tesla-p100"
    config = {"guestAccelerators": [{"acceleratorType": f"zones/{zone}/acceleratorTypes/{gpu_type}"}]}
    return discovery.build("compute", "v1").instances().insert(project="p", zone=zone, body=config).execute()
"""
    assert reported_lines(tmp_path, "vm.py", source, "GL402") == [11]


# ---- Round 50: a conditional expression the code's values decide --------------------------------

def test_validation_data_that_a_false_switch_turns_into_none_is_no_validation(tmp_path):
    source = """from tensorflow import keras

SPLIT_VALIDATION = %s
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, y_train, epochs=100, validation_data=(x_val, y_val) if SPLIT_VALIDATION else None)
"""
    assert reported_lines(tmp_path, "leaves.py", source % "False", "GL201") == []
    assert reported_lines(tmp_path, "leaves.py", source % "True", "GL201") == [6]


OPTIONS_OBJECT = """from tensorflow.keras.applications import DenseNet201, MobileNet


class Args:
    def __init__(self):
        self.model_name = "%s"
        self.epoch = 15


def create_model(model_name):
    if model_name.lower() == "mobilenet":
        model = MobileNet(weights=None, classes=340)
    else:
        model = DenseNet201(weights="imagenet", include_top=False)
    return model


def train(args):
    model = create_model(args.model_name)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x, y, epochs=args.epoch)
    return model


def main():
    args = Args()
    return train(args)


if __name__ == "__main__":
    main()
"""


def test_a_branch_an_options_object_of_the_file_rules_out_never_runs(tmp_path):
    assert reported_lines(tmp_path, "doodle.py", OPTIONS_OBJECT % "densenet201", "GL301") == []
    assert reported_lines(tmp_path, "doodle.py", OPTIONS_OBJECT % "mobilenet", "GL301") == [12]
    changed = (OPTIONS_OBJECT % "densenet201").replace("    args = Args()\n", "    args = Args()\n    args.model_name = pick()\n")
    assert reported_lines(tmp_path, "doodle.py", changed, "GL301") == [12]


GENAI_CLIENT = """from google.genai import Client

PROJECT = "vtxdemos"
LOCATION = "us-central1"


def manage():
    client = Client(vertexai=True, project=PROJECT, location=LOCATION)
    print(f"Agent engines in {PROJECT}/{LOCATION}:")
    for engine in client.agent_engines.%s:
        print(engine.display_name)
"""


def test_a_client_whose_services_are_only_listed_places_nothing(tmp_path):
    assert reported_lines(tmp_path, "manage.py", GENAI_CLIENT % "list()", "GL401") == []
    assert reported_lines(tmp_path, "manage.py", GENAI_CLIENT % "create(agent=app)", "GL401") == [4]


# ---- Round 51: a constant from a star import of a project module ---------------------------------

def test_a_region_star_imported_from_a_project_module_is_reported_where_it_places_a_job(tmp_path):
    (tmp_path / "_env_gaic.py").write_text('PROJECT_ID = "p"\nREGION = "us-central1"\n')
    cells = ["from _env_gaic import *\nfrom google.cloud import aiplatform",
             "aiplatform.init(project=PROJECT_ID, location=REGION)",
             "job = aiplatform.PipelineJob(display_name='d', template_path='pipeline.yaml')\njob.run()"]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c}
                    for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "pipeline.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert [f["cell"] for f in cli(path, "GL401")] == [2]
    (tmp_path / "_env_gaic.py").write_text('PROJECT_ID = "p"\nREGION = "us-west1"\n')
    assert cli(path, "GL401") == []
