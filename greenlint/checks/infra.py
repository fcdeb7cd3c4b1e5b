"""GL4xx: where and on what ML code runs (regions, accelerators, endpoints, schedules).

Config detectors read the `Node` trees of YAML, JSON, TOML, Terraform and .env files; the
Python detectors read SDK calls (boto3, SageMaker, Vertex AI, Azure ML).
"""
from __future__ import annotations

import ast
import csv
import functools
import re
from typing import Any, Iterable, Iterator

from .. import carbon
from ..finding import Severity
from ..rules import data_path
from . import detector

# --------------------------------------------------------------------------------------
# shared: regions

# Keys whose value names where compute runs (normalised: lower case, no '-' or '_').
_REGION_KEYS = {
    "region", "awsregion", "awsdefaultregion", "defaultregion", "cdkdefaultregion", "gcpregion", "googleregion",
    "googlecloudregion", "cloudsdkcomputeregion", "computeregion", "vertexregion", "vertexlocation",
    "vertexailocation", "gcplocation", "googlecloudlocation", "azurelocation", "azureregion", "regionname",
    "sagemakerregion", "ociregion", "alicloudregion", "alibabacloudregion", "ibmregion", "ibmcloudregion",
    "topology.kubernetes.io/region", "failuredomain.beta.kubernetes.io/region",
}
_ZONE_KEYS = {
    "zone", "computezone", "cloudsdkcomputezone", "gcpzone", "googlezone", "availabilityzone",
    "topology.kubernetes.io/zone", "failuredomain.beta.kubernetes.io/zone",
}
_LOCATION_KEYS = {"location"}  # Azure resources and GCP services; also used for many other things

# Words of a key (whole words of `aws_s3_bucket`, `replicationConfiguration`, `backup_region`)
# that say the value places data, state or control-plane objects, not compute. Overridable with
# the GL401 option `data-words`; matched as whole words, never as substrings (`source` is not in
# `resources`).
DEFAULT_DATA_WORDS = (
    "backend", "bucket", "buckets", "s3", "gcs", "storage", "replica", "replicas", "replication", "backup",
    "backups", "ecr", "registry", "artifact", "artifacts", "dns", "route53", "cdn", "kms", "secret", "secrets",
    "bigquery", "dataset", "datasets", "logging", "logs", "tfstate", "dynamodb", "cloudtrail", "billing", "budget",
    "snapshot", "snapshots", "vault", "remotestate", "source", "destination", "peer", "peering", "failover",
    "secondary", "dr", "copy",
    "widget", "widgets",  # a CloudWatch dashboard widget reads metrics from a region; it runs nothing there
)
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _key_words(key: str) -> set[str]:
    """`aws_s3_bucket` -> {aws, s3, bucket}; `replicationConfiguration` -> {replication, configuration};
    the whole key, normalised, too (`remoteState` -> remotestate)."""
    words = {w.lower() for w in _WORD.findall(key)}
    words.add(_norm(key))
    return words


_KEY_PROVIDER_HINTS = (("aws", "aws"), ("sagemaker", "aws"), ("gcp", "gcp"), ("google", "gcp"), ("vertex", "gcp"),
                       ("cloudsdk", "gcp"), ("azure", "azure"), ("oci", "oracle"), ("alicloud", "alibaba"),
                       ("alibaba", "alibaba"), ("ibm", "ibm"))

# Text of the file that tells which cloud an ambiguous region id (us-east-1: AWS or Alibaba) belongs to.
_TEXT_PROVIDER_HINTS = (
    ("alibaba", re.compile(r"alicloud|aliyun|alibabacloud|alibaba_cloud")),
    ("oracle", re.compile(r"\boci\b|oraclecloud|oracle_cloud|provider \"oci\"")),
    ("ibm", re.compile(r"ibmcloud|ibm_is_|provider \"ibm\"")),
)


