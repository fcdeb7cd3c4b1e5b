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
from .commands import ShellCommand, is_training_command, names_training_program, runs_tests, script_commands, tiny_budget
from .training_code import training_code
from ..frontends.pyast import walk

_WHY_SCHEDULE = (
    "a fixed cron runs whatever the grid's carbon intensity is at that hour; shift the start to a cleaner "
    "hour with a carbon-aware trigger (Carbon Aware SDK, Electricity Maps or WattTime forecasts)"
)

# --------------------------------------------------------------------------------------
# config reader


# Words that name the act of training: a subcommand (`python main.py train`, `yolo train`) or the
# value of a mode flag (`--mode train`) selects the training path of a program named for nothing.
_TRAIN_VERBS = {"train", "training", "retrain", "fit", "finetune", "fine-tune", "pretrain"}
_MODE_FLAGS = {"mode", "task", "stage", "phase", "action", "job", "command", "cmd", "do", "run", "step", "entrypoint"}
_QUIET = re.compile(r"\b(pytest|unittest|tox|lint|flake8|ruff|mypy|pre-commit|--help)\b", re.I)
# Shell tools whose arguments are text or paths, never a subcommand (`echo train`, `git checkout train`).
_SHELL_TOOLS = {"echo", "printf", "cd", "git", "cat", "ls", "mkdir", "cp", "mv", "rm", "export", "pip", "pip3", "conda"}
_FIT_NAME = re.compile(r"^fit(?:$|[_\-.A-Z0-9])")


def names_training(name: str) -> bool:
    """A program, function, task or DAG name that says it trains: `commands.names_training_program`
    (`train_model`, `retrain`, `model_training`), or `fit` as its first word (`fit_model.py`)."""
    base = name.rsplit("/", 1)[-1]
    return names_training_program(name) or (bool(_FIT_NAME.match(base)) and names_training_program("train" + base[3:]))


# Environment managers that run the command after them: `uv run stocks-ml train`, `poetry run ...`.
_LAUNCHERS = {"uv", "poetry", "pipenv", "pdm", "hatch", "rye"}


def _program_and_rest(words: tuple) -> tuple[str, list[str]]:
    """The program a command runs and its arguments: for `python x.py a` (also behind `poetry run`,
    `uv run`) the script or module; else the first word, after a launcher (`uv run tool train`)."""
    if len(words) > 2 and words[0] in _LAUNCHERS and words[1] == "run":
        rest = list(words[2:])
        while len(rest) > 1 and rest[0].startswith("-"):
            rest.pop(0)
        return _program_and_rest(tuple(rest))
    for i, word in enumerate(words):
        base = word.rsplit("/", 1)[-1]
        if base.endswith(".py") and i == 0:
            return base[:-3], list(words[1:])
        if base.startswith("python"):
            rest = list(words[i + 1:])
            while rest and rest[0].startswith("-") and rest[0] != "-m":
                rest.pop(0)
            if rest[:1] == ["-m"] and len(rest) > 1:
                return rest[1], rest[2:]
            if rest and rest[0].endswith(".py"):
                return rest[0].rsplit("/", 1)[-1][:-3], rest[1:]
            return "", []
    return (words[0].rsplit("/", 1)[-1] if words else ""), list(words[1:])


def _selects_training(command: ShellCommand) -> bool:
    """A command whose own name says nothing but that selects training: a `train` subcommand
    (`python main.py train`, `yolo train`), a mode flag (`--mode train`, `--task=fit`), or a
    program named `fit...` (`fit_model.py`)."""
    program, rest = _program_and_rest(command.words)
    if not program or program in _SHELL_TOOLS:
        return False
    if names_training(program):
        return True
    subcommands = []
    for word in rest:
        if word.startswith("-"):
            break
        subcommands.append(word.lower())
    return bool(set(subcommands[:2]) & _TRAIN_VERBS) or any(
        name in _MODE_FLAGS and value.lower() in _TRAIN_VERBS for name, value, _ in command.flags())


def _trains(commands: str, budget: dict) -> bool:
    """The commands train with a real budget and do not run a test suite (a job that runs one
    smoke-trains, if it trains at all, to test the code)."""
    if runs_tests(commands):
        return False
    if is_training_command(commands, budget):
        return True
    # Read as a script: a bash array's values (`images=( ["model_training"]=... )`) run nothing.
    return any(_selects_training(command) and not _QUIET.search(text) and not tiny_budget(text, budget)
               for command in script_commands(commands) for text in [" ".join(command.words)])


