"""Command-line facts (not a rule): what a shell command line runs. Does it train a model, with
what budget, does it run a test suite.

Lines are split like a shell does (`shlex`); a line that does not split (an open quote) is
split at white space.
"""
from __future__ import annotations

import re
import shlex
from typing import Iterator

from .cloud import norm

_TRAIN_COMMAND = re.compile(
    r"""(?x)
    (?:^|[\s/"'=])(?:
        [\w./-]*?\btrain(?:ing)?(?:_[\w]+)?\.py\b          # train.py, train_model.py, scripts/training.py
      | [\w./-]*?(?:finetune|fine_tune|fine-tune|pretrain|pre_train)[\w./-]*\.py\b
      | -m\s+[\w.]*\btrain(?:ing)?\b                      # python -m pkg.train
      | torchrun\b | deepspeed\b | accelerate\s+launch\b | tune\s+run\b
      | --do_train\b
      | (?:make|dvc\s+repro|nox\s+-s|invoke|just)\s+[\w-]*train[\w-]*
      | sagemaker\S*\s+create-training-job | gcloud\s+ai\s+custom-jobs\s+create | az\s+ml\s+job\s+create
    )""",
    re.I,
)
_NOT_TRAINING = re.compile(r"\b(pytest|unittest|tox|lint|flake8|ruff|mypy|pre-commit|--help|--dry-run)\b", re.I)
# A command that runs a test suite: the job it is in tests code, whatever else it runs.
_TEST_COMMAND = re.compile(r"(^|[\s;&|(])(pytest|py\.test|python3?\s+-m\s+(pytest|unittest)|tox|nox|make\s+test\w*"
                           r"|hatch\s+(run\s+)?test|coverage\s+run)\b", re.I)
# A smoke run: a switch that trains a batch or two and stops.
_SMOKE_SWITCH = re.compile(r"--(fast[-_]dev[-_]run|smoke[-_]?test|sanity[-_]check|dry[-_]?run)\b|\bfast_dev_run=(true|1)\b", re.I)
# Budget flags of training commands (`--epochs 1`, `--max_steps=10`, Hydra `trainer.max_epochs=1`).
_EPOCH_FLAGS = {"epochs", "numepochs", "nepochs", "maxepochs", "numtrainepochs", "trainepochs"}  # not `--epoch`: often the epoch to resume from
_STEP_FLAGS = {"steps", "maxsteps", "numsteps", "trainsteps", "numtrainsteps", "maxiters", "iters", "iterations",
               "maxiter", "numiters", "totalsteps"}


def split_command(line: str) -> list[str]:
    """Words of a shell command line, `#` comments dropped."""
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return line.split()


def _budget_flags(line: str) -> Iterator[tuple[str, float]]:
    """(normalised flag, number) for each `--flag N`, `--flag=N` or `key=N` token of a command line."""
    tokens = split_command(line)
    for i, token in enumerate(tokens):
        name, value = token, None
        if "=" in token:
            name, _, value = token.partition("=")
        elif token.startswith("-") and i + 1 < len(tokens):
            value = tokens[i + 1]
        key = norm(name.lstrip("-").rsplit(".", 1)[-1])
        try:
            number = float(value) if value is not None else None
        except ValueError:
            number = None
        if number is not None:
            yield key, number


def tiny_budget(line: str, budget: dict) -> bool:
    """The training command runs a smoke-test budget: an epoch count below `min-epochs`, a step
    count below `min-steps` (GL404's options), or a fast-dev-run / smoke-test switch."""
    if _SMOKE_SWITCH.search(line):
        return True
    for key, number in _budget_flags(line):
        if key in _EPOCH_FLAGS and number < float(budget["min-epochs"]):
            return True
        if key in _STEP_FLAGS and number < float(budget["min-steps"]):
            return True
    return False


# Words of a program's name that say it trains: `train.py`, `retrain.py`, `automated_training.py`,
# `python -m src.retrain`, `run_finetune.py`. `train`/`training` count as the first or last word
# (`train_model.py`, `model_training.py`), not in the middle (`build_training_data.py` builds data).
_TRAIN_EDGE_WORDS = {"train", "training", "retrain", "retraining"}
_TRAIN_ANY_WORDS = {"retrain", "retraining", "finetune", "finetuning", "pretrain", "pretraining"}
_NOT_TRAINING_WORDS = {"data", "dataset", "datasets", "split", "prep", "preprocess", "preprocessing", "download",
                       "test", "tests"}
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def _program_words(token: str) -> list[str]:
    """Words of a Python program's name: `scripts/train_model.py` -> [train, model], `src.retrain` -> [retrain];
    `fine_tune` and `pre-train` joined into one word."""
    words = [w.lower() for w in _NAME_WORD.findall(token)]
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] in ("fine", "pre", "re") and word in ("tune", "tuning", "train", "training"):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def names_training_program(name: str) -> bool:
    """A program or module name that says it trains a model (see `_TRAIN_EDGE_WORDS`)."""
    words = _program_words(name)
    if not words or set(words) & _NOT_TRAINING_WORDS:
        return False
    return words[0] in _TRAIN_EDGE_WORDS or words[-1] in _TRAIN_EDGE_WORDS or bool(set(words) & _TRAIN_ANY_WORDS)


def _python_programs(line: str) -> Iterator[str]:
    """Names of the Python programs a command line runs: `x/train.py` (also `--entry_point=train.py`)
    as `train`, `-m pkg.train` as `train`."""
    tokens = split_command(line)
    for i, token in enumerate(tokens):
        value = token.rpartition("=")[2]
        if value.endswith(".py"):
            yield value.rsplit("/", 1)[-1][:-3]
        elif token == "-m" and i + 1 < len(tokens) and i > 0 and "python" in tokens[i - 1].rsplit("/", 1)[-1]:
            yield from tokens[i + 1].split(".")  # `-m pkg.train.main`: the package says it too


def runs_training(line: str) -> bool:
    """The command line starts a training program or launcher, whatever its budget."""
    if _TRAIN_COMMAND.search(line):
        return True
    return any(names_training_program(name) for name in _python_programs(line))


def is_training_command(text: str, budget: dict) -> bool:
    """Some line of `text` runs a training command with a real budget (not a test, lint or help
    run, and not a smoke run of a few steps)."""
    for line in text.splitlines():
        if _TRAIN_COMMAND.search(line) and not _NOT_TRAINING.search(line) and not tiny_budget(line, budget):
            return True
    return False


def runs_tests(text: str) -> bool:
    return any(_TEST_COMMAND.search(line) for line in text.splitlines())