def _norm(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


def _file_provider(text: str) -> str | None:
    low = text.lower()
    for provider, pattern in _TEXT_PROVIDER_HINTS:
        if pattern.search(low):
            return provider
    return None


def resolve_region(value: str, hint: str | None = None, overrides: dict | None = None,
                   allow_azure_display: bool = False) -> carbon.Region | None:
    """A region id (or zone) as written in a config or call, to a Region; None when unknown.

    An id some providers share (`us-east-1`: AWS and Alibaba) goes to `hint` when it has it,
    else to AWS, by far the most common reading.
    """
    raw = value.strip()
    if not raw or len(raw) > 40 or not re.fullmatch(r"[A-Za-z0-9 _-]+", raw):
        return None
    ident = raw.lower()
    if " " in ident:
        if not allow_azure_display:
            return None
        ident = ident.replace(" ", "")  # Azure display names: "East US" -> eastus
    found: dict[str, carbon.Region] = {}
    for provider in ("aws", "gcp", "azure", "oracle", "alibaba", "ibm"):
        region = carbon.lookup(f"{provider}:{ident}", overrides)
        if region is not None:
            found[provider] = region
    if not found:
        return None
    if hint in found:
        return found[hint]
    for provider in ("aws", "gcp", "azure", "oracle", "ibm", "alibaba"):
        if provider in found:
            return found[provider]
    return None


def region_finding(region: carbon.Region, options: dict, overrides: dict | None,
                   choices: list[str] | None = None) -> tuple[str, dict] | None:
    """Message and impact for GL401, or None when the region is clean enough or has no alternative.

    `choices`: the values the file itself offers for this setting (a Colab form's
    `# @param [...]` list); the alternative must be one of them.
    """
    max_intensity = float(options.get("max-intensity", 250))
    min_improvement = float(options.get("min-improvement", 2.0))
    allowed = options.get("allowed-regions") or None
    if region.gco2e_per_kwh < max_intensity:
        return None
    if allowed is not None and _in_allowed(region, allowed):
        return None
    if choices is not None:
        names = set()
        for choice in choices:
            r = resolve_region(str(choice), region.provider, overrides)
            if r is not None and r.provider == region.provider and (allowed is None or _in_allowed(r, allowed)):
                names.add(r.region)  # a zone in the form (us-central1-a) offers its region
        allowed = sorted(names)
    alt = carbon.cleaner_alternative(region, min_improvement, allowed, overrides)
    if alt is None:
        return None
    factor = region.gco2e_per_kwh / alt.gco2e_per_kwh if alt.gco2e_per_kwh > 0 else float("inf")
    where = "in the same country" if alt.country_iso == region.country_iso else f"in {alt.continent}"
    year = f" {region.year}" if region.year else ""
    message = (
        f"{region.region} ({region.location or region.provider}) runs on a grid averaging "
        f"{region.gco2e_per_kwh:.0f} gCO2e/kWh (annual average{year}); {alt.region} ({alt.location}), {where}, "
        f"averages {alt.gco2e_per_kwh:.0f} gCO2e/kWh: {factor:.1f}x less carbon for the same energy"
    )
    impact = {
        "provider": region.provider,
        "region": region.region,
        "gco2e_per_kwh": region.gco2e_per_kwh,
        "year": region.year,
        "source": region.source,
        "alternative": alt.region,
        "alternative_gco2e_per_kwh": alt.gco2e_per_kwh,
        "alternative_source": alt.source,
        "factor": round(factor, 2),
        "basis": "annual average grid intensity",
    }
    return message, impact


def _in_allowed(region: carbon.Region, allowed: Iterable[str]) -> bool:
    for item in allowed:
        item = str(item).strip().lower()
        if item in (region.region, region.spec):
            return True
        if ":" in item:
            provider, _, name = item.partition(":")
            if carbon.canonical_provider(provider) == region.provider and name == region.region:
                return True
    return False


# Test fixtures name regions, accelerators and endpoints to check code, not to run anything:
# expected values, snapshots of compiled pipelines.
_CONFIG_FIXTURE = re.compile(r"(^|[/\\])(test_?data|testdata|fixtures?|snapshots?|__snapshots__)[/\\]", re.I)


def _is_fixture(ctx) -> bool:
    if _CONFIG_FIXTURE.search(str(ctx.path)):
        return True
    return getattr(ctx, "documents", None) is None and ctx.in_test_file  # Python unit tests


# --------------------------------------------------------------------------------------
# shared: accelerators

@functools.lru_cache(maxsize=1)
def _accelerators() -> tuple[list[dict], dict[str, dict]]:
    legacy, current = [], {}
    with open(data_path("accelerators.csv"), newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["role"] == "legacy":
                row["regex"] = re.compile(row["pattern"], re.I)
                legacy.append(row)
            else:
                current[row["gpu"]] = row
    return legacy, current


def legacy_accelerator(value: str) -> dict | None:
    value = value.strip()
    if not value or len(value) > 40:
        return None
    for row in _accelerators()[0]:
        if row["regex"].match(value):
            return row
    return None


def accelerator_finding(value: str, row: dict) -> tuple[str, dict, Severity]:
    current = _accelerators()[1][row["suggest_gpu"]]
    uses_tensor = bool(row["tensor_fp16_tflops"]) and row["architecture"] == "Volta"
    metric = "tensor_fp16_tflops" if uses_tensor else "fp32_tflops"
    old = float(row[metric]) / float(row["board_power_w"])
    new = float(current[metric]) / float(current["board_power_w"])
    label = "FP16 tensor" if uses_tensor else "FP32"
    factor = new / old
    message = (
        f"{value} runs an {row['gpu']} ({row['architecture']}, {row['launched']}): {old:.3f} peak {label} TFLOPS per watt; "
        f"an {current['gpu']} ({current['architecture']}, {current['launched']}) does {new:.2f}, "
        f"about {factor:.0f}x more work per joule (NVIDIA datasheets). Use {row['suggest']}"
    )
    if factor < 10:
        message = message.replace(f"about {factor:.0f}x", f"about {factor:.1f}x")
    impact = {
        "instance": value,
        "gpu": row["gpu"],
        "architecture": row["architecture"],
        "tflops_per_watt": round(old, 4),
        "suggested_gpu": current["gpu"],
        "suggested_tflops_per_watt": round(new, 4),
        "factor": round(factor, 1),
        "metric": f"peak {label} TFLOPS per board watt",
        "source": row["source"],
        "suggested_source": current["source"],
    }
    severity = Severity.NOTE if row["severity"] == "note" else Severity.WARNING
    return message, impact, severity


_ACCEL_KEY_WORDS = ("instance", "machine", "accelerator", "gpu", "vmsize", "size", "sku", "type", "flavor",
                    "node", "compute", "default", "hardware", "resource")
_CATALOGUE_WORDS = ("allowed", "valid", "supported", "choices", "options", "enum", "deprecated", "legacy",
                    "blocked", "denied", "forbidden", "exclude", "retired")


# --------------------------------------------------------------------------------------
# config detectors

def _key_of(path: tuple) -> tuple[str | None, tuple]:
    """The named key a value sits under (through sequence indices), and the path above it."""
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], str):
            return path[i], path[:i]
    return None, ()


