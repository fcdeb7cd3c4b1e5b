"""GL401-GL404: shell command facts (notebook `!` lines and %%bash cells, subprocess lists, .sh
files, workflow `run:` steps) and the principles found while tuning, through the real CLI."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from greenlint.checks.commands import commands_of_text, is_training_command, names_training_program, script_commands
from greenlint.discover import kind_of

BUDGET = {"min-epochs": 2, "min-steps": 100}


def run_cli(path: Path, select: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "greenlint", str(path), "--format", "json", "--select", select],
                         capture_output=True, text=True, cwd=path.parent if path.is_file() else path)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    return data["findings"] if isinstance(data, dict) else data


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def notebook(tmp_path: Path, *cells: str) -> Path:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                     "source": textwrap.dedent(c)} for c in cells],
          "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


# ---- the shell command facts

def test_commands_are_split_like_a_shell_and_placed_where_written():
    (gcloud, aws) = commands_of_text("gcloud ai custom-jobs create \\\n  --region=us-east1 && sudo aws s3 ls", 5, 1)
    assert gcloud.cloud == "gcp" and gcloud.subcommands() == ["ai", "custom-jobs", "create"]
    flags = {name: (value, gcloud.place_of(index, value)) for name, value, index in gcloud.flags()}
    assert flags == {"region": ("us-east1", (6, 11))}
    assert aws.program == "aws" and aws.subcommands() == ["s3", "ls"]
    (one,) = script_commands("# comment\nREGION=x gcloud compute instances list --zone 'us-west1-b'\n")
    assert one.program == "gcloud" and ("zone", "us-west1-b", 5) in list(one.flags())


def test_compound_command_words_are_not_the_program(tmp_path):
    # A CLI call captured with a brace group, or run under `if`/`do`, is still that CLI's call.
    script = write(tmp_path, "submit.sh", """\
        OUT=$({ gcloud ai custom-jobs create \\
          --region=us-central1 --config=job.yaml 2>&1; })
        if aws sagemaker create-training-job --region us-east-1 --cli-input-json file://job.json; then echo ok; fi
        for r in a b; do az ml job create --file job.yml; done
        """)
    programs = [c.program for c in script_commands(script.read_text())]
    assert {"gcloud", "aws", "az"} <= set(programs) and not {"{", "}", "if", "then", "do", "done"} & set(programs)
    lines = sorted(f["line"] for f in run_cli(script, "GL401"))
    assert lines == [2, 3]


def test_quoted_flag_values_are_placed_where_written(tmp_path):
    # Quotes leave the shell word (`--zone=us-east1-b`); the finding points into the text as written.
    script = write(tmp_path, "vm.sh", """\
        gcloud beta compute instances create trainer \\
            --zone="us-east1-b" \\
            --accelerator='type=nvidia-tesla-p100,count=1' --machine-type "n1-standard-8"
        """)
    found = {(f["code"], f["line"], f["column"], f["end_column"]) for f in run_cli(script, "GL401,GL402")}
    assert found == {("GL401", 2, 13, 23), ("GL402", 3, 25, 42)}
    command = script_commands(script.read_text())[0]
    assert command.words[6:8] == ("--zone=us-east1-b", "--accelerator=type=nvidia-tesla-p100,count=1")
    assert command.raw[6] == '--zone="us-east1-b"' and command.raw[9] == '"n1-standard-8"'


def test_substitutions_and_placeholders_stay_inside_their_word(tmp_path):
    # `$( ... )` is a command of its own whose output is part of a word of the command around it;
    # `%(id)s` is a placeholder of a command template (Python %-formatting), not a subshell.
    inner, outer = script_commands(
        "gcloud compute instances create vm --project=$(gcloud config get-value project) --zone=us-east1-b\n")
    assert inner.words == ("gcloud", "config", "get-value", "project")
    assert outer.subcommands() == ["compute", "instances", "create", "vm"] and ("zone", "us-east1-b", 6) in list(outer.flags())
    (template,) = script_commands("gcloud compute instances create vm-%(id)s --metadata='ssh-keys=%(user)s' --zone=x\n")
    assert template.words[4] == "vm-%(id)s" and template.words[-1] == "--zone=x"
    script = write(tmp_path, "template.sh", """\
        gcloud compute instances create cogito-%(id)s \\
        --project=%(project)s \\
        --accelerator='type=nvidia-tesla-p100,count=1'
        ID=$(gcloud compute instances create b --project=$(cat project.txt) --accelerator=type=nvidia-tesla-k80,count=1)
        """)
    assert sorted((f["code"], f["line"]) for f in run_cli(script, "GL402")) == [("GL402", 3), ("GL402", 4)]


def test_array_values_and_for_clauses_are_not_commands(tmp_path):
    # `images=( ["model_training"]=... )` lists values; `for s in ...` names a loop variable. A
    # scheduled job that only pushes images named after training runs no training.
    workflow = write(tmp_path, ".github/workflows/images.yml", """\
        on:
          schedule:
            - cron: "0 5 * * *"
        jobs:
          push-images:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  declare -A images
                  images=(
                    ["model_training"]=$USER/model_training
                    ["inference"]=$USER/inference
                  )
                  for service in "${!images[@]}"; do docker push ${images[$service]}; done
        """)
    text = "images=(\n  [\"model_training\"]=u/model_training\n)\nfor s in a b; do python train.py; done\n"
    assert [c.words for c in script_commands(text)] == [("python", "train.py")]
    assert run_cli(workflow, "GL404") == []


def test_zones_of_a_products_placement_are_that_placement(tmp_path):
    # Node pools in a zone of the region their cluster is created in: one placement, one finding.
    # A VM in a zone of the same region is another product's placement; a scheduler job places
    # only a trigger.
    script = write(tmp_path, "cluster.sh", """\
        gcloud beta container clusters create ml --region "us-central1" --num-nodes=1
        gcloud beta container node-pools create t4 --cluster ml --zone "us-central1-c" --accelerator type=nvidia-tesla-t4
        gcloud container node-pools create l4 --cluster ml --zone "us-central1-a"
        gcloud compute instances create notebook --zone us-central1-b
        gcloud scheduler jobs create http nightly --location=us-central1 --schedule="0 3 * * *" --uri=https://x
        """)
    assert sorted(f["line"] for f in run_cli(script, "GL401")) == [1, 4]


@pytest.mark.parametrize("name, trains", [
    ("retrain", True), ("automated_training", True), ("train_model", True), ("run_fine_tune", True),
    ("finetune_lm", True), ("build_training_data", False), ("trainer", False), ("train_test_split", False),
    ("evaluate", False),
])
def test_program_names_that_say_training(name, trains):
    assert names_training_program(name) is trains


def test_training_programs_in_command_lines():
    assert is_training_command("python -m src.retrain", BUDGET)
    assert is_training_command("python automated_training.py --days 30", BUDGET)
    assert is_training_command("gcloud ai-platform jobs submit training job1 --region us-east1", BUDGET)
    assert not is_training_command("python -m src.main", BUDGET)
    assert not is_training_command("python make_training_data.py", BUDGET)


def test_shell_scripts_are_discovered_as_their_own_kind():
    assert kind_of(Path("deploy.sh")) == "shell" and kind_of(Path("x.bash")) == "shell"


# ---- GL401 / GL402 from cloud CLIs

def test_gl401_notebook_constant_used_by_a_cli_region_flag(tmp_path):
    path = notebook(tmp_path, "PROJECT = 'p'\nREGION = 'us-central1'\n",
                    "!gcloud ai-platform jobs submit training j1 --region {REGION} --module-name trainer.task\n")
    found = [(f["cell"], f["cell_line"]) for f in run_cli(path, "GL401")]
    assert found == [(1, 2)]


def test_gl401_constant_only_for_buckets_is_not_compute(tmp_path):
    path = notebook(tmp_path, "REGION = 'us-central1'\n", "!gsutil mb -l $REGION gs://bucket\n")
    assert run_cli(path, "GL401") == []


def test_gl4_bash_cell_flags_are_read_in_place(tmp_path):
    path = notebook(tmp_path, "import os\n", "%%bash\ngcloud compute instances create vm \\\n"
                    "  --zone us-east1-b \\\n  --accelerator type=nvidia-tesla-k80,count=1\n")
    found = {(f["code"], f["cell"], f["cell_line"], f["cell_column"]) for f in run_cli(path, "GL401,GL402")}
    assert found == {("GL401", 2, 3, 10), ("GL402", 2, 4, 22)}


def test_gl4_shell_script_flags_and_variables(tmp_path):
    path = write(tmp_path, "launch.sh", """\
        #!/bin/bash
        REGION=us-east1
        gcloud ai custom-jobs create --region=$REGION \\
          --worker-pool-spec=machine-type=n1-standard-4,accelerator-type=NVIDIA_TESLA_K80
        aws ec2 run-instances --instance-type p2.xlarge --region eu-north-1
        az group create --name rg --location eastus
        gcloud compute ssh vm1 --zone us-central1-a
        aws lambda get-function --function-name f --region us-east-1
        """)
    found = {(f["code"], f["line"], f["column"]) for f in run_cli(path, "GL401,GL402")}
    assert found == {("GL401", 2, 8), ("GL402", 4, 66), ("GL402", 5, 39)}


def test_gl402_subprocess_argument_list(tmp_path):
    path = write(tmp_path, "launch.py", """\
        import subprocess
        subprocess.run(["gcloud", "compute", "instances", "create", "vm", "--machine-type", "n1-standard-8",
                        "--accelerator", "type=nvidia-tesla-p100,count=1"], check=True)
        """)
    found = [(f["line"], f["column"]) for f in run_cli(path, "GL402")]
    assert found == [(3, 34)]


def test_gl401_workflow_run_step(tmp_path):
    path = write(tmp_path, ".github/workflows/deploy.yml", """\
        on: push
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  gcloud config set project p
                  gcloud run deploy svc --image img --region us-central1
        """)
    found = [(f["line"], f["column"]) for f in run_cli(path.parent.parent.parent, "GL401")]
    assert found == [(8, 54)]


def test_gl402_uppercase_azure_sizes_and_ai_platform_tiers(tmp_path):
    path = write(tmp_path, "cluster.py", """\
        from azureml.core.compute import AmlCompute
        VM_SIZE = "STANDARD_NC6"
        config = AmlCompute.provisioning_configuration(vm_size=VM_SIZE, max_nodes=2)
        job = {"trainingInput": {"scaleTier": "BASIC_GPU", "region": "us-east1"}}
        """)
    assert [f["line"] for f in run_cli(path, "GL402")] == [2, 4]


# ---- GL403 / GL404

def test_gl403_deleting_an_endpoint_config_leaves_the_endpoint(tmp_path):
    path = write(tmp_path, "deploy.py", """\
        import boto3
        from sagemaker.estimator import Estimator
        boto3.client("sagemaker").delete_endpoint_config(EndpointConfigName="old")
        est = Estimator(image_uri="img", role="r", instance_count=1, instance_type="ml.m5.large")
        predictor = est.deploy(initial_instance_count=1, instance_type="ml.m5.large")
        """)
    assert [f["line"] for f in run_cli(path, "GL403")] == [5]


def test_gl404_scheduled_workflow_running_a_retraining_script(tmp_path):
    path = write(tmp_path, ".github/workflows/nightly.yml", """\
        on:
          schedule:
            - cron: "15 3 * * *"
        jobs:
          refresh:
            runs-on: ubuntu-latest
            steps:
              - run: python -m forecasting.retrain --window 90
        """)
    assert [f["line"] for f in run_cli(path.parent.parent.parent, "GL404")] == [3]


def test_gl404_python_operator_whose_callable_trains(tmp_path):
    path = write(tmp_path, "dag.py", """\
        from airflow import DAG
        from airflow.operators.python import PythonOperator

        def refresh():
            model = make_model()
            model.fit(load())

        def report():
            print("done")

        with DAG("weekly", schedule="0 4 * * 1") as dag:
            PythonOperator(task_id="refresh", python_callable=refresh)
        with DAG("daily", schedule="@daily") as other:
            PythonOperator(task_id="report", python_callable=report)
        """)
    # one DAG trains: the file's schedules are reported (one finding per DAG with a schedule)
    assert {f["line"] for f in run_cli(path, "GL404")} >= {11}


def test_gl404_report_only_operator_is_not_training(tmp_path):
    path = write(tmp_path, "dag.py", """\
        from airflow import DAG
        from airflow.operators.python import PythonOperator

        def report():
            print("done")

        with DAG("daily", schedule="@daily") as dag:
            PythonOperator(task_id="report", python_callable=report)
        """)
    assert run_cli(path, "GL404") == []


def test_gl404_argo_cron_workflow_with_a_training_template(tmp_path):
    path = write(tmp_path, "cron.yaml", """\
        apiVersion: argoproj.io/v1alpha1
        kind: CronWorkflow
        metadata: {name: nightly}
        spec:
          schedule: "0 1 * * *"
          workflowSpec:
            entrypoint: main
            templates:
              - name: main
                steps:
                  - - {name: fit, template: ranker-train}
              - name: ranker-train
                container: {image: "acme/ranker:1", command: [python, -m, app.main]}
        """)
    assert [f["line"] for f in run_cli(path, "GL404")] == [5]
    path.write_text(path.read_text().replace("ranker-train", "ranker-export"))
    assert run_cli(path, "GL404") == []


def test_gl402_hardware_flag_reading_a_script_variable(tmp_path):
    # Reported where the script sets the variable, once however many commands read it; a variable
    # set twice (a branch per GPU) or never set in the script is not knowable here.
    script = write(tmp_path, "gpu_vm.sh", """\
        #!/bin/bash
        GPU=nvidia-tesla-k80
        MACHINE=n1-standard-8
        gcloud compute instances create a --machine-type=$MACHINE --accelerator type=${GPU},count=1
        gcloud compute instances create b --accelerator type=$GPU,count=1
        vmSize="Standard_NC6"
        az aks nodepool add --name gpu --cluster-name c --node-vm-size $vmSize
        if [ "$1" = v100 ]; then TYPE=p3.2xlarge; else TYPE=p2.xlarge; fi
        aws ec2 run-instances --instance-type $TYPE --instance-type-from-caller $CALLER_TYPE
        """)
    assert sorted(f["line"] for f in run_cli(script, "GL402")) == [2, 6]
