"""GL401's reading of cloud SDK clients and retrieved resources: which services a boto3 client or
session makes, and whether what a call makes is only ever used to read, stop or remove what
exists (then its region places nothing)."""
from __future__ import annotations

import ast
from typing import Callable

from ..frontends.parameters import call_arguments
from ..frontends.pyast import chain_root, dotted, kwarg
from .cloud import str_const
from .cloud_sdks import PAGED_READ_PREFIXES, READ_METHODS, READ_PREFIXES, RETRIEVED_USES


def bound_name(ctx, node: ast.AST) -> str | None:
    """The one name an expression's value is bound to (`client = boto3.client(...)`), or None."""
    holder = ctx.parent(node)
    if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name):
        return holder.targets[0].id
    return None


def only_reads(ctx, client: ast.Call, prefixes: tuple[str, ...] | None = None) -> bool:
    """A client bound to a name whose every use reads what exists (`describe_*`, `list_*`,
    `get_*`, a paginator of those; or the method `prefixes` given), or used once where it is
    made for such a method: like `aws ec2 describe-instance-types`, it places nothing. A resource
    retrieved to be read (`prefixes` RETRIEVED_USES) may also be read only for its fields
    (`extension.resource_name`)."""
    prefixes = prefixes or READ_PREFIXES
    holder = ctx.parent(client)
    chained = ctx.parent(holder) if isinstance(holder, ast.Attribute) else None
    name = bound_name(ctx, client)
    if isinstance(chained, ast.Call) and chained.func is holder:
        methods = [chained]  # used once, where it is made: `aiplatform.Model(model_name=m).delete()`
    elif name is not None:
        methods = _uses(ctx, client, name)
    else:
        return False
    if not methods and name is not None and prefixes is RETRIEVED_USES:
        reads = ctx.reads_of(name)
        return bool(reads) and all(isinstance(ctx.parent(r), ast.Attribute) for r in reads)
    return bool(methods) and all((m.func.attr.startswith(prefixes) or m.func.attr in READ_METHODS)  # type: ignore[attr-defined]
                                 if m.func.attr != "get_paginator"  # type: ignore[attr-defined]
                                 else (str_const(m.args[0] if m.args else None) or "").startswith(PAGED_READ_PREFIXES)
                                 for m in methods)


def _uses(ctx, client: ast.Call, name: str) -> list[ast.Call]:
    """The method calls on what `name = client` binds, where that binding reaches them
    (`client.list_jobs()`, `client.agent_engines.list()`; a notebook's later `lambda_client =
    boto3.client(...)` is another client), and those a wrapper class of the file makes on it
    once handed the client (`BedrockWrapper(client)`, whose methods call `self.bedrock_client.*`)."""
    uses = []
    for call in ctx.calls:
        root = chain_root(call.func.value) if isinstance(call.func, ast.Attribute) else None
        if isinstance(root, ast.Name) and root.id == name and any(v is client for v in ctx.bound_values(root)):
            uses.append(call)
    for read in ctx.reads_of(name):
        handed = ctx.parent(read)
        if isinstance(handed, ast.keyword):
            handed = ctx.parent(handed)
        if isinstance(handed, ast.Call) and handed.func is not read and any(v is client for v in ctx.bound_values(read)):
            uses += _wrapper_calls(ctx, handed, read)
    return uses


def _wrapper_calls(ctx, construction: ast.Call, given: ast.Name) -> list[ast.Call]:
    """The calls a class of the file makes on the client its `__init__` stores on `self`
    (`def __init__(self, bedrock_client): self.bedrock_client = bedrock_client`)."""
    if not isinstance(construction.func, ast.Name):
        return []
    cls = next((c for c in ctx.nodes_of(ast.ClassDef) if c.name == construction.func.id), None)
    init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None) if cls else None
    if init is None:
        return []
    param = next((p for p, argument in call_arguments(construction, init, bound=True) if argument is given), None)
    stored = _stored_on_self(init, param)
    return [c for c in ctx.calls if _self_attribute(c.func.value if isinstance(c.func, ast.Attribute) else None) in stored
            and any(a is cls for a in ctx.ancestors(c))]


def _stored_on_self(init: ast.FunctionDef, param: str | None) -> set[str]:
    """The attributes `__init__` sets from the parameter (`self.bedrock_client = bedrock_client`)."""
    return {attr for a in ast.walk(init) if isinstance(a, ast.Assign) and isinstance(a.value, ast.Name)
            and a.value.id == param for t in a.targets if (attr := _self_attribute(t)) is not None}


