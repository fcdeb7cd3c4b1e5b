"""Cloud facts the GL4xx rules share (not a rule): region and accelerator tables, how a region
id or an instance type is resolved, the GL401/GL402 messages, and small readers of config keys
and Python constants.
"""
from __future__ import annotations

import ast
import csv
import functools
import re
from typing import Any, Iterable

from .. import carbon
from ..finding import Severity
from ..rules import data_path

# --------------------------------------------------------------------------------------
# keys and values


def norm(key: Any) -> str:
    """A key or name compared without case, `-` or `_`: `AWS_DEFAULT_REGION` -> awsdefaultregion."""
    return str(key).replace("-", "").replace("_", "").lower()


def str_const(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def key_of(path: tuple) -> tuple[str | None, tuple]:
    """The named key a value sits under (through sequence indices), and the path above it."""
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], str):
            return path[i], path[:i]
    return None, ()


# Wrappers a compiled Kubeflow Pipelines (v2 IR) spec puts around a constant parameter:
# `"location": {"runtimeValue": {"constantValue": {"stringValue": "us-central1"}}}` (older IR),
# `"location": {"runtimeValue": {"constant": "us-central1"}}` (newer IR).
_KFP_WRAPPERS = ("runtimeValue", "constantValue", "constant", "stringValue")


# A template parameter's default value: (the key above the parameter's name, the default's key).
_PARAMETER_DEFAULTS = {("variable", "default"),  # Terraform
                       ("parameters", "defaultValue"),  # Azure Resource Manager (ARM) templates
                       ("parameters", "value"),  # ARM / Bicep deployment parameter files: the value deployed
                       ("Parameters", "Default")}  # AWS CloudFormation / SAM


def effective_key(path: tuple) -> tuple[str | None, tuple]:
    """A template parameter's default counts as its name: Terraform `variable "region" { default =
    "us-east-1" }`, an ARM template's `"parameters": {"location": {"defaultValue": "eastus"}}` and
    a CloudFormation `Parameters: {Region: {Default: us-east-1}}` are keys `region` / `location`, and
    so is the value an ARM / Bicep parameter file deploys (`"parameters": {"location": {"value":
    "eastus"}}`); a
    compiled Kubeflow pipeline's `location.runtimeValue.constantValue.stringValue` is key `location`."""
    while len(path) >= 2 and path[-1] in _KFP_WRAPPERS:
        path = path[:-1]
    key, above = key_of(path)
    if len(above) >= 2 and (above[-2], key) in _PARAMETER_DEFAULTS:
        return str(above[-1]), above[:-2]
    return key, above


def config_int(node) -> int | None:
    """A config node's whole number, or None."""
    if node is None:
        return None
    number = node.number()
    return int(number) if number is not None and number == int(number) else None


def object_name(doc) -> str:
    """` 'name'` of a Kubernetes-style object's `metadata.name`, or ''."""
    meta = doc.get("metadata")
    name = meta.get("name") if meta is not None and meta.is_map else None
    return f" '{name.str()}'" if name is not None and name.str() else ""


def string_value(node) -> str | None:
    """A config node's plain string (not a template placeholder), or None."""
    if node is None or not node.is_scalar or node.opaque or not isinstance(node.value, str):
        return None
    return node.value


def is_test_suite(ctx) -> bool:
    """A Python module that is a test suite by what it defines (test functions or classes that
    assert something), whatever the file is called: it names regions, accelerators and endpoints
    to check code, not to run anything. Config files are never exempt by where they are; a folder
    of fixtures is silenced with `per-file-ignores` or `exclude`."""
    if getattr(ctx, "documents", None) is not None or not hasattr(ctx, "tree"):
        return False
    from .testing_code import is_test_module

    return is_test_module(ctx)


# --------------------------------------------------------------------------------------
# regions

# Text of the file that tells which cloud an ambiguous region id (us-east-1: AWS or Alibaba) belongs to.
_TEXT_PROVIDER_HINTS = (
    ("alibaba", re.compile(r"alicloud|aliyun|alibabacloud|alibaba_cloud")),
    ("oracle", re.compile(r"\boci\b|oraclecloud|oracle_cloud|provider \"oci\"")),
    ("ibm", re.compile(r"ibmcloud|ibm_is_|provider \"ibm\"")),
)


