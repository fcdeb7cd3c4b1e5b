"""GL402 legacy-accelerator: an instance or accelerator type of an old GPU generation.

Config reader: values under keys that choose hardware. Python reader: hardware keyword
arguments, dictionary entries and constants, and the Vertex AI accelerator enums.
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from . import detector
from ..frontends.python import call_name, kwarg, parameter_defaults
from .cloud import MODEL_KEYS, accelerator_finding, effective_key, is_test_suite, legacy_accelerator, norm, str_const
from .commands import report_word, shell_commands, shell_variables, variable_name
from .region_keys import DESCRIPTIVE_KEYS
from ..frontends.pyast import walk

_ACCEL_KEY_WORDS = ("instance", "machine", "accelerator", "gpu", "vmsize", "size", "sku", "type", "flavor",
                    "node", "compute", "default", "hardware", "resource", "tier")
_CATALOGUE_WORDS = ("allowed", "valid", "supported", "choices", "options", "enum", "deprecated", "legacy",
                    "blocked", "denied", "forbidden", "exclude", "retired",
                    # GKE node auto-provisioning's `resourceLimits`: a cap allows a type, a workload chooses it
                    "limits")


def _chooses_hardware(path: tuple) -> bool:
    """The value at `path` sits under a key that chooses hardware, outside any list of allowed or
    retired types, and outside the labels, tags or annotations that describe a resource (a GKE
    node pool's `labels = { accelerator = "nvidia-tesla-p100" }` tags what `guest_accelerator`
    chose; labels a `nodeSelector` lists choose)."""
    key, _ = effective_key(path)
    if key is None or _describes(path):
        return False
    nkey = norm(key)
    if not any(w in nkey for w in _ACCEL_KEY_WORDS) and not nkey.startswith("cloud.google.com/gke-accelerator"):
        return False
    return not any(w in norm(step) for step in path if isinstance(step, str) for w in _CATALOGUE_WORDS)


# Records of one table: a list of at least this many maps, each naming a different type under
# the same key, lists what exists (a generated vCPU or price table), not what a workload runs on.
_TABLE_ROWS = 10


def _a_table_row(doc, path: tuple) -> bool:
    """`[{instanceType: p2.xlarge, vcpu: 4}, {instanceType: p3.2xlarge, vcpu: 8}, ...]`."""
    if len(path) < 2 or not isinstance(path[-2], int) or not isinstance(path[-1], str):
        return False
    rows = doc.find(*path[:-2])
    if rows is None or not rows.is_seq or len(rows.value) < _TABLE_ROWS:
        return False
    named = {str(cell.value) for row in rows.value if row.is_map and (cell := row.get(path[-1])) is not None
             and cell.is_scalar}
    return len(named) >= _TABLE_ROWS


def _a_catalogue_item(doc, path: tuple) -> bool:
    """One of several types listed under a plural hardware key (`vm_sizes = ["Standard_D8s_v3",
    "Standard_NC6", ...]`): candidates to loop over or compare, as the same list bound to a Python
    variable is; a list of one type chooses it. Also a row of a table of types (`_a_table_row`)."""
    if _a_table_row(doc, path):
        return True
    if not path or not isinstance(path[-1], int):
        return False
    key, _ = effective_key(path)
    listed = doc.find(*path[:-1])
    return key is not None and norm(key).endswith("s") and listed is not None and listed.is_seq and len(listed.value) > 1


def _describes(path: tuple) -> bool:
    steps = [norm(step) for step in path[:-1] if isinstance(step, str)]
    described = next((i for i, step in enumerate(steps) if step in DESCRIPTIVE_KEYS), None)
    return described is not None and not any("selector" in step for step in steps[:described])


# Flags of cloud CLIs that choose hardware (gcloud, aws, az); `--accelerator type=nvidia-tesla-k80,count=1`.
_HARDWARE_FLAGS = {"machinetype", "mastermachinetype", "workermachinetype", "parameterservermachinetype",
                   "evaluatormachinetype", "instancetype", "instancetypes", "vmsize", "size", "nodevmsize",
                   "accelerator", "acceleratortype", "masteraccelerator", "workeraccelerator", "scaletier",
                   "nodetype", "machinetypes", "workerpoolspec"}


def _flag_hardware(value: str) -> Iterator[str]:
    """Hardware names in a flag value: the value, or the `type=` / `machine-type=` / `accelerator-type=`
    parts of a `key=value,...` list."""
    if "=" not in value:
        yield value
        return
    for part in value.split(","):
        key, _, item = part.partition("=")
        if norm(key) in ("type", "machinetype", "acceleratortype", "instancetype"):
            yield item


def shell_accelerators(ctx) -> None:
    """GL402 for the hardware flags of cloud CLI commands the file runs. In a shell script a flag
    that reads a variable (`--accelerator type=$GPU,count=1`) is reported where the script sets
    it (`GPU=nvidia-tesla-k80`), once, as GL401 does for `--region=$REGION`."""
    variables = shell_variables(ctx.text) if ctx.kind == "shell" else {}
    reported: set[str] = set()
    for command in shell_commands(ctx):
        if command.cloud is None:
            continue
        for flag, value, index in command.flags():
            if flag not in _HARDWARE_FLAGS:
                continue
            for name in _flag_hardware(value):
                variable = variable_name(name)
                if variable is not None:
                    if variable in variables and variable not in reported:
                        reported.add(variable)
                        _report_variable(ctx, *variables[variable])
                    continue
                row = legacy_accelerator(name)
                if row is not None:
                    message, impact, severity = accelerator_finding(name, row)
                    report_word(ctx, "GL402", command, index, name, message, impact, severity)


def _report_variable(ctx, value: str, line: int, column: int) -> None:
    row = legacy_accelerator(value)
    if row is not None:
        message, impact, severity = accelerator_finding(value, row)
        ctx.report_at("GL402", line, column + 1, line, column + 1 + len(value), message, impact, severity=severity)


def _names_models(path: tuple) -> bool:
    key, _ = effective_key(path)
    return key is not None and norm(key) in MODEL_KEYS


def _counted_accelerator(path: tuple) -> str | None:
    """SkyPilot's `accelerators: {V100: 4}`: the GPU is the key, its count the value."""
    if len(path) >= 2 and isinstance(path[-1], str) and isinstance(path[-2], str) and norm(path[-2]) == "accelerators":
        return path[-1]
    return None


