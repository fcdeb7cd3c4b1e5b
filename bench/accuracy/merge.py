"""Merge labellers' part files into labels.yaml and give each new repository its split.

    python bench/accuracy/merge.py PART.yaml... [--labels labels.yaml]

Each labeller covered one family of rules in repositories of their own choosing and wrote
the entries of labels.py's format without `split`. A repository keeps the split it already
has in labels.yaml; new repositories of one part file are sorted by name and alternate
between `tune` and `held-out`, starting with whichever split has fewer repositories, so every
family has repositories in both halves; `--split tune` puts every new repository in one half
instead (a later round of labels that only feeds tuning, so the held-out half stays as it was
measured). A part's entry for a file already in labels.yaml replaces the labels of the
categories it checks; the file's other categories, labelled in an earlier round, are kept (at
another commit, the part's entry replaces the file's).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from labels import SPLITS, load_labels  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="+", type=Path)
    parser.add_argument("--labels", type=Path, default=HERE / "labels.yaml")
    parser.add_argument("--split", choices=SPLITS, help="the split of every new repository")
    args = parser.parse_args(argv)

    merged = yaml.safe_load(args.labels.read_text()) if args.labels.is_file() else []
    merged = merged or []
    split_of = {e["repo"]: e["split"] for e in merged}
    for part in args.parts:
        entries = _one_version_per_file(yaml.safe_load(part.read_text()) or [], part)
        fresh = sorted({e["repo"] for e in entries} - split_of.keys())
        counts = Counter(split_of.values())
        first = 0 if counts["tune"] <= counts["held-out"] else 1
        for i, repo in enumerate(fresh):
            split_of[repo] = args.split or SPLITS[(first + i) % 2]
        earlier = {(e["repo"], e["path"]): e for e in merged}
        replaced = {(e["repo"], e["path"]) for e in entries}
        merged = [e for e in merged if (e["repo"], e["path"]) not in replaced]
        for e in entries:
            before = earlier.get((e["repo"], e["path"]))
            if before is not None and before["commit"] == e["commit"]:
                e = _combined(before, e)
            merged.append({"repo": e["repo"], "commit": e["commit"], "path": e["path"], "split": split_of[e["repo"]],
                           **{k: v for k, v in e.items() if k not in ("repo", "commit", "path", "split")}})
    merged.sort(key=lambda e: (e["split"], e["repo"], e["path"]))
    args.labels.write_text(yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, width=110))
    load_labels(args.labels)  # validates
    print(f"{len(merged)} entries, {len(split_of)} repositories: {dict(Counter(split_of.values()))}")
    return 0


def _combined(before: dict, part: dict) -> dict:
    """The part's labels for the categories it checks, the earlier entry's for the others."""
    checked = set(part.get("checked") or [])
    kept = {kind: [label for label in before.get(kind) or [] if label["category"] not in checked]
            for kind in ("positives", "negatives")}
    return {**part, "checked": sorted(checked | set(before.get("checked") or [])),
            **{kind: kept[kind] + list(part.get(kind) or []) for kind in kept}}


def _one_version_per_file(entries: list[dict], part: Path) -> list[dict]:
    """A file is materialized at one commit, under its path: where a part labels one file at
    several commits, the version with the most positives (then labels) is kept."""
    kept: dict[tuple[str, str], dict] = {}
    for e in entries:
        key = (e["repo"], e["path"])
        size = (len(e.get("positives") or []), len(e.get("negatives") or []))
        if key in kept:
            print(f"{part}: {key[0]} {key[1]} is labelled at several commits; the one with most positives is kept")
            old = kept[key]
            if size <= (len(old.get("positives") or []), len(old.get("negatives") or [])):
                continue
        kept[key] = e
    return list(kept.values())


if __name__ == "__main__":
    sys.exit(main())
