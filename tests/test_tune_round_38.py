"""Principles found in the sixteenth session (round 38 of tune labels). Each test lints a small
file written here with the real engine."""
from __future__ import annotations

import json

from test_model_rules_tune2 import cli, lint  # the real CLI on a real file; the real engine on a string

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


def test_a_config_module_whose_constant_other_files_import_keeps_it():
    config = """
        import boto3

        REGION = "us-east-1"
        SESSION_NAME = "training"
        """
    assert [f.line for f in lint(config, "GL401")] == [4]


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
