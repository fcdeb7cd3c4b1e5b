"""GL303 distilled-alternative: a large checkpoint loaded for inference (Python) or served by a
deployment (configs) where `rules/data/distilled.csv` knows a distilled or compact alternative
at most two-thirds its size with a cited quality figure.

The table is read lazily, once per process.
"""
from __future__ import annotations

import ast
import csv
import functools
import re
from typing import Any, Callable, Iterator

from . import detector
from ..frontends.config import ConfigContext, Node
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, kwarg
from ..rules import data_path
from .config_training import is_training_config, norm_key
from .testing_code import in_test_code
from .scoped_names import name_key, plain_names, refs
from .synthetic_inputs import is_random_input
from .run_order import binding_never_read, cell_magic_words, live_statements, never_runs, reached_while_live
from .training_flow import TRAIN_HELPER, binding_key, flow, training_evidence
from .transformers_names import is_auto_model_class, is_model_class
from ..frontends.pyast import walk
from .weight_reads import weights_only

# ---------------------------------------------------------------------------------------
# The table of alternatives
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def distilled_rows() -> tuple[dict[str, str], ...]:
    """The rows GL303 may suggest: each names its source and a quality figure for the
    alternative (a retained share or a metric against the model it replaces)."""
    with data_path("distilled.csv").open(encoding="utf-8", newline="") as handle:
        rows = tuple(csv.DictReader(handle))
    return tuple(r for r in rows if (r.get("source") or "").strip()
                 and ((r.get("quality") or "").strip() or (r.get("reported_quality_retained") or "").strip()))


# Hugging Face moved the original checkpoints under organisations; both spellings load. The
# sentence-transformers library resolves a bare name (`all-mpnet-base-v2`) to its own organisation,
# and no other hub id uses those names, so a config's bare name is that checkpoint too.
LEGACY_ORGS = ("google-bert/", "openai-community/", "google-t5/", "facebookai/", "distilbert/", "sentence-transformers/")


def normalize_model_id(model_id: str) -> str:
    key = model_id.strip().lower()
    if key.startswith("hf://"):
        key = key[5:]
    for org in LEGACY_ORGS:
        if key.startswith(org):
            return key[len(org):]
    return key


@functools.lru_cache(maxsize=1)
def _alternatives_index() -> dict[str, list[dict[str, str]]]:
    index: dict[str, list[dict[str, str]]] = {}
    for row in distilled_rows():
        try:
            large, small = float(row["params_large"]), float(row["params_small"])
        except ValueError:
            continue
        if small <= large * 2 / 3:  # only alternatives at most two-thirds the size
            index.setdefault(normalize_model_id(row["large"]), []).append(row)
    for rows in index.values():
        # Prefer what the source quantifies, then distilled models, then the closest in size (the
        # smallest step down keeps the most quality).
        rows.sort(key=lambda r: (not r["reported_quality_retained"], not r["reported_speedup"],
                                 r["relation"] != "distilled", -float(r["params_small"])))
    return index


@functools.lru_cache(maxsize=1)
def _jumpstart_tails() -> dict[str, str]:
    return {key.split("/")[-1]: key for key in _alternatives_index()}


def alternatives_for(model_id: str) -> list[dict[str, str]]:
    return _alternatives_index().get(normalize_model_id(model_id), [])


def _fmt_params(millions: str) -> str:
    value = float(millions)
    return f"{value / 1000:g} B" if value >= 1000 else f"{value:g} M"


def _english_only(row: dict[str, str]) -> bool:
    return "English only" in row.get("notes", "")


def _quality_part(best: dict[str, str], impact: dict[str, Any]) -> str:
    if best["reported_quality_retained"]:
        impact["quality_retained"] = float(best["reported_quality_retained"])
    if best.get("quality"):
        impact["quality"] = best["quality"]
        return f", quality {best['quality']}"
    if best["reported_quality_retained"]:
        return f", retaining {float(best['reported_quality_retained']) * 100:.1f}% of the quality"
    return ""


