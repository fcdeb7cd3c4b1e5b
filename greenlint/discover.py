"""Which files to check, and what kind each one is."""
from __future__ import annotations

import os
from collections import namedtuple

from .config import ConfigResolver, Settings
from .paths import absolute, exists, is_dir, is_file, parent, pure

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    import re
    from pathlib import Path

SUFFIX_KINDS = {
    "py": "python", "pyi": "python", "ipynb": "notebook", "yaml": "yaml", "yml": "yaml", "json": "json",
    "toml": "toml", "tf": "terraform", "tfvars": "terraform", "env": "env", "sh": "shell", "bash": "shell",
}
# Lock files and other generated data: large, never hand-written configuration.
SKIPPED_NAMES = {"package-lock.json", "poetry.lock", "Pipfile.lock", "uv.lock", "yarn.lock", "composer.lock"}


def kind_of(path: str | Path, extensions: dict[str, str] | None = None) -> str | None:
    name = os.path.basename(path)
    if extensions:
        for suffix, kind in extensions.items():
            if name.endswith("." + suffix):
                return kind
    if name in SKIPPED_NAMES:
        return None
    suffix_kind = SUFFIX_KINDS.get(name.rsplit(".", 1)[-1]) if "." in name else None
    if name == ".env" or name.startswith((".env.", "env.")) and suffix_kind is None:
        # `.env.production`, `.env.local`, and a template written without the dot (`env.example`);
        # but `.env.sh` is a shell script, `.env.yaml` YAML, `env.py` Python
        return "env"
    return suffix_kind


# The script's first line, matched by `script_kind` (re's own cache keeps it compiled).
_SHEBANG = rb"#![ \t]*\S*?(?:/env[ \t]+(?:-\S+[ \t]+)*)?/?(?:[\w.-]*/)*(bash|sh|zsh|dash|python[0-9.]*)\b"
_SHEBANG_KINDS = {b"bash": "shell", b"sh": "shell", b"zsh": "shell", b"dash": "shell"}


def script_kind(path: str | Path) -> str | None:
    """The kind of a file with no extension that is a script by its first line (`#!/bin/bash`,
    `#!/usr/bin/env python3`): SageMaker's `train` entry point and a repository's `retrain` script
    are such files. Other extensionless files (LICENSE, Makefile) are not read."""
    try:
        with open(path, "rb") as handle:
            first = handle.readline(200)
    except OSError:
        return None
    import re  # a file without an extension, named or walked to: rare, and `re` is costly to import

    match = re.match(_SHEBANG, first)
    if match is None:
        return None
    return _SHEBANG_KINDS.get(match.group(1), "python")


class Problem(namedtuple("Problem", "path message")):
    """A path (a string) that could not be walked: reported as GL000."""

    __slots__ = ()


class GitIgnore:
    """The patterns of one .gitignore file, matched as git does (the common subset)."""

    def __init__(self, base: str, lines: list[str]):
        import re  # a folder walk: off the one-file path

        self.base = base
        self._prefix = base.rstrip(os.sep) + os.sep
        self.rules: list[tuple[re.Pattern[str], bool, bool]] = []  # (regex, negated, dir_only)
        for raw in lines:
            line = raw.rstrip("\n").rstrip()
            if not line or line.startswith("#"):
                continue
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            line = line.replace("\\#", "#").replace("\\!", "!")
            dir_only = line.endswith("/")
            line = line.strip("/") if dir_only else line
            anchored = "/" in line.rstrip("/")
            line = line.lstrip("/")
            self.rules.append((re.compile(_glob_to_regex(line, anchored)), negated, dir_only))

    def decision(self, path: str, is_dir: bool) -> bool | None:
        """True ignored, False re-included, None not mentioned (`path` is absolute)."""
        if not path.startswith(self._prefix):
            return None
        rel = path[len(self._prefix):].replace(os.sep, "/")
        result = None
        for regex, negated, dir_only in self.rules:
            if dir_only and not is_dir:
                continue
            if regex.fullmatch(rel):
                result = not negated
        return result


