"""GL403 always-on-endpoint: an inference endpoint that never scales to zero or is never removed.

Config reader: KServe InferenceService `minReplicas` and Knative `min-scale` annotations.
Python reader: SageMaker and Vertex AI `deploy()` calls, boto3 `create_endpoint` and Azure ML online
deployments / web services in files that never clean them up.
"""
from __future__ import annotations

import ast
import re

from . import detector
from ..frontends.pyast import kwarg, walk
from .cloud import config_int, is_test_suite, object_name, string_value

# --------------------------------------------------------------------------------------
# config reader

_KSERVE_APIS = ("serving.kserve.io", "serving.kubeflow.org")
_KNATIVE_MIN_SCALE = ("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/minScale")
_KSERVE_HOW = "set minReplicas: 0 to scale to zero when idle (serverless mode), accepting a cold start on the first request"


def _inference_service_replicas(ctx, doc, api: str) -> None:
    """Each component's `minReplicas` (v1beta1 `spec.predictor`; v1alpha2 `spec.default.predictor`).
    Left out of a v1beta1 component, it is 1 (v1alpha2's default was 0), unless the object's own
    min-scale annotation decides, or its deployment mode cannot scale to zero at all
    (RawDeployment, ModelMesh: nothing to set)."""
    spec = doc.get("spec")
    if spec is None or not spec.is_map:
        return
    annotations = doc.find("metadata", "annotations")
    defaults_to_one = api.endswith("/v1beta1") and not (annotations is not None and annotations.is_map and (
        any(k in annotations.value for k in _KNATIVE_MIN_SCALE)
        or (string_value(annotations.get("serving.kserve.io/deploymentMode")) or "Serverless") != "Serverless"))
    for version in (spec, spec.get("default"), spec.get("canary")):
        if version is None or not version.is_map:
            continue
        for component in ("predictor", "transformer", "explainer"):
            comp = version.get(component)
            if comp is None or not comp.is_map:
                continue
            min_node = comp.get("minReplicas")
            n = config_int(min_node)
            if min_node is None and defaults_to_one and version is spec:
                # each component is a deployment of its own, with its own replica and its own fix
                ctx.report("GL403", comp,
                           f"InferenceService{object_name(doc)} keeps 1 {component} replica running with no traffic: "
                           f"minReplicas is not set and KServe's default is 1; {_KSERVE_HOW}",
                           {"kind": "InferenceService", "component": component, "min_replicas": 1}, at="key")
            elif n is not None and n >= 1:
                ctx.report("GL403", min_node,
                           f"InferenceService{object_name(doc)} keeps {n} {component} replica{'s' if n > 1 else ''} running "
                           f"with no traffic (minReplicas: {n}); {_KSERVE_HOW}",
                           {"kind": "InferenceService", "component": component, "min_replicas": n})


def _knative_min_scale(ctx, doc, kind: str | None) -> None:
    """autoscaling.knative.dev/min-scale on any annotations map (Knative, and KServe through it)."""
    for path, node in doc.walk():
        if not path or path[-1] not in _KNATIVE_MIN_SCALE:
            continue
        if len(path) < 2 or path[-2] != "annotations":
            continue
        n = config_int(node)
        if n is not None and n >= 1:
            ctx.report("GL403", node,
                       f"autoscaling.knative.dev/min-scale: {n} keeps {n} pod{'s' if n > 1 else ''} of this service "
                       f"running with no traffic; use 0 (the Knative default) to scale to zero when idle",
                       {"kind": kind or "", "min_scale": n})


@detector("GL403", "config")
def always_on_endpoint_config(ctx) -> None:
    if is_test_suite(ctx):
        return
    for doc in ctx.documents:
        if not doc.is_map:
            continue
        kind = doc.get("kind")
        api = doc.get("apiVersion")
        kind_s = kind.str() if kind is not None else None
        api_s = (api.str() or "") if api is not None else ""
        if kind_s == "InferenceService" and any(a in api_s for a in _KSERVE_APIS):
            _inference_service_replicas(ctx, doc, api_s)
        _knative_min_scale(ctx, doc, kind_s)
        _azure_deployment_spec(ctx, doc)


_AZURE_DEPLOYMENT_SCHEMA = re.compile(r"(managed|kubernetes)OnlineDeployment\.schema\.json", re.I)


