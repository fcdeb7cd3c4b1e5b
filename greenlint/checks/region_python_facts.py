"""Facts about region values in Python, for GL401's Python reader: constants named for where
something runs, Colab form choices, the cloud a file's SDK imports imply, `%env` lines, and
regions spelled into host names. Not a rule.
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from ..frontends.bindings import module_statements
from ..frontends.notebook_shell import ENVIRONMENT_MAGIC
from ..frontends.pyast import call_name
from .cloud import str_const


def names_a_placement(identifier: str, data_words: frozenset[str]) -> bool:
    """A constant named for where something runs, by its last word (`gcp_compute_region`,
    `TRAINING_LOCATION`), with no word of `data-words` (`BUCKET_REGION` places a store)."""
    words = [w for w in re.split(r"[_\W]+", identifier.lower()) if w]
    return len(words) > 1 and words[-1] in ("region", "location") and not set(words) & data_words


_FORM_PARAM = re.compile(r"#\s*@param\s*(\[[^\]]*\])")


def form_choices(ctx, node: ast.AST) -> list[str] | None:
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


def default_hint(ctx) -> str | None:
    """The cloud of a module-level REGION constant, from the SDKs the file imports."""
    if ctx.imports.uses("boto3", "sagemaker"):
        return None
    if ctx.imports.uses("google.cloud", "vertexai", "agentplatform", "apache_beam"):
        return "gcp"
    if ctx.imports.uses("azure.ai.ml", "azureml"):
        return "azure"
    return None


def sdk_class(qualname: str) -> str:
    """The class a call of an SDK is about: the class constructed (`aiplatform.FeatureOnlineStore(...)`)
    or whose method is called (`aiplatform.TabularDataset.create(...)`)."""
    parts = qualname.rsplit(".", 2)
    return parts[-1] if parts[-1][:1].isupper() or len(parts) < 2 else parts[-2]


def environment_magics(shell_lines) -> Iterator[tuple[str, ast.expr]]:
    """(name, value) of a notebook's `%env NAME=value` lines, the value a string node placed where
    it is written (quotes, which IPython would keep, taken off); a value IPython expands from
    Python (`$REGION`, `{REGION}`) is not a string of the line."""
    for line, column, text in shell_lines:
        m = ENVIRONMENT_MAGIC.match(text)
        if m is None or "$" in m.group(2) or "{" in m.group(2):
            continue
        value, start = m.group(2), column + m.start(2)
        if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0]:
            value, start = value[1:-1], start + 1
        yield m.group(1), ast.Constant(value, lineno=line, col_offset=start, end_lineno=line,
                                       end_col_offset=start + len(value))


def environment_strings(ctx) -> dict[str, ast.Constant]:
    """`os.environ["NAME"] = "..."` at module level, and a notebook's `%env NAME=...` lines
    (IPython sets os.environ the same way), each name set once."""
    def build() -> dict[str, ast.Constant]:
        found: dict[str, list[ast.expr]] = {}
        for stmt in module_statements(ctx.tree):
            target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
            if isinstance(target, ast.Subscript) and ctx.qualname(target.value) == "os.environ" \
                    and (key := str_const(target.slice)):
                found.setdefault(key, []).append(stmt.value)
        for name, value in environment_magics(ctx.shell_lines):
            found.setdefault(name, []).append(value)
        return {k: v[0] for k, v in found.items() if len(v) == 1 and str_const(v[0]) is not None}  # type: ignore[misc]

    return ctx.memo("environment_strings", build)


# A host name or URL (`f"{bucket}.s3.{REGION}.amazonaws.com"`, `f"https://{REGION}-aiplatform..."`).
_ADDRESS = re.compile(r"://|\.(?:com|net|cn|io)\b")


def spelled_into_an_address(ctx, read: ast.Name) -> bool:
    """The region is spelled into a host name or URL: it addresses an endpoint that exists, as a
    region inside a URL of a config file does; where it was placed is read elsewhere."""
    spelled = ctx.parent(read)
    joined = ctx.parent(spelled) if isinstance(spelled, ast.FormattedValue) else None
    return isinstance(joined, ast.JoinedStr) and any(
        isinstance(part, ast.Constant) and isinstance(part.value, str) and _ADDRESS.search(part.value) for part in joined.values)


# Request signers: the region is the one the signed service answers in (`AWSV4SignerAuth(credentials,
# region, "aoss")`, requests-aws4auth's `AWS4Auth(key, secret, region, "es")`, botocore's `SigV4Auth`).
_SIGNER = re.compile(r"(?:SigV4|V4Signer\w*|AWS4)Auth$")


def signs_requests(ctx, read: ast.Name) -> bool:
    """The region given to a request signer: it signs requests to a service that exists, where that
    service was created; it places nothing."""
    holder = ctx.parent(read)
    call = ctx.parent(holder) if isinstance(holder, ast.keyword) else holder
    return isinstance(call, ast.Call) and bool(_SIGNER.search(call_name(call)))