def _second_choice(rows: list[dict[str, str]]) -> str:
    """After an English-only pick, name a multilingual one where the table has it."""
    best = rows[0]
    other = next((r for r in rows[1:] if not _english_only(r)), rows[1]) if _english_only(best) else rows[1]
    label = "" if _english_only(other) or not _english_only(best) else ", multilingual"
    return f"; also `{other['small']}` ({_fmt_params(other['params_small'])}{label})"


def alternative_message(model_id: str, rows: list[dict[str, str]]) -> tuple[str, dict[str, Any]]:
    best = rows[0]
    parts = [f"`{model_id}` ({_fmt_params(best['params_large'])} parameters) is loaded for inference; "
             f"`{best['small']}` has {_fmt_params(best['params_small'])}"]
    impact: dict[str, Any] = {
        "model": model_id, "alternative": best["small"], "params_millions": float(best["params_large"]),
        "alternative_params_millions": float(best["params_small"]), "source": best["source"],
    }
    if best["reported_speedup"]:
        parts.append(f", reported {float(best['reported_speedup']):g}x faster")
        impact["reported_speedup"] = float(best["reported_speedup"])
    parts.append(_quality_part(best, impact))
    if _english_only(best):
        parts.append(" (English only)")
    parts.append(f" ({best['source'].split(';')[0].strip()})")
    if len(rows) > 1:
        parts.append(_second_choice(rows))
    parts.append(". Check it on your data: inference energy scales with model size and runs on every request.")
    return "".join(parts), impact


# ---------------------------------------------------------------------------------------
# Python: loads by id
# ---------------------------------------------------------------------------------------

# openai-whisper / faster-whisper / whisperx model names -> Hugging Face ids ("large" is large-v3
# since openai-whisper 20231117: whisper/__init__.py _MODELS).
WHISPER_NAMES = {
    "large": "openai/whisper-large-v3", "large-v3": "openai/whisper-large-v3", "large-v2": "openai/whisper-large-v2",
    "large-v1": "openai/whisper-large", "medium": "openai/whisper-medium", "medium.en": "openai/whisper-medium.en",
}
WHISPER_LOADERS = {"whisper.load_model", "faster_whisper.WhisperModel", "whisperx.load_model", "stable_whisper.load_model"}
SAGEMAKER_MODELS = ("sagemaker.huggingface.HuggingFaceModel", "sagemaker.huggingface.model.HuggingFaceModel")
JUMPSTART_MODELS = ("sagemaker.jumpstart.model.JumpStartModel", "sagemaker.jumpstart.estimator.JumpStartEstimator")
TASK_HEADS = re.compile(r"For(Sequence|Token|Image|Audio|Video)?Classification$|ForQuestionAnswering$|ForMultipleChoice$")

Load = tuple[str, str]  # (model id, how it is loaded)


def _string(ctx: PythonContext, node: ast.AST | None) -> str | None:
    value = ctx.literal(node)
    return value if isinstance(value, str) and value else None


def _is_hf_model_loader(q: str) -> bool:
    """`<ModelClass>.from_pretrained` of transformers, of its predecessors (`pytorch_transformers`,
    `pytorch_pretrained_bert`), of the libraries that mirror its classes (PaddleNLP), or of a
    project's vendored copy of its modeling code (`from modeling_bert import BertModel`): a class
    named as a transformers model class loads the same published checkpoint by its id."""
    parts = q.split(".")
    if len(parts) < 2 or parts[-1] != "from_pretrained":
        return False
    return is_auto_model_class(parts[-2]) or is_model_class(parts[-2])


def _new_task_head(qualname: str, model_id: str) -> bool:
    """A task head on a base checkpoint starts random and must be fine-tuned first."""
    cls = qualname.split(".")[-2]
    return bool(TASK_HEADS.search(cls)) and not re.search(r"finetuned|squad|sst|mnli|emotion|sentiment|ner", model_id, re.I)