def _azure_deployment_spec(ctx, doc) -> None:
    """An Azure ML online deployment written for the `az ml online-deployment create` CLI: its
    `$schema` names one, or (without a schema) it has the keys only a deployment has together,
    `endpoint_name`, `model` and `instance_count`. A managed one keeps at least one instance."""
    schema = _AZURE_DEPLOYMENT_SCHEMA.search(string_value(doc.get("$schema")) or "")
    if schema is None and not all(doc.get(key) is not None for key in ("endpoint_name", "model", "instance_count")):
        return
    count_node = doc.get("instance_count")
    count = config_int(count_node) if count_node is not None else None
    if count == 0:
        return  # a Kubernetes online deployment scaled to nothing
    kind = "KubernetesOnlineDeployment" if schema is not None and schema.group(1).lower() == "kubernetes" \
        else "ManagedOnlineDeployment"
    count_text = f"{count} instance{'s' if count != 1 else ''}" if count is not None else "its instances"
    name = string_value(doc.get("name"))
    ctx.report("GL403", count_node if count_node is not None else doc.get("$schema"),
               f"this Azure ML {kind}{f' {name!r}' if name else ''} keeps {count_text} running with no traffic: {_AZURE_CLI_HOW}",
               {"platform": "Azure ML", "instance_count": count})


# --------------------------------------------------------------------------------------
# Python reader

# Not `delete_endpoint_config`: removing a configuration leaves the endpoint built from it running.
_CLEANUP_CALLS = {"delete_endpoint", "delete_predictor", "undeploy_all", "undeploy", "begin_delete"}
# A project's own helper that tears resources down (`delete_project_resources(...)`, `cleanup_endpoints()`).
_CLEANUP_HELPER = re.compile(r"(delete|cleanup|clean_up|teardown|tear_down|remove|destroy)_?\w*"
                             r"(endpoint|resource|predictor|deployment)s?$|^(cleanup|clean_up|teardown|tear_down)$", re.I)
# Cleanup through a CLI or the REST API, in a shell cell or a subprocess call.
_CLI_CLEANUP = re.compile(
    r"aws\s+sagemaker\s+delete-endpoint|gcloud\s+(?:beta\s+)?ai\s+endpoints\s+(?:delete|undeploy-model)"
    r"|:undeployModel\b|-X\s*DELETE\b[^\n]*/endpoints/|az\s+ml\s+online-(?:endpoint|deployment)\s+delete")
_AUTOSCALING = re.compile(r"register_scalable_target|put_scaling_policy|application-autoscaling")
# SageMaker ModelBuilder: `deploy(inference_config=...)` chooses the kind of endpoint.
_SCALES_TO_ZERO_CONFIGS = {"ServerlessInferenceConfig", "AsyncInferenceConfig", "BatchTransformInferenceConfig"}
_SAGEMAKER_HOW = ("delete it when done (`predictor.delete_endpoint()`), or deploy with "
                  "`serverless_inference_config=ServerlessInferenceConfig(...)`, which scales to zero")
_VERTEX_HOW = "undeploy it when done (`endpoint.undeploy_all()` then `endpoint.delete()`)"


def _cleans_up(ctx, delete_counts: bool) -> bool:
    """The file removes what it deploys somewhere (a helper function too), or autoscales it."""
    names = {c.func.attr for c in ctx.calls if isinstance(c.func, ast.Attribute)} | {
        c.func.id for c in ctx.calls if isinstance(c.func, ast.Name)}
    if names & _CLEANUP_CALLS or any(_CLEANUP_HELPER.search(n) for n in names):
        return True
    if delete_counts and "delete" in names or _deployed_then_deleted(ctx):
        return True  # endpoint.delete(force=True), service.delete()
    # SageMaker's ManagedEndpoint(..., auto_delete=True) deletes the endpoint when its block ends
    if any(k.arg == "auto_delete" and isinstance(k.value, ast.Constant) and k.value.value is True
           for call in ctx.calls for k in call.keywords):
        return True
    # `!aws sagemaker delete-endpoint ...` in a shell cell, `subprocess.run([...])`: a command the file
    # runs; the same words in a log message, a print or a comment run nothing
    from .commands import shell_commands

    return bool(_AUTOSCALING.search(ctx.text)) or any(
        _CLI_CLEANUP.search(" ".join(command.words)) for command in shell_commands(ctx))


def _deployed_then_deleted(ctx) -> bool:
    """`endpoint = model_builder.deploy(...)` then `endpoint.delete()`: what a deploy returns stands
    for the endpoint (SageMaker's ModelBuilder returns its Endpoint resource), and its own delete
    removes it. A model's delete (`core_model.delete()`) leaves the endpoint running."""
    deployed = {target.id for assign in ctx.nodes_of(ast.Assign) if isinstance(assign.value, ast.Call)
                and isinstance(assign.value.func, ast.Attribute) and assign.value.func.attr == "deploy"
                for target in assign.targets if isinstance(target, ast.Name)}
    return any(isinstance(c.func, ast.Attribute) and c.func.attr == "delete" and isinstance(c.func.value, ast.Name)
               and c.func.value.id in deployed for c in ctx.calls)


