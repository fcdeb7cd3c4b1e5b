"""Which calls of a function place compute, for GL401's parameter defaults: a default such as
`location="us-central1"` places a job when the parameter (or a local name built from it)
reaches a call named `create_*` / `submit_*` / `run_*` / `launch_*` / `start_*` of a job,
pipeline, cluster or instance, or `deploy_*`. And the strings a module writes to its names
(a literal, or an environment lookup's default). Not a rule.
"""
from __future__ import annotations

import ast
from typing import Iterator

from ..frontends.python import parameter_defaults
from .cloud import str_const
from ..frontends.pyast import chain_root, walk
from ..frontends.bindings import module_statements


def string_defaults(function) -> Iterator[tuple[str, ast.Constant]]:
    """(parameter, string default) of each parameter of `function` with a string constant default."""
    for param, default in parameter_defaults(function):
        if str_const(default) is not None:
            yield param.arg, default


# `<verb>_<object>` method names that place compute: the Google Cloud client libraries' job and
# pipeline creators and `deploy_model`, the SDKs' `create_cluster`, `create_instance`, `run_job`.
_PLACING_VERBS = {"create", "deploy", "submit", "launch", "run", "start"}
_COMPUTE_OBJECTS = {"job", "jobs", "pipeline", "training", "tuning", "cluster", "instance", "instances", "pool",
                    "notebook", "runtime", "workstation"}


def _places_by_name(name: str, data_words: frozenset[str]) -> bool:
    words = name.lower().split("_")
    objects = set(words[1:])
    if words[0] not in _PLACING_VERBS or objects & data_words:
        return False
    return words[0] == "deploy" or bool(objects & _COMPUTE_OBJECTS)  # `create_endpoint` alone runs nothing


def derived_names(function, param: str) -> set[str]:
    """`param` and the local names built from it (`parent = f"projects/{p}/locations/{location}"`, also
    `request.parent = f"..."`: the request carries it)."""
    names = {param}
    assignments = [n for n in walk(function) if isinstance(n, ast.Assign)]
    for _ in range(4):
        grown = {root.id for a in assignments for t in a.targets if isinstance(root := chain_root(t), ast.Name)
                 and any(isinstance(v, ast.Name) and v.id in names for v in walk(a.value))}
        if grown <= names:
            break
        names |= grown
    return names


def reaches_placing_call(function, param: str, data_words: frozenset[str]) -> bool:
    """`param`, or a local built from it, is given to a call whose name places compute, or is the
    object such a method is called on (`deployer = Deployer(SageMakerConfig(region=region))`, then
    `deployer.deploy_endpoint(...)`: the object carries the region)."""
    names = derived_names(function, param)
    for call in walk(function):
        if not isinstance(call, ast.Call):
            continue
        method = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if not _places_by_name(method, data_words):
            continue
        receiver = chain_root(call.func.value) if isinstance(call.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name) and receiver.id in names:
            return True
        arguments = list(call.args) + [k.value for k in call.keywords]
        if any(isinstance(v, ast.Name) and v.id in names for a in arguments for v in walk(a)):
            return True
    return False


def _single_string_targets(tree: ast.Module) -> Iterator[tuple[str, ast.Constant | None, int]]:
    """(name, string value or None, number of targets) of each module-level assignment to a name."""
    for stmt in module_statements(tree):
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = written_string(stmt.value)
            for t in targets:
                if isinstance(t, ast.Name):
                    yield t.id, value, len(targets)


_ENV_LOOKUPS = {("os", "getenv"), ("environ", "get")}


def written_string(value: ast.AST | None) -> ast.Constant | None:
    """The string an assignment writes: a literal, or the default of an environment lookup
    (`os.getenv("GCP_LOCATION", "us-central1")`, `os.environ.get(...)`; also the literal after
    lookups chained with `or`, `getenv("A") or getenv("B") or "us-central1"`, also after an argument,
    `region_name or getenv("AWS_REGION") or "us-east-1"`), the value the code runs with unless
    someone sets the variable or passes the argument."""
    if str_const(value) is not None:
        return value  # type: ignore[return-value]
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and str_const(value.values[-1]) is not None \
            and any(_environment_lookup(v) for v in value.values[:-1]) \
            and all(_environment_lookup(v) or isinstance(v, (ast.Name, ast.Attribute)) or _mapping_lookup(v)
                    for v in value.values[:-1]):
        return value.values[-1]  # type: ignore[return-value]  # `region_name or getenv("AWS_REGION") or "us-east-1"`
    if _environment_lookup(value) and len(value.args) == 2 and str_const(value.args[1]) is not None:  # type: ignore[union-attr]
        return value.args[1]  # type: ignore[union-attr,return-value]
    return None


def _mapping_lookup(value: ast.AST) -> bool:
    """`data.get("location")`: a setting the caller may give, as an argument is."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "get" \
        and len(value.args) == 1 and not value.keywords


def _environment_lookup(value: ast.AST | None) -> bool:
    """`os.getenv(...)`, `os.environ.get(...)`, or `getenv(...)` imported from os."""
    if not isinstance(value, ast.Call) or not 1 <= len(value.args) <= 2:
        return False
    if isinstance(value.func, ast.Name):
        return value.func.id == "getenv"
    return isinstance(value.func, ast.Attribute) \
        and (getattr(value.func.value, "attr", getattr(value.func.value, "id", None)), value.func.attr) in _ENV_LOOKUPS


def module_strings(tree: ast.Module) -> dict[str, ast.Constant]:
    """NAME = "..." bound exactly once at module level."""
    strings: dict[str, ast.Constant] = {}
    rebound: set[str] = set()
    for name, value, count in _single_string_targets(tree):
        if name in strings or name in rebound:
            rebound.add(name)
            strings.pop(name, None)
        elif count == 1 and value is not None:
            strings[name] = value
        else:
            rebound.add(name)
    return strings

# Keywords that hand values to the program a job runs, and keywords that name that program (the
# project's own script): SageMaker processors and estimators, Vertex AI custom jobs.
_PROGRAM_INPUTS = {"arguments", "args", "hyperparameters", "environment", "environment_variables", "container_arguments"}
_PROGRAM_NAMES = {"code", "entry_point", "script_path", "python_module", "python_module_name", "source_dir"}


def _names_a_program(call: ast.Call) -> bool:
    return any(kw.arg in _PROGRAM_NAMES for kw in call.keywords)


def handed_to_a_jobs_program(ctx, read: ast.Name) -> bool:
    """`processor.run(code="prep.py", arguments=["--region", REGION])`, an estimator's
    `hyperparameters={"region": REGION}` beside `entry_point="train.py"`: the job's own script is
    told which region to call, as a container's environment tells its SDK. The job is placed by
    its session or location, read on their own."""
    for anc in ctx.ancestors(read):
        if isinstance(anc, ast.keyword):
            call = ctx.parent(anc)
            return anc.arg in _PROGRAM_INPUTS and isinstance(call, ast.Call) \
                and (_names_a_program(call) or _receiver_names_a_program(ctx, call))
        if not isinstance(anc, (ast.List, ast.Tuple, ast.Dict, ast.JoinedStr, ast.FormattedValue)):
            return False
    return False


def _receiver_names_a_program(ctx, call: ast.Call) -> bool:
    """`job = CustomTrainingJob(script_path="task.py", ...)`, then `job.run(args=[...])`."""
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    values = ctx.bound_values(receiver) if isinstance(receiver, ast.Name) else []
    return len(values) == 1 and isinstance(values[0], ast.Call) and _names_a_program(values[0])
