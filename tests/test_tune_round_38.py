"""Principles found in the sixteenth session (round 38 of tune labels). Each test lints a small
file written here with the real engine."""
from __future__ import annotations

import json

from test_model_rules_tune2 import cli, lint, reported_lines  # the real CLI on a real file; the real engine on a string

WEIGHTS_SWITCH = """
    import argparse
    import tensorflow as tf

    parser = argparse.ArgumentParser()
    parser.add_argument("--pretrained", action="store_true")
    args = parser.parse_args()

    def main():
        weights = None
        if args.pretrained:
            weights = "imagenet"
        base = tf.keras.applications.MobileNetV2(weights=weights)
        model = tf.keras.Model(base.input, tf.keras.layers.Dense(10)(base.layers[-2].output))
        model.compile(optimizer="sgd", loss="categorical_crossentropy")
        model.fit(train_ds, epochs=30)

    main()
    """


def test_a_weights_name_that_an_option_switches_is_read_in_the_default_run():
    assert [f.line for f in lint(WEIGHTS_SWITCH, "GL301")] == [13]


def test_the_same_switch_whose_default_loads_the_weights_is_not_reported():
    on_by_default = WEIGHTS_SWITCH.replace('action="store_true"', 'type=int, default=1')
    assert lint(on_by_default, "GL301") == []
    from_scratch_flag = WEIGHTS_SWITCH.replace("--pretrained", "--scratch").replace(
        'weights = None\n        if args.pretrained:\n            weights = "imagenet"',
        'weights = "imagenet"\n        if args.scratch:\n            weights = None')
    assert "if args.scratch:" in from_scratch_flag
    assert lint(from_scratch_flag, "GL301") == []


# ---- GL401: a script that exports an SDK's region variable places the programs it runs -----------

START_SCRIPT = """#!/bin/bash
set -e
export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
source venv/bin/activate
python app.py --port 8080
"""


def test_an_exported_sdk_region_is_where_the_programs_the_script_runs_call_the_cloud(tmp_path):
    script = tmp_path / "start.sh"
    script.write_text(START_SCRIPT)
    assert [f["line"] for f in cli(script, "GL401")] == [3]  # two variables, one placement


def test_a_script_that_runs_only_tools_and_data_commands_places_nothing(tmp_path):
    script = tmp_path / "sync.sh"
    script.write_text(START_SCRIPT.replace("python app.py --port 8080", "aws s3 sync out/ s3://bucket/out\npytest -q"))
    assert cli(script, "GL401") == []


def test_a_region_variable_the_script_does_not_export_reaches_no_program(tmp_path):
    script = tmp_path / "start.sh"
    script.write_text(START_SCRIPT.replace("export ", ""))
    assert cli(script, "GL401") == []


# ---- GL401: a script's region constant that nothing reads is not where its SDK calls run ---------

RAG_SCRIPT = """
    import os
    import vertexai

    LOCATION = os.getenv("LOCATION", "us-central1")

    class Pipeline:
        def __init__(self, project, location):
            vertexai.init(project=project, location=location)

    Pipeline(os.getenv("PROJECT"), os.getenv("GCP_LOCATION"))
    """


def test_a_constant_nothing_reads_beside_calls_given_other_values_is_left_over():
    assert lint(RAG_SCRIPT, "GL401") == []


def test_the_same_constant_read_by_the_call_is_the_placement():
    read = RAG_SCRIPT.replace('os.getenv("GCP_LOCATION")', "LOCATION")
    assert [f.line for f in lint(read, "GL401")] == [5]


def test_a_config_module_whose_constant_other_files_import_places_nothing_itself():
    """The module that only writes a region places nothing; its importers are reported where they
    give it to a placing call (session 28: the docs' reading, and no labelled placement lost)."""
    config = """
        import boto3

        REGION = "us-east-1"
        SESSION_NAME = "training"
        """
    assert [f.line for f in lint(config, "GL401")] == []


# ---- GL401: what an API returned, or a recorded call, describes regions; it places nothing --------


