"""Which key of a config file names a region, zone or location where compute runs, for GL401:
the region keys, the words that mark a key a store's, the labels a project chooses (names, not
what is placed), documents that declare stores, and the provider a key or a Terraform block
belongs to. Not a rule."""
from __future__ import annotations

import re
from typing import Iterator

from .cloud import effective_key, key_words, norm


def data_words(options: dict) -> frozenset[str]:
    """GL401's `data-words` option, lower-cased: the words of a key or name that place data."""
    return frozenset(str(w).lower() for w in options["data-words"])


# Keys whose value names where compute runs (normalised: lower case, no '-' or '_'); so does any
# key whose last word is region or zone (`AGENTCORE_REGION`), unless a data word marks it a store's.
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_REGION_KEYS = {
    "region", "awsregion", "awsdefaultregion", "defaultregion", "cdkdefaultregion", "gcpregion", "googleregion",
    "googlecloudregion", "cloudsdkcomputeregion", "computeregion", "vertexregion", "vertexlocation",
    "vertexailocation", "gcplocation", "googlecloudlocation", "azurelocation", "azureregion", "regionname",
    "sagemakerregion", "ociregion", "alicloudregion", "alibabacloudregion", "ibmregion", "ibmcloudregion",
    "topology.kubernetes.io/region", "failuredomain.beta.kubernetes.io/region",
}
ZONE_KEYS = {
    "zone", "computezone", "cloudsdkcomputezone", "gcpzone", "googlezone", "availabilityzone",
    "topology.kubernetes.io/zone", "failuredomain.beta.kubernetes.io/zone",
}
_LOCATION_KEYS = {"location"}  # Azure resources and GCP services; also used for many other things


_KEY_PROVIDER_HINTS = (("aws", "aws"), ("sagemaker", "aws"), ("gcp", "gcp"), ("google", "gcp"), ("vertex", "gcp"),
                       ("cloudsdk", "gcp"), ("azure", "azure"), ("oci", "oracle"), ("alicloud", "alibaba"),
                       ("alibaba", "alibaba"), ("ibm", "ibm"))
_TERRAFORM_PROVIDERS = (("aws", "aws"), ("google", "gcp"), ("azurerm", "azure"), ("azure", "azure"),
                        ("oci", "oracle"), ("alicloud", "alibaba"), ("ibm", "ibm"))


# --------------------------------------------------------------------------------------
# config reader

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


def has_data_word(path: tuple, words: frozenset[str], kind: str = "") -> bool:
    return any(key_words(step) & words for step in _meaningful_steps(path, kind))


# A key that says itself it places compute (gcloud's `compute/region`, `trainingRegion`): a data word
# above it names the block (a gcloud configuration called `verify-cloud-metrics`), not what is placed.
_SAYS_COMPUTE = frozenset({"compute", "training", "serving", "inference"})


def names_compute(key) -> bool:
    return isinstance(key, str) and bool(key_words(key) & _SAYS_COMPUTE)


_RESOURCE_LOCATION = re.compile(r"projects/[^/\s]+/locations/([a-z0-9-]+)")


def location_of_resource_name(written: str) -> str:
    """`projects/p/locations/us-central1`, a Google Cloud location written as the resource name of
    the location itself (a Cloud Deploy target's `run.location`), names us-central1. A longer name
    (`.../locations/us-central1/models/42`) addresses an existing resource and is left as written."""
    match = _RESOURCE_LOCATION.fullmatch(written.strip())
    return match.group(1) if match else written


def terraform_provider_hint(path: tuple) -> str | None:
    for step in path:
        if not isinstance(step, str):
            continue
        s = step.lower()
        for prefix, provider in _TERRAFORM_PROVIDERS:
            if s == prefix or s.startswith(prefix + "_"):
                return provider
    return None


