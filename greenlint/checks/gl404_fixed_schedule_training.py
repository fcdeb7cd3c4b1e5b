"""GL404 fixed-schedule-training: a training job started by a fixed cron schedule.

Config reader: GitHub Actions `on: schedule`, Kubernetes CronJob, Argo CronWorkflow and Kubeflow
ScheduledWorkflow objects. Python reader: Airflow DAGs with a fixed schedule.
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from . import detector
from .cloud import is_test_suite, key_of, object_name
from .commands import is_training_command, names_training_program, runs_tests

_WHY_SCHEDULE = (
    "a fixed cron runs whatever the grid's carbon intensity is at that hour; shift the start to a cleaner "
    "hour with a carbon-aware trigger (Carbon Aware SDK, Electricity Maps or WattTime forecasts)"
)

# --------------------------------------------------------------------------------------
# config reader


def _trains(commands: str, budget: dict) -> bool:
    """The commands train with a real budget and do not run a test suite (a job that runs one
    smoke-trains, if it trains at all, to test the code)."""
    return is_training_command(commands, budget) and not runs_tests(commands)


def _job_trains(job, budget: dict) -> bool:
    """A GitHub Actions job whose `run:` steps train."""
    steps = job.get("steps")
    texts = []
    if steps is not None and steps.is_seq:
        for step in steps.value:
            run = step.get("run") if step.is_map else None
            if run is not None and run.str():
                texts.append(run.str())
    return _trains("\n".join(texts), budget)


def _container_commands(node) -> Iterator[str]:
    """`command`/`args`/`script`/`source` texts of containers and templates below `node`."""
    for path, child in node.walk():
        if not path or not isinstance(path[-1], (str, int)):
            continue
        key, _ = key_of(path)
        if key in ("command", "args", "script", "source") and child.is_scalar and isinstance(child.value, str):
            if isinstance(path[-1], int) and key in ("command", "args"):
                continue  # an item of a command list: read with its list, as one command line
            yield child.value
        elif key in ("command", "args") and child.is_seq:
            yield " ".join(c.str() or "" for c in child.value if c.is_scalar)


def _training_template(body) -> bool:
    """An Argo workflow template named as training (`lgbm-train`, `retrain-ranker`) that runs a
    container or script: the name a workflow gives a step says what it runs, like `train.py` does."""
    templates = body.get("templates") if body.is_map else None
    if templates is None or not templates.is_seq:
        return False
    for template in templates.value:
        name = template.get("name") if template.is_map else None
        runs = template.is_map and (template.get("container") is not None or template.get("script") is not None)
        if runs and name is not None and name.str() and names_training_program(name.str()):
            return True
    return False


def _github_schedule(ctx, doc, budget: dict) -> None:
    """GitHub Actions: on.schedule[].cron, and a job whose steps train."""
    on = doc.get("on") or doc.get("true")
    jobs = doc.get("jobs")
    if on is None or not on.is_map or jobs is None or not jobs.is_map:
        return
    schedule = on.get("schedule")
    if schedule is None or not schedule.is_seq:
        return
    training_jobs = [name for name, job in jobs.items() if job.is_map and _job_trains(job, budget)]
    if not training_jobs:
        return
    several = len(training_jobs) > 1
    for item in schedule.value:
        cron = item.get("cron") if item.is_map else None
        if cron is not None and cron.str():
            ctx.report("GL404", cron,
                       f"training job{'s' if several else ''} "
                       f"{', '.join(repr(j) for j in training_jobs)} {'run' if several else 'runs'} on a fixed cron "
                       f"('{cron.str()}'): {_WHY_SCHEDULE}",
                       {"schedule": cron.str(), "jobs": training_jobs, "platform": "github-actions"})


def _cron_object(ctx, doc, kind: str, budget: dict) -> None:
    """Kubernetes CronJob, Argo CronWorkflow, Kubeflow ScheduledWorkflow whose containers train."""
    spec = doc.get("spec")
    if spec is None or not spec.is_map:
        return
    cron = spec.get("schedule")
    if cron is None and kind == "ScheduledWorkflow":  # Kubeflow Pipelines recurring run
        trigger = spec.get("trigger")
        cron = trigger.find("cronSchedule", "cron") if trigger is not None and trigger.is_map else None
    if cron is None or not cron.str():
        return
    body = spec.get("jobTemplate") or spec.get("workflowSpec") or spec
    if _trains("\n".join(_container_commands(body)), budget) or _training_template(body):
        ctx.report("GL404", cron,
                   f"{kind}{object_name(doc)} trains a model on a fixed cron ('{cron.str()}'): {_WHY_SCHEDULE}",
                   {"schedule": cron.str(), "platform": kind})


@detector("GL404", "config")
def fixed_schedule_training_config(ctx) -> None:
    if is_test_suite(ctx):
        return
    budget = ctx.options("GL404")
    for doc in ctx.documents:
        if not doc.is_map:
            continue
        _github_schedule(ctx, doc, budget)
        kind = doc.get("kind")
        kind_s = kind.str() if kind is not None else None
        if kind_s in ("CronJob", "CronWorkflow", "ScheduledWorkflow"):
            _cron_object(ctx, doc, kind_s, budget)


# --------------------------------------------------------------------------------------
# Python reader

_AIRFLOW_DAG = {"airflow.DAG", "airflow.models.DAG", "airflow.models.dag.DAG", "airflow.decorators.dag", "airflow.sdk.DAG",
                "airflow.sdk.dag"}
_COMMAND_OPERATORS = ("BashOperator", "KubernetesPodOperator", "DockerOperator", "SSHOperator")
_COMMAND_ARGUMENTS = ("bash_command", "cmds", "arguments", "command")


def _function_trains(ctx, name: str) -> bool:
    """A function of this file named as training (`train_model`, `retrain`), or one that calls such
    a function or an estimator's `fit` / `train`."""
    if names_training_program(name):
        return True
    for function in ctx.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef):
        if function.name != name:
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called in ("fit", "train") or names_training_program(called):
                    return True
    return False