@detector("GL402", "config")
def legacy_accelerator_config(ctx) -> None:
    if is_test_suite(ctx):
        return
    for doc in ctx.documents:
        for path, node in doc.walk():
            if not node.is_scalar or node.opaque:
                continue
            counted = not isinstance(node.value, str)  # `{V100: 4}`: the name is the key
            name = _counted_accelerator(path) if counted else node.value
            key_path = path[:-1] if counted else path
            row = legacy_accelerator(name, by_model=_names_models(key_path)) if name else None
            if row is None or not _chooses_hardware(key_path) or _a_catalogue_item(doc, key_path):
                continue
            message, impact, severity = accelerator_finding(name, row)
            ctx.report("GL402", node, message, impact, severity=severity)
    shell_accelerators(ctx)


_ACCEL_KWARGS = {"instancetype", "instancetypes", "machinetype", "acceleratortype", "accelerators", "vmsize", "size", "gputype",
                 "traininstancetype", "trainerinstancetype", "inferenceinstancetype", "processinginstancetype", "defaultinstancetype",
                 "scaletier", "mastertype", "workertype", "parameterservertype", "evaluatortype"}
_ACCEL_NAME_WORDS = ("instancetype", "machinetype", "acceleratortype", "gputype", "vmsize")
_LEGACY_ENUM = re.compile(r"NVIDIA_TESLA_(K80|P4|P100|V100)")


def _strings(node: ast.AST) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.List, ast.Tuple)):
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                yield elt


