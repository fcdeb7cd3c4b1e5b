"""Which files to check, and what kind each one is."""
from __future__ import annotations

import os
import re
from collections import namedtuple
from pathlib import Path

from .config import ConfigResolver

SUFFIX_KINDS = {
    "py": "python", "pyi": "python", "ipynb": "notebook", "yaml": "yaml", "yml": "yaml", "json": "json",
    "toml": "toml", "tf": "terraform", "tfvars": "terraform", "env": "env", "sh": "shell", "bash": "shell",
}
# Lock files and other generated data: large, never hand-written configuration.
SKIPPED_NAMES = {"package-lock.json", "poetry.lock", "Pipfile.lock", "uv.lock", "yarn.lock", "composer.lock"}


def kind_of(path: Path, extensions: dict[str, str] | None = None) -> str | None:
    name = path.name
    if extensions:
        for suffix, kind in extensions.items():
            if name.endswith("." + suffix):
                return kind
    if name in SKIPPED_NAMES:
        return None
    suffix_kind = SUFFIX_KINDS.get(name.rsplit(".", 1)[-1]) if "." in name else None
    if name == ".env" or name.startswith(".env.") and suffix_kind is None:
        return "env"  # `.env.production`, `.env.local`; but `.env.sh` is a shell script, `.env.yaml` YAML
    return suffix_kind


_SHEBANG = re.compile(rb"#![ \t]*\S*?(?:/env[ \t]+(?:-\S+[ \t]+)*)?/?(?:[\w.-]*/)*(bash|sh|zsh|dash|python[0-9.]*)\b")
_SHEBANG_KINDS = {b"bash": "shell", b"sh": "shell", b"zsh": "shell", b"dash": "shell"}


def script_kind(path: Path) -> str | None:
    """The kind of a file with no extension that is a script by its first line (`#!/bin/bash`,
    `#!/usr/bin/env python3`): SageMaker's `train` entry point and a repository's `retrain` script
    are such files. Other extensionless files (LICENSE, Makefile) are not read."""
    try:
        with open(path, "rb") as handle:
            first = handle.readline(200)
    except OSError:
        return None
    match = _SHEBANG.match(first)
    if match is None:
        return None
    return _SHEBANG_KINDS.get(match.group(1), "python")


class Problem(namedtuple("Problem", "path message")):
    """A path that could not be walked: reported as GL000."""

    __slots__ = ()


class GitIgnore:
    """The patterns of one .gitignore file, matched as git does (the common subset)."""

    def __init__(self, base: Path, lines: list[str]):
        self.base = base
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

    def decision(self, path: Path, is_dir: bool) -> bool | None:
        """True ignored, False re-included, None not mentioned."""
        try:
            rel = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        result = None
        for regex, negated, dir_only in self.rules:
            if dir_only and not is_dir:
                continue
            if regex.fullmatch(rel):
                result = not negated
        return result


def _glob_to_regex(pattern: str, anchored: bool) -> str:
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


def _load_gitignore(folder: Path) -> GitIgnore | None:
    path = folder / ".gitignore"
    try:
        return GitIgnore(folder.absolute(), path.read_text(encoding="utf-8", errors="replace").splitlines()) if path.is_file() else None
    except OSError:
        return None


def _ignored(path: Path, is_dir: bool, stack: list[GitIgnore]) -> bool:
    verdict = None
    for gitignore in stack:  # deeper files come later and win
        decision = gitignore.decision(path, is_dir)
        if decision is not None:
            verdict = decision
    return bool(verdict)


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()


def discover(
    paths: list[Path], resolver: ConfigResolver, force_exclude: bool = False
) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Files to check with their kinds, and paths that could not be walked."""
    found: dict[Path, str] = {}
    problems: list[Problem] = []
    for root in paths:
        if root.is_file() or (root.exists() and not root.is_dir()):
            settings = resolver.for_path(root)
            if force_exclude and settings.is_excluded(root.absolute()):
                continue
            kind = kind_of(root, settings.extensions) or script_kind(root) or "python"  # named explicitly: check it
            found.setdefault(root, kind)
            continue
        _walk(root, resolver, found, problems)
    return sorted(found.items(), key=lambda item: item[0].as_posix()), problems


def _gitignore_stack(folder: Path) -> list[GitIgnore]:
    """The .gitignore files of the folders above `folder`, up to the repository root."""
    stack: list[GitIgnore] = []
    current = folder.absolute()
    for parent in [current, *current.parents]:
        gi = _load_gitignore(parent)
        if gi is not None:
            stack.insert(0, gi)
        if (parent / ".git").exists():
            break
    return stack[:-1] if stack and stack[-1].base == current else stack  # the folder's own is added by the walk


def _walk(root: Path, resolver: ConfigResolver, found: dict[Path, str], problems: list[Problem]) -> None:
    seen_real: set[str] = set()
    stack_base = _gitignore_stack(root)

    def visit(folder: Path, ignores: list[GitIgnore], ancestors: tuple[str, ...] = ()) -> None:
        try:
            real = os.path.realpath(folder)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot resolve folder: {exc}"))
            return
        if real in ancestors:
            problems.append(Problem(folder, "symbolic link loop: it leads back to a folder above it; skipped"))
            return
        if real in seen_real:
            return  # a second link to a folder already checked (translated docs, shared data)
        seen_real.add(real)
        ancestors = (*ancestors, real)
        own = _load_gitignore(folder)
        if own is not None:
            ignores = ignores + [own]
        settings = resolver.for_folder(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot list folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            path = folder / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name == ".git" or settings.is_excluded(path.absolute()) or _ignored(path.absolute(), True, ignores):
                    continue
                if _is_virtualenv(path):
                    continue
                visit(path, ignores, ancestors)
                continue
            if entry.is_symlink() and not os.path.exists(path):
                problems.append(Problem(path, "broken symbolic link"))
                continue
            kind = kind_of(path, settings.extensions)
            if kind is None and "." in entry.name or settings.is_excluded(path.absolute()) \
                    or _ignored(path.absolute(), False, ignores):
                continue
            kind = kind or script_kind(path)  # read a file's first line only where nothing excludes it
            if kind is not None:
                found.setdefault(path, kind)

    visit(root, [gi for gi in stack_base])
