"""Principles found on the ninth round of tune labels. Each test lints a small file written here
with the real engine (`lint_text`) or the real CLI on files in tmp_path."""
from __future__ import annotations

import json
import textwrap

from test_model_rules_tune2 import cli, lint  # the real engine on a string, the real CLI on a file


def test_gl402_a_resource_path_names_the_accelerator_in_its_last_part(tmp_path):
    cluster = tmp_path / "cluster.yaml"
    cluster.write_text(textwrap.dedent("""\
        head_node:
          machineType: n1-standard-8
          guestAccelerators:
            - acceleratorType: projects/my-proj/zones/us-west1-b/acceleratorTypes/nvidia-tesla-p4
              acceleratorCount: 1
            - acceleratorType: projects/my-proj/zones/us-west1-b/acceleratorTypes/nvidia-l4
              acceleratorCount: 1
        """))
    assert [f["line"] for f in cli(cluster, "GL402")] == [4]


def test_gl402_a_hardware_value_bound_again_before_any_read_chooses_nothing():
    source = """\
        instance_type = "ml.p2.xlarge"
        {rebind}
        predictor = estimator.deploy(initial_instance_count=1, instance_type=instance_type)
        """
    assert lint(source.format(rebind='instance_type = "ml.g5.xlarge"'), "GL402") == []
    # read in between, or chosen under a branch: the value does reach a read
    assert [f.line for f in lint(source.format(rebind="print(instance_type)"), "GL402")] == [1]
    branch = 'if cheap:\n    instance_type = "ml.m5.xlarge"'
    assert [f.line for f in lint(source.format(rebind=textwrap.indent(branch, "        ").strip()), "GL402")] == [1]


def test_gl404_a_prefect_interval_given_in_seconds_is_a_fixed_clock():
    source = """\
        from prefect import flow, task

        @task
        def train_model():
            fit_and_save()

        @flow
        def pipeline():
            train_model()

        pipeline.serve(name="hourly", interval={interval})
        """
    assert [f.line for f in lint(source.format(interval="3600"), "GL404")] == [11]
    assert [f.line for f in lint(source.format(interval="timedelta(hours=1)"), "GL404")] == [11]
    assert lint(source.format(interval="None"), "GL404") == []


def test_gl401_langchain_cloud_model_clients_serve_from_the_region_they_are_given():
    source = """\
        from langchain_google_vertexai import ChatVertexAI
        from langchain_google_vertexai.model_garden import ChatAnthropicVertex
        from langchain_aws import ChatBedrock
        from langchain_community.llms import VertexAI
        from langchain_core.prompts import PromptTemplate

        gemini = ChatVertexAI(model_name="gemini-1.5-pro", location="us-east4")
        claude = ChatAnthropicVertex(model_name="claude-3-5-sonnet-v2@20241022", location="us-east5")
        bedrock = ChatBedrock(model_id="anthropic.claude-3-haiku", region_name="us-east-1")
        legacy = VertexAI(model_name="text-bison", location="asia-south1")
        clean = ChatVertexAI(model_name="gemini-1.5-pro", location="europe-west1")
        prompt = PromptTemplate(template="{x}", input_variables=["x"], location="us-east4")
        """
    assert [f.line for f in lint(source, "GL401")] == [7, 8, 9, 10]


def test_library_names_used_without_an_import_are_the_librarys_own():
    """A course exercise or excerpt that imports nothing: a name the file binds nowhere and only
    one library defines is that library's; bound by the file, it is the file's own."""
    source = """\
        svm = SVC()
        parameters = {"C": [0.1, 1, 10], "gamma": [0.00001, 0.0001, 0.001, 0.01, 0.1]}
        searcher = GridSearchCV(svm, parameters)
        searcher.fit(X_train, y_train)
        """
    assert [f.line for f in lint(source, "GL101")] == [3]
    own = "def GridSearchCV(model, grid):\n    return model\n\n" + textwrap.dedent(source)
    assert lint(own, "GL101") == []
    gbm = """\
        def gbm(learn_rate, max_depth):
            model = GradientBoostingClassifier(learning_rate=learn_rate, max_depth=max_depth)
            return model.fit(X_train, y_train).predict(X_test)
        """
    assert [(f.line, f.severity.name) for f in lint(gbm, "GL201")] == [(2, "NOTE")]


def test_gl201_keras_only_fit_keywords_mark_a_keras_fit_in_an_excerpt_that_imports_nothing():
    source = """\
        history = model.fit(X_train, y_train, epochs=60, {held_out})
        """
    assert [f.line for f in lint(source.format(held_out="validation_data=(X_test, y_test)"), "GL201")] == [1]
    assert lint(source.format(held_out="eval_set=[(X_test, y_test)]"), "GL201") == []