def _runs_program(text: str) -> bool:
    """A `run:` text that starts a program of the project: a Python script or module, a shell script."""
    for command in script_commands(text):
        program, _ = _program_and_rest(command.words)
        if program and (program != command.program or command.program.endswith(".sh")):
            return True
        if command.program in ("bash", "sh") and any(w.endswith(".sh") for w in command.words[1:]):
            return True
    return False


def _named_training_runs(ident: str, job, budget: dict) -> bool:
    """The job (its id or `name:`), or one of its steps (`name: Run retraining`), is named as
    training and runs a program of the project there: the name a workflow gives a job or step says
    what it runs, as an Argo template's does."""
    steps = job.get("steps")
    runs = []
    for step in (steps.value if steps is not None and steps.is_seq else []):
        run = step.get("run") if step.is_map else None
        name = step.get("name") if step.is_map else None
        text = run.str() if run is not None else None
        if not text or runs_tests(text) or _QUIET.search(text) or tiny_budget(text, budget):
            continue
        runs.append(text)
        if name is not None and name.str() and names_training(name.str()) and _runs_program(text):
            return True
    job_name = job.get("name")
    named = names_training(ident) or (job_name is not None and bool(job_name.str()) and names_training(job_name.str()))
    return named and any(_runs_program(t) for t in runs) and not runs_tests("\n".join(runs))


def _job_trains(ident: str, job, budget: dict) -> bool:
    """A GitHub Actions job whose `run:` steps train, or that is named as training and runs a program."""
    steps = job.get("steps")
    texts = []
    if steps is not None and steps.is_seq:
        for step in steps.value:
            run = step.get("run") if step.is_map else None
            if run is not None and run.str():
                texts.append(run.str())
    return _trains("\n".join(texts), budget) or _named_training_runs(str(ident), job, budget)


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
    container or script, or a container named so (`- name: retrain`, `image: ...`): the name a
    schedule gives a step says what it runs, like `train.py` does."""
    for path, node in body.walk():
        if not path or not isinstance(path[-1], int) or len(path) < 2 or not node.is_map:
            continue
        runs = node.get("container") is not None or node.get("script") is not None \
            if path[-2] == "templates" else path[-2] == "containers" and node.get("image") is not None
        name = node.get("name")
        if runs and name is not None and name.str() and names_training(name.str()):
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
    training_jobs = [name for name, job in jobs.items() if job.is_map and _job_trains(name, job, budget)]
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
# Python reader: Airflow DAGs

_AIRFLOW_DAG = {"airflow.DAG", "airflow.models.DAG", "airflow.models.dag.DAG", "airflow.decorators.dag", "airflow.sdk.DAG",
                "airflow.sdk.dag"}
_COMMAND_OPERATORS = ("BashOperator", "KubernetesPodOperator", "DockerOperator", "SSHOperator")
_COMMAND_ARGUMENTS = ("bash_command", "cmds", "arguments", "command")
_PYTHON_OPERATORS = ("PythonOperator", "PythonVirtualenvOperator", "ExternalPythonOperator", "DockerDecoratedOperator")
# Operators that run no work of their own: their task_id names a point in the DAG, not a job.
_NO_WORK_OPERATOR = re.compile(r"Empty|Dummy|Sensor|Branch|ShortCircuit|LatestOnly|Email|Slack|Notifier|Label")
# Where Airflow reads a DAG's schedule: `schedule_interval` (1.x-2.x), `timetable` (2.2-2.3), `schedule` (2.4+).
_SCHEDULE_KEYWORDS = ("schedule", "schedule_interval", "timetable")
_NOT_A_CLOCK = ("@once", "@continuous", "None", "")
# A fixed interval (`timedelta(days=1)`, pendulum `duration(hours=6)`) or a clock timetable.
_INTERVAL_CALLS = {"timedelta", "duration", "relativedelta", "Duration"}
_CLOCK_TIMETABLES = {"CronTriggerTimetable", "CronDataIntervalTimetable", "DeltaDataIntervalTimetable",
                     "DeltaTriggerTimetable", "MultipleCronTriggerTimetable", "EventsTimetable",
                     "CronPartitionTimetable", "DatasetOrTimeSchedule", "AssetOrTimeSchedule"}


def _name_of_call(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _string_of(node) -> str | None:
    """A string constant, or the constant parts of an f-string (`f"{prefix}train_model"` -> `train_model`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return None


def _keyword(call: ast.Call, *names: str):
    return next((k.value for k in call.keywords if k.arg in names), None)


def _function_trains(ctx, name: str) -> bool:
    """A function trains when its name says so (`train_model`, `retrain`, `fit_model`: the name
    speaks for work the file cannot classify, a subprocess or a service call), when it calls a
    function named so, or when its body trains (the shared `training_code` answer: a fit, a
    training API, a gradient step, or a call of such a function). Not a function of the file whose
    body does work, all of it with Python's builtins and standard library (`return randint(1,
    10)`): a toy trains nothing, whatever its name. A placeholder body (`pass`, `...`, a
    docstring) shows nothing, so its name speaks."""
    defined = [f for f in ctx.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef) if f.name == name]
    if defined and all(_runs_only_the_standard_library(ctx, f) for f in defined):
        return False
    if names_training(name):
        return True
    for function in defined:
        if training_code(ctx).function_trains(function):
            return True
        # a call of a function named as training (`train_model(df)`); a method's name says less:
        # `scaler.fit` computes statistics, which `training_code` already tells apart
        if any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and names_training(node.func.id)
               for node in walk(function)):
            return True
    return False