def _inference_config_scales_down(ctx, call: ast.Call) -> bool:
    """ModelBuilder `deploy(inference_config=ServerlessInferenceConfig(...))` (or async, or batch
    transform): no always-on real-time endpoint. Also through a name bound to such a call."""
    value = next((k.value for k in call.keywords if k.arg == "inference_config"), None)
    if value is None:
        return False
    if isinstance(value, ast.Name):
        bound = [n.value for n in ctx.nodes_of(ast.Assign)
                 if any(isinstance(t, ast.Name) and t.id == value.id for t in n.targets)]
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
        for node in ctx.nodes_of(ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == receiver.id for t in node.targets):  # type: ignore[attr-defined]
                if isinstance(node.value, ast.Call) and (ctx.qualname(node.value.func) or "").startswith("sagemaker"):
                    return True
    return False


def _local_mode(ctx, call: ast.Call) -> bool:
    """SageMaker local mode, `deploy(1, "local")` / `instance_type="local_gpu"`: a container on this
    machine, not a hosted endpoint (the SageMaker Python SDK's `LocalSession`)."""
    given = kwarg(call, "instance_type") or (call.args[1] if len(call.args) > 1 else None)
    value = ctx.literal(given) if given is not None else None
    return isinstance(value, str) and value in ("local", "local_gpu")


def _deployment_platform(ctx, call: ast.Call, sagemaker: bool, vertex: bool) -> str | None:
    """'SageMaker' or 'Vertex AI' when this `deploy()` call creates an always-on endpoint."""
    kwargs = {k.arg for k in call.keywords}
    if None in kwargs:
        return None  # **kwargs: the configuration is not visible
    if kwargs & {"serverless_inference_config", "async_inference_config"} or _inference_config_scales_down(ctx, call):
        return None
    if sagemaker and _local_mode(ctx, call):
        return None
    if sagemaker and not vertex and not (kwargs & {"instance_type", "initial_instance_count", "endpoint_name"}):
        # JumpStart / ModelBuilder deploy() with defaults still creates a real-time endpoint
        if not _is_sagemaker_receiver(ctx, call):
            return None
    if vertex and not sagemaker:
        min_rep = next((k.value for k in call.keywords if k.arg == "min_replica_count"), None)
        return None if ctx.int_value(min_rep) == 0 else "Vertex AI"
    return "SageMaker"


# --- boto3: the low-level spelling of `Model.deploy`, and Azure ML online endpoints

_BOTO3_HOW = ("delete it when done (`sagemaker_client.delete_endpoint(EndpointName=...)`), or give the endpoint "
              "configuration a `ServerlessConfig`, which scales to zero")
_AZURE_CLI_HOW = ("delete it when done (`az ml online-endpoint delete --name ...`); a managed online deployment "
                  "keeps at least one instance, so a batch endpoint (`az ml batch-endpoint`) suits offline scoring")
_AZURE_HOW = ("delete it when done (`ml_client.online_endpoints.begin_delete(name=...)`); a managed online "
              "deployment keeps at least one instance, so a batch endpoint suits offline scoring")
# ProductionVariants keys that make an endpoint configuration scale to zero or not run instances.
_SCALE_TO_ZERO_VARIANT_KEYS = {"ServerlessConfig"}
# Azure ML v2 online deployments: they keep `instance_count` instances (at least 1) running.
_AZURE_ONLINE_DEPLOYMENTS = {"ManagedOnlineDeployment", "KubernetesOnlineDeployment"}


def _endpoint_config_scales_down(ctx) -> bool:
    """A `create_endpoint_config` of this file whose variants are serverless, an asynchronous
    configuration, or managed instance scaling down to `MinInstanceCount: 0`."""
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "create_endpoint_config"):
            continue
        if any(k.arg == "AsyncInferenceConfig" for k in call.keywords):
            return True
        for node in walk(call):
            if not isinstance(node, ast.Dict):
                continue
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if keys & _SCALE_TO_ZERO_VARIANT_KEYS:
                return True
            minimum = next((v for k, v in zip(node.keys, node.values)
                            if isinstance(k, ast.Constant) and k.value == "MinInstanceCount"), None)
            if minimum is not None and ctx.int_value(minimum) == 0:
                return True
    return False


def _boto3_endpoints(ctx) -> None:
    """boto3 `sagemaker_client.create_endpoint(EndpointName=..., EndpointConfigName=...)`."""
    if _endpoint_config_scales_down(ctx):
        return
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "create_endpoint"):
            continue
        if not any(k.arg == "EndpointConfigName" for k in call.keywords):
            continue  # not the SageMaker API (Vertex's gapic create_endpoint makes an empty endpoint)
        ctx.report("GL403", call.func,
                   "this boto3 `create_endpoint` starts a SageMaker real-time endpoint that bills and draws power "
                   f"around the clock, and nothing in this file ever removes it: {_BOTO3_HOW}",
                   {"platform": "SageMaker", "api": "boto3"})