def _effective_key(path: tuple) -> tuple[str | None, tuple]:
    """Terraform `variable "region" { default = "us-east-1" }` counts as key `region`."""
    key, above = _key_of(path)
    if key == "default" and len(above) >= 2 and above[-2] == "variable":
        return str(above[-1]), above[:-2]
    return key, above


def _meaningful_steps(path: tuple, kind: str) -> Iterator[str]:
    """The keys of `path` that say what a block is. In Terraform the labels a project chooses
    (`resource "aws_instance" "backup_runner"`, `module "s3_sync"`) name things, they do not say
    what is placed; the resource type (`aws_s3_bucket`) does."""
    for index, step in enumerate(path):
        if not isinstance(step, str):
            continue
        if kind == "terraform" and (
                (index == 2 and path[0] in ("resource", "data")) or (index == 1 and path[0] == "module")):
            continue
        yield step


def _has_data_word(path: tuple, words: frozenset[str], kind: str = "") -> bool:
    return any(_key_words(step) & words for step in _meaningful_steps(path, kind))


def _data_words(options: dict) -> frozenset[str]:
    configured = options.get("data-words")
    return frozenset(str(w).lower() for w in (configured if configured is not None else DEFAULT_DATA_WORDS))


def _terraform_places_only_data(doc, words: frozenset[str]) -> bool:
    """A Terraform file whose resources are all stores (`aws_ecr_repository`, `aws_s3_bucket`):
    its provider and `variable "region"` place those stores, not compute."""
    resources = doc.get("resource") if doc.is_map else None
    if resources is None or not resources.is_map or not resources.value:
        return False
    return all(_key_words(str(kind)) & words for kind in resources.value)


def _scalars(node) -> Iterator[Any]:
    if node.is_scalar:
        yield node
    elif node.is_seq:
        for child in node.value:
            if child.is_scalar:
                yield child


def _terraform_provider_hint(path: tuple) -> str | None:
    for step in path:
        if not isinstance(step, str):
            continue
        s = step.lower()
        for prefix, provider in (("aws", "aws"), ("google", "gcp"), ("azurerm", "azure"), ("azure", "azure"),
                                 ("oci", "oracle"), ("alicloud", "alibaba"), ("ibm", "ibm")):
            if s == prefix or s.startswith(prefix + "_"):
                return provider
    return None


def _describes_data(doc) -> bool:
    """A document whose schema says it declares a store of data (an Azure ML registry or datastore)."""
    if not doc.is_map:
        return False
    if _is_event_payload(doc):
        return True
    if doc.get_ci("replication_locations") is not None:
        return True  # an Azure ML registry: models and environments copied to regions, no compute
    schema = doc.get("$schema")
    text = (schema.str() or "") if schema is not None else ""
    name = text.rsplit("/", 1)[-1].lower()
    return any(w in name for w in ("registry", "datastore", "data.schema", "asset"))


def _is_event_payload(doc) -> bool:
    """A sample cloud event (a Lambda test event `{"Records": [{"eventSource": ..., "awsRegion": ...}]}`, an
    EventBridge event with `detail-type`): it records where an event came from, it deploys nothing."""
    if doc.get("detail-type") is not None and doc.get("source") is not None:
        return True
    records = doc.get("Records")
    if records is None or not records.is_seq or not records.value:
        return False
    first = records.value[0]
    return first.is_map and any(first.get(k) is not None for k in ("eventSource", "EventSource"))


@detector("GL401", "config")
def carbon_intensive_region_config(ctx) -> None:
    if _is_fixture(ctx):
        return
    options = ctx.options("GL401")
    overrides = ctx.request.carbon or None
    file_hint = _file_provider(ctx.text)
    words = _data_words(options)
    for doc in ctx.documents:
        if _describes_data(doc):
            continue
        terraform = ctx.request.kind == "terraform"
        data_only = terraform and _terraform_places_only_data(doc, words)
        for path, node in doc.walk():
            if not path or node.is_map:
                continue
            if ctx.request.kind == "terraform" and path[0] == "data":
                continue  # a data source looks something up (an ECR Public token lives in us-east-1): no compute
            if node.is_seq:
                # matchExpressions: {key: topology.kubernetes.io/region, operator: In, values: [...]}
                continue
            key, above = _effective_key(path)
            if key is None:
                continue
            nkey = _norm(key)
            values: list = []
            if nkey in _REGION_KEYS or nkey in _ZONE_KEYS or nkey in _LOCATION_KEYS:
                values = [node]
            elif nkey == "values" and above:
                parent = doc.find(*above) if above else None
                if parent is not None and parent.is_map:
                    label = parent.get("key")
                    if label is not None and label.str() and _norm(label.str()) in _REGION_KEYS | _ZONE_KEYS:
                        values = [node]
            if not values or not node.is_scalar or node.opaque or not isinstance(node.value, str):
                continue
            if _has_data_word(above, words, ctx.request.kind):
                continue
            if data_only and path[0] in ("provider", "variable", "locals"):
                continue  # the file's resources are all stores: this region places them
            hint = None
            for word, provider in _KEY_PROVIDER_HINTS:
                if word in nkey:
                    hint = provider
                    break
            hint = hint or _terraform_provider_hint(path) or file_hint
            region = resolve_region(node.value, hint, overrides, allow_azure_display=nkey in _LOCATION_KEYS)
            if region is None:
                continue
            if nkey in _LOCATION_KEYS and region.provider not in ("azure", "gcp"):
                continue  # `location: us-east-1` is not how AWS spells a region
            result = region_finding(region, options, overrides)
            if result is not None:
                ctx.report("GL401", node, result[0], result[1])


