"""Principles found in the twentieth session (repository rounds 51 to 53 of tune labels). Each
test lints small files written here with the real CLI."""
from __future__ import annotations

import json

from test_model_rules_tune2 import cli, reported_lines

# ---- GL101: a grid built key by key is read as the dict it ends as ------------------------------

GRID_BY_KEYS = """
from sklearn.model_selection import ParameterGrid
from sklearn.svm import SVC

params = {}
params["C"] = [0.1, 1, 10]
params["gamma"] = [0.01, 0.1]
params["kernel"] = ["rbf"]
for p in ParameterGrid(params):
    SVC(**p).fit(X, y)
"""


def test_a_grid_built_by_item_assignments_is_sized(tmp_path):
    path = tmp_path / "search.py"
    path.write_text(GRID_BY_KEYS)
    found = cli(path, "GL101")
    assert [f["line"] for f in found] == [9] and "6 candidates" in found[0]["message"]


def test_a_grid_with_a_key_set_from_a_computed_name_stays_unknown(tmp_path):
    source = GRID_BY_KEYS.replace('params["kernel"] = ["rbf"]', 'params[name] = ["rbf"]')
    path = tmp_path / "search.py"
    path.write_text(source)
    found = cli(path, "GL101")
    assert [f["line"] for f in found] == [9] and "not knowable" in found[0]["message"]


SETTINGS_MODULE = """
parameters_grid = {
    "lr": [1e-7],
    "wd": [1e-3],
    "model": ["resnet18"],
}
"""

TRAIN_ON_IMPORTED_GRID = """
import argparse
from sklearn.model_selection import ParameterGrid

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", default=50, type=int)
args = parser.parse_args()

if __name__ == "__main__":
    from settings import *
    parameters_grid["epochs"] = [args.epochs]
    parameters_grid["n_fold"] = [5]
    for params in ParameterGrid(parameters_grid):
        train(**params)
"""


def test_a_project_grid_of_one_candidate_completed_key_by_key_is_no_search(tmp_path):
    (tmp_path / "settings.py").write_text(SETTINGS_MODULE)
    assert reported_lines(tmp_path, "train.py", TRAIN_ON_IMPORTED_GRID, "GL101") == []


def test_a_project_grid_given_a_second_axis_key_by_key_is_a_search(tmp_path):
    (tmp_path / "settings.py").write_text(SETTINGS_MODULE.replace('"lr": [1e-7]', '"lr": [1e-7, 1e-6, 1e-5]'))
    source = TRAIN_ON_IMPORTED_GRID.replace('[5]', '[3, 5]')
    assert reported_lines(tmp_path, "train.py", source, "GL101") == [13]


# ---- GL401: keys that say what they place; a location written as its resource name -------------

GCLOUD_CONFIGURATIONS = """
configurations:
  verify-cloud-metrics:
    gcloud:
      project: demo
      {key}: us-central1
"""


def test_a_compute_region_under_a_configuration_named_by_a_data_word_is_reported(tmp_path):
    text = GCLOUD_CONFIGURATIONS.format(key="compute/region")
    assert reported_lines(tmp_path, "gcloud.yaml", text, "GL401") == [6]


def test_a_plain_region_under_a_data_word_stays_a_stores(tmp_path):
    text = GCLOUD_CONFIGURATIONS.format(key="region")
    assert reported_lines(tmp_path, "gcloud.yaml", text, "GL401") == []


CLOUD_DEPLOY_TARGET = """
apiVersion: deploy.cloud.google.com/v1
kind: Target
metadata:
  name: prod-target
run:
  location: {location}
"""


def test_a_location_written_as_its_resource_name_is_read(tmp_path):
    text = CLOUD_DEPLOY_TARGET.format(location="projects/demo/locations/us-central1")
    assert reported_lines(tmp_path, "clouddeploy.yaml", text, "GL401") == [7]


def test_a_resource_inside_a_location_addresses_what_exists(tmp_path):
    text = CLOUD_DEPLOY_TARGET.format(location="projects/demo/locations/us-central1/models/42")
    assert reported_lines(tmp_path, "clouddeploy.yaml", text, "GL401") == []


# ---- GL401: job settings written as a Python dict; Beam's Dataflow options ----------------------

DATAFLOW_OPTIONS = """
import apache_beam as beam

options = {{
    'project': 'demo',
    'runner': 'DataflowRunner',
    'machine_type': 'n1-standard-2',
    'max_num_workers': 5,
    'region': 'us-central1',
}}
{use}
"""


def test_a_dict_of_job_settings_places_its_region(tmp_path):
    text = DATAFLOW_OPTIONS.format(use="opts = beam.pipeline.PipelineOptions(flags=[], **options)")
    assert reported_lines(tmp_path, "embed.py", text, "GL401") == [9]


def test_a_dict_of_job_settings_that_is_only_printed_places_nothing(tmp_path):
    text = DATAFLOW_OPTIONS.format(use='print(f"launching with {options}")')
    assert reported_lines(tmp_path, "embed.py", text, "GL401") == []


def test_a_dict_of_labels_places_nothing(tmp_path):
    text = DATAFLOW_OPTIONS.format(use="").replace("options = {", "job = beam.Pipeline(labels={", 1) \
        .replace("}\n", "})\n", 1)
    assert reported_lines(tmp_path, "embed.py", text, "GL401") == []


