"""What a map of a config file is for, when it places no compute, for GL401: a store's connection
settings, a recorded API call, a compiled pipeline component that only reads or registers. Not a
rule."""
from __future__ import annotations

from .cloud import key_words

# A store's connection settings: where it is reached (a database, an endpoint) and a credential for it.
_STORE_ADDRESS_WORDS = {"db", "database", "endpoint", "host"}
_CREDENTIAL_WORDS = {"password", "passwd", "user", "secret", "secretkey", "accesskey", "apikey", "token", "credentials"}
# Words of a key that describe compute: a map with one configures something that runs.
# (`instance` alone also names a service's instance: `serviceInstanceID`.)
COMPUTE_WORDS = {"instancetype", "instancecount", "instances", "machine", "accelerator", "gpu", "gpus", "job", "jobs",
                  "training", "train", "node", "nodes", "replicas", "worker", "workers", "image", "container", "model",
                  "cpu", "cpus", "memory", "pipeline"}


def connects_to_a_store(doc, above: tuple, data_words: frozenset[str]) -> bool:
    """The region sits among a store's connection settings: its map also says where the store is
    reached (`database`, `db`, `serviceEndpoint`) and holds a credential for it (`password`,
    `secret_arn`, `secretKey`), has a key with a data word, and no key that describes compute.
    It says where an existing store is. Cloud credentials alone (a CI step's `aws-access-key-id`
    beside `aws-region`) configure an SDK that may place anything."""
    settings = doc.find(*above) if above else doc
    if settings is None or not settings.is_map:
        return False
    words = set().union(*(key_words(str(key)) for key, _ in settings.items()))
    return bool(words & _STORE_ADDRESS_WORDS and words & _CREDENTIAL_WORDS and words & data_words
                and not words & COMPUTE_WORDS)


# Keys that say which image a container runs (Compose services, dev containers).
_CONTAINER_KEYS = ("image", "build", "dockerFile", "dockerfile", "dockerComposeFile")


def in_container_environment(doc, above: tuple) -> bool:
    """The value is set in a container's environment: a Compose service's `environment:`
    (`services: {api: {image: ..., environment: {AWS_DEFAULT_REGION: us-east-1}}}`) or a dev
    container's `containerEnv` / `remoteEnv`. It tells the container's SDK which region to call, as
    a Kubernetes container's `env:` does; the container runs where Compose or the editor runs it."""
    if len(above) >= 3 and above[0] == "services" and above[2] == "environment":
        owner = doc.find(*above[:2])
    elif len(above) >= 1 and above[0] in ("containerEnv", "remoteEnv"):
        owner = doc
    else:
        return False
    return owner is not None and owner.is_map and any(owner.get(key) is not None for key in _CONTAINER_KEYS)


# What a compiled Kubeflow pipeline's component does, by the words of its name (`comp-model-get`,
# `comp-endpoint-create`, `comp-custom-training-job`: Google Cloud Pipeline Components' ops).
_COMPONENT_RUNS = {"deploy", "train", "training", "job", "predict", "prediction", "tuning", "tune", "pipeline",
                   "run", "batch"}
_COMPONENT_ADDRESSES = {"get", "list", "describe", "delete", "undeploy", "upload", "export", "import", "importer",
                        "create", "dataset", "endpoint"}


def component_places_nothing(above: tuple) -> bool:
    """A parameter of a compiled pipeline component (`components: {comp-model-get: {inputDefinitions:
    ...}}`) whose name says it reads, registers or creates an empty object: it runs no compute."""
    for step, name in zip(above, above[1:]):
        if step == "components" and isinstance(name, str) and name.startswith("comp-"):
            words = set(name[len("comp-"):].split("-"))
            return not words & _COMPONENT_RUNS and bool(words & _COMPONENT_ADDRESSES)
    return False


def in_recorded_call(doc, above: tuple) -> bool:
    """The value lies in a recorded call: a map holding both the `input` and the `output` of an
    operation, as SDKs document their API by example. It shows a request, it makes none."""
    for depth in range(len(above)):
        record = doc.find(*above[:depth]) if depth else doc
        if record is not None and record.is_map and record.get("input") is not None and record.get("output") is not None:
            return True
    return False
