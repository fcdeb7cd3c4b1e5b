"""Vertex AI's default location (`aiplatform.init(location=...)`) and the SDK calls it serves:
what those calls do decides whether the default places compute (GL401)."""
from __future__ import annotations

import ast

from ..frontends.pyast import call_name
from .cloud import key_words
from .cloud_sdks import RETRIEVED_USES, regional_client
from .region_clients import bound_name, names_an_existing_resource, only_reads
from .region_python_facts import sdk_class

# SDK calls that read what exists or record an experiment's metadata (Vertex AI Experiments).
READS_OR_RECORDS = ("list", "get", "delete", "cancel", "log_", "set_experiment", "start_run", "end_run",
                    "start_execution", "execution", "graph_experiment", "autolog")


def default_for_reads(ctx, call: ast.Call, qual: str, words: frozenset[str], string) -> bool:
    """`aiplatform.init(location=...)` (or the older `connect`) in a file whose every other call
    of that SDK lists, gets or deletes what exists (`HyperparameterTuningJob.list(...)`), makes
    data (`TabularDataset.create`, a class named by a data word) or records an experiment's
    metadata (`log_metric`, `set_experiment`, `start_run`, an `@execution`): the default
    location of reads, stores and records, which place no compute, like a client whose every
    use reads or a `cloudwatch` client that records metrics. A notebook with no other call of
    the SDK, or of a library that builds on it, places nothing through the default at all (a
    module's default serves the files that import it). A generated service client
    (`aiplatform.gapic.EndpointServiceClient(client_options={"api_endpoint": ...})`) takes its
    region from its own endpoint, never from the default, so the default serves none of its calls;
    nor does the SDK's `prediction.LocalModel`, which builds and serves a container on this machine."""
    if not qual.endswith((".init", ".connect")):
        return False
    sdk = qual.rsplit(".", 1)[0]
    others = [c for c in ctx.calls if c is not call and (ctx.qualname(c.func) or "").startswith(sdk + ".")
              and not regional_client(ctx.qualname(c.func) or "")
              and "LocalModel" not in (ctx.qualname(c.func) or "").split(".")]
    others = _served_by(ctx, call, others)
    if not others:  # a notebook (never imported) with no call of the SDK, nor of a library built on its default
        word = sdk.rsplit(".", 1)[-1]
        return ctx.kind == "notebook" \
            and not any(word in (ctx.qualname(c.func) or "") for c in ctx.calls if c is not call)
    return all(call_name(c).rsplit(".", 1)[-1].startswith(READS_OR_RECORDS)
               or key_words(sdk_class(ctx.qualname(c.func) or "")) & words
               or retrieved_to_read(ctx, c, ctx.qualname(c.func) or "", string) or _only_registers(ctx, c) for c in others)


def _only_registers(ctx, call: ast.Call) -> bool:
    """`Model.upload(...)` registers a model, as `gcloud ai models upload` does, unless what it
    returns is deployed here (`Model.upload(...).deploy(...)`, `model.deploy(...)`): a result
    read only for its fields (`model.resource_name`), or handed back to the caller, places nothing."""
    if call_name(call).rsplit(".", 1)[-1] != "upload":
        return False
    name = bound_name(ctx, call)
    scope = ctx.enclosing_function(call)
    heads = [call] + [read for read in (ctx.reads_of(name) if name else [])
                      if ctx.enclosing_function(read) is scope]
    for head in heads:
        holder = ctx.parent(head)
        method = ctx.parent(holder) if isinstance(holder, ast.Attribute) else None
        if isinstance(method, ast.Call) and method.func is holder and not holder.attr.startswith(RETRIEVED_USES):
            return False
    return True


def _served_by(ctx, init: ast.Call, calls: list[ast.Call]) -> list[ast.Call]:
    """The SDK calls whose default location `init` sets: a function that sets its own default
    (`def deploy_model(): aiplatform.init(location=...); model.deploy(...)`) serves its later
    calls with it, so another function's `init` sets nothing for them; a call of a function
    that sets none may run after any `init` of the file."""
    inits = [c for c in calls if (ctx.qualname(c.func) or "").endswith((".init", ".connect"))] + [init]
    own = {id(ctx.enclosing_function(c)) for c in inits if ctx.enclosing_function(c) is not None}
    home = ctx.enclosing_function(init)
    return [c for c in calls if c not in inits
            and (id(ctx.enclosing_function(c)) not in own or ctx.enclosing_function(c) is home)]


def retrieved_to_read(ctx, call: ast.Call, qual: str, string) -> bool:
    """A Vertex AI resource class given the name of an existing resource (`Featurestore(
    featurestore_name=...)`, `Endpoint(endpoint_name=...)`: the SDK's constructors retrieve,
    `create` makes; also by position, `Endpoint("projects/.../endpoints/123")`) whose every
    later use reads, deletes or sends it requests (`endpoint.predict(...)`: the endpoint runs
    where it was placed): like a client that only reads, it places nothing."""
    named = any(k.arg and k.arg.endswith("_name") and k.arg != "display_name" for k in call.keywords) \
        or bool(call.args) and names_an_existing_resource(call.args[0], string)
    if not (qual.startswith(("google.cloud.aiplatform.", "vertexai.")) and qual.rsplit(".", 1)[-1][:1].isupper()
            and named):
        return False
    return only_reads(ctx, call, RETRIEVED_USES)
