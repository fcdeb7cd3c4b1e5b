"""Command-line facts (not a rule): what a shell command line runs. Does it train a model, with
what budget, does it run a test suite.

Lines are split like a shell does (`shlex`); a line that does not split (an open quote) is
split at white space.
"""
from __future__ import annotations

import re
import shlex
from collections import namedtuple
from typing import Iterator

from .cloud import norm
from ..frontends.config.shell import here_documents

_TRAIN_COMMAND = re.compile(
    r"""(?x)
    (?:^|[\s/"'=(`])(?:  # also inside a `$( )` or backtick substitution: `run_id=$(az ml job create ...)`
        torchrun\b | deepspeed\b | accelerate\s+launch\b | tune\s+run\b
      | --do_train\b
      | (?:make|dvc\s+repro|nox\s+-s|invoke|just)\s+[\w-]*train[\w-]*
      | sagemaker\S*\s+create-training-job | gcloud\s+(?:beta\s+)?ai\s+custom-jobs\s+create | az\s+ml\s+job\s+create
      | gcloud\s+(?:beta\s+)?(?:ai-platform|ml-engine)\s+jobs\s+submit\s+training
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
# Words of data work (`build_training_data`, `fetch_spring_training`, `scrape_training_sets`).
_NOT_TRAINING_WORDS = {"data", "dataset", "datasets", "split", "prep", "preprocess", "preprocessing", "download",
                       "fetch", "scrape", "crawl", "ingest", "test", "tests",
                       # fitting a preprocessor computes statistics: `fit_transform_preprocessor`, `fit_scaler`
                       "transform", "preprocessor", "preprocessors", "scaler", "normalizer"}
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def name_words(name: str) -> list[str]:
    """The lower-cased words of an identifier or path: `model_seed` -> [model, seed],
    `RandomState` -> [random, state], `train2` -> [train, 2]."""
    return [w.lower() for w in _NAME_WORD.findall(name)]


def _program_words(token: str) -> list[str]:
    """Words of a Python program's name: `scripts/train_model.py` -> [train, model], `src.retrain` -> [retrain];
    `fine_tune` and `pre-train` joined into one word."""
    words = name_words(token)
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


def _project_programs(line: str) -> Iterator[str]:
    """Names of the programs of the project a command line runs: `x/train.py` (also
    `--entry_point=train.py`) as `train`, `-m pkg.train` as `train`, a shell script
    `./scripts/run_training.sh` as `run_training`."""
    tokens = split_command(line)
    for i, token in enumerate(tokens):
        value = token.rpartition("=")[2]
        if value.endswith((".py", ".sh")):
            yield value.rsplit("/", 1)[-1][:-3]
        elif token == "-m" and i + 1 < len(tokens) and i > 0 and "python" in tokens[i - 1].rsplit("/", 1)[-1]:
            yield from tokens[i + 1].split(".")  # `-m pkg.train.main`: the package says it too


def runs_training(line: str) -> bool:
    """The command line starts a training program or launcher, whatever its budget."""
    if _TRAIN_COMMAND.search(line):
        return True
    return any(names_training_program(name) for name in _project_programs(line))


def is_training_command(text: str, budget: dict) -> bool:
    """Some line of `text` runs a training command with a real budget (not a test, lint or help
    run, and not a smoke run of a few steps)."""
    for line in command_lines(text):
        if runs_training(line) and not _NOT_TRAINING.search(line) and not tiny_budget(line, budget):
            return True
    return False


def runs_tests(text: str) -> bool:
    return any(_TEST_COMMAND.search(line) for line in command_lines(text))


_CONTINUATION = re.compile(r"\\[ \t]*\r?\n")


def command_lines(text: str) -> list[str]:
    """The command lines of a script, a line that ends in a backslash joined to the next as the
    shell does: `python train.py \\ --dry-run` is one command."""
    return _CONTINUATION.sub(" ", text).splitlines()


# --------------------------------------------------------------------------------------
# shell command facts: the commands a file runs, wherever it writes them

class ShellCommand(namedtuple("ShellCommand", "words places nodes raw", defaults=(None, None))):
    """One simple command (`&&`, `;` and `|` split a line into several).

    `places` holds each word's (1-based line, 0-based column) in the context's lines, or None
    where it cannot be placed; `nodes` each word's Python node for commands written as
    `subprocess` argument lists, else None; `raw` each word as written, quotes included
    (`--zone="us-east1-b"` for the word `--zone=us-east1-b`), else None: the words are the text.
    """

    __slots__ = ()

    @property
    def program(self) -> str:
        return self.words[0].rsplit("/", 1)[-1] if self.words else ""

    @property
    def cloud(self) -> str | None:
        """The cloud a CLI command addresses: gcloud/gsutil/bq -> gcp, aws -> aws, az -> azure."""
        return _CLOUD_CLIS.get(self.program)

    def flags(self) -> Iterator[tuple[str, str, int]]:
        """(normalised flag name, value, index of the word holding the value) of each
        `--flag value` and `--flag=value` (`-l value` too)."""
        words = self.words
        for i, word in enumerate(words):
            if not word.startswith("-") or word in ("-", "--"):
                continue
            name, eq, value = word.partition("=")
            if eq:
                yield norm(name.lstrip("-")), value, i
            elif i + 1 < len(words) and not words[i + 1].startswith("-"):
                yield norm(name.lstrip("-")), words[i + 1], i + 1

    def subcommands(self) -> list[str]:
        """The words between the program and its first flag: `gcloud ai-platform jobs submit training`
        (global flags written before them, `gcloud -q container ...`, `aws --no-cli-pager ...`,
        `--project=p`, are skipped)."""
        out = []
        words = self.words[1:]
        while words and (words[0] in _GLOBAL_SWITCHES or words[0].startswith("--") and "=" in words[0]):
            words = words[1:]
        for word in words:
            if word.startswith("-"):
                break
            out.append(word)
        return out

    def place_of(self, index: int, value: str) -> tuple[int, int] | None:
        """(line, 0-based column) where `value` is written inside word `index`."""
        place = self.places[index]
        if place is None:
            return None
        at = (self.raw or self.words)[index].find(value)
        return place[0], place[1] + max(at, 0)


_GLOBAL_SWITCHES = {"-q", "--quiet", "--verbose", "--debug", "--no-cli-pager", "--no-user-output-enabled"}
_CLOUD_CLIS = {"gcloud": "gcp", "gsutil": "gcp", "bq": "gcp", "aws": "aws", "az": "azure", "sam": "aws", "eksctl": "aws"}
_OPERATORS = {"&&", "||", ";", "|", "&", "(", ")", "|&", ";;"}
_PREFIXES = {"sudo", "exec", "time", "nohup", "env", "command"}
# Reserved words that open or close a compound command: the command they hold starts after them
# (`if gcloud ...; then`, `{ gcloud ... 2>&1; }` in a `$( )` capture, `do aws ...`).
_RESERVED = {"{", "}", "!", "if", "then", "elif", "else", "fi", "while", "until", "do", "done"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
# Clauses whose words are not a command: `for x in a b`, `select x in ...`, `case $x in`.
_CLAUSES = {"for", "select", "case"}
# `name=(` (also after `declare -A` / `local`) left open on its line: the array's values follow.
_OPEN_ARRAY = re.compile(r"^\s*(?:(?:declare|local|typeset|readonly)\s+(?:-\w+\s+)*)?[A-Za-z_]\w*=\([^)]*$")


# Parts of a word that the lexer would split, hidden as private-use characters of the same length
# so offsets hold: a Python %-format placeholder of a command template (`create vm-%(id)s`), whose
# parentheses are not a subshell; a redirection that duplicates a descriptor (`2>&1`), whose `&` is
# not an operator.
_PERCENT_PLACEHOLDER, _DUPLICATION = re.compile(r"%\(\w+\)[sdifr]"), re.compile(r"([<>])&(?=[\d-])")
_HIDE_PARENS, _SHOW_PARENS = str.maketrans("()", "\ue000\ue001"), str.maketrans("\ue000\ue001\ue002", "()&")


def _words_with_offsets(text: str) -> Iterator[tuple[str, int, str]]:
    """Shell words of `text` with their offsets in it (-1 when not found) and their text as written
    (quotes included); operators as words of their own. A `\\` line continuation is read as
    blanks of the same length."""
    flat = text.replace("\\\r\n", "   ").replace("\\\n", "  ")
    flat = _DUPLICATION.sub("\\1\ue002", _PERCENT_PLACEHOLDER.sub(lambda m: m[0].translate(_HIDE_PARENS), flat))
    lexer = shlex.shlex(flat, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    cursor = 0
    try:
        for word in lexer:
            at = flat.find(word, cursor)
            shown = word.translate(_SHOW_PARENS)
            if at >= 0 and flat[at - 1:at] not in ("'", '"'):  # written as read
                cursor = at + len(word)
                yield shown, at, shown
                continue
            start = len(flat) - len(flat[cursor:].lstrip())  # quoted: the written word starts here
            cursor = _written_end(flat, start)
            yield shown, (start if start < cursor else -1), flat[start:cursor].translate(_SHOW_PARENS)
    except ValueError:  # an open quote: what was read so far stands
        return


def _written_end(text: str, start: int) -> int:
    """Where the shell word written at `start` ends: at an unquoted blank or operator."""
    i, quote = start, None
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"':
                i += 1
        elif char in "'\"":
            quote = char
        elif char == "\\":
            i += 1
        elif char.isspace() or char in ";&|()":
            break
        i += 1
    return min(i, len(text))


def commands_of_text(text: str, line: int, column: int = 0) -> list[ShellCommand]:
    """The simple commands of shell text that starts at (`line`, 0-based `column`); text that spans
    lines (continuations) keeps its newlines, so every word is placed where it is written."""
    found: list[ShellCommand] = []
    words: list[str] = []
    places: list = []
    written: list[str] = []

    def close() -> None:
        while words and (words[0] in _PREFIXES or words[0] in _RESERVED or _ASSIGNMENT.match(words[0])):
            for collected in (words, places, written):
                collected.pop(0)
        if words and words[0] not in _CLAUSES:
            found.append(ShellCommand(tuple(words), tuple(places), None, tuple(written)))
        for collected in (words, places, written):
            collected.clear()

    array = False  # inside `name=( ... )`: the words are the array's values, not commands
    # `$( ... )` inside a word: the command it holds is one of its own, and the words after the
    # `)` go on with the command around it (`gcloud ... --project=$(gcloud config ...) --zone=...`).
    outer: list[tuple[list, list, list]] = []
    for word, at, raw in _words_with_offsets(text):
        if array:
            array = word != ")"
            continue
        if word == "(" and words and _ASSIGNMENT.match(words[-1]) and words[-1].endswith("="):
            array = True
            continue
        if word == "(" and words and words[-1].endswith("$") and at > 0 and text[at - 1] == "$":
            outer.append((words[:], places[:], written[:]))
            for collected in (words, places, written):
                collected.clear()
            continue
        if word == ")" and outer:
            close()
            for collected, saved in zip((words, places, written), outer.pop()):
                collected.extend(saved)
            continue
        if word in _OPERATORS:
            close()
            continue
        words.append(word)
        places.append(_place(text, at, line, column))
        written.append(raw)
    close()
    return found


def _place(text: str, offset: int, line: int, column: int) -> tuple[int, int] | None:
    if offset < 0:
        return None
    breaks = text.count("\n", 0, offset)
    if not breaks:
        return line, column + offset
    return line + breaks, offset - text.rfind("\n", 0, offset) - 1


# A whole line that assigns a variable: `REGION=us-east1`, `export REGION="us-east1"  # note`.
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
# A quoted value may hold spaces (`location="East US"`); an unquoted one ends at a space.
# An unquoted value may hold a `${...}` expansion with quotes of its own (`REGION=${2:-"us-central1"}`).
_ASSIGNMENT_LINE = re.compile(r"\s*(?:export\s+)?([A-Za-z_]\w*)=([\"']?)((?<=[\"'])[^\"']*|(?<![\"'])(?:\$\{[^}]*\}|[^\"'\s;#])*)\2\s*(?:#.*)?$")


def _code_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of a script's lines that are its own code: not the body of a heredoc
    (`cat <<EOF`) nor the continuation of a quoted string over several lines (a usage text),
    which are text for another program, a file or a message."""
    heredoc_end: str | None = None
    quote: str | None = None  # the quote a string left open at the end of the line before
    for number, line in enumerate(text.splitlines(), start=1):
        if heredoc_end is not None:
            heredoc_end = None if line.strip() == heredoc_end else heredoc_end
            continue
        inside = quote is not None
        quote = _open_quote(line, quote)
        if inside:
            continue
        opened = _HEREDOC.search(line.split("#", 1)[0])
        heredoc_end = opened.group(2) if opened else None
        yield number, line


def _open_quote(line: str, quote: str | None) -> str | None:
    """The quote still open at the end of `line`, given the one open at its start."""
    escaped = False
    for index, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote is None and char == "#" and (index == 0 or line[index - 1] in " \t"):
            return None  # a comment
        elif quote is None and char in "\"'":
            quote = char
        elif char == quote:
            quote = None
    return quote


def shell_variables(text: str) -> dict[str, tuple[str, int, int]]:
    """`NAME=value` lines of a shell script, each bound to one value (again to the same value up to
    case and spaces, `LOCATION="East US"` then `"eastus"`, it still holds it; rebound at the top
    level with nothing between that reads it or branches, the later value is what later lines read;
    `AWS_REGION="$2"` under an option's `case` is not counted: the run its defaults describe):
    name -> (value, 1-based line, 0-based column of the binding)."""
    seen: dict[str, tuple[str, int, int]] = {}
    changed: set[str] = set()
    lines = list(_code_lines(text))
    first: dict[str, int] = {}  # name -> position of the binding in force, when written at the top level
    for position, (number, line) in enumerate(lines):
        m = _ASSIGNMENT_LINE.match(line)
        if m is None or _POSITIONAL.fullmatch(m.group(3)):
            continue  # `AWS_REGION="$2"` under an option's case: the run the defaults describe passes none
        name, top = m.group(1), not line[:1].isspace()
        if name in seen and _same_value(seen[name][0]) == _same_value(m.group(3)):
            continue
        if name in seen and not (top and name in first and _straight(lines[first[name] + 1:position], name)):
            changed.add(name)
            continue
        seen[name] = (m.group(3), number, m.start(3))
        if top:
            first[name] = position
    return {k: v for k, v in seen.items() if k not in changed}


_POSITIONAL = re.compile(r"\$\{?([1-9]|OPTARG)\}?")
_BRANCHING = re.compile(r"^\s*(if|then|else|elif|fi|case|esac|for|while|until|do|done|select|function)\b|;;|^\s*[{}]\s*$|\(\)\s*\{?\s*$|&&|\|\|")


def _straight(between: list[tuple[int, str]], name: str) -> bool:
    """The lines between two top-level bindings of `name` neither read it nor branch."""
    reads = re.compile(r"\$\{?" + re.escape(name) + r"\b")
    return not any(_BRANCHING.search(code) or reads.search(code) for _, code in between)


def _same_value(value: str) -> str:
    return value.lower().replace(" ", "")


def cell_assignment(ctx, name: str, command: ShellCommand) -> tuple[str, int, int] | None:
    """In a notebook, the `NAME=value` line of the same `%%bash` cell before `command` (the
    cell is one shell process: its own assignment, not the notebook's Python constant, is what
    `$NAME` reads): (value, 1-based line, 0-based column of the value), or None."""
    first = next((place for place in command.places if place is not None), None)
    shell = getattr(ctx, "shell_lines", ())
    if first is None or not shell:
        return None
    by_line = {line: (column, text) for line, column, text in shell}
    line = first[0] - 1
    while line >= 1:
        if line in by_line:
            column, text = by_line[line]
            m = _ASSIGNMENT_LINE.match(text)
            if m is not None and m.group(1) == name:
                return m.group(3), line, column + m.start(3)
        elif line <= len(ctx.lines) and ctx.lines[line - 1].strip():
            return None  # Python code: another cell, another process
        line -= 1
    return None


_VARIABLE = re.compile(r"^\$\{?([A-Za-z_]\w*)\}?$|^\{([A-Za-z_]\w*)\}$"
                       r"|^\$\{\{\s*(?:github\.event\.)?(inputs\.[A-Za-z_][\w-]*)\s*\}\}$")


def variable_name(word: str) -> str | None:
    """`$REGION`, `${REGION}` (shell) or `{REGION}` (IPython) -> REGION; a GitHub Actions
    workflow's `${{ inputs.region }}` -> inputs.region."""
    m = _VARIABLE.match(word)
    return (m.group(1) or m.group(2) or m.group(3)) if m else None


_EXPRESSION = re.compile(r"\$\{\{[^}\n]*\}\}")  # GitHub Actions / Azure Pipelines: `${{ inputs.region }}`


def script_commands(text: str) -> list[ShellCommand]:
    """Every simple command of a shell script (a `.sh` file, a workflow's `run:` block), with
    `\\` continuations read as one line; a here-document that writes a file other than a shell
    script (a config file, a Markdown guide) is data. A
    CI expression, `${{ inputs.region }}`, is one word: the runner substitutes it before the shell
    splits the line (its spaces become no-break spaces, so every column stays where it was)."""
    lines = _EXPRESSION.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text).splitlines()
    data = {n for here in here_documents(lines) for n in range(here.first_line, here.last_line + 1)}
    found: list[ShellCommand] = []
    i = 0
    while i < len(lines):
        if i in data:  # a config file's body (and its closing delimiter), written by a here-document
            i += 1
            continue
        start = i
        while lines[i].rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
        if _OPEN_ARRAY.match(lines[i]) and i + 1 < len(lines):  # the values run to the line that closes it
            i += 1
            while ")" not in lines[i] and i + 1 < len(lines):
                i += 1
        i += 1
        if lines[start].strip() and not lines[start].lstrip().startswith("#"):
            found.extend(commands_of_text("\n".join(lines[start:i]), start + 1))
    return found