# The checkpoint `transformers.pipeline(task)` loads when given no model, for the tasks whose
# default has a distilled alternative in distilled.csv (SUPPORTED_TASKS in transformers'
# pipelines/__init__.py, unchanged from v3.1 to v4.4x; text-generation's default is spelled
# "openai-community/gpt2" since v4.38, the same checkpoint). The other tasks default to
# checkpoints that are distilled already (sentiment-analysis, summarization, fill-mask,
# question-answering) or have no row.
PIPELINE_DEFAULTS = {"text-generation": "gpt2", "zero-shot-classification": "facebook/bart-large-mnli"}
DEFAULT_HOW = "pipeline default"


def _pipeline_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    model_arg = arg(call, 1, "model")
    model = _string(ctx, model_arg)
    if model:
        return model, "pipeline"
    default = PIPELINE_DEFAULTS.get(_string(ctx, arg(call, 0, "task")) or "") if model_arg is None else None
    return (default, DEFAULT_HOW) if default else None


_NO_GRAD = ("torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad")


def _runs_for_inference(ctx: PythonContext, call: ast.Call) -> bool:
    """The loaded model is put in evaluation mode (`model.eval()`) or called under
    `torch.no_grad()` / `torch.inference_mode()`: the file runs it, it does not train it."""
    keys, _ = binding_key(ctx, call)
    tainted = flow(ctx).taint(keys) if keys else set()
    if not tainted:
        return False
    for other in ctx.calls:
        if isinstance(other.func, ast.Attribute) and other.func.attr == "eval" and not other.args \
                and name_key(ctx, other.func.value) in tainted:
            return True
    for block in ctx.nodes_of(ast.With):
        if any(isinstance(i.context_expr, ast.Call) and ctx.qualname(i.context_expr.func) in _NO_GRAD
               for i in block.items):  # type: ignore[attr-defined]
            if any(isinstance(c, ast.Call) and name_key(ctx, c.func) in tainted for c in walk(block)):
                return True
    return False


def _from_pretrained_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    """A checkpoint loaded by id. A new task head on a base checkpoint (or `num_labels=`) starts
    random and is there to be fine-tuned, unless the file runs it for inference (a benchmark of
    the forward pass)."""
    model = _string(ctx, arg(call, 0, "pretrained_model_name_or_path"))
    if not model:
        return None
    if (kwarg(call, "num_labels") is not None or _new_task_head(q, model)) and not _runs_for_inference(ctx, call):
        return None
    return model, "from_pretrained"


def _sentence_transformers_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    model = _string(ctx, arg(call, 0, "model_name_or_path"))
    if not model:
        return None
    return (model if "/" in model else f"sentence-transformers/{model}"), "sentence-transformers"


def _whisper_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    model = _string(ctx, arg(call, 0, "name" if q.startswith("whisper") else "model_size_or_path"))
    return (WHISPER_NAMES.get(model, model), "whisper") if model else None


def _jumpstart_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    jid = _string(ctx, kwarg(call, "model_id"))
    m = re.match(r"^huggingface-[a-z0-9]+-(.+)$", jid or "")
    key = _jumpstart_tails().get(m.group(1).lower()) if m else None
    return (key, "jumpstart") if key else None


def _sagemaker_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    env = ctx.literal(kwarg(call, "env"))
    model = env.get("HF_MODEL_ID") if isinstance(env, dict) else None
    return (model, "sagemaker") if isinstance(model, str) and model else None


def _kserve_load(ctx: PythonContext, call: ast.Call, q: str) -> Load | None:
    uri = _string(ctx, kwarg(call, "storage_uri") or kwarg(call, "storageUri"))
    return (uri[5:], "kserve") if uri and uri.startswith("hf://") else None