@detector("GL402", "config")
def legacy_accelerator_config(ctx) -> None:
    if _is_fixture(ctx):
        return
    for doc in ctx.documents:
        for path, node in doc.walk():
            if not node.is_scalar or node.opaque or not isinstance(node.value, str):
                continue
            row = legacy_accelerator(node.value)
            if row is None:
                continue
            key, above = _effective_key(path)
            if key is None:
                continue
            nkey = _norm(key)
            if not any(w in nkey for w in _ACCEL_KEY_WORDS) and not nkey.startswith("cloud.google.com/gke-accelerator"):
                continue
            if any(w in _norm(step) for step in path if isinstance(step, str) for w in _CATALOGUE_WORDS):
                continue  # a list of allowed / retired types, not a use of one
            message, impact, severity = accelerator_finding(node.value, row)
            ctx.report("GL402", node, message, impact, severity=severity)


def _int(node) -> int | None:
    if node is None:
        return None
    number = node.number()
    return int(number) if number is not None and number == int(number) else None


@detector("GL403", "config")
def always_on_endpoint_config(ctx) -> None:
    if _is_fixture(ctx):
        return
    for doc in ctx.documents:
        if not doc.is_map:
            continue
        kind = doc.get("kind")
        api = doc.get("apiVersion")
        kind_s = kind.str() if kind is not None else None
        api_s = (api.str() or "") if api is not None else ""
        if kind_s == "InferenceService" and "serving.kserve.io" in api_s or (
                kind_s == "InferenceService" and "serving.kubeflow.org" in api_s):
            spec = doc.get("spec")
            if spec is None or not spec.is_map:
                continue
            for component in ("predictor", "transformer", "explainer"):
                comp = spec.get(component)
                if comp is None or not comp.is_map:
                    continue
                min_node = comp.get("minReplicas")
                n = _int(min_node)
                if n is not None and n >= 1:
                    name = _name(doc)
                    ctx.report("GL403", min_node,
                               f"InferenceService{name} keeps {n} {component} replica{'s' if n > 1 else ''} running "
                               f"with no traffic (minReplicas: {n}); set minReplicas: 0 to scale to zero when idle "
                               f"(serverless mode), accepting a cold start on the first request",
                               {"kind": "InferenceService", "component": component, "min_replicas": n})
        # Knative (and KServe through it): autoscaling.knative.dev/min-scale on any annotations map
        for path, node in doc.walk():
            if not path or path[-1] not in ("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/minScale"):
                continue
            if len(path) < 2 or path[-2] != "annotations":
                continue
            n = _int(node)
            if n is not None and n >= 1:
                ctx.report("GL403", node,
                           f"autoscaling.knative.dev/min-scale: {n} keeps {n} pod{'s' if n > 1 else ''} of this service "
                           f"running with no traffic; use 0 (the Knative default) to scale to zero when idle",
                           {"kind": kind_s or "", "min_scale": n})


def _name(doc) -> str:
    meta = doc.get("metadata")
    name = meta.get("name") if meta is not None and meta.is_map else None
    return f" '{name.str()}'" if name is not None and name.str() else ""


# ---- GL404: fixed-schedule training

_TRAIN_COMMAND = re.compile(
    r"""(?x)
    (?:^|[\s/"'=])(?:
        [\w./-]*?\btrain(?:ing)?(?:_[\w]+)?\.py\b          # train.py, train_model.py, scripts/training.py
      | [\w./-]*?(?:finetune|fine_tune|fine-tune|pretrain|pre_train)[\w./-]*\.py\b
      | -m\s+[\w.]*\btrain(?:ing)?\b                      # python -m pkg.train
      | torchrun\b | deepspeed\b | accelerate\s+launch\b | tune\s+run\b
      | --do_train\b
      | (?:make|dvc\s+repro|nox\s+-s|invoke|just)\s+[\w-]*train[\w-]*
      | sagemaker\S*\s+create-training-job | gcloud\s+ai\s+custom-jobs\s+create | az\s+ml\s+job\s+create
    )""",
    re.I,
)
_NOT_TRAINING = re.compile(r"\b(pytest|unittest|tox|lint|flake8|ruff|mypy|pre-commit|--help|--dry-run)\b", re.I)
# A command that runs a test suite: the job it is in tests code, whatever else it runs.
_TEST_COMMAND = re.compile(r"(^|[\s;&|(])(pytest|py\.test|python3?\s+-m\s+(pytest|unittest)|tox|nox|make\s+test\w*"
                           r"|hatch\s+(run\s+)?test|coverage\s+run)\b", re.I)