def shell_commands(ctx) -> list[ShellCommand]:
    """The commands a file runs, for every rule to ask: a shell script's lines, a notebook's `!`
    lines and `%%bash` cells, `subprocess` / `os.system` calls, CI workflow `run:` steps."""
    return ctx.memo("shell-commands", lambda: list(_collect(ctx)))


def _collect(ctx) -> Iterator[ShellCommand]:
    if ctx.kind == "shell":
        yield from script_commands(ctx.text)
    elif hasattr(ctx, "tree"):
        for line, column, text in getattr(ctx, "shell_lines", ()):
            yield from commands_of_text(text, line, column)
        from .python_commands import subprocess_commands  # Python files only

        yield from subprocess_commands(ctx)
    else:
        yield from _workflow_commands(ctx)
        yield from _argument_list_commands(ctx)


def _workflow_commands(ctx) -> Iterator[ShellCommand]:
    """`run:` steps of CI workflows (GitHub Actions and look-alikes), placed in the file."""
    for doc in ctx.documents:
        for path, node in doc.walk():
            if not path or path[-1] != "run" or "steps" not in path or not node.is_scalar:
                continue
            text = node.value if isinstance(node.value, str) else None
            if not text or node.opaque:
                continue
            line, indent = _block_start(ctx.lines, node, text)
            for command in script_commands(text):
                yield command._replace(places=tuple(
                    None if p is None else (line + p[0] - 1, indent + p[1]) for p in command.places))