BEAM_VIEW = """
import apache_beam as beam

REGION = 'us-central1'

def run():
    options = beam.options.pipeline_options.PipelineOptions()
    google_cloud_options = options.view_as(beam.options.pipeline_options.GoogleCloudOptions)
    google_cloud_options.region = REGION
    options.view_as(beam.options.pipeline_options.StandardOptions).runner = 'DataflowRunner'
"""


def test_a_region_given_to_beams_google_cloud_options_is_reported(tmp_path):
    assert reported_lines(tmp_path, "pipeline.py", BEAM_VIEW, "GL401") == [4]


# ---- GL401: commands a notebook or script runs, as the shell sees them --------------------------

def _notebook(folder, *cells):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c}
                    for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = folder / "lab.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_an_environment_variable_set_in_python_is_what_shell_lines_read(tmp_path):
    path = _notebook(tmp_path, 'import os\nos.environ["REGION"] = "westeurope"\n',
                     "!az aks create -g rg -n gpu --location $REGION --node-vm-size Standard_NC24ads_A100_v4\n")
    assert [(f["cell"], f["cell_line"]) for f in cli(path, "GL401")] == [(1, 2)]


def test_an_environment_variable_set_twice_is_not_known(tmp_path):
    path = _notebook(tmp_path, 'import os\nos.environ["REGION"] = "westeurope"\nos.environ["REGION"] = "swedencentral"\n',
                     "!az aks create -g rg -n gpu --location $REGION\n")
    assert cli(path, "GL401") == []


HELPER_RUNS_COMMANDS = """
import subprocess

location = "eastus"

def run_command(command, description):
    print(description)
    subprocess.run(command, check=True)

run_command(["az", "ml", "compute", "create", "--name", "gpu", "--type", "AmlCompute",
             "--size", "Standard_NC6s_v3", "--location", location], "cluster")
"""


def test_a_command_handed_to_a_helper_that_runs_it_is_run(tmp_path):
    assert reported_lines(tmp_path, "setup.py", HELPER_RUNS_COMMANDS, "GL401") == [4]


def test_a_command_list_never_run_is_not_a_command(tmp_path):
    source = HELPER_RUNS_COMMANDS.replace("subprocess.run(command, check=True)", "print(command)")
    assert reported_lines(tmp_path, "setup.py", source, "GL401") == []


SCRIPT_WITH_USAGE_TEXT = """#!/bin/bash
REGION=${REGION:-eastus}

usage="
Environment variables:
    REGION=${REGION}
"
cat <<EOF
    REGION=westus2
EOF

az aks create -g rg -n gpu --location ${REGION} --node-vm-size Standard_NC24ads_A100_v4
"""


def test_assignments_in_usage_text_and_heredocs_do_not_rebind_a_scripts_variable(tmp_path):
    assert reported_lines(tmp_path, "deploy.sh", SCRIPT_WITH_USAGE_TEXT, "GL401") == [2]


# ---- GL304: dummies joined in a helper, returned, split and fitted through a Pipeline ----------

DUMMIES_THROUGH_HELPERS = """
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.ensemble import RandomForestRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Lasso


def one_hot_encoding(data, column):
    data = pd.concat([data, pd.get_dummies(data[column], prefix=column)], axis=1)
    return data.drop([column], axis=1)


def preprocess(df):
    for col in ["season", "weather"]:
        df = one_hot_encoding(df, col)
    return df.drop(columns=["count"]), df["count"]


def train(x_train, y_train):
    pipeline = make_pipeline({steps})
    pipeline.fit(x_train, y_train)
    return pipeline


def main():
    X, y = preprocess(pd.read_csv("bikes.csv"))
    X_train, X_test, y_train, y_test = train_test_split(X, y)
    train(X_train, y_train)


main()
"""


def test_dummies_joined_in_a_helper_reach_a_pipelines_sparse_capable_estimator(tmp_path):
    source = DUMMIES_THROUGH_HELPERS.format(steps="RandomForestRegressor(n_estimators=100)")
    assert reported_lines(tmp_path, "bikes.py", source, "GL304") == [11]


def test_dummies_reaching_a_pipeline_that_centres_are_needed_dense(tmp_path):
    source = DUMMIES_THROUGH_HELPERS.format(steps="StandardScaler(), Lasso()")
    assert reported_lines(tmp_path, "bikes.py", source, "GL304") == []


# ---- GL401: a project's own launcher given where to run ---------------------------------------

LAUNCH_SCRIPT = """#!/bin/bash
uv run python {program} --foreground --tpu_name itest-32 --zone us-central2-b --tpu_type v4-32 -- \\
    python -m levanter.main.train_lm --config_path config/small.yaml
"""


def test_a_zone_given_to_a_project_launcher_places_what_it_launches(tmp_path):
    text = LAUNCH_SCRIPT.format(program="infra/launch.py")
    assert reported_lines(tmp_path, "launch.sh", text, "GL401") == [2]


def test_a_region_given_to_a_program_named_by_a_data_word_places_nothing(tmp_path):
    text = LAUNCH_SCRIPT.format(program="infra/upload_to_s3.py")
    assert reported_lines(tmp_path, "launch.sh", text, "GL401") == []


CI_JOB_WITH_ZONE = """
name: itest
on: workflow_dispatch
jobs:
  integration:
    runs-on: ubuntu-latest
    env:
      TPU_ZONE: us-central2-b
    steps:
      - run: uv run python infra/launch.py --zone us-central2-b --tpu_type v4-32 -- python train.py
"""


def test_a_ci_step_in_the_zone_its_job_sets_is_one_placement(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    assert reported_lines(folder, "itest.yaml", CI_JOB_WITH_ZONE, "GL401") == [8]