def _loader(ctx: PythonContext, q: str) -> Callable[[PythonContext, ast.Call, str], Load | None] | None:
    if q == "transformers.pipeline":
        return _pipeline_load
    if _is_hf_model_loader(q):
        return _from_pretrained_load
    if q == "sentence_transformers.SentenceTransformer":
        return _sentence_transformers_load
    if q in WHISPER_LOADERS:
        return _whisper_load
    if q in JUMPSTART_MODELS:
        return _jumpstart_load
    if q in SAGEMAKER_MODELS:
        return _sagemaker_load
    if ctx.imports.uses("kserve"):
        return _kserve_load
    return None


def inference_loads(ctx: PythonContext) -> Iterator[tuple[ast.AST, ast.Call, str, str]]:
    """(node to report, call, model id as written, how) for each model loaded or deployed by id."""
    for call in ctx.calls:
        q = ctx.qualname(call.func) or ""
        loader = _loader(ctx, q)
        found = loader(ctx, call, q) if loader is not None else None
        if found is not None:
            yield call.func, call, found[0], found[1]


_ENGLISH = {"en", "english", "en-us", "en-gb"}


def _transcribes_non_english(ctx: PythonContext) -> bool:
    """`transcribe(..., language="fr")`, `generate_kwargs={"language": "french"}`, or
    `task="translate"` (speech in another language turned into English): English-only distilled
    checkpoints, which only transcribe, do not fit."""
    if "language" not in ctx.text and "translate" not in ctx.text:
        return False
    for key, value in _settings(ctx, ("language", "task")):
        text = ctx.literal(value)
        if isinstance(text, str) and text and (key == "language" and text.lower() not in _ENGLISH
                                               or key == "task" and text.lower() == "translate"):
            return True
    return False


def _settings(ctx: PythonContext, keys: tuple[str, ...]) -> Iterator[tuple[str, ast.AST]]:
    """(key, value) of each keyword argument and each dict entry the file writes under `keys`."""
    for call in ctx.calls:
        yield from ((k.arg, k.value) for k in call.keywords if k.arg in keys)  # type: ignore[attr-defined]
    for d in ctx.nodes_of(ast.Dict):
        yield from ((k.value, v) for k, v in zip(d.keys, d.values)  # type: ignore[attr-defined]
                    if isinstance(k, ast.Constant) and k.value in keys)


# Imports that mean the file serves or processes real inputs, not a fixed sample.
SERVING_MODULES = ("flask", "fastapi", "gradio", "streamlit", "ray.serve", "bentoml", "kserve", "litserve",
                   "uvicorn", "django", "aiohttp", "sagemaker", "runpod", "modal")
INPUT_CALLS = re.compile(r"^(open|input|read_\w+|load_dataset|loadtxt|i?glob|listdir|scandir|urlopen|parse_args"
                         r"|parse_known_args|getenv|get_json|recv|read)$")


def _fixed(ctx: PythonContext, node: ast.AST, depth: int = 0) -> bool:
    """A value written into the script: a literal, a constant, a random tensor, or a call
    (`tokenizer("text", return_tensors="pt")`) of such values."""
    if depth > 3:
        return False
    if isinstance(node, (ast.Starred, ast.keyword)):
        return _fixed(ctx, node.value, depth)
    if ctx.literal(node) is not UNKNOWN or is_random_input(ctx, node):
        return True
    if isinstance(node, ast.Call):
        return all(_fixed(ctx, a, depth + 1) for a in list(node.args) + list(node.keywords))
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        return len(values) == 1 and _fixed(ctx, values[0], depth + 1)
    return False


def runs_on_fixed_inputs(ctx: PythonContext, tainted: set[str]) -> bool:
    """The script only loads the model and runs it on inputs written into the script: a demo or
    smoke test of that checkpoint. Nothing in it reads a file, a dataset, a request, the command
    line or the environment, and it imports no serving framework."""
    if ctx.imports.uses(*SERVING_MODULES) or any(INPUT_CALLS.match(call_name(c) or "") for c in ctx.calls):
        return False
    uses = [c for c in ctx.calls if name_key(ctx, c.func) in tainted
            or isinstance(c.func, ast.Attribute) and name_key(ctx, c.func.value) in tainted]
    return bool(uses) and all(_fixed(ctx, a) for c in uses for a in list(c.args) + list(c.keywords))