# A smoke run: a switch that trains a batch or two and stops.
_SMOKE_SWITCH = re.compile(r"--(fast[-_]dev[-_]run|smoke[-_]?test|sanity[-_]check|dry[-_]?run)\b|\bfast_dev_run=(true|1)\b", re.I)
# Budget flags of training commands (`--epochs 1`, `--max_steps=10`, Hydra `trainer.max_epochs=1`).
_EPOCH_FLAGS = {"epochs", "numepochs", "nepochs", "maxepochs", "numtrainepochs", "trainepochs"}  # not `--epoch`: often the epoch to resume from
_STEP_FLAGS = {"steps", "maxsteps", "numsteps", "trainsteps", "numtrainsteps", "maxiters", "iters", "iterations",
               "maxiter", "numiters", "totalsteps"}
DEFAULT_BUDGET = {"min-epochs": 2, "min-steps": 100}


def _budget_flags(line: str) -> Iterator[tuple[str, float]]:
    """(normalised flag, number) for each `--flag N`, `--flag=N` or `key=N` token of a command line."""
    import shlex

    try:
        tokens = shlex.split(line, comments=True)
    except ValueError:
        tokens = line.split()
    for i, token in enumerate(tokens):
        name, value = token, None
        if "=" in token:
            name, _, value = token.partition("=")
        elif token.startswith("-") and i + 1 < len(tokens):
            value = tokens[i + 1]
        key = _norm(name.lstrip("-").rsplit(".", 1)[-1])
        try:
            number = float(value) if value is not None else None
        except ValueError:
            number = None
        if number is not None:
            yield key, number


def tiny_budget(line: str, budget: dict | None = None) -> bool:
    """The training command runs a smoke-test budget: an epoch count below `min-epochs`, a step
    count below `min-steps`, or a fast-dev-run / smoke-test switch."""
    budget = {**DEFAULT_BUDGET, **(budget or {})}
    if _SMOKE_SWITCH.search(line):
        return True
    for key, number in _budget_flags(line):
        if key in _EPOCH_FLAGS and number < float(budget["min-epochs"]):
            return True
        if key in _STEP_FLAGS and number < float(budget["min-steps"]):
            return True
    return False


def is_training_command(text: str, budget: dict | None = None) -> bool:
    """Some line of `text` runs a training command with a real budget (not a test, lint or help
    run, and not a smoke run of a few steps)."""
    for line in text.splitlines():
        if _TRAIN_COMMAND.search(line) and not _NOT_TRAINING.search(line) and not tiny_budget(line, budget):
            return True
    return False


def runs_tests(text: str) -> bool:
    return any(_TEST_COMMAND.search(line) for line in text.splitlines())


_WHY_SCHEDULE = (
    "a fixed cron runs whatever the grid's carbon intensity is at that hour; shift the start to a cleaner "
    "hour with a carbon-aware trigger (Carbon Aware SDK, Electricity Maps or WattTime forecasts)"
)


def _scalar_texts(node) -> Iterator[str]:
    for _, child in node.walk():
        if child.is_scalar and isinstance(child.value, str):
            yield child.value


@detector("GL404", "config")
def fixed_schedule_training_config(ctx) -> None:
    if _is_fixture(ctx):
        return
    for doc in ctx.documents:
        if not doc.is_map:
            continue
        # GitHub Actions: on.schedule[].cron, a job whose steps train
        on = doc.get("on") or doc.get("true")
        jobs = doc.get("jobs")
        if on is not None and on.is_map and jobs is not None and jobs.is_map:
            schedule = on.get("schedule")
            if schedule is not None and schedule.is_seq:
                budget = ctx.options("GL404")
                training_jobs = [name for name, job in jobs.items() if job.is_map and _job_trains(job, budget)]
                if training_jobs:
                    for item in schedule.value:
                        cron = item.get("cron") if item.is_map else None
                        if cron is not None and cron.str():
                            ctx.report("GL404", cron,
                                       f"training job{'s' if len(training_jobs) > 1 else ''} "
                                       f"{', '.join(repr(j) for j in training_jobs)} {'run' if len(training_jobs) > 1 else 'runs'} on a fixed cron "
                                       f"('{cron.str()}'): {_WHY_SCHEDULE}",
                                       {"schedule": cron.str(), "jobs": training_jobs, "platform": "github-actions"})
        kind = doc.get("kind")
        kind_s = kind.str() if kind is not None else None
        if kind_s in ("CronJob", "CronWorkflow", "ScheduledWorkflow"):
            spec = doc.get("spec")
            if spec is None or not spec.is_map:
                continue
            cron = spec.get("schedule")
            if cron is None and kind_s == "ScheduledWorkflow":  # Kubeflow Pipelines recurring run
                trigger = spec.get("trigger")
                cron = trigger.find("cronSchedule", "cron") if trigger is not None and trigger.is_map else None
            if cron is None or not cron.str():
                continue
            body = spec.get("jobTemplate") or spec.get("workflowSpec") or spec
            commands = "\n".join(_container_commands(body))
            if is_training_command(commands, ctx.options("GL404")) and not runs_tests(commands):
                ctx.report("GL404", cron,
                           f"{kind_s}{_name(doc)} trains a model on a fixed cron ('{cron.str()}'): {_WHY_SCHEDULE}",
                           {"schedule": cron.str(), "platform": kind_s})


def _job_trains(job, budget: dict | None = None) -> bool:
    """The job runs a training command with a real budget and is not a test job (a job that runs
    a test suite smoke-trains, if it trains at all, to test the code)."""
    steps = job.get("steps")
    texts = []
    if steps is not None and steps.is_seq:
        for step in steps.value:
            if step.is_map:
                run = step.get("run")
                if run is not None and run.str():
                    texts.append(run.str())
    commands = "\n".join(texts)
    return is_training_command(commands, budget) and not runs_tests(commands)