def _self_attribute(node: ast.AST | None) -> str | None:
    """`x` of `self.x`."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def reads_where_it_runs(method: str) -> bool:
    """A call that lists, gets or stops what exists in the location it is given
    (`Extension.list(location=...)`, `TuningJob.get(...)`): it places nothing there."""
    return method in READ_METHODS or method.startswith(READ_PREFIXES) or method in ("delete", "cancel")


def names_an_existing_resource(given: ast.expr, string: Callable[[ast.AST], str | None]) -> bool:
    """A resource's path or numeric id (`"projects/p/locations/l/endpoints/123"`, also spelled in an
    f-string), or a name that says it holds one (`ENDPOINT_ID`, `endpoint_name`); not the display
    name a job class takes first (`CustomTrainingJob("train-abalone", ...)` makes a job)."""
    value = string(given)
    if value is not None:
        return "/" in value or value.isdigit()
    if isinstance(given, ast.JoinedStr):  # f"projects/{P}/locations/{L}/tuningJobs/{ID}"
        return any(isinstance(part, ast.Constant) and "/" in str(part.value) for part in given.values)
    words = (dotted(given) or "").rsplit(".", 1)[-1].lower()
    return words.endswith(("_id", "_name", "resource_name")) and "display" not in words


def services(ctx, client: ast.Call) -> set[str]:
    """The services a boto3 `client(...)` call may make: its first argument or `service_name`,
    a string or a name bound to strings (`service_name = "bedrock-runtime"` in one branch,
    `"bedrock"` in the other), or to each string of the list a comprehension walks."""
    given = client.args[0] if client.args else kwarg(client, "service_name")
    found = {name for value in ctx.possible_values(given) if (name := str_const(value)) is not None}
    if isinstance(given, ast.Name):  # `[session.client(service_name=sn) for sn in ["batch", "logs"]]`
        for maker in ctx.ancestors(client):
            for loop in getattr(maker, "generators", ()):
                if isinstance(loop.target, ast.Name) and loop.target.id == given.id and isinstance(loop.iter, (ast.List, ast.Tuple)):
                    found |= {name for item in loop.iter.elts if (name := str_const(item)) is not None}
    return found


def session_clients(ctx, session: ast.Call) -> list[ast.Call]:
    """The `client(...)` calls a boto3 session makes: those of the name it is bound to
    (`session = boto3.Session(...)`, then `session.client("sts")`) where it makes clients, else
    every client call of the file."""
    clients = [c for c in ctx.calls if isinstance(c.func, ast.Attribute) and c.func.attr == "client"]
    name = bound_name(ctx, session)
    own = [c for c in clients if isinstance(c.func.value, ast.Name) and c.func.value.id == name]
    return own or clients


def never_used(ctx, client: ast.Call) -> bool:
    """A client bound to a name that nothing reads, in a notebook or a function (a module's name
    may be imported by another file): a client object runs nothing until a call uses it."""
    name = bound_name(ctx, client)
    if name is None:
        return False
    scope = ctx.enclosing_function(client)
    return (scope is not None or ctx.kind == "notebook") and not ctx.reads_of(name, scope)


def unpacked_keywords(ctx, call: ast.Call) -> list[ast.keyword]:
    """The items of a dict the call unpacks (`boto3.Session(**session_kwargs)` with
    `session_kwargs = {"region_name": region}`), as the keywords they become."""
    found = []
    for kw in call.keywords:
        if kw.arg is not None:
            continue
        values = ctx.bound_values(kw.value) if isinstance(kw.value, ast.Name) else [kw.value]
        if len(values) == 1 and isinstance(values[0], ast.Dict):
            found += [ast.keyword(arg=key, value=value) for k, value in zip(values[0].keys, values[0].values)
                      if (key := str_const(k)) is not None]
    return found


def keyword_lookup_default(ctx, node: ast.AST) -> ast.Constant | None:
    """The default of a lookup in the function's own `**kwargs` (`kwargs.get("region_name",
    "us-east-1")` handed to a client): the value unless a caller passes the keyword, like an
    environment lookup's default."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name) and len(node.args) == 2 and str_const(node.args[1]) is not None):
        return None
    function = ctx.enclosing_function(node)
    keywords = function.args.kwarg if function is not None else None
    return node.args[1] if keywords is not None and keywords.arg == node.func.value.id else None  # type: ignore[return-value]