def _single_string(node: ast.AST) -> Iterator[ast.Constant]:
    """A variable or an option holds one hardware choice; a list of several types bound to one
    (`instance_types = ["p2.xlarge", "p3.2xlarge"]`) names candidates to loop over or compare."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node


# Kubernetes node labels that choose a node's hardware (GKE accelerator, the well-known instance type).
_HARDWARE_LABELS = {"cloud.google.com/gke-accelerator", "node.kubernetes.io/instance-type",
                    "beta.kubernetes.io/instance-type"}
# Pipeline-step methods whose argument is the accelerator (KFP v2 `task.set_accelerator_type("NVIDIA_TESLA_K80")`).
_ACCEL_SETTERS = {"set_accelerator_type"}


def _chooses_by_name(name: str) -> bool:
    n = norm(name)
    return n in _ACCEL_KWARGS or any(w in n for w in _ACCEL_NAME_WORDS)


def _key_chooses(key: str) -> bool:
    """A keyword, dict key or option named for the hardware, also with a qualifier before it
    (`hvd_instance_type`, `worker_machine_type`); a plural (`allowed_instance_types`) is a list."""
    n = norm(key)
    return n in _ACCEL_KWARGS or n.endswith(_ACCEL_NAME_WORDS)


def _parameter_defaults(function) -> Iterator[ast.AST]:
    """String defaults of hardware-named parameters the function uses
    (`def batch_predict(..., accelerator_type: str = "NVIDIA_TESLA_K80")`): the default chooses the
    hardware of every caller that leaves it out."""
    used = {n.id for stmt in function.body for n in walk(stmt) if isinstance(n, ast.Name)}
    for param, default in parameter_defaults(function):
        if param.arg in used and _chooses_by_name(param.arg):
            yield from _strings(default)


# The keywords that name a node label and give its value (KFP v1/v2 `label_name=` / `value=`,
# kfp-kubernetes `label_key=` / `label_value=`).
_LABEL_KEYWORDS, _LABEL_VALUE_KEYWORDS = ("label_name", "label_key", "key"), ("value", "label_value")


def _call_hardware(node: ast.Call) -> Iterator[ast.AST]:
    """A hardware node label and its value given to a call: KFP `add_node_selector_constraint(
    "cloud.google.com/gke-accelerator", "NVIDIA_TESLA_K80")` (v1 and v2), kfp-kubernetes
    `add_node_selector(task, label_key="cloud.google.com/gke-accelerator", label_value="nvidia-tesla-p4")`:
    the label by position with its value next, or both by keyword. Also `set_accelerator_type("NVIDIA_TESLA_K80")`."""
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    if method in _ACCEL_SETTERS:
        given = node.args[0] if node.args else keywords.get("accelerator")
        yield from _strings(given) if given is not None else ()
        return
    for label, value in zip(node.args, node.args[1:]):
        if str_const(label) in _HARDWARE_LABELS:
            yield from _strings(value)
            return
    label = next((keywords[k] for k in _LABEL_KEYWORDS if k in keywords), None)
    value = next((keywords[k] for k in _LABEL_VALUE_KEYWORDS if k in keywords), None)
    if value is not None and str_const(label) in _HARDWARE_LABELS:
        yield from _strings(value)
    elif value is not None and node.args and str_const(node.args[-1]) in _HARDWARE_LABELS:
        yield from _strings(value)  # `add_node_selector_constraint("cloud.google.com/gke-accelerator", value=...)`


def _overwritten(ctx, assign: ast.Assign) -> bool:
    """The name is read, but no read sees this value: it is bound again first
    (`instance_type = "ml.p3.2xlarge"` then `instance_type = "ml.t2.medium"` before `deploy`); or
    it is a function's local that nothing reads at all (no other file can read it either)."""
    name = assign.targets[0].id  # type: ignore[attr-defined]
    scope = ctx.enclosing_function(assign)
    reads = [n for n in ctx.reads_of(name) if ctx.enclosing_function(n) is scope]
    if not reads:
        return scope is not None and not any(isinstance(n, (ast.Nonlocal, ast.Global)) and name in n.names
                                             for n in walk(scope))
    return not any(v is assign.value for n in reads for v in ctx.bound_values(n))


# Pipeline parameters whose default every execution that does not override it runs with.
_PIPELINE_PARAMETERS = ("ParameterString", "ParameterInteger")