# Methods that return the model itself (moved, cast or switched mode), not something it computed.
_SAME_MODEL = {"to", "cuda", "cpu", "half", "float", "bfloat16", "double", "eval", "train", "requires_grad_",
               "share_memory", "to_empty"}


def _model_outputs(ctx: PythonContext, tainted: set[str]) -> set[str]:
    """Names bound only to what the model computed: `x = model.encode(texts)`, `out = model(batch)`,
    `y = pipe(text)`. They hold features or predictions, not the model."""
    bound: dict[str, list[bool]] = {}
    for node in ctx.nodes_of(ast.Assign):
        value = node.value  # type: ignore[attr-defined]
        output = isinstance(value, ast.Call) and (
            name_key(ctx, value.func) in tainted
            or isinstance(value.func, ast.Attribute) and value.func.attr not in _SAME_MODEL
            and name_key(ctx, value.func.value) in tainted)
        for target in node.targets:  # type: ignore[attr-defined]
            for sub in walk(target):
                if isinstance(sub, ast.Name):
                    bound.setdefault(name_key(ctx, sub), []).append(bool(output))
    return {name for name, outputs in bound.items() if all(outputs)}


def _trained(ctx: PythonContext, tainted: set[str], accept: Callable[[ast.AST], bool]) -> bool:
    """Training reaches the loaded model (`accept`: while the names still hold it)."""
    if not tainted:
        return False
    if training_evidence(ctx, tainted, accept=accept) is not None:
        return True
    # Handed to a training helper we cannot see into (`train(model, ...)`, `finetune(...)`). The
    # features or predictions the model computed are data: `clf.fit(model.encode(x), y)` trains
    # the classifier, not the encoder.
    holders = tainted - _model_outputs(ctx, tainted)
    if _trained_in_a_cell_magic(ctx, holders):
        return True
    for other in ctx.calls:
        name = call_name(other).lower()
        if any(w in name for w in ("train", "fit", "finetune", "fine_tune")) and any(
            _mentions_model(ctx, a, holders) for a in list(other.args) + [k.value for k in other.keywords]
        ) and accept(other):
            return True
    return False


def _trained_in_a_cell_magic(ctx: PythonContext, holders: set[str]) -> bool:
    """An exported notebook's `%%time` cell, kept as a string (`get_ipython().run_cell_magic("time",
    "", "train_epoch(model, loader)...")`), names a holder beside a training word: code greenlint
    does not parse, given the benefit of the doubt as a training helper it cannot see into is."""
    words = cell_magic_words(ctx)
    named = plain_names(holders)
    return bool(words & named) and any(TRAIN_HELPER.match(w) or w in ("backward", "fit") for w in words)