def _container_commands(node) -> Iterator[str]:
    """`command`/`args`/`script`/`source` texts of containers and templates below `node`."""
    for path, child in node.walk():
        if not path or not isinstance(path[-1], (str, int)):
            continue
        key, _ = _key_of(path)
        if key in ("command", "args", "script", "source") and child.is_scalar and isinstance(child.value, str):
            if isinstance(path[-1], int) and key in ("command", "args"):
                continue  # an item of a command list: read with its list, as one command line
            yield child.value
        elif key in ("command", "args") and child.is_seq:
            yield " ".join(c.str() or "" for c in child.value if c.is_scalar)


# --------------------------------------------------------------------------------------
# Python detectors

_CLOUD_SDKS = ("boto3", "botocore", "sagemaker", "google.cloud", "vertexai", "azure.ai.ml", "azureml",
               "kfp", "google.cloud.aiplatform")
# boto3 services whose region is where compute runs (not s3, iam, ssm, ...).
_COMPUTE_SERVICES = {"sagemaker", "sagemaker-runtime", "ec2", "batch", "ecs", "eks", "lambda", "emr",
                     "emr-serverless", "bedrock", "bedrock-runtime", "glue", "lightsail"}
_REGION_ENV = {"awsdefaultregion", "awsregion", "cdkdefaultregion", "cloudsdkcomputeregion", "googlecloudregion",
               "cloudsdkcomputezone", "azurelocation"}
_REGION_CONSTANTS = {"region", "awsregion", "gcpregion", "googleregion", "location", "gcplocation", "vertexlocation",
                     "vertexregion", "zone", "gcpzone", "defaultregion", "azurelocation", "azureregion", "regionname",
                     "computeregion", "trainingregion", "trainregion", "projectregion"}


def _str_const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _py_region_hint(qualname: str | None) -> str | None:
    q = qualname or ""
    if q.startswith(("boto3", "botocore", "sagemaker")):
        return "aws"
    if q.startswith(("google", "vertexai")):
        return "gcp"
    if q.startswith(("azure", "azureml")):
        return "azure"
    return None


_FORM_PARAM = re.compile(r"#\s*@param\s*(\[[^\]]*\])")


def _form_choices(ctx, node: ast.AST) -> list[str] | None:
    """The options of a Colab form field (`REGION = "us-central1"  # @param ["us-central1", ...]`):
    the notebook offers only these, so an alternative must be one of them."""
    line = getattr(node, "lineno", 0)
    if not 0 < line <= len(ctx.lines):
        return None
    m = _FORM_PARAM.search(ctx.lines[line - 1])
    if m is None:
        return None
    try:
        values = ast.literal_eval(m.group(1))
    except (ValueError, SyntaxError):
        return None
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else None


@detector("GL401", "python")
def carbon_intensive_region_python(ctx) -> None:
    if not ctx.imports.uses(*_CLOUD_SDKS) or _is_fixture(ctx):
        return
    options = ctx.options("GL401")
    overrides = ctx.request.carbon or None
    sdk_constants: set[str] = set()
    reported: set[int] = set()
    # NAME = "..." bound once at module level: a use of NAME is reported once, where it is set
    module_strings: dict[str, ast.Constant] = {}
    rebound: set[str] = set()
    for stmt in ctx.tree.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    if t.id in module_strings or t.id in rebound:
                        rebound.add(t.id)
                        module_strings.pop(t.id, None)
                    elif len(targets) == 1 and _str_const(stmt.value) is not None:
                        module_strings[t.id] = stmt.value
                    else:
                        rebound.add(t.id)

    def check(value_node: ast.AST, hint: str | None, location_key: bool = False) -> None:
        if isinstance(value_node, ast.Name) and value_node.id in sdk_constants:
            return  # reported where the constant is defined
        if isinstance(value_node, ast.Name) and value_node.id in module_strings:
            value_node = module_strings[value_node.id]
        if id(value_node) in reported:
            return
        value = _str_const(value_node)
        if value is None and isinstance(value_node, ast.Name):
            resolved = ctx.literal(value_node)
            value = resolved if isinstance(resolved, str) else None
        if value is None:
            return
        region = resolve_region(value, hint, overrides, allow_azure_display=location_key)
        if region is None or (location_key and region.provider not in ("gcp", "azure")):
            return
        result = region_finding(region, options, overrides, _form_choices(ctx, value_node))
        if result is not None:
            reported.add(id(value_node))
            ctx.report("GL401", value_node, result[0], result[1])

    # module-level REGION = "..." / LOCATION = "..." in a file that uses a cloud SDK
    default_hint = "gcp" if ctx.imports.uses("google.cloud", "vertexai") and not ctx.imports.uses("boto3", "sagemaker") \
        else ("azure" if ctx.imports.uses("azure.ai.ml", "azureml") and not ctx.imports.uses("boto3", "sagemaker") else None)
    for stmt in ctx.tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        value = getattr(stmt, "value", None)
        if len(targets) != 1 or not isinstance(targets[0], ast.Name) or _str_const(value) is None:
            continue
        if _norm(targets[0].id) in _REGION_CONSTANTS:
            sdk_constants.add(targets[0].id)
            check(value, default_hint, location_key=_norm(targets[0].id) in ("location", "gcplocation", "vertexlocation", "azurelocation"))

    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if "image_uri" in (qual or "") or name in ("retrieve", "get_image_uri"):
            continue  # the region of a container registry to pull from, not where anything runs
        for kw in call.keywords:
            if kw.arg == "region_name" or kw.arg == "region":
                if name in ("client", "resource"):
                    service = _str_const(call.args[0]) if call.args else _str_const(
                        next((k.value for k in call.keywords if k.arg == "service_name"), None))
                    if service not in _COMPUTE_SERVICES:
                        continue
                elif name == "Session" or (qual or "").endswith(".Session"):
                    if not ctx.imports.uses("sagemaker") and not any(
                            _str_const(c.args[0] if c.args else None) in _COMPUTE_SERVICES for c in ctx.calls
                            if isinstance(c.func, ast.Attribute) and c.func.attr == "client"):
                        continue
                elif not (qual or "").startswith(("boto3", "sagemaker", "google", "vertexai", "azure")):
                    continue
                check(kw.value, _py_region_hint(qual) or "aws")
            elif kw.arg == "location" and (qual or "").startswith(("google.cloud.aiplatform", "vertexai", "azure.ai.ml",
                                                                     "azureml", "google.cloud")):
                check(kw.value, _py_region_hint(qual), location_key=True)
        # os.environ.setdefault("AWS_DEFAULT_REGION", "...")
        if qual in ("os.environ.setdefault", "os.putenv") and len(call.args) >= 2:
            key = _str_const(call.args[0])
            if key and _norm(key) in _REGION_ENV:
                check(call.args[1], "aws" if "aws" in key.lower() else ("gcp" if "cloudsdk" in key.lower() or "google" in key.lower() else None))

    # os.environ["AWS_DEFAULT_REGION"] = "..."
    for node in ctx.walk():
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
            target = node.targets[0]
            if ctx.qualname(target.value) == "os.environ":
                key = _str_const(target.slice)
                if key and _norm(key) in _REGION_ENV:
                    check(node.value, "aws" if "aws" in key.lower() else None)