def file_provider(text: str) -> str | None:
    low = text.lower()
    for provider, pattern in _TEXT_PROVIDER_HINTS:
        if pattern.search(low):
            return provider
    return None


_PLACEHOLDER_DEFAULT = re.compile(
    r"\$\{\{[^}]*\|\|\s*'([^']*)'\s*\}\}"     # GitHub Actions: ${{ secrets.AWS_REGION || 'us-east-1' }}
    r"|\$\{(?:[A-Za-z_]\w*|\d+):?-[\"']?([^}\"']*)[\"']?\}"  # shell and Compose: ${AWS_REGION:-us-east-1}, ${2:-"us-central1"}
    r"|\$\{(?:env|opt|self):[^}]*,\s*['\"]?([^'\"},:]+)['\"]?\s*\}"  # Serverless: ${env:AWS_REGION, 'us-east-1'}, ${opt:region, env:AWS_REGION, 'eu-central-1'}
    r"|\$\{[A-Z_][A-Z0-9_]*:([^}\-][^}]*)\}")  # Spring, piny, envyaml: ${AZURE_LOCATION:eastus}


def placeholder_default(value: str) -> str | None:
    """The literal a placeholder falls back to when its variable is unset: that is where the job
    runs unless someone sets it, like the default of an environment lookup in Python."""
    match = _PLACEHOLDER_DEFAULT.fullmatch(value.strip())
    return next((group for group in match.groups() if group is not None), None) if match else None


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
    allowed = options.get("allowed-regions") or None
    if region.gco2e_per_kwh < float(options["max-intensity"]):
        return None
    if allowed is not None and _in_allowed(region, allowed):
        return None
    if choices is not None:
        allowed = _offered_regions(region, choices, allowed, overrides)
    alt = carbon.cleaner_alternative(region, float(options["min-improvement"]), allowed, overrides)
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


def _offered_regions(region: carbon.Region, choices: list[str], allowed: list | None,
                     overrides: dict | None) -> list[str]:
    names = set()
    for choice in choices:
        r = resolve_region(str(choice), region.provider, overrides)
        if r is not None and r.provider == region.provider and (allowed is None or _in_allowed(r, allowed)):
            names.add(r.region)  # a zone in the form (us-central1-a) offers its region
    return sorted(names)


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


# --------------------------------------------------------------------------------------
# accelerators

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


def legacy_accelerator(value: str, by_model: bool = False) -> dict | None:
    """The accelerators.csv row of an old-generation instance or accelerator type, or None. A
    resource path names the type in its last part (GCP's
    `projects/p/zones/us-central1-a/acceleratorTypes/nvidia-tesla-p4`). A bare GPU model
    (`V100`, SkyPilot's `V100:4`; the rows of provider `any`) counts only `by_model`: where a
    key takes one (`accelerators`, Ray's `accelerator_type`); elsewhere it often describes
    hardware (a size catalogue's `gpu-type: P100`) rather than choosing it. A type followed by
    its description in parentheses (`Standard_NC6_Promo (1 Nvidia K80 GPU, 6 vCPU)`, an ARM
    template's display value that the template strips) names that type."""
    value = value.strip().partition(" (")[0].rsplit("/", 1)[-1]
    if not value or len(value) > 40:
        return None
    for row in _accelerators()[0]:
        if row["regex"].match(value) and (by_model or row["provider"] != "any"):
            return row
    return None


# Keys whose value is a GPU model by name: SkyPilot's `accelerators`, Ray's `accelerator_type`.
MODEL_KEYS = frozenset(("accelerators", "acceleratortype"))


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


_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def key_words(key: str) -> set[str]:
    """`aws_s3_bucket` -> {aws, s3, bucket}; `replicationConfiguration` -> {replication, configuration};
    the whole key, normalised, too (`remoteState` -> remotestate)."""
    words = {w.lower() for w in _WORD.findall(key)}
    words.add(norm(key))
    return words