def test_an_sdks_documented_examples_place_nothing(tmp_path):
    examples = {"version": "1.0", "examples": {
        "DescribeRegions": [{"output": {"Regions": [{"RegionName": "us-east-1"}, {"RegionName": "eu-west-1"}]},
                             "id": "describe-regions-1"}],
        "CreateVolume": [{"input": {"AvailabilityZone": "us-east-1a", "Size": 80},
                          "output": {"AvailabilityZone": "us-east-1a", "State": "creating"}}]}}
    path = tmp_path / "examples-1.json"
    path.write_text(json.dumps(examples, indent=2))
    assert cli(path, "GL401") == []


def test_a_job_config_beside_those_keys_is_still_a_placement(tmp_path):
    job = {"TrainingJobName": "bert", "Region": "us-east-1", "OutputDataConfig": {"S3OutputPath": "s3://b/out"}}
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, indent=2))
    assert [f["line"] for f in cli(path, "GL401")] == [3]


def test_a_terraform_output_reports_a_region_it_does_not_place(tmp_path):
    path = tmp_path / "outputs.tf"
    path.write_text('output "region" {\n  value = "us-east-1"\n}\n')
    assert cli(path, "GL401") == []


# ---- GL401: a %%bash cell's own assignment is what its `$REGION` reads -----------------------------

def _write_notebook(path, *cells: str) -> None:
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                           "source": cell.splitlines(keepends=True)} for cell in cells],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1))


SETUP_CELL = 'import os\nREGION = "us-central1"\nos.environ["REGION"] = REGION\n'
SERVE_CELL = "%%bash\nMODEL=taxifare\nREGION=us-east1\ngcloud ai-platform models create --regions=$REGION $MODEL\n"


def test_a_bash_cells_own_assignment_shadows_the_notebooks_constant(tmp_path):
    path = tmp_path / "serve.ipynb"
    _write_notebook(path, SETUP_CELL, SERVE_CELL)
    assert [(f["cell"], f["cell_line"]) for f in cli(path, "GL401")] == [(2, 3)]


def test_without_its_own_assignment_the_cell_reads_the_exported_constant(tmp_path):
    path = tmp_path / "serve.ipynb"
    _write_notebook(path, SETUP_CELL, SERVE_CELL.replace("REGION=us-east1\n", ""))
    assert [(f["cell"], f["cell_line"]) for f in cli(path, "GL401")] == [(1, 2)]


# ---- GL304 (round 40): targets, spot-check lists, stacked tensors, where a chained call is --------

def test_an_encoder_an_instance_holds_for_its_labels_encodes_targets():
    source = """
        import numpy as np
        from sklearn.preprocessing import OneHotEncoder

        class Sequence:
            def __init__(self, df):
                self.label_encoder = OneHotEncoder(sparse=False, dtype=np.float32)
                _y = np.reshape(df["diagnosis"].values, (-1, 1))
                self.y = self.label_encoder.fit_transform(_y)
        """
    assert lint(source, "GL304") == []
    features = source.replace('df["diagnosis"]', 'df["colour"]').replace("_y", "colours")
    assert [f.line for f in lint(features, "GL304")] == [7]


def test_a_dense_copy_bound_to_the_labels_is_one_hot_targets():
    source = """
        from sklearn.preprocessing import OneHotEncoder

        oh = OneHotEncoder().fit(df.Score.to_numpy().reshape(-1, 1))
        y = oh.transform(df.Score.to_numpy().reshape(-1, 1)).toarray()
        model.fit(X, y, epochs=20)
        """
    assert lint(source, "GL304") == []
    assert [f.line for f in lint(source.replace("y = oh", "X_cat = oh"), "GL304")] == [5]