def test_gl101_a_sweep_config_written_with_dict_keywords_is_read_like_a_literal():
    source = """\
        sweep_config = dict(
            method="grid",
            metric=dict(name="loss", goal="minimize"),
            parameters=dict(
                lr=dict(values=[0.1, 0.01, 0.001, 0.0001]),
                steps=dict(values=[8, 16, 32]),
            ),
        )
        """
    assert [f.line for f in lint(source, "GL101")] == [2]


def test_gl401_a_workflow_that_only_inspects_the_sdk_builds_and_pushes_places_nothing(tmp_path):
    workflow = tmp_path / ".github" / "workflows" / "build.yaml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(textwrap.dedent("""\
        on: push
        env:
          REGION: us-central1
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: google-github-actions/setup-gcloud@v2
              - run: gcloud info
              - run: gcloud auth configure-docker us-central1-docker.pkg.dev
              - run: docker build -t us-docker.pkg.dev/p/r/app:latest . && docker push us-docker.pkg.dev/p/r/app:latest
        """))
    assert cli(workflow, "GL401") == []
    workflow.write_text(workflow.read_text() + "      - run: python train.py --region $REGION\n")
    assert [f["line"] for f in cli(workflow, "GL401")] == [3]


def test_a_value_set_in_the_main_block_reaches_code_after_it():
    """`if __name__ == "__main__":` always runs in a script or notebook: a name it binds holds that
    value after the block (a Keras run whose epochs are set there)."""
    source = """\
        import keras
        if __name__ == "__main__":
            epochs = {epochs}
        model = keras.Sequential([keras.layers.Dense(1)])
        model.fit(x_train, y_train, epochs=epochs, validation_split=0.05)
        """
    assert [f.line for f in lint(source.format(epochs=500), "GL201")] == [5]
    assert lint(source.format(epochs=5), "GL201") == []


def test_a_notebook_cell_under_a_projects_own_cell_magic_is_read_as_python_when_it_parses(tmp_path):
    notebook = tmp_path / "remote.ipynb"
    cells = [
        "import keras\nmodel = keras.Sequential([keras.layers.Dense(1)])",
        "%%train_remote --gpus 1\nmodel.fit(x, y, epochs=40, validation_data=(xv, yv))",
        "%%sql\nSELECT model.fit(x) FROM runs WHERE epochs = 40",
        "%%my_magic\nthis is not python at all (",
    ]
    notebook.write_text(json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c} for c in cells],
        "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}))
    found = cli(notebook, "GL201")
    assert [(f["cell"], f["cell_line"]) for f in found] == [(2, 2)]
    assert cli(notebook, "GL000") == []


def test_gl303_a_bare_sentence_transformers_name_in_a_serving_config(tmp_path):
    config = tmp_path / "encoder_config.json"
    config.write_text('{\n  "model": "all-mpnet-base-v2",\n  "host": "0.0.0.0",\n  "port": 5000\n}\n')
    assert [f["line"] for f in cli(config, "GL303")] == [2]


def test_an_environment_lookups_default_is_the_value_the_code_runs_with():
    source = """\
        import os
        from transformers import AutoModelForCausalLM
        model_name = os.getenv("MODEL_NAME", {default})
        model = AutoModelForCausalLM.from_pretrained(model_name)
        model.eval()
        """
    assert [f.line for f in lint(source.format(default='"openai-community/gpt2"'), "GL303")] == [4]
    assert lint(source.format(default='"distilgpt2"'), "GL303") == []


def test_gl404_a_command_behind_an_environment_manager_is_read_after_it(tmp_path):
    workflow = tmp_path / ".github" / "workflows" / "retrain.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(textwrap.dedent("""\
        on:
          schedule:
            - cron: "0 6 1 * *"
        jobs:
          monthly:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: uv run stocks-ml {step}
        """))
    text = workflow.read_text()
    workflow.write_text(text.format(step="train"))
    assert [f["line"] for f in cli(workflow, "GL404")] == [3]
    workflow.write_text(text.format(step="backtest"))
    assert cli(workflow, "GL404") == []


def test_gl401_a_client_that_only_reads_what_exists_places_nothing():
    source = """\
        import boto3
        ec2 = boto3.client("ec2", region_name="us-east-1")
        {use}
        """
    reads = 'pages = ec2.get_paginator("describe_instance_types").paginate()\n        ec2.describe_regions()'
    assert lint(source.format(use=reads), "GL401") == []
    assert [f.line for f in lint(source.format(use='ec2.run_instances(ImageId="ami-1", InstanceType="p4d.24xlarge")'), "GL401")] == [2]