def _python_task_trains(ctx, call: ast.Call) -> bool:
    """A PythonOperator (or a virtualenv / external Python one) whose callable trains."""
    if not call_name_of(ctx, call).endswith(("PythonOperator", "PythonVirtualenvOperator", "ExternalPythonOperator")):
        return False
    callable_ = next((k.value for k in call.keywords if k.arg == "python_callable"), None)
    name = callable_.id if isinstance(callable_, ast.Name) else getattr(callable_, "attr", None)
    return bool(name) and _function_trains(ctx, name)


def call_name_of(ctx, call: ast.Call) -> str:
    return (ctx.qualname(call.func) or "").rsplit(".", 1)[-1]


def _taskflow_trains(ctx) -> bool:
    """A TaskFlow `@task` function that trains."""
    for function in ctx.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef):
        for decorator in function.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            qual = ctx.qualname(target) or ""
            if qual.startswith("airflow") and qual.split(".")[-1] == "task" or qual.startswith("airflow.decorators.task"):
                if _function_trains(ctx, function.name):
                    return True
    return False


def _operator_trains(ctx, call: ast.Call, budget: dict) -> bool:
    qual = ctx.qualname(call.func) or ""
    last = qual.rsplit(".", 1)[-1]
    if qual.startswith("airflow") and re.search(r"Training|Tuning|CustomJob|TrainingJob", last):
        return True
    if qual.startswith("airflow") and _python_task_trains(ctx, call):
        return True
    if last not in _COMMAND_OPERATORS:
        return False
    for kw in call.keywords:
        texts = [c.value for c in ast.walk(kw.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
        if kw.arg in _COMMAND_ARGUMENTS and _trains(" ".join(texts), budget):
            return True
    return False


@detector("GL404", "python")
def fixed_schedule_training_python(ctx) -> None:
    if not ctx.imports.uses("airflow"):
        return
    budget = ctx.options("GL404")
    if not any(_operator_trains(ctx, call, budget) for call in ctx.calls) and not _taskflow_trains(ctx):
        return
    for call in ctx.calls:
        if (ctx.qualname(call.func) or "") not in _AIRFLOW_DAG:
            continue
        for kw in call.keywords:
            if kw.arg not in ("schedule", "schedule_interval"):
                continue
            value = ctx.literal(kw.value)
            if isinstance(value, str) and value not in ("@once", "None", "") and not value.startswith("Dataset"):
                ctx.report("GL404", kw.value,
                           f"this DAG trains a model on a fixed schedule ('{value}'): {_WHY_SCHEDULE}",
                           {"schedule": value, "platform": "airflow"})
