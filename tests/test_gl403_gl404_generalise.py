"""GL403 / GL404 principles found on fresh tune labels, each through the real CLI on files written here.

GL404: what makes a scheduled task a training task is read from the task itself (its command, its
callable, its task_id / dag_id / step name, a triggered DAG), and every spelling of a fixed clock
(`schedule_interval`, `schedule`, `timetable`; cron strings, presets, `timedelta`, timetables) counts.
GL403: boto3 `create_endpoint` and Azure ML online deployments are endpoints too.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path


def lint(tmp_path: Path, name: str, text: str, select: str) -> list[int]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "greenlint", str(path), "--format", "json", "--select", select],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    findings = data["findings"] if isinstance(data, dict) else data
    return sorted(f["line"] for f in findings if f.get("rule", f.get("code")) == select)


# ---------------------------------------------------------------------------------- GL404, Airflow

def test_timedelta_interval_with_python_callable_named_training(tmp_path):
    src = """
        from datetime import timedelta
        from airflow import DAG
        from airflow.operators.python_operator import PythonOperator

        def refit_everything():
            pass

        def fit_ranker():
            pass

        dag = DAG("nightly_job", schedule_interval=timedelta(hours=12))
        PythonOperator(task_id="step", python_callable=fit_ranker, dag=dag)
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == [12]


def test_interval_of_an_unknown_value_or_none_is_not_a_clock(tmp_path):
    src = """
        from airflow import DAG
        from airflow.operators.python import PythonOperator
        def train_model():
            pass
        with DAG("a", schedule=None) as a:
            PythonOperator(task_id="t", python_callable=train_model)
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == []


def test_fit_program_and_task_id_say_training(tmp_path):
    src = """
        from airflow import DAG
        from airflow.operators.bash import BashOperator
        with DAG(dag_id="realty", schedule="@daily") as dag:
            BashOperator(task_id="step_one", bash_command="python3 scripts/fit_gbm.py")
        with DAG(dag_id="other", schedule="0 5 * * *") as other:
            BashOperator(task_id="nightly_model_training", bash_command="python3 go.py")
        with DAG(dag_id="export", schedule="0 6 * * *") as export:
            BashOperator(task_id="export", bash_command="python3 go.py")
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == [4, 6]


def test_mode_flag_and_subcommand_select_training(tmp_path):
    src = """
        from airflow import models
        from airflow.operators.bash_operator import BashOperator
        CMD = "python3 /srv/app/main.py --mode train --env prod"
        with models.DAG(dag_id="weekly", schedule_interval="1 15 * * 0") as dag:
            BashOperator(task_id="go", bash_command=CMD)
        with models.DAG(dag_id="weekly2", schedule_interval="1 16 * * 0") as dag2:
            BashOperator(task_id="go", bash_command="python cli.py train --config c.yaml")
        with models.DAG(dag_id="weekly3", schedule_interval="1 17 * * 0") as dag3:
            BashOperator(task_id="go", bash_command="python cli.py predict --split train")
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == [5, 7]


def test_trigger_of_a_training_dag(tmp_path):
    src = """
        from airflow import DAG
        from airflow.operators.python import PythonOperator
        from airflow.operators.trigger_dagrun import TriggerDagRunOperator

        def clean():
            pass

        def learn():
            model.fit(x, y)

        with DAG("features", schedule_interval="@weekly") as features:
            PythonOperator(task_id="clean", python_callable=clean)
            TriggerDagRunOperator(task_id="next", trigger_dag_id="ranker")
        with DAG("ranker", schedule_interval=None) as ranker:
            PythonOperator(task_id="learn", python_callable=learn)
        with DAG("reports", schedule_interval="@daily") as reports:
            PythonOperator(task_id="clean", python_callable=clean)
            TriggerDagRunOperator(task_id="next", trigger_dag_id=f"{PREFIX}model_retraining")
        with DAG("mail", schedule_interval="@daily") as mail:
            TriggerDagRunOperator(task_id="next", trigger_dag_id="send_report")
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == [12, 17]


def test_tasks_belong_to_their_own_dag(tmp_path):
    src = """
        import pendulum
        from airflow import DAG
        from airflow.operators.python import PythonOperator
        from airflow.timetables.trigger import CronTriggerTimetable

        def train_model():
            pass

        def copy_rows():
            pass

        etl = DAG("etl", schedule=pendulum.duration(hours=1))
        learn = DAG("learn", timetable=CronTriggerTimetable("0 2 * * *", timezone="UTC"))
        PythonOperator(task_id="copy", python_callable=copy_rows, dag=etl)
        PythonOperator(task_id="model", python_callable=train_model, dag=learn)
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == [14]


def test_dag_id_names_training_and_runs_work(tmp_path):
    src = """
        from airflow import DAG
        from airflow.operators.bash import BashOperator
        from airflow.operators.empty import EmptyOperator
        with DAG("daily_model_training", schedule="@daily") as d1:
            BashOperator(task_id="run", bash_command="python3 job.py")
        with DAG("retraining_markers", schedule="@daily") as d2:
            EmptyOperator(task_id="start")
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == [5]


