"""The label format of the blind benchmark (labels.yaml), loaded and validated in one place.

An entry is one file of one repository at a pinned commit:

    - repo: owner/name
      commit: <40 hex>
      path: dir/train.py
      split: tune | held-out        # fixed per repository
      checked: [GL101, GL102]       # categories labelled exhaustively in this file
      positives:
        - {line: 42, category: GL101, note: "..."}
        - {cell: 3, line: 2, alt_lines: [5], category: GL201, note: "..."}   # notebook
      negatives:
        - {line: 50, category: GL101, note: "..."}

`line` is 1-based; in a notebook it is the line inside cell `cell` (1-based among all cells).
`alt_lines` are other lines a reviewer could equally point at. A finding of a category that
is not in `checked` says nothing about the labels and is not scored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

SPLITS = ("tune", "held-out")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_CODE = re.compile(r"^GL\d{3}$")


class LabelError(ValueError):
    pass


@dataclass(frozen=True)
class Label:
    category: str
    line: int
    cell: int | None = None
    alt_lines: tuple[int, ...] = ()
    note: str = ""

    def anchors(self) -> tuple[int, ...]:
        return (self.line, *self.alt_lines)


@dataclass(frozen=True)
class Entry:
    repo: str
    commit: str
    path: str
    split: str
    checked: frozenset[str]
    positives: tuple[Label, ...]
    negatives: tuple[Label, ...]

    @property
    def key(self) -> str:
        """The file's path in a materialized corpus, relative to its root."""
        return f"{repo_folder(self.repo)}/{self.path}"


def repo_folder(repo: str) -> str:
    return repo.replace("/", "+")


def _label(raw: dict, where: str) -> Label:
    if not isinstance(raw, dict):
        raise LabelError(f"{where}: a label is a mapping")
    category = str(raw.get("category", ""))
    if not _CODE.match(category):
        raise LabelError(f"{where}: category {category!r} is not a rule code")
    line = raw.get("line")
    if not isinstance(line, int) or line < 1:
        raise LabelError(f"{where}: line must be a positive integer")
    cell = raw.get("cell")
    if cell is not None and (not isinstance(cell, int) or cell < 1):
        raise LabelError(f"{where}: cell must be a positive integer")
    alt = raw.get("alt_lines") or ()
    if not all(isinstance(n, int) and n >= 1 for n in alt):
        raise LabelError(f"{where}: alt_lines must be positive integers")
    return Label(category, line, cell, tuple(alt), str(raw.get("note", "")))


def _entry(raw: dict, index: int) -> Entry:
    where = f"entry {index} ({raw.get('repo')}:{raw.get('path')})"
    for key in ("repo", "commit", "path", "split"):
        if not raw.get(key):
            raise LabelError(f"{where}: `{key}` is required")
    if not _COMMIT.match(str(raw["commit"])):
        raise LabelError(f"{where}: commit must be 40 lower-case hex digits")
    if raw["split"] not in SPLITS:
        raise LabelError(f"{where}: split must be one of {SPLITS}")
    positives = tuple(_label(x, where) for x in raw.get("positives") or ())
    negatives = tuple(_label(x, where) for x in raw.get("negatives") or ())
    checked = frozenset(raw.get("checked") or {x.category for x in positives + negatives})
    return Entry(str(raw["repo"]), str(raw["commit"]), str(raw["path"]), raw["split"], checked, positives, negatives)


def load_labels(path: Path) -> list[Entry]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    if isinstance(raw, dict):
        raw = raw.get("files") or []
    entries = [_entry(item, i) for i, item in enumerate(raw)]
    splits: dict[str, str] = {}
    for entry in entries:
        if splits.setdefault(entry.repo, entry.split) != entry.split:
            raise LabelError(f"{entry.repo}: a repository belongs to one split")
    return entries