_ACCEL_KWARGS = {"instancetype", "instancetypes", "machinetype", "acceleratortype", "vmsize", "size", "gputype",
                 "trainerinstancetype", "inferenceinstancetype", "processinginstancetype", "defaultinstancetype"}


@detector("GL402", "python")
def legacy_accelerator_python(ctx) -> None:
    if _is_fixture(ctx):
        return
    reported: set[int] = set()

    def report(node: ast.AST, value: str) -> None:
        row = legacy_accelerator(value)
        if row is None or id(node) in reported:
            return
        reported.add(id(node))
        message, impact, severity = accelerator_finding(value, row)
        ctx.report("GL402", node, message, impact, severity=severity)

    def values(node: ast.AST) -> Iterator[ast.Constant]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node
        elif isinstance(node, (ast.List, ast.Tuple)):
            for elt in node.elts:
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    yield elt

    for node in ctx.walk():
        if isinstance(node, ast.keyword) and node.arg and _norm(node.arg) in _ACCEL_KWARGS:
            for const in values(node.value):
                report(const, const.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                k = _str_const(key)
                if k and _norm(k) in _ACCEL_KWARGS:
                    for const in values(value):
                        report(const, const.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            n = _norm(node.targets[0].id)
            if any(w in n for w in ("instancetype", "machinetype", "acceleratortype", "gputype", "vmsize")):
                for const in values(node.value):
                    report(const, const.value)
        elif isinstance(node, ast.Attribute) and re.fullmatch(r"NVIDIA_TESLA_(K80|P4|P100)", node.attr):
            owner = ctx.qualname(node.value) or ""
            if owner.endswith("AcceleratorType"):
                report(node, node.attr)


_CLEANUP_CALLS = {"delete_endpoint", "delete_predictor", "undeploy_all", "undeploy", "delete_endpoint_config"}
# A project's own helper that tears resources down (`delete_project_resources(...)`, `cleanup_endpoints()`).
_CLEANUP_HELPER = re.compile(r"(delete|cleanup|clean_up|teardown|tear_down|remove|destroy)_?\w*"
                             r"(endpoint|resource|predictor|deployment)s?$|^(cleanup|clean_up|teardown|tear_down)$", re.I)
# Cleanup through a CLI or the REST API, in a shell cell or a subprocess call.
_CLI_CLEANUP = re.compile(
    r"aws\s+sagemaker\s+delete-endpoint|gcloud\s+(?:beta\s+)?ai\s+endpoints\s+(?:delete|undeploy-model)"
    r"|:undeployModel\b|-X\s*DELETE\b[^\n]*/endpoints/|az\s+ml\s+online-(?:endpoint|deployment)\s+delete")
# SageMaker ModelBuilder: `deploy(inference_config=...)` chooses the kind of endpoint.
_SCALES_TO_ZERO_CONFIGS = {"ServerlessInferenceConfig", "AsyncInferenceConfig", "BatchTransformInferenceConfig"}


@detector("GL403", "python")
def always_on_endpoint_python(ctx) -> None:
    sagemaker = ctx.imports.uses("sagemaker")
    vertex = ctx.imports.uses("google.cloud.aiplatform", "vertexai") or any(
        m.startswith("google.cloud") and "aiplatform" in m for m in ctx.imports.modules)
    if not (sagemaker or vertex) or _is_fixture(ctx):
        return
    names = {c.func.attr for c in ctx.calls if isinstance(c.func, ast.Attribute)} | {
        c.func.id for c in ctx.calls if isinstance(c.func, ast.Name)}
    if names & _CLEANUP_CALLS or any(_CLEANUP_HELPER.search(n) for n in names):
        return
    if vertex and "delete" in names:
        return  # endpoint.delete(force=True)
    for call in ctx.calls:
        # SageMaker's ManagedEndpoint(..., auto_delete=True) deletes the endpoint when its block ends
        if any(k.arg == "auto_delete" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in call.keywords):
            return
    text = ctx.text
    if re.search(r"register_scalable_target|put_scaling_policy|application-autoscaling", text):
        return
    if _CLI_CLEANUP.search(text):
        return  # `!aws sagemaker delete-endpoint ...`, `!gcloud ai endpoints delete ...` (kept as comments in notebooks)
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "deploy"):
            continue
        kwargs = {k.arg for k in call.keywords if k.arg}
        if any(k is None for k in (kw.arg for kw in call.keywords)):
            continue  # **kwargs: the configuration is not visible
        if kwargs & {"serverless_inference_config", "async_inference_config"}:
            continue
        if _inference_config_scales_down(ctx, call):
            continue
        if sagemaker and not (kwargs & {"instance_type", "initial_instance_count", "endpoint_name"}) and not vertex:
            # JumpStart / ModelBuilder deploy() with defaults still creates a real-time endpoint
            qual = ctx.qualname(call.func.value) or ""
            if not _is_sagemaker_receiver(ctx, call):
                continue
        if vertex and not sagemaker:
            min_rep = next((k.value for k in call.keywords if k.arg == "min_replica_count"), None)
            if ctx.int_value(min_rep) == 0:
                continue
            platform = "Vertex AI"
            how = ("undeploy it when done (`endpoint.undeploy_all()` then `endpoint.delete()`)")
        else:
            platform = "SageMaker"
            how = ("delete it when done (`predictor.delete_endpoint()`), or deploy with "
                   "`serverless_inference_config=ServerlessInferenceConfig(...)`, which scales to zero")
        ctx.report("GL403", call.func,
                   f"this {platform} deployment creates an endpoint that bills and draws power around the clock, and "
                   f"nothing in this file ever removes it: {how}",
                   {"platform": platform})


def _inference_config_scales_down(ctx, call: ast.Call) -> bool:
    """ModelBuilder `deploy(inference_config=ServerlessInferenceConfig(...))` (or async, or batch
    transform): no always-on real-time endpoint. Also through a name bound to such a call."""
    value = next((k.value for k in call.keywords if k.arg == "inference_config"), None)
    if value is None:
        return False
    if isinstance(value, ast.Name):
        bound = [n.value for n in ctx.walk() if isinstance(n, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == value.id for t in n.targets)]
        if len(bound) != 1:
            return len(bound) > 1  # rebound: cannot tell, so stay quiet
        value = bound[0]
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _SCALES_TO_ZERO_CONFIGS


def _is_sagemaker_receiver(ctx, call: ast.Call) -> bool:
    """`x.deploy()` where x was built by a sagemaker class (JumpStartModel, Model, an Estimator...)."""
    receiver = call.func.value
    if isinstance(receiver, ast.Call):
        return (ctx.qualname(receiver.func) or "").startswith("sagemaker")
    if isinstance(receiver, ast.Name):
        for node in ctx.walk():
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == receiver.id for t in node.targets):
                if isinstance(node.value, ast.Call) and (ctx.qualname(node.value.func) or "").startswith("sagemaker"):
                    return True
    return False


