"""Cloud CLI commands (`gcloud`, `aws`, `az`) as facts about placement, for GL401: which place
compute and in which region, zone or location; and CI jobs whose steps place nothing (they
build, push and address what exists), whose credentials region therefore places nothing either.
Not a rule.
"""
from __future__ import annotations

import re
from typing import Iterator

from .cloud import key_words
from .commands import ShellCommand, script_commands

_REGION_FLAGS = {"region", "regions", "zone", "zones", "location"}
# Subcommands that place data, identity or configuration, not compute (`aws s3`, `az group`, `gcloud storage`).
_NON_COMPUTE = {"s3", "s3api", "dynamodb", "storage", "group", "acr", "ecr", "iam", "kms", "keyvault", "secretsmanager", "secrets",
                "ssm", "appconfig",  # parameters and configuration
                "cloudfront",  # a CDN's cache and distributions: content delivery
                "logs", "cloudwatch", "artifacts", "dns", "route53", "cloudtrail", "billing", "sts", "login", "auth", "source",
                "buckets", "bucket", "resources", "deployment-manager", "projects", "organizations",
                # `gcloud ai models upload` registers an artifact; the deployment that serves it is placed
                "upload",
                # schedulers and queues place a trigger or messages; what they start is placed by its own definition
                "scheduler", "pubsub", "events", "sns", "sqs", "tasks"}
# Verbs that address something already placed (`gcloud compute ssh --zone`, `aws lambda get-function
# --region`) or run nothing in the cloud (`gcloud ml-engine local train`, `gcloud info`, which
# describes the installed SDK): the command that creates it is the one that places it.
_ADDRESSING_VERBS = {"ssh", "scp", "logs", "predict", "stream-logs", "wait", "cancel", "invoke", "local", "explain",
                     "tail", "read", "connect", "port-forward", "proxy", "copy-files", "update-kubeconfig",
                     "info", "version", "components", "help", "topic", "feedback"}
# `update`: `gcloud composer environments update ENV --location ...` changes what exists where it is;
# `export`: `gcloud dataproc workflow-templates export NAME --destination=t.yaml` writes what exists to a file.
_ADDRESSING_PREFIXES = ("describe", "list", "get", "delete", "purge", "remove", "undeploy", "stop", "show", "update", "resize", "export")
# gcloud products that start what other definitions place: Cloud Deploy (`gcloud deploy releases
# create --region`) rolls a release out to targets whose own definitions say where they run.
_DELIVERY_PRODUCTS = {"deploy"}
# Data-only CLIs (`gsutil mb -l`, `bq mk --location`).
_DATA_CLIS = {"gsutil", "bq"}
# `gcloud config set compute/region us-central1`, `aws configure set region us-east-1`.
_CONFIG_REGION_KEYS = {"compute/region", "compute/zone", "ai/region", "ai_platform/region", "run/region",
                       "batch/location", "region", "default.region"}


def cli_region_values(command: ShellCommand) -> Iterator[tuple[str, int]]:
    """(value, word index) of each region, zone or location a cloud CLI command places compute in."""
    subcommands = command.subcommands()
    if command.cloud == "azure" and sets_default_region(command):
        # `az config set defaults.location=westeurope`, `az configure --defaults location=westeurope`:
        # the location every later command without its own `--location` places resources in
        for index, word in enumerate(command.words):
            key, _, value = word.rpartition("=")
            if key.lower().rsplit("--defaults=", 1)[-1] in ("location", "defaults.location") and value:
                yield value, index
        return
    if command.cloud is not None and command.program not in _DATA_CLIS and len(subcommands) >= 4 \
            and subcommands[:2] in (["config", "set"], ["configure", "set"]):
        if subcommands[2].lower() in _CONFIG_REGION_KEYS:
            yield subcommands[3], 1 + 3
        return
    if not places_compute(command):
        return
    placing = [(flag, value, index) for flag, value, index in command.flags() if _is_region_flag(command, flag)]
    # one command, one placement: its zone lies in the region it also names (`dataproc clusters
    # create --region=$REGION --zone=$ZONE`; the CLI refuses a zone of another region)
    regional = any(not flag.endswith("zone") for flag, _, _ in placing)
    for flag, value, index in placing:
        if not (regional and flag.endswith("zone")):
            for part in value.split(","):
                yield part, index