def _mentions_model(ctx: PythonContext, node: ast.AST, holders: set[str]) -> bool:
    """`node` passes the model on: it names a holder, and not only as the receiver of a call
    that computes something (`model.encode(x)` is data)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr not in _SAME_MODEL \
            and name_key(ctx, node.func.value) in holders:
        return any(_mentions_model(ctx, a, holders) for a in list(node.args) + [k.value for k in node.keywords])
    return bool(refs(node, ctx) & holders)


def _suited_rows(model: str, non_english: bool) -> list[dict[str, str]]:
    rows = alternatives_for(model)
    return [r for r in rows if not _english_only(r)] if non_english else rows


# Calls that run a loaded model on inputs.
_INFERENCE_METHODS = {"encode", "generate", "predict", "transcribe", "embed_documents", "embed_query", "forward"}


def _run_here(ctx: PythonContext, call: ast.Call, how: str) -> bool:
    """This load's own model is run on inputs: a pipeline (built to predict), a model put in
    eval mode or called under no_grad, or one called directly or through `encode`/`generate`."""
    if how in ("pipeline", DEFAULT_HOW) or _runs_for_inference(ctx, call):
        return True
    keys, _ = binding_key(ctx, call)
    for other in ctx.calls:
        func = other.func
        if name_key(ctx, func) in keys or isinstance(func, ast.Attribute) and func.attr in _INFERENCE_METHODS \
                and name_key(ctx, func.value) in keys:
            return True
    return False


def _checked_loads(ctx: PythonContext, non_english: bool) -> list[tuple[ast.AST, str, str, bool, bool, set[str]]]:
    """(node, model id, how, trained in the file, run for inference here, names holding the model)
    per inference load."""
    checked = []
    for node, call, model, how in inference_loads(ctx):
        if not _suited_rows(model, non_english) or in_test_code(ctx, call):
            continue
        keys, _ = binding_key(ctx, call)
        live = live_statements(ctx, call, keys) if keys else None  # `model` rebound to another model later
        if keys and weights_only(ctx, keys, live) or never_runs(ctx, call) or binding_never_read(ctx, call):
            continue
        tainted = flow(ctx).taint(keys) if keys else set()

        def while_held(evidence: ast.AST) -> bool:
            return live is None or reached_while_live(ctx, evidence, live, tainted)
        trains = _trained(ctx, tainted, while_held)
        checked.append((node, model, how, trains, not trains and _run_here(ctx, call, how), tainted))
    return checked


@detector("GL303")
def distilled_alternative(ctx: PythonContext) -> None:
    non_english = _transcribes_non_english(ctx)
    checked = _checked_loads(ctx, non_english)
    # Another load of a checkpoint the file fine-tunes is left alone (it may be the same model
    # seen through code we cannot follow), unless that load is itself run for inference: a fresh
    # copy of the published weights used to predict (the baseline before fine-tuning).
    # One finding per checkpoint and loader: the same class loading the same checkpoint again
    # (another backend or device) is the same choice, but a load through another class, framework
    # or a pipeline (`GPT2Model` and `TFGPT2Model` cells of one notebook) is its own code to change.
    trained_ids = {normalize_model_id(model) for _, model, _, trains, _, _ in checked if trains}
    reported: set[tuple[str, str]] = set()
    for node, model, how, trains, run_here, tainted in checked:
        key = (normalize_model_id(model), ctx.qualname(node) or how)
        if trains or key[0] in trained_ids and not run_here or key in reported:
            continue
        reported.add(key)
        message, impact = alternative_message(model, _suited_rows(model, non_english))
        impact["via"] = how
        if how == DEFAULT_HOW:
            message = f"A pipeline given no model loads its task's default checkpoint: {message}"
        if runs_on_fixed_inputs(ctx, tainted):
            impact["fixed_inputs"] = True
            message = (f"This script only runs `{model}` on inputs written into it, as a demo or test of that "
                       f"checkpoint does; if exercising that model is its purpose, this note does not apply. "
                       f"Where the model serves real inputs: {message}")
        ctx.report("GL303", node, message, impact=impact)


# ---------------------------------------------------------------------------------------
# Configs: models served by a deployment
# ---------------------------------------------------------------------------------------
# Only places that mean "serve this model" count: `HF_MODEL_ID` (SageMaker Hugging Face and TGI
# containers), `MODEL_ID` in a container's environment, TGI's `--model-id` argument, and KServe's
# `storageUri: hf://org/model`. A `model_name_or_path` in a training config is fine-tuning, not
# inference, and is left alone.

SERVING_KEYS = {"HF_MODEL_ID"}
SERVER_MODEL_FLAGS = ("--model-id", "--model")  # text-generation-inference, vLLM's OpenAI server
# Keys that name the checkpoint a program loads (normalised: case, `-`, `_` ignored).
MODEL_KEYS = {"model", "modelname", "modelid", "modelnameorpath", "pretrainedmodelnameorpath", "modelcheckpoint",
              "checkpoint", "basemodel", "hfmodelid", "hfmodel", "embeddingmodel", "sentencetransformer"}
CONTAINER_ENV_KEYS = {"MODEL_ID", "HF_MODEL_ID"}
ENV_KEYS = ("env", "environment", "Environment", "environment_variables")


def _kubernetes_env(child: Node) -> Iterator[tuple[Node, str]]:
    """[{name: MODEL_ID, value: ...}]"""
    for item in child.children():
        entry_name, value = item.get("name"), item.get("value")
        if entry_name is not None and value is not None and entry_name.str() in CONTAINER_ENV_KEYS and value.str():
            yield value, value.str()


def _served_in_map(node: Node, in_env: bool) -> Iterator[tuple[Node, str]]:
    for key, child in node.items():
        name = str(key)
        text = child.str()
        if text and (name in SERVING_KEYS or (in_env and name in CONTAINER_ENV_KEYS)):
            yield child, text
        elif text and name == "storageUri" and text.startswith("hf://"):
            yield child, text[len("hf://"):]
        elif name in ENV_KEYS and child.is_seq:
            yield from _kubernetes_env(child)
        else:
            yield from _served_models(child, in_env=name in ENV_KEYS + ("Env",))


def _served_models(node: Node, in_env: bool = False) -> Iterator[tuple[Node, str]]:
    """(value node, model id) for each model id a deployment serves, anywhere under `node`."""
    if node.is_map:
        yield from _served_in_map(node, in_env)
    elif node.is_seq:
        items = node.children()
        for index, item in enumerate(items):
            if item.str() in SERVER_MODEL_FLAGS and index + 1 < len(items) and items[index + 1].str():
                yield items[index + 1], items[index + 1].str()  # TGI / vLLM: args: ["--model-id", "org/model"]
            else:
                yield from _served_models(item, in_env)


def _named_models(document: Node) -> Iterator[tuple[Node, str]]:
    """(value node, model id) for each checkpoint a config names under a model key (`model:`,
    `model_name_or_path:`, `MODEL_NAME=`) when the document sets up no training (no learning
    rate, epochs, optimizer...): the program it configures loads the model to run it."""
    if is_training_config(document):
        return
    for path, node in document.walk():
        text = node.str() if node.is_scalar else None
        if text and path and isinstance(path[-1], str) and norm_key(path[-1]) in MODEL_KEYS \
                and not _hydra_default(path):
            yield node, text


def _loose_id(model_id: str) -> str:
    """`resnet-18`, `ResNet18` and `torchvision/resnet18` alike: a list's spelling varies."""
    return re.sub(r"[^a-z0-9]", "", normalize_model_id(model_id).rsplit("/", 1)[-1].lower())


