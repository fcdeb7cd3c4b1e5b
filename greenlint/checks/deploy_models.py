"""GL303 in deployment configs: a large checkpoint served by an inference container.

Only places that mean "serve this model" count: `HF_MODEL_ID` (SageMaker Hugging Face and TGI
containers), `MODEL_ID` in a container's environment, TGI's `--model-id` argument, and KServe's
`storageUri: hf://org/model`. A `model_name_or_path` in a training config is fine-tuning, not
inference, and is left alone.
"""
from __future__ import annotations

from ..frontends.config import ConfigContext, Node
from . import detector
from .models import alternative_message, alternatives_for

SERVING_KEYS = {"HF_MODEL_ID"}
CONTAINER_ENV_KEYS = {"MODEL_ID", "HF_MODEL_ID"}


def _served_models(node: Node, in_env: bool = False):
    """(value node, model id) for each model id a deployment serves, anywhere under `node`."""
    if node.is_map:
        for key, child in node.items():
            name = str(key)
            text = child.str()
            if text and (name in SERVING_KEYS or (in_env and name in CONTAINER_ENV_KEYS)):
                yield child, text
            elif text and name == "storageUri" and text.startswith("hf://"):
                yield child, text[len("hf://"):]
            elif name in ("env", "environment", "Environment", "environment_variables") and child.is_seq:
                for item in child.children():  # Kubernetes: [{name: MODEL_ID, value: ...}]
                    entry_name, value = item.get("name"), item.get("value")
                    if entry_name is not None and value is not None and entry_name.str() in CONTAINER_ENV_KEYS \
                            and value.str():
                        yield value, value.str()
            else:
                env_like = name in ("env", "environment", "Environment", "environment_variables", "Env")
                yield from _served_models(child, in_env=env_like)
    elif node.is_seq:
        items = node.children()
        for index, item in enumerate(items):
            if item.str() == "--model-id" and index + 1 < len(items) and items[index + 1].str():
                yield items[index + 1], items[index + 1].str()  # TGI: args: ["--model-id", "org/model"]
            else:
                yield from _served_models(item, in_env)


@detector("GL303", "config")
def distilled_alternative_in_deployments(ctx: ConfigContext) -> None:
    seen: set[str] = set()
    for document in ctx.documents:
        for node, model_id in _served_models(document, in_env=ctx.kind == "env"):
            rows = alternatives_for(model_id)
            if not rows or model_id in seen:
                continue
            seen.add(model_id)
            message, impact = alternative_message(model_id, rows)
            ctx.report("GL303", node, message.replace("is loaded for inference", "is served by this deployment"),
                       impact=impact)