_AIRFLOW_DAG = {"airflow.DAG", "airflow.models.DAG", "airflow.models.dag.DAG", "airflow.decorators.dag", "airflow.sdk.DAG",
                "airflow.sdk.dag"}


@detector("GL404", "python")
def fixed_schedule_training_python(ctx) -> None:
    if not ctx.imports.uses("airflow"):
        return
    trains = False
    for call in ctx.calls:
        qual = ctx.qualname(call.func) or ""
        last = qual.rsplit(".", 1)[-1]
        if qual.startswith("airflow") and re.search(r"Training|Tuning|CustomJob|TrainingJob", last):
            trains = True
        elif last in ("BashOperator", "KubernetesPodOperator", "DockerOperator", "SSHOperator"):
            for kw in call.keywords:
                texts = [c.value for c in ast.walk(kw.value) if isinstance(c, ast.Constant) and isinstance(c.value, str)]
                command = " ".join(texts)
                if kw.arg in ("bash_command", "cmds", "arguments", "command") and \
                        is_training_command(command, ctx.options("GL404")) and not runs_tests(command):
                    trains = True
    if not trains:
        return
    for call in ctx.calls:
        if (ctx.qualname(call.func) or "") not in _AIRFLOW_DAG:
            continue
        for kw in call.keywords:
            if kw.arg in ("schedule", "schedule_interval"):
                value = ctx.literal(kw.value)
                if isinstance(value, str) and value not in ("@once", "None", "") and not value.startswith("Dataset"):
                    ctx.report("GL404", kw.value,
                               f"this DAG trains a model on a fixed schedule ('{value}'): {_WHY_SCHEDULE}",
                               {"schedule": value, "platform": "airflow"})