# Programs that run a project's own code: `python train.py`, `python -m pkg.launch`, `uv run python ...`.
_INTERPRETERS = {"python", "python3", "uv", "poetry", "pipenv", "bash", "sh"}


def program_region_values(command: ShellCommand, data_words: frozenset[str]) -> Iterator[tuple[str, int]]:
    """(value, word index) of the `--region` / `--zone` / `--location` a command gives a program of
    the project (`python infra/launch.py --zone us-central2-b --tpu_type v4-32`, `python
    build/utils.py --mode=deploy-model --region={REGION}`): a launcher given where to run places
    what it launches there, as a cloud CLI does. Not a program named by a data word
    (`python upload_to_s3.py --region ...`, `python -m backup ...`)."""
    if command.cloud is not None or not (command.program in _INTERPRETERS or command.program.endswith((".py", ".sh"))):
        return
    operands = command.subcommands() if command.program in _INTERPRETERS else [command.words[0]]
    if "-m" in command.words[:-1]:
        operands = operands + [command.words[command.words.index("-m") + 1]]  # `python -m pkg.launch`
    elif not any(w.endswith((".py", ".sh")) for w in operands):
        return  # `python -c ...`, `bash -c ...`: not a program of the project
    if any(key_words(part) & data_words for w in operands for part in re.split(r"[/.]", w) if part):
        return
    for flag, value, index in command.flags():
        if flag in _REGION_FLAGS:
            yield value, index


def _is_region_flag(command: ShellCommand, flag: str) -> bool:
    return flag in _REGION_FLAGS or (flag == "l" and command.cloud == "azure")


def sets_default_region(command: ShellCommand) -> bool:
    """`gcloud config set compute/region ...`, `aws configure set region ...`, `az config set
    defaults.location=...`: a default for the commands after it, not a placement of its own."""
    return command.cloud is not None and command.subcommands()[:1] in (["config"], ["configure"])


def takes_default_region(command: ShellCommand) -> bool:
    """A command that places compute without a region flag of its own: the CLI's default places it."""
    return places_compute(command) and not any(_is_region_flag(command, flag) for flag, _, _ in command.flags())


def command_product(command: ShellCommand) -> str:
    """The cloud product a CLI command addresses: `gcloud beta container node-pools create` -> container."""
    return next((w for w in command.subcommands() if w not in ("alpha", "beta", "preview")), "")


# Verbs whose operand names what the command makes: `deploy` makes a service or function, or
# rolls a new revision out to the one of that name (`gcloud run deploy api` twice is one service).
_MAKING_VERBS = ("create", "import", "deploy")


def created_names(command: ShellCommand) -> set[str]:
    """What a command creates, by name: `dataproc clusters create NAME`, `az aks create --name NAME`,
    `workflow-templates import NAME --source=t.yaml` (made from a file), `run deploy NAME`."""
    words = command.subcommands()
    if not set(words) & set(_MAKING_VERBS):
        return set()
    names = {words[i + 1] for i, word in enumerate(words[:-1]) if word in _MAKING_VERBS}
    return names | {value for flag, value, _ in command.flags() if flag in ("name", "n")}


def named_objects(command: ShellCommand) -> set[str]:
    """The words a command may name objects with: its operands and flag values (`--cluster=NAME`,
    `workflow-templates instantiate NAME`)."""
    return set(command.subcommands()[2:]) | {value for _, value, _ in command.flags()}