def _azure_online_deployments(ctx) -> None:
    """Azure ML v2 `ManagedOnlineDeployment(instance_count=N)` created in this file
    (`ml_client.online_deployments.begin_create_or_update(...)`, or the generic `ml_client.begin_create_or_update`),
    reported at the call that creates it, like a SageMaker `deploy()`; at the deployment itself when
    the file creates it in a way it does not show (through a helper)."""
    # `begin_create_or_update(deployment, local=True)` runs the deployment in a local container
    creates = [c for c in ctx.calls if isinstance(c.func, ast.Attribute)
               and c.func.attr in ("begin_create_or_update", "create_or_update")
               and not any(k.arg == "local" and isinstance(k.value, ast.Constant) and k.value.value is True
                           for k in c.keywords)]
    if not creates:
        return
    deployments = [c for c in ctx.calls
                   if (ctx.qualname(c.func) or "").rsplit(".", 1)[-1] in _AZURE_ONLINE_DEPLOYMENTS]
    created_at: dict[int, ast.Call] = {}
    for create in creates:
        for value in ctx.possible_values(create.args[0] if create.args else kwarg(create, "deployment")):
            if any(value is d for d in deployments):
                created_at.setdefault(id(value), create)
    for deployment in deployments:
        kind = (ctx.qualname(deployment.func) or "").rsplit(".", 1)[-1]
        count = ctx.int_value(kwarg(deployment, "instance_count"))
        count_text = f"{count} instance{'s' if count != 1 else ''}" if count is not None else "its instances"
        at = created_at.get(id(deployment), deployment)
        ctx.report("GL403", at.func,
                   f"this Azure ML {kind} keeps {count_text} running with no traffic, and nothing in this file "
                   f"ever removes it: {_AZURE_HOW}",
                   {"platform": "Azure ML", "instance_count": count})


def _azure_v1_web_service(ctx, call: ast.Call) -> None:
    """Azure ML v1 `Model.deploy(ws, name, models, inference_config, deployment_config)`: an ACI or
    AKS web service; not `LocalWebservice.deploy_configuration()`, a local container."""
    arguments = [*call.args, *(k.value for k in call.keywords)]
    if any(isinstance(n, ast.Name) and n.id == "LocalWebservice"
           for a in arguments for n in walk(ctx.expression_of(a) or a)):  # also through a name
        return
    if len(call.args) + len(call.keywords) >= 3:
        ctx.report("GL403", call.func,
                   "this Azure ML web service (ACI / AKS) bills and draws power around the clock, and nothing "
                   "in this file ever removes it: delete it when done (`service.delete()`)",
                   {"platform": "Azure ML"})


def _deploy_calls(ctx, sagemaker: bool, vertex: bool, azure_v1: bool) -> None:
    """`x.deploy(...)` of SageMaker, Vertex AI and Azure ML v1."""
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "deploy"):
            continue
        if azure_v1 and not (sagemaker or vertex):
            _azure_v1_web_service(ctx, call)
            continue
        platform = _deployment_platform(ctx, call, sagemaker, vertex)
        if platform is None:
            continue
        how = _VERTEX_HOW if platform == "Vertex AI" else _SAGEMAKER_HOW
        ctx.report("GL403", call.func,
                   f"this {platform} deployment creates an endpoint that bills and draws power around the clock, and "
                   f"nothing in this file ever removes it: {how}",
                   {"platform": platform})


@detector("GL403", "python")
def always_on_endpoint_python(ctx) -> None:
    # `deploy(initial_instance_count=...)` is SageMaker's own signature: an excerpt whose imports
    # live elsewhere (`HuggingFace.attach(job).deploy(...)`) deploys there too.
    sagemaker = ctx.imports.uses("sagemaker") or any(
        isinstance(call.func, ast.Attribute) and call.func.attr == "deploy" and kwarg(call, "initial_instance_count")
        is not None for call in ctx.calls)
    vertex = ctx.imports.uses("google.cloud.aiplatform", "vertexai") or any(
        m.startswith("google.cloud") and "aiplatform" in m for m in ctx.imports.modules)
    azure_v2 = ctx.imports.uses("azure.ai.ml")
    azure_v1 = ctx.imports.uses("azureml.core")
    aws_client = ctx.imports.uses("boto3", "sagemaker")
    if not (sagemaker or vertex or azure_v1 or azure_v2 or aws_client) or is_test_suite(ctx):
        return
    # `.delete()` removes a Vertex endpoint and an Azure ML v1 web service; `begin_delete` an Azure ML v2 endpoint
    if _cleans_up(ctx, vertex or azure_v1 or azure_v2):
        return
    if aws_client:
        _boto3_endpoints(ctx)
    if azure_v2:
        _azure_online_deployments(ctx)
    if sagemaker or vertex or azure_v1:
        _deploy_calls(ctx, sagemaker, vertex, azure_v1)