def test_dataset_schedule_is_data_driven(tmp_path):
    src = """
        from airflow import DAG, Dataset
        from airflow.operators.python import PythonOperator
        def train_model():
            pass
        with DAG("learn", schedule=[Dataset("s3://b/features")]) as dag:
            PythonOperator(task_id="train", python_callable=train_model)
        """
    assert lint(tmp_path, "dag.py", src, "GL404") == []


# ---------------------------------------------------------------------------------- GL404, GitHub Actions

def test_step_named_training_runs_a_program(tmp_path):
    src = """
        name: hourly
        on:
          schedule:
            - cron: "0 * * * *"
        jobs:
          job:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: pip install -r requirements.txt
              - name: Run retraining
                run: python main.py
        """
    assert lint(tmp_path, ".github/workflows/a.yml", src, "GL404") == [5]


def test_named_training_without_a_program_or_with_tests_is_quiet(tmp_path):
    src = """
        on:
          schedule:
            - cron: "0 * * * *"
        jobs:
          report:
            runs-on: ubuntu-latest
            steps:
              - name: Train model
                run: pip install -r requirements.txt
              - name: Upload training report
                run: python upload.py
          training-tests:
            runs-on: ubuntu-latest
            steps:
              - run: python -m pytest tests
        """
    assert lint(tmp_path, ".github/workflows/b.yml", src, "GL404") == []


# ---------------------------------------------------------------------------------- GL403

def test_boto3_create_endpoint_without_cleanup(tmp_path):
    src = """
        import boto3
        sm = boto3.client("sagemaker")
        sm.create_endpoint_config(EndpointConfigName="cfg", ProductionVariants=[
            {"VariantName": "v", "ModelName": "m", "InitialInstanceCount": 1, "InstanceType": "ml.g5.xlarge"}])
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="cfg")
        """
    assert lint(tmp_path, "deploy.py", src, "GL403") == [6]


def test_boto3_endpoint_deleted_or_serverless_is_quiet(tmp_path):
    deleted = """
        import boto3
        sm = boto3.client("sagemaker")
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="cfg")
        sm.delete_endpoint(EndpointName="ep")
        """
    serverless = """
        import boto3
        sm = boto3.client("sagemaker")
        sm.create_endpoint_config(EndpointConfigName="cfg", ProductionVariants=[
            {"VariantName": "v", "ModelName": "m", "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 2}}])
        sm.create_endpoint(EndpointName="ep", EndpointConfigName="cfg")
        """
    gapic = """
        import boto3
        from google.cloud import aiplatform_v1
        client = aiplatform_v1.EndpointServiceClient()
        client.create_endpoint(parent="projects/p/locations/us-central1", endpoint={"display_name": "e"})
        """
    assert lint(tmp_path, "a.py", deleted, "GL403") == []
    assert lint(tmp_path, "b.py", serverless, "GL403") == []
    assert lint(tmp_path, "c.py", gapic, "GL403") == []


def test_azure_online_deployment(tmp_path):
    src = """
        from azure.ai.ml import MLClient
        from azure.ai.ml.entities import ManagedOnlineEndpoint, ManagedOnlineDeployment
        ml_client = MLClient(cred, sub, rg, ws)
        ml_client.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="e")).result()
        dep = ManagedOnlineDeployment(name="blue", endpoint_name="e", model=model,
                                      instance_type="Standard_DS3_v2", instance_count=2)
        ml_client.online_deployments.begin_create_or_update(dep).result()
        """
    assert lint(tmp_path, "a.py", src, "GL403") == [8]  # where it is created, like a SageMaker deploy()
    assert lint(tmp_path, "b.py", textwrap.dedent(src) + 'ml_client.online_endpoints.begin_delete(name="e")\n',
                "GL403") == []


def test_azure_local_deployment_is_not_an_endpoint(tmp_path):
    src = """
        from azure.ai.ml import MLClient
        from azure.ai.ml.entities import ManagedOnlineDeployment
        ml_client = MLClient(cred, sub, rg, ws)
        dep = ManagedOnlineDeployment(name="blue", endpoint_name="e", model=model, instance_count=1)
        ml_client.online_deployments.begin_create_or_update(dep, local=True)
        """
    assert lint(tmp_path, "a.py", src, "GL403") == []