def places_compute(command: ShellCommand) -> bool:
    """A cloud CLI command that may create compute (where its region flag or default region says):
    not a data CLI, not a subcommand that places data, identity or configuration, not one that
    addresses what exists."""
    if command.cloud is None or command.program in _DATA_CLIS:
        return False
    subcommands = command.subcommands()
    if command.program == "gcloud" and command_product(command) in _DELIVERY_PRODUCTS:
        return False
    if command.program == "gcloud" and "endpoints" in subcommands and \
            subcommands[subcommands.index("endpoints") + 1:][:1] == ["create"]:
        return False  # an empty Vertex AI endpoint, like the SDK's `create_endpoint`: `deploy-model` places compute
    # a verb about access (`gcloud run services add-iam-policy-binding`, `set-iam-policy`) changes who
    # may use what exists: it places nothing, like the `iam` group
    # a service named by such a word with a qualifier (`aws ecr-public create-repository`) is that service
    service = set(subcommands[0].split("-")) if subcommands else set()
    return not (set(subcommands) & (_NON_COMPUTE | _ADDRESSING_VERBS) or service & _NON_COMPUTE or any(
        w.startswith(_ADDRESSING_PREFIXES) or "iam" in w.split("-") for w in subcommands)
        or sets_default_region(command))


# Programs of a CI step that build, move or inspect things on the runner, or address a cluster that
# exists (`helm upgrade`, `kubectl apply`, `kustomize edit` deploy into it; the cluster's own definition places it).
_LOCAL_TOOLS = {"docker", "git", "echo", "printf", "cat", "ls", "cd", "mkdir", "cp", "mv", "rm", "touch", "chmod",
                "tar", "zip", "unzip", "curl", "wget", "jq", "yq", "sed", "awk", "grep", "tee", "sleep", "test", "[",
                "pip", "pip3", "npm", "yarn", "apt-get", "apt", "export", "set", "source", ".", "helm", "kubectl",
                "envsubst", "head", "tail", "true", "exit", "pwd", "find", "sort", "uniq", "wc", "cut", "tr", "xargs",
                "env", "printenv", "which", "date", "basename", "dirname", "base64", "kustomize", "yes", "fuser",
                # test runners and linters: a test suite checks code with mock values, it places nothing
                "pytest", "tox", "nox", "coverage", "ruff", "flake8", "pylint", "mypy", "black", "isort", "pre-commit"}
# Actions that only check out, set up tools, log in or pass credentials: they place nothing.
_SETUP_ACTIONS = ("actions/", "aws-actions/configure-aws-credentials", "aws-actions/amazon-ecr-login", "docker/",
                  "azure/login", "google-github-actions/auth", "google-github-actions/setup-gcloud")
# Docker's image actions by their own names, also forked under another owner (`useblacksmith/build-push-action`).
_IMAGE_ACTIONS = {"build-push-action", "metadata-action", "login-action"}


def job_places_nothing(job) -> bool:
    """A CI job (a GitHub Actions `jobs.<id>` map) whose steps only check out, set up, log in, build
    and push images, run local tools or CLI commands that place no compute, and deploy into a
    cluster that exists. A step that runs a project program (a Python or shell script, `make`,
    `cdk`, `terraform`) or an action not known to be one of those may place compute."""
    steps = job.get("steps") if job is not None and job.is_map else None
    if steps is None or not steps.is_seq:
        return False
    return all(step_places_nothing(step) for step in steps.value)


def step_places_nothing(step) -> bool:
    """One step of such a job: a setup action, or commands that are local tools (tests, linters)
    or cloud CLI calls that place no compute."""
    uses = step.get("uses") if step.is_map else None
    if uses is not None and not (uses.is_scalar and _sets_up(str(uses.value))):
        return False
    run = step.get("run") if step.is_map else None
    return run is None or run.is_scalar and isinstance(run.value, str) and commands_place_nothing(run.value)