def _argument_list_commands(ctx) -> Iterator[ShellCommand]:
    """Commands written as a program and a list of arguments: a Cloud Build step (`name:
    gcr.io/cloud-builders/gcloud` or `entrypoint: gcloud`, `args: [run, deploy, ..., --region,
    us-east1]`) and a container (`command: [gcloud, ...]`, `args: [...]`). `entrypoint: bash` with
    `args: [-c, "gcloud ..."]` runs the script text."""
    for doc in ctx.documents:
        for _, node in doc.walk():
            args = node.get("args") if node.is_map else None
            if args is None or not args.is_seq or not all(_plain_string(a) for a in args.value):
                continue
            program = _step_program(node)
            if not program:
                continue
            if program[-1][0] in ("bash", "sh") and len(args.value) >= 2 and args.value[0].value == "-c":
                script = args.value[1]
                line, column = _block_start(ctx.lines, script, script.value)
                for command in script_commands(script.value):
                    yield command._replace(places=tuple(
                        None if p is None else (line + p[0] - 1, column + p[1]) for p in command.places))
                continue
            words = [w for w, _ in program] + [a.value for a in args.value]
            places = [p for _, p in program] + [_scalar_place(ctx.lines, a) for a in args.value]
            yield ShellCommand(tuple(words), tuple(places))