_STANDARD_MODULES = ("random", "math", "time", "datetime", "logging", "json", "statistics")


def _runs_only_the_standard_library(ctx, function: ast.AST) -> bool:
    """The body does work (more than a placeholder), and every call in it is a builtin (`print`,
    `len`) or a function of the standard modules that compute, log or wait (`random.randint`,
    `time.sleep`, `logging.info`)."""
    import builtins

    body = [stmt for stmt in getattr(function, "body", [])
            if not (isinstance(stmt, ast.Pass) or isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
    if not body:
        return False  # `pass`, `...`, a docstring: a placeholder, whose name speaks
    for node in walk(function):
        if not isinstance(node, ast.Call):
            continue
        qual = ctx.qualname(node.func) or ""
        if qual.split(".", 1)[0] in _STANDARD_MODULES:
            continue
        if isinstance(node.func, ast.Name) and not qual and node.func.id not in ctx.functions \
                and hasattr(builtins, node.func.id):
            continue
        return False
    return True


def _python_task_trains(ctx, call: ast.Call) -> bool:
    """A PythonOperator (or a virtualenv / external Python one) whose callable trains."""
    if not call_name_of(ctx, call).endswith(_PYTHON_OPERATORS):
        return False
    callable_ = _keyword(call, "python_callable")
    name = callable_.id if isinstance(callable_, ast.Name) else getattr(callable_, "attr", None)
    return bool(name) and _function_trains(ctx, name)


def call_name_of(ctx, call: ast.Call) -> str:
    return (ctx.qualname(call.func) or "").rsplit(".", 1)[-1]


def _is_airflow_task_decorator(ctx, decorator) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    while isinstance(target, ast.Attribute) and target.attr in ("python", "virtualenv", "external_python", "docker",
                                                                "kubernetes", "bash"):
        target = target.value  # `@task.virtualenv`, `@task.docker`: the same task, run elsewhere
    qual = ctx.qualname(target) or ""
    return qual.startswith("airflow") and qual.split(".")[-1] == "task"


def _taskflow_trains(ctx, region: set | None) -> bool:
    """A TaskFlow `@task` function (in the DAG's region when it has one) that trains."""
    for function in ctx.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef):
        if region is not None and function not in region and not _called_in(function.name, region):
            continue
        if any(_is_airflow_task_decorator(ctx, d) for d in function.decorator_list) and _function_trains(ctx, function.name):
            return True
    return False


def _called_in(name: str, region: set) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name for n in region)


def _dag_id(call: ast.Call) -> str | None:
    value = _keyword(call, "dag_id") or (call.args[0] if call.args else None)
    return _string_of(value)


def _triggers_training_dag(ctx, call: ast.Call, callee: str, budget: dict) -> bool:
    """`TriggerDagRunOperator(trigger_dag_id=...)`, or Airflow's API `trigger_dag(dag_id=...)` (the
    function, or the method of its `Client`), starting a DAG named as training, or a DAG of this
    file that trains: the schedule that fires the trigger starts the training. `callee`: the last
    part of the call's qualname."""
    if callee == "TriggerDagRunOperator":
        target = _string_of(_keyword(call, "trigger_dag_id"))
    elif callee == "trigger_dag":
        target = _dag_id(call)
    else:
        return False
    if not target:
        return False
    if names_training(target):
        return True
    return any(_dag_id(dag) == target and _region_trains(ctx, dag, budget, follow_triggers=False) for dag in _dags(ctx))