def _glob_to_regex(pattern: str, anchored: bool) -> str:
    import re

    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i)
            if end == -1:
                out.append(re.escape(c))
            else:
                out.append("[" + pattern[i + 1 : end].replace("!", "^", 1) + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    body = "".join(out)
    return body if anchored else f"(?:.*/)?{body}"


def _load_gitignore(folder: str) -> GitIgnore | None:
    """The folder's .gitignore (`folder` is absolute)."""
    try:
        with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as handle:
            return GitIgnore(folder, handle.read().splitlines())
    except OSError:  # none, or a folder of that name
        return None


def _ignored(path: str, is_dir: bool, stack: list[GitIgnore]) -> bool:
    verdict = None
    for gitignore in stack:  # deeper files come later and win
        decision = gitignore.decision(path, is_dir)
        if decision is not None:
            verdict = decision
    return bool(verdict)


def _is_virtualenv(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg")) or os.path.isdir(os.path.join(folder, "conda-meta"))


def discover(
    paths: list[str | Path], resolver: ConfigResolver, force_exclude: bool = False
) -> tuple[list[tuple[str, str, Settings]], list[Problem]]:
    """Files to check, each with its kind and the settings of its folder, and paths that could
    not be walked. Paths are strings, spelled as pathlib spells them (`paths`)."""
    found: dict[str, tuple[str, Settings]] = {}
    problems: list[Problem] = []
    for root in map(pure, paths):
        if is_file(root) or (exists(root) and not is_dir(root)):
            settings = resolver.for_path(root)
            if force_exclude and settings.is_excluded(absolute(root)):
                continue
            kind = kind_of(root, settings.extensions) or script_kind(root) or "python"  # named explicitly: check it
            found.setdefault(root, (kind, settings))
            continue
        _walk(root, resolver, found, problems)
    ordered = sorted(found, key=lambda path: path.replace(os.sep, "/"))
    return [(path, *found[path]) for path in ordered], problems


def _gitignore_stack(folder: str) -> list[GitIgnore]:
    """The .gitignore files of the folders above `folder`, up to the repository root."""
    stack: list[GitIgnore] = []
    current = above = absolute(folder)
    while True:
        gi = _load_gitignore(above)
        if gi is not None:
            stack.insert(0, gi)
        if exists(os.path.join(above, ".git")) or parent(above) == above:
            break
        above = parent(above)
    return stack[:-1] if stack and stack[-1].base == current else stack  # the folder's own is added by the walk


def _walk(root: str, resolver: ConfigResolver, found: dict[str, tuple[str, Settings]], problems: list[Problem]) -> None:
    """Folders as strings, absolute beside as given: paths are joined, never parsed (a warm run
    walks thousands of files and does little else)."""
    seen: set[tuple[int, int]] = set()
    stack_base = _gitignore_stack(root)

    def visit(folder: str, folder_abs: str, ignores: list[GitIgnore], ancestors: tuple[tuple[int, int], ...] = ()) -> None:
        try:
            status = os.stat(folder_abs)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot resolve folder: {exc.strerror or exc}"))
            return
        identity = (status.st_dev, status.st_ino)  # a folder's identity: one stat, where realpath takes one per component
        if identity in ancestors:
            problems.append(Problem(folder, "symbolic link loop: it leads back to a folder above it; skipped"))
            return
        if identity in seen:
            return  # a second link to a folder already checked (translated docs, shared data)
        seen.add(identity)
        ancestors = (*ancestors, identity)
        own = _load_gitignore(folder_abs)
        if own is not None:
            ignores = ignores + [own]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot list folder: {exc.strerror or exc}"))
            return
        settings = resolver.for_folder(folder, {entry.name for entry in entries})
        prefix, prefix_abs = os.path.join(folder, ""), os.path.join(folder_abs, "")
        for entry in entries:
            name = entry.name
            path, path_abs = prefix + name, prefix_abs + name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name == ".git" or settings.is_excluded(path_abs) or _ignored(path_abs, True, ignores):
                    continue
                if _is_virtualenv(path):
                    continue
                visit(path, path_abs, ignores, ancestors)
                continue
            if entry.is_symlink() and not os.path.exists(path):
                problems.append(Problem(path, "broken symbolic link"))
                continue
            kind = kind_of(name, settings.extensions)
            if kind is None and "." in name or settings.is_excluded(path_abs) or _ignored(path_abs, False, ignores):
                continue
            kind = kind or script_kind(path)  # read a file's first line only where nothing excludes it
            if kind is not None:
                found.setdefault(path, (kind, settings))

    visit(os.fspath(root), os.path.abspath(root), list(stack_base))