# Tools that deploy a project's own infrastructure definition, and their verbs that place nothing:
# a teardown (`serverless remove`, `cdk destroy`, `terraform destroy`) removes what a deploy placed,
# and preparing or inspecting (`terraform init`, `plan`, `validate`, `cdk synth`, `sam package`)
# changes nothing in the cloud.
_DEPLOY_TOOLS = {"serverless", "sls", "cdk", "terraform", "pulumi", "copilot", "sam"}
_NON_PLACING_VERBS = {"remove", "delete", "destroy", "init", "validate", "fmt", "plan", "output", "show",
                      "synth", "diff", "ls", "list", "package", "preview", "version", "login", "print", "info"}


def _sets_up(action: str) -> bool:
    """A setup action: a known one, or any whose name says it installs a tool
    (`hashicorp/setup-terraform@v2`, `astral-sh/setup-uv`, `azure/setup-kubectl`), or builds and
    pushes an image as Docker's own do (`useblacksmith/build-push-action`, a fork under another owner)."""
    name = action.split("@", 1)[0].rsplit("/", 1)[-1]
    return action.startswith(_SETUP_ACTIONS) or name.startswith("setup-") or name in _IMAGE_ACTIONS


def commands_place_nothing(script: str) -> bool:
    """Every command of a shell script is a local tool (tests and linters among them), a cloud
    CLI call that places no compute, or a deploy tool's teardown or preparation: no program of
    the project runs."""
    return all(_tool(command) in _LOCAL_TOOLS or command.cloud and not places_compute(command)
               or deploy_tool_places_nothing(command) for command in script_commands(script))


def _tool(command: ShellCommand) -> str:
    """The program a command runs: a module run by the interpreter, `python -m pytest`, is that tool."""
    words = command.words
    if command.program.startswith("python") and len(words) > 2 and words[1] == "-m":
        return words[2]
    return command.program


def deploy_tool_places_nothing(command: ShellCommand) -> bool:
    """`serverless remove`, `cdk destroy --force`, `terraform -chdir=infra destroy`, `terraform init`."""
    verb = next((w for w in command.words[1:] if not w.startswith("-")), "")
    return command.program in _DEPLOY_TOOLS and verb in _NON_PLACING_VERBS


def ci_placement(doc, path: tuple) -> str | None:
    """Which run of a CI workflow a key places: the job id for `jobs.<id>...` (its `env:`, the
    `aws-region` of its credentials step), "" for the workflow's own `env:`, which every job
    inherits; None outside a workflow (a map with `jobs`)."""
    if _workflow_jobs(doc) is None or not path:
        return None
    if path[0] == "env":
        return ""
    return str(path[1]) if path[0] == "jobs" and len(path) > 1 else None


def set_for_jobs_that_place_nothing(doc, path: tuple) -> bool:
    """A CI workflow's region (`aws-region` of the credentials step, an `env:` of the job or of the
    workflow) for jobs that only build, push and address what exists: it places nothing; the
    definition of what they address does. A step's own `env:` is read with that step alone (a
    `pytest` step's mock region). A composite action's `runs.steps` are read as one such job."""
    runs = doc.get("runs") if doc.is_map else None
    if runs is not None and runs.is_map and path[:2] == ("runs", "steps"):
        return job_places_nothing(runs)
    jobs = _workflow_jobs(doc)
    if jobs is None:
        return False
    if path[:1] == ("env",):
        return all(job_places_nothing(job) for _, job in jobs.items())
    if len(path) > 5 and path[0] == "jobs" and path[2] == "steps" and path[4] == "env":
        steps = jobs.get(path[1]).get("steps")  # a step's own `env:` is that step's alone
        return step_places_nothing(steps.value[path[3]])
    return len(path) > 2 and path[0] == "jobs" and job_places_nothing(jobs.get(path[1]))


def _workflow_jobs(doc):
    """The `jobs` map of a CI workflow document, None for any other document."""
    jobs = doc.get("jobs") if doc.is_map else None
    return jobs if jobs is not None and jobs.is_map else None