def _task_named_training(ctx, call: ast.Call) -> bool:
    """An operator that runs work and whose task_id says it trains (`run_model_training`), unless
    its work is a function of this file that runs only the standard library (a toy)."""
    task_id = _string_of(_keyword(call, "task_id"))
    callable_ = _keyword(call, "python_callable")
    if isinstance(callable_, ast.Name) and callable_.id in ctx.functions \
            and _runs_only_the_standard_library(ctx, ctx.functions[callable_.id]):
        return False
    return bool(task_id) and names_training(task_id) and not _NO_WORK_OPERATOR.search(call_name_of(ctx, call))


def _operator_trains(ctx, call: ast.Call, budget: dict, follow_triggers: bool = True) -> bool:
    qual = ctx.method_qualname(call) or ""
    if not qual.startswith("airflow"):
        return False
    last = qual.rsplit(".", 1)[-1]
    if re.search(r"Training|Tuning|CustomJob|TrainingJob", last) or _python_task_trains(ctx, call):
        return True
    if last.endswith("Operator") and _task_named_training(ctx, call):
        return True
    if follow_triggers and _triggers_training_dag(ctx, call, last, budget):
        return True
    if last not in _COMMAND_OPERATORS:
        return False
    for kw in call.keywords:
        if kw.arg in _COMMAND_ARGUMENTS and _trains(" ".join(_command_texts(ctx, kw.value)), budget):
            return True
    return False


def _command_texts(ctx, value) -> list[str]:
    """The strings of a command argument, a module-level name bound to one followed (`bash_command=cmd`)."""
    if isinstance(value, ast.Name):
        value = ctx.expression_of(value) or value
    return [c.value for c in walk(value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]


def _dags(ctx) -> list[ast.Call]:
    return ctx.memo("gl404-dags", lambda: [c for c in ctx.calls if (ctx.qualname(c.func) or "") in _AIRFLOW_DAG])


def _dag_region(ctx, dag: ast.Call) -> set | None:
    """The nodes whose tasks belong to this DAG: its `with` block, its `@dag` function, and the
    operators given `dag=<its name>`; None when the file holds only this DAG (every task is its)."""
    if len(_dags(ctx)) == 1:
        return None
    region: set = set()
    parent = ctx.parent(dag)
    if isinstance(parent, ast.withitem):
        with_stmt = ctx.parent(parent)
        region.update(n for stmt in with_stmt.body for n in walk(stmt))
    elif isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) and dag in parent.decorator_list:
        region.update(n for stmt in parent.body for n in walk(stmt))
    elif isinstance(parent, ast.Assign):
        names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
        for call in ctx.calls:
            given = _keyword(call, "dag")
            if isinstance(given, ast.Name) and given.id in names:
                region.update(walk(call))
    return region


def _region_trains(ctx, dag: ast.Call, budget: dict, follow_triggers: bool = True) -> bool:
    """Some task of the DAG trains, or the DAG's id says it trains and it runs work."""
    region = _dag_region(ctx, dag)
    calls = [c for c in ctx.calls if region is None or c in region]
    if any(_operator_trains(ctx, c, budget, follow_triggers) for c in calls) or _taskflow_trains(ctx, region):
        return True
    dag_id = _dag_id(dag)
    if isinstance(ctx.parent(dag), (ast.FunctionDef, ast.AsyncFunctionDef)) and not dag_id:
        dag_id = ctx.parent(dag).name  # `@dag def retrain_pipeline():` is the DAG id
    return bool(dag_id) and names_training(dag_id) and any(_runs_work(ctx, c) for c in calls)


def _runs_work(ctx, call: ast.Call) -> bool:
    name = call_name_of(ctx, call)
    return (ctx.qualname(call.func) or "").startswith("airflow") and name.endswith("Operator") and not _NO_WORK_OPERATOR.search(name)