def test_dummies_in_a_file_that_spot_checks_a_dense_only_estimator_are_required():
    source = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import GaussianNB
        from sklearn.model_selection import cross_val_score

        X = pd.get_dummies(df[["team", "position"]])
        LogisticRegression().fit(X, y)
        models = [("LR", LogisticRegression()), ("NB", GaussianNB())]
        for name, model in models:
            print(name, cross_val_score(model, X, y).mean())
        """
    assert lint(source, "GL304") == []
    alone = source.replace(', ("NB", GaussianNB())', "").replace("        from sklearn.naive_bayes import GaussianNB\n", "")
    assert [f.line for f in lint(alone, "GL304")] == [6]


def test_dense_slices_stacked_into_a_tensor_are_what_the_network_reads():
    source = """
        import numpy as np

        def encode(rows, onehot):
            return np.array([onehot.transform(row.reshape(-1, 1)).toarray() for row in rows])
        """
    stacked = "from sklearn.preprocessing import OneHotEncoder\n" + source
    assert lint(stacked, "GL304") == []


def test_a_method_on_a_receiver_that_spans_lines_is_pointed_at_by_its_name():
    source = """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer()
        X = (
            vectorizer.fit_transform(
                corpus,
            )
            .toarray()
        )
        LogisticRegression().fit(X, y)
        """
    [finding] = lint(source, "GL304")
    assert (finding.line, finding.column) == (10, 6)  # `toarray`, after the dot


# ---- GL201: a name that holds a number is a label, not validation data -----------------------------

def test_a_gans_real_label_bound_to_a_number_above_the_loop_is_no_validation():
    source = """
        import torch

        valid = 1
        fake = 0
        for epoch in range(200):
            for batch in loader:
                optimizer.zero_grad()
                loss = D.compute_loss(G(batch), valid) + D.compute_loss(batch, fake)
                loss.backward()
                optimizer.step()
        """
    assert lint(source, "GL201") == []
    validation = source.replace("valid = 1\n", "valid = DataLoader(val_set)\n")
    assert [f.line for f in lint(validation, "GL201")] == [6]


# ---- Semantic model: code after an early return the values shown take never runs ------------------

LR_TEST_FIRST = """
    import torch

    def main(run_lr_test=False):
        if run_lr_test:
            find_lr(model, train_loader)
            return
        for epoch in range(30):
            for x, y in train_loader:
                loss = criterion(model(x), y)
                loss.backward()
                optimizer.step()
            evaluate(model, val_loader)

    main(run_lr_test=True)
    """


def test_a_loop_after_a_return_that_every_call_takes_never_runs():
    assert lint(LR_TEST_FIRST, "GL201") == []


def test_the_same_loop_runs_when_a_call_skips_the_return():
    assert [f.line for f in lint(LR_TEST_FIRST.replace("run_lr_test=True)", "run_lr_test=False)"), "GL201")] == [8]


def test_a_cell_that_passes_the_exported_constant_on_reads_the_constant(tmp_path):
    path = tmp_path / "serve.ipynb"
    _write_notebook(path, SETUP_CELL, SERVE_CELL.replace("REGION=us-east1", "REGION=${REGION}"))
    assert [(f["cell"], f["cell_line"]) for f in cli(path, "GL401")] == [(1, 2)]


# ---- GL401: one region under several keys of one map, or several settings of one module -----------

def test_one_region_under_two_keys_of_one_map_is_one_placement_unless_a_key_names_a_product(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("deploy:\n  region: us-central1\n  gcp_region: us-central1\n  cloud_run_region: us-central1\n"
                    "---\nregion: us-central1\n")
    # the product's own key is its own placement; the second document is another placement
    assert [f["line"] for f in cli(path, "GL401")] == [2, 4, 6]


def test_one_region_as_two_variable_defaults_of_one_module_is_one_placement(tmp_path):
    path = tmp_path / "variables.tf"
    path.write_text('variable "region" {\n  default = "us-east-1"\n}\n\nvariable "aws_region" {\n'
                    '  default = "us-east-1"\n}\n\nvariable "training_region" {\n  default = "eu-west-1"\n}\n')
    assert [f["line"] for f in cli(path, "GL401")] == [2, 10]


def test_cross_val_score_fits_the_estimator_it_is_given():
    source = """
        import pandas as pd
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_score

        X = pd.get_dummies(df[["team", "position"]])
        print(cross_val_score(LogisticRegression(), X, y).mean())
        """
    assert [f.line for f in lint(source, "GL304")] == [6]
    dense_only = source.replace("LogisticRegression", "GaussianNB").replace("linear_model", "naive_bayes")
    assert lint(dense_only, "GL304") == []


# ---- GL401 (round 41): what reads, deletes, stores or delivers places no compute --------------------

def test_a_vertex_resource_retrieved_by_name_to_be_read_or_deleted_places_nothing():
    source = """
        from google.cloud.aiplatform import Featurestore

        LOCATION = "us-central1"
        fs = Featurestore(featurestore_name="fraud", project="p", location=LOCATION)
        fs.delete(sync=True, force=True)
        """
    assert lint(source, "GL401") == []
    created = source.replace('Featurestore(featurestore_name="fraud",', 'Featurestore.create(featurestore_id="fraud",')
    assert [f.line for f in lint(created, "GL401")] == [4]


def test_an_sdk_default_for_datasets_and_listings_places_nothing():
    source = """
        from google.cloud import aiplatform as vertex_ai

        REGION = "us-central1"
        print("Region:", REGION)
        vertex_ai.init(project="p", location=REGION)
        dataset = vertex_ai.TabularDataset.create(display_name="taxi", bq_source="bq://p.d.t")
        found = vertex_ai.TabularDataset.list(filter="display_name=taxi")
        """
    assert lint(source, "GL401") == []
    training = source.replace("found = ", 'vertex_ai.CustomTrainingJob(display_name="t", script_path="task.py").run()\n        found = ')
    assert [f.line for f in lint(training, "GL401")] == [4]


def test_a_script_whose_region_constant_nothing_reads_places_nothing_with_it():
    source = """
        from google.cloud import aiplatform

        REGION = "us-central1"
        endpoint = aiplatform.Endpoint("projects/1/locations/us-central1/endpoints/2")
        print(endpoint.gca_resource)
        """
    assert lint(source, "GL401") == []


def test_a_cloud_deploy_release_is_placed_by_its_targets(tmp_path):
    release = "gcloud deploy releases create rel-01 --delivery-pipeline=vertex --region=us-central1\n"
    assert reported_lines(tmp_path, "release.sh", release, "GL401") == []
    deploy = "gcloud run deploy api --image=gcr.io/p/api --region=us-central1\n"
    assert reported_lines(tmp_path, "release.sh", deploy, "GL401") == [1]


def test_a_module_of_a_metadata_catalog_and_local_resources_places_no_compute(tmp_path):
    module = tmp_path / "main.tf"
    module.write_text('provider "google" {\n  region = "us-central1"\n}\n\n'
                      'resource "google_data_catalog_entry_group" "basic" {\n  entry_group_id = "g"\n}\n\n'
                      'resource "random_pet" "name" {}\n')
    assert cli(module, "GL401") == []
    with module.open("a") as handle:
        handle.write('\nresource "google_compute_instance" "vm" {\n  name = "vm"\n}\n')
    assert [f["line"] for f in cli(module, "GL401")] == [2]


# ---- GL401 (round 42): metrics, disks and volumes place no compute; zones of one region are one ----

def test_metrics_and_storage_volumes_place_no_compute(tmp_path):
    script = tmp_path / "publish.sh"
    script.write_text("aws cloudwatch put-metric-data --namespace bench --region us-east-2 --metric-data file://m.json\n")
    assert cli(script, "GL401") == []
    module = tmp_path / "main.tf"
    module.write_text('provider "google" {\n  region = "us-central1"\n}\n\nresource "google_compute_disk" "data" {\n'
                      '  name = "data"\n}\n')
    assert cli(module, "GL401") == []


def test_two_zones_of_one_region_are_one_placement(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text("Resources:\n  SubnetA:\n    Type: AWS::EC2::Subnet\n    Properties:\n"
                        "      AvailabilityZone: us-east-1a\n  SubnetB:\n    Type: AWS::EC2::Subnet\n"
                        "    Properties:\n      AvailabilityZone: us-east-1b\n")
    assert [f["line"] for f in cli(template, "GL401")] == [5]