def test_azure_v1_web_service(tmp_path):
    src = """
        from azureml.core import Workspace
        from azureml.core.model import Model
        from azureml.core.webservice import AciWebservice, LocalWebservice
        ws = Workspace.from_config()
        service = Model.deploy(ws, "svc", [model], inference_config, AciWebservice.deploy_configuration(cpu_cores=1))
        local = Model.deploy(ws, "dev", [model], inference_config, LocalWebservice.deploy_configuration(port=8890))
        """
    assert lint(tmp_path, "a.py", src, "GL403") == [6]
    assert lint(tmp_path, "b.py", textwrap.dedent(src) + "service.delete()\n", "GL403") == []


def test_pyspark_kernel_notebook_local_cells_are_python(tmp_path):
    cells = ["%%local\nimport sagemaker\nest = sagemaker.estimator.Estimator(image_uri=img, role=role)\n",
             "%%local\npredictor = est.deploy(initial_instance_count=1, instance_type='ml.m5.xlarge')\n"]
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": c}
                    for c in cells],
          "metadata": {"kernelspec": {"display_name": "PySpark", "language": "", "name": "pysparkkernel"},
                       "language_info": {"name": "pyspark", "mimetype": "text/x-python"}},
          "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "greenlint", str(path), "--format", "json", "--select", "GL403"],
                         capture_output=True, text=True, cwd=tmp_path)
    data = json.loads(out.stdout)
    findings = data["findings"] if isinstance(data, dict) else data
    assert [f.get("rule", f.get("code")) for f in findings] == ["GL403"]


def test_a_callable_trains_by_what_its_body_does_not_by_any_fit(tmp_path):
    # the shared training_code answer: a scaler's fit computes statistics, a gradient step trains
    src = """
        from airflow import DAG
        from airflow.operators.python import PythonOperator
        from sklearn.preprocessing import StandardScaler

        def refresh():
            StandardScaler().fit(load())

        def nightly():
            loss = model(batch).loss
            loss.backward()
            optimizer.step()

        with DAG("features", schedule="@daily") as features:
            PythonOperator(task_id="refresh", python_callable=refresh)

        with DAG("nightly", schedule="@daily") as other:
            PythonOperator(task_id="nightly", python_callable=nightly)
    """
    assert lint(tmp_path, "dags.py", src, "GL404") == [17]


def test_prefect_and_dagster_schedules_of_a_training_flow_or_job(tmp_path):
    prefect = """
        from datetime import timedelta
        from prefect import flow, task

        @task
        def fit_model(data):
            model.fit(data.x, data.y)

        @flow
        def nightly():
            fit_model(load())

        @flow
        def refresh_features():
            load()

        if __name__ == "__main__":
            nightly.serve(name="nightly", cron="0 2 * * *")
            refresh_features.serve(name="features", cron="0 1 * * *")
            nightly.deploy(name="hourly", interval=timedelta(hours=1))
    """
    assert lint(tmp_path, "flows.py", prefect, "GL404") == [18, 20]
    dagster = """
        from dagster import job, op, schedule, ScheduleDefinition

        @op
        def retrain_model():
            pass

        @job
        def weekly_job():
            retrain_model()

        @job
        def report_job():
            pass

        weekly = ScheduleDefinition(job=weekly_job, cron_schedule="0 3 * * 0")
        reports = ScheduleDefinition(job=report_job, cron_schedule="0 4 * * 0")

        @schedule(cron_schedule="0 5 * * *", job=weekly_job)
        def daily(context):
            return {}
    """
    assert lint(tmp_path, "jobs.py", dagster, "GL404") == [16, 19]


def test_each_deploy_is_its_own_endpoint_a_serverless_branch_leaves_the_other_always_on(tmp_path):
    source = """\
        from sagemaker.pytorch import PyTorchModel
        from sagemaker.serverless import ServerlessInferenceConfig
        model = PyTorchModel(entry_point="inference.py", role=role, model_data=data)
        if use_serverless:
            predictor = model.deploy(serverless_inference_config=ServerlessInferenceConfig(memory_size_in_mb=4096))
        else:
            predictor = model.deploy(initial_instance_count=1, instance_type="ml.g4dn.xlarge")
        print(predictor.predict(payload))
        """
    assert lint(tmp_path, "deploy.py", source, "GL403") == [7]
    cleaned = source + "predictor.delete_endpoint()\n"
    assert lint(tmp_path, "deploy_and_clean.py", cleaned, "GL403") == []