def _bound_choice(ctx, name: ast.Name) -> ast.AST | None:
    """What a name given to a hardware keyword holds: its binding, where a pipeline parameter's
    default (`ParameterString(name="TrainingInstanceType", default_value="ml.p3.2xlarge")`) is the
    value; or, for a parameter of its function that no call of the file gives another value (a
    KFP pipeline's `accelerator_train_type: str = "NVIDIA_TESLA_P100"`), its default."""
    value = ctx.expression_of(name)
    if isinstance(value, ast.Call) and call_name(value).rsplit(".", 1)[-1] in _PIPELINE_PARAMETERS:
        return kwarg(value, "default_value")
    if value is None or value is name:
        default = ctx.kept_default(name)
        if str_const(default) is not None:
            return default
    return value


def _hardware_values(ctx, node: ast.AST) -> Iterator[ast.AST]:
    """The string constants `node` gives a hardware-choosing name or key."""
    if isinstance(node, ast.keyword) and node.arg and _key_chooses(node.arg):
        # `vm_size=compute_target_type` after `compute_target_type = "Standard_NC6"`: the string is the choice
        value = _bound_choice(ctx, node.value) if isinstance(node.value, ast.Name) else node.value
        if isinstance(value, ast.Dict) and norm(node.arg) in MODEL_KEYS:  # SkyPilot's `accelerators={"V100": 4}`
            yield from (key for key in value.keys if str_const(key) is not None)  # the GPU is the key
        elif value is not None:
            yield from _strings(value)
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            k = str_const(key)
            if k and (_key_chooses(k) or k in _HARDWARE_LABELS):
                yield from _strings(value)
    elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        if any(w in norm(node.targets[0].id) for w in _ACCEL_NAME_WORDS) and not _overwritten(ctx, node):
            yield from _single_string(node.value)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        yield from _parameter_defaults(node)
    elif isinstance(node, ast.Call):
        yield from _call_hardware(node)


@detector("GL402", "python")
def legacy_accelerator_python(ctx) -> None:
    if is_test_suite(ctx):
        return
    reported: set[int] = set()

    def report(node: ast.AST, value: str) -> None:
        row = legacy_accelerator(value, by_model=_python_key(ctx, node) in MODEL_KEYS)
        if row is None or id(node) in reported:
            return
        reported.add(id(node))
        message, impact, severity = accelerator_finding(value, row)
        ctx.report("GL402", node, message, impact, severity=severity)

    for node in ctx.walk():
        if isinstance(node, ast.Attribute) and _LEGACY_ENUM.fullmatch(node.attr):
            if (ctx.qualname(node.value) or "").endswith("AcceleratorType"):
                report(node, node.attr)
            continue
        for const in _hardware_values(ctx, node):
            report(const, const.value)
    for const in _option_defaults(ctx):
        report(const, const.value)
    shell_accelerators(ctx)


def _python_key(ctx, value: ast.AST) -> str | None:
    """The keyword or dict key a value is given under, normalised (`accelerators=`, `{"accelerator_type": ...}`)."""
    parent = ctx.parent(value)
    if isinstance(parent, (ast.List, ast.Tuple)):
        value, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.keyword) and parent.arg:
        return norm(parent.arg)
    if isinstance(parent, ast.Dict):
        if any(k is value for k in parent.keys):  # `accelerators={"V100": 4}`: the GPU is the key
            return _python_key(ctx, parent)
        key = next((str_const(k) for k, v in zip(parent.keys, parent.values) if v is value), None)
        return norm(key) if key else None
    return None


def _option_defaults(ctx) -> Iterator[ast.Constant]:
    """Defaults of hardware-named command-line options and config-class fields
    (`add_argument("--instance_type", default="ml.p3.2xlarge")`, `instance_type: str =
    field(default=...)`): every run that leaves the option out uses that hardware."""
    options = [ctx.argparse_defaults, *ctx.config_classes.values()]
    for defaults in options:
        for name, default in defaults.items():
            if _key_chooses(name):
                yield from _single_string(default)