def describes_data(doc, data_words: frozenset[str]) -> bool:
    """A document whose schema says it declares a store of data (an Azure ML registry or datastore),
    or a Kubernetes object whose kind names one (Velero's `BackupStorageLocation`,
    `VolumeSnapshotLocation`: the words of `data-words`)."""
    if not doc.is_map:
        return False
    kind = doc.get("kind") if doc.get("apiVersion") is not None else None
    if kind is not None and kind.is_scalar and key_words(str(kind.value)) & data_words:
        return True
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


# Keys whose values describe an object rather than configure it: Kubernetes `metadata.labels` /
# `annotations`, cloud resource `tags` / `labels`. `labels: {region: us-east-1}` places nothing.
# Nor does what a call returned or a module reports: an SDK's example responses (`"output":
# {"Regions": [{"RegionName": "us-east-1"}]}`), recorded results, Terraform and CloudFormation outputs.
DESCRIPTIVE_KEYS = {"labels", "annotations", "tags", "commonlabels",
                     "output", "outputs", "response", "responses", "result", "results"}


# Words of a key that name the provider's region and nothing else (`aws_region`, `GOOGLE_CLOUD_LOCATION`).
_PROVIDER_REGION_WORDS = frozenset({"region", "location", "zone", "default", "aws", "gcp", "google", "cloud",
                                    "azure", "gcloud", "name"})


# Prefixes by which front-end build tools hand a variable to the browser bundle (Create React App,
# Vite, Next.js, Expo): `REACT_APP_AWS_REGION` is the provider's region as the browser's SDK reads it.
_BUNDLE_PREFIXES = re.compile(r"^(?:REACT_APP|VITE|NEXT_PUBLIC|EXPO_PUBLIC)_", re.I)


def names_the_provider_region(path: tuple) -> bool:
    key = next((step for step in reversed(path) if isinstance(step, str)), "")
    if path and path[0] == "variable" and len(path) > 1 and isinstance(path[1], str):
        key = path[1]  # Terraform `variable "aws_region" { default = ... }`: the variable's name
    return not {word.lower() for word in _WORDS.findall(_BUNDLE_PREFIXES.sub("", key))} - _PROVIDER_REGION_WORDS


def region_key(doc, path: tuple, data_words: frozenset[str]) -> tuple[str, tuple] | None:
    """(normalised key, path above it) when the value at `path` names a region, zone or location:
    under such a key, or in the `values` of a node-affinity expression on a region label
    (`{key: topology.kubernetes.io/region, operator: In, values: [...]}`), or the `value` of an
    Azure Pipelines variable so named (`variables: [{name: AZURE_LOCATION, value: eastus}]`)."""
    key, above = effective_key(path)
    if key is None:
        return None
    nkey = norm(key)
    if _names_a_region(key, data_words):
        return nkey, above
    if nkey == "value" and "variables" in above:
        parent = doc.find(*above)
        name = parent.get("name") if parent is not None and parent.is_map else None
        if name is not None and name.str() and _names_a_region(name.str(), data_words):
            return norm(name.str()), above
    if nkey == "values" and above:
        parent = doc.find(*above)
        label = parent.get("key") if parent is not None and parent.is_map else None
        if label is not None and label.str() and norm(label.str()) in _REGION_KEYS | ZONE_KEYS:
            return nkey, above
    return None


def _names_a_region(key, data_words: frozenset[str]) -> bool:
    """`region`, `zone`, `location` and keys whose last word is one (`AGENTCORE_REGION`,
    `trainingZone`, `vertex_ai_location`), unless a data word marks a store's (`backupRegion`)."""
    nkey = norm(key)
    if nkey in _REGION_KEYS or nkey in ZONE_KEYS or nkey in _LOCATION_KEYS:
        return True
    words = _WORDS.findall(str(key))
    return len(words) > 1 and words[-1].lower() in ("region", "zone", "location") and not key_words(str(key)) & data_words


def key_hint(nkey: str) -> str | None:
    for word, provider in _KEY_PROVIDER_HINTS:
        if word in nkey:
            return provider
    return None