def _plain_string(node) -> bool:
    return node.is_scalar and isinstance(node.value, str) and not node.opaque


def _step_program(step) -> list[tuple[str, tuple | None]]:
    """The program words of a step: its `entrypoint`, its `command` list, or a Cloud Build builder
    image named after a cloud CLI (`gcr.io/cloud-builders/gcloud`, `.../aws-cli`)."""
    entry = step.get("entrypoint")
    if entry is not None and _plain_string(entry):
        return [(entry.value.rsplit("/", 1)[-1], None)]
    command = step.get("command")
    if command is not None and command.is_seq and command.value and all(_plain_string(c) for c in command.value):
        return [(c.value, None) for c in command.value]
    image = step.get("name") or step.get("image")
    if image is None or not _plain_string(image):
        return []
    tool = image.value.rsplit("/", 1)[-1].split(":")[0].split("@")[0]
    tool = {"aws-cli": "aws", "azure-cli": "az"}.get(tool, tool)
    return [(tool, None)] if tool in _CLOUD_CLIS else []


def _scalar_place(lines: list[str], node) -> tuple[int, int] | None:
    """(1-based line, 0-based column) of a one-line string scalar's text, past any quote."""
    if not 0 < node.line <= len(lines):
        return None
    at = lines[node.line - 1].find(node.value, max(node.column - 1, 0))
    return (node.line, at) if at >= 0 else None


def _block_start(lines: list[str], node, text: str) -> tuple[int, int]:
    """Where the first line of a YAML scalar's text is written: (1-based line, 0-based column)."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    skipped = next((i for i, ln in enumerate(text.splitlines()) if ln.strip()), 0)
    for line in range(node.line, min(node.line + 3, len(lines)) + 1):
        at = lines[line - 1].find(first) if first else -1
        if at >= 0:
            return line - skipped, at
    return node.line, max(node.column - 1, 0)


def report_word(ctx, code: str, command: ShellCommand, index: int, value: str, message: str, impact: dict,
                severity=None) -> None:
    """Report at `value` inside word `index` of `command`: its place in the text, or its Python node."""
    if command.nodes is not None and command.places[index] is None:
        ctx.report(code, command.nodes[index], message, impact, severity=severity)
        return
    place = command.place_of(index, value)
    if place is None:
        return
    line, column = place
    ctx.report_at(code, line, column + 1, line, column + 1 + len(value), message, impact, severity)