def fixed_schedule(ctx, node) -> str | None:
    """The fixed clock a schedule argument sets (`'@daily'`, `'0 3 * * *'`, `timedelta(days=1)`,
    `CronTriggerTimetable(...)`), or None: no schedule, `@once`, data-driven (datasets, assets),
    or a value the code does not show."""
    expr = ctx.expression_of(node) if isinstance(node, ast.Name) else node
    if expr is None:
        return None
    value = ctx.literal(expr)
    if isinstance(value, str):
        return None if value in _NOT_A_CLOCK or value.startswith("Dataset") else value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return f"every {value:g} s"  # Prefect's `interval=3600`: seconds
    if isinstance(expr, ast.Call) and (_name_of_call(expr) in _INTERVAL_CALLS or _name_of_call(expr) in _CLOCK_TIMETABLES):
        text = ast.unparse(expr)
        return text if len(text) <= 60 else text[:57] + "..."
    return None


def _airflow_dags(ctx, budget: dict) -> None:
    for dag in _dags(ctx):
        schedule = next((k.value for k in dag.keywords if k.arg in _SCHEDULE_KEYWORDS), None)
        value = fixed_schedule(ctx, schedule) if schedule is not None else None
        if value is None or not _region_trains(ctx, dag, budget):
            continue
        ctx.report("GL404", schedule,
                   f"this DAG trains a model on a fixed schedule ('{value}'): {_WHY_SCHEDULE}",
                   {"schedule": value, "platform": "airflow"})


@detector("GL404", "python")
def fixed_schedule_training_python(ctx) -> None:
    budget = ctx.options("GL404")
    if ctx.imports.uses("airflow"):
        _airflow_dags(ctx, budget)
    if ctx.imports.uses("prefect"):
        _prefect_schedules(ctx)
    if ctx.imports.uses("dagster"):
        _dagster_schedules(ctx)


# Prefect and Dagster: a flow or job of this file, started on a fixed clock, that trains.

def _local_function(ctx, node):
    """The function of this file a flow or job argument names (`train_flow`, `train_flow.serve`)."""
    name = node.id if isinstance(node, ast.Name) else None
    function = ctx.functions.get(name) if name else None
    return function if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _runs_training(ctx, function) -> bool:
    """A flow or job that trains: named so, or its body trains (following its tasks and ops)."""
    return function is not None and (names_training(function.name) or _function_trains(ctx, function.name))


def _report_orchestrated(ctx, schedule, platform: str, what: str) -> None:
    value = fixed_schedule(ctx, schedule) if schedule is not None else None
    if value is not None:
        ctx.report("GL404", schedule, f"this {platform} {what} trains a model on a fixed schedule ('{value}'): {_WHY_SCHEDULE}",
                   {"schedule": value, "platform": platform.lower()})


def _prefect_schedules(ctx) -> None:
    """`train_flow.serve(cron=...)` / `.deploy(cron=...)` (Prefect 2.10+), `interval=`, and
    `Deployment.build_from_flow(flow=train_flow, schedule=CronSchedule(cron=...))` (Prefect 2)."""
    for call in ctx.calls:
        name = _name_of_call(call)
        if name in ("serve", "deploy", "to_deployment") and isinstance(call.func, ast.Attribute):
            flow = _local_function(ctx, call.func.value)
            schedule = _keyword(call, "cron", "interval")
        elif name == "build_from_flow":
            flow = _local_function(ctx, _keyword(call, "flow") or (call.args[0] if call.args else None))
            built = _keyword(call, "schedule")
            schedule = _keyword(built, "cron", "interval") if isinstance(built, ast.Call) else built
        else:
            continue
        if _runs_training(ctx, flow):
            _report_orchestrated(ctx, schedule, "Prefect", "flow")


def _dagster_schedules(ctx) -> None:
    """`ScheduleDefinition(job=train_job, cron_schedule=...)` and `@schedule(cron_schedule=...,
    job=train_job)` where `train_job` is a `@job` of this file that trains, or an asset job of
    this file (`define_asset_job("training_job", AssetSelection.groups("TrainingPhase"))`) whose
    name or selected asset groups say it trains."""
    for call in ctx.calls:
        if _name_of_call(call) not in ("ScheduleDefinition", "schedule"):
            continue
        job = _keyword(call, "job")
        if _runs_training(ctx, _local_function(ctx, job)) or _asset_job_trains(ctx, job):
            _report_orchestrated(ctx, _keyword(call, "cron_schedule"), "Dagster", "job")


def _asset_job_trains(ctx, node) -> bool:
    job = ctx.expression_of(node)
    if not (isinstance(job, ast.Call) and _name_of_call(job) == "define_asset_job"):
        return False
    names = [s.value for s in walk(job) if isinstance(s, ast.Constant) and isinstance(s.value, str)]
    return any(names_training(name) for name in names)