def _hydra_default(path: tuple[Any, ...]) -> bool:
    """`defaults: [{model: resnet50}]`: an item of Hydra's top-level defaults list picks the
    option of a config group (the file `model/resnet50.yaml`), not a checkpoint."""
    return len(path) == 3 and path[0] == "defaults" and isinstance(path[1], int)


@detector("GL303", "config")
def distilled_alternative_in_deployments(ctx: ConfigContext) -> None:
    seen: set[str] = set()
    for document in ctx.documents:
        served = [(node, model_id, "is served by this deployment")
                  for node, model_id in _served_models(document, in_env=ctx.kind == "env")]
        named = [(node, model_id, "is named by this config, which sets up no training, so it is run for inference")
                 for node, model_id in _named_models(document)]
        # A document that names a model's alternative too (a model zoo, a benchmark's list) offers
        # both: the choice between them is already made elsewhere.
        listed = {_loose_id(model_id) for _, model_id, _ in served + named}
        for node, model_id, how in served + named:
            rows = alternatives_for(model_id)
            if not rows or normalize_model_id(model_id) in seen or any(_loose_id(row["small"]) in listed for row in rows):
                continue
            seen.add(normalize_model_id(model_id))
            message, impact = alternative_message(model_id, rows)
            ctx.report("GL303", node, message.replace("is loaded for inference", how), impact=impact)
