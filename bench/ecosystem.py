"""Ecosystem check (ruff's habit): which findings a change adds and removes on real projects.

    python bench/ecosystem.py                  # base = HEAD, against the working tree
    python bench/ecosystem.py --base v0.1.0    # any git ref
    python bench/ecosystem.py --list 20        # list up to 20 changes per rule and direction

Runs two greenlint versions, a git ref and the working tree, over the pinned public
repositories of bench/ecosystem-repos.yaml, and prints per rule the findings that appear and
disappear. The repositories' code is never committed: each is extracted at its pinned commit
from a bare mirror (`<mirrors>/<owner>+<name>/repo`, the layout the search tool's
`fetch github:owner/name` leaves under /work/.mirror) into bench/.ecosystem/ (ignored by git).
A finding is identified by path, rule and line; one whose message alone changed is counted
as changed, not as gone and new. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".ecosystem"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE / "accuracy"))
from materialize import git_dir  # noqa: E402  (one place knows the mirrors' layout)


def checkout(mirrors: Path, repo: str, commit: str) -> Path | None:
    folder = repo.replace("/", "+")
    target = WORK / "checkouts" / folder
    stamp = target / ".greenlint-ecosystem-commit"
    if stamp.is_file() and stamp.read_text().strip() == commit:
        return target
    gitdir = git_dir(mirrors, repo)
    if gitdir is None:
        print(f"missing mirror: {repo} (fetch it: search tool `fetch github:{repo}`)", file=sys.stderr)
        return None
    subprocess.run(["rm", "-rf", str(target)], check=True)
    if not extract_tree(gitdir, commit, target):
        print(f"missing commit: {repo}@{commit}", file=sys.stderr)
        return None
    stamp.write_text(commit)
    return target


def wanted(path: str) -> bool:
    """Only what greenlint reads (and .gitignore files, which decide what it reads): a data
    set or an image in a repository would cost the extraction time and disk for nothing."""
    from greenlint.discover import kind_of

    name = path.rsplit("/", 1)[-1]
    return name == ".gitignore" or name.endswith(".sh") or kind_of(Path(name)) is not None


def extract_tree(gitdir: Path, commit: str, target: Path) -> bool:
    """Write the wanted blobs of `commit` under `target`. Snapshots lack files of 4 MiB and more:
    those are skipped, so `git archive` (which fails on them) is not used."""
    listing = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "-r", "-z", commit], capture_output=True)
    if listing.returncode != 0:
        return False
    blobs = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.split()
        path = name.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode != b"120000" and wanted(path):  # links are not followed into the mirror
            blobs.append((sha.decode(), path))
    with tempfile.TemporaryFile() as requests:  # a file, not a pipe: git's answers would fill it first
        requests.write("".join(f"{sha}\n" for sha, _ in blobs).encode())
        requests.seek(0)
        batch = subprocess.Popen(["git", f"--git-dir={gitdir}", "cat-file", "--batch"], stdin=requests, stdout=subprocess.PIPE)
    for sha, name in blobs:
        header = batch.stdout.readline().split()
        if header[-1] == b"missing":
            continue
        data = batch.stdout.read(int(header[2]))
        batch.stdout.read(1)
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    batch.wait()
    target.mkdir(parents=True, exist_ok=True)
    return True


def base_tree(ref: str) -> Path:
    sha = subprocess.run(["git", "rev-parse", ref], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    target = WORK / "versions" / sha
    if not (target / "greenlint").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha, "greenlint", "rules"], cwd=ROOT, capture_output=True, check=True)
        with tempfile.TemporaryFile() as tmp:
            tmp.write(archive.stdout)
            tmp.seek(0)
            with tarfile.open(fileobj=tmp) as tar:
                tar.extractall(target, filter="data")
    return target


def lint(version_root: Path, folders: list[str], jobs: int) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(version_root))
    proc = subprocess.run(
        [sys.executable, "-m", "greenlint", "--format", "json", "--exit-zero", "--no-cache", "--jobs", str(jobs), *folders],
        cwd=WORK / "checkouts", capture_output=True, text=True, env=env,
    )
    if proc.returncode != 0:
        sys.exit(f"greenlint at {version_root} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)["findings"]


def identity(finding: dict) -> tuple:
    return finding["path"], finding["code"], finding["line"]


def compare(before: list[dict], after: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Per rule: the findings only `before` has (gone), only `after` has (new), and reworded."""
    old = {identity(f): f for f in before}
    new = {identity(f): f for f in after}
    changes: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {"gone": [], "new": [], "reworded": []})
    for key in old.keys() - new.keys():
        changes[key[1]]["gone"].append(old[key])
    for key in new.keys() - old.keys():
        changes[key[1]]["new"].append(new[key])
    for key in old.keys() & new.keys():
        if old[key]["message"] != new[key]["message"]:
            changes[key[1]]["reworded"].append(new[key])
    return changes


def report(before: list[dict], after: list[dict], limit: int) -> str:
    counts_before, counts_after = Counter(f["code"] for f in before), Counter(f["code"] for f in after)
    changes = compare(before, after)
    lines = ["| rule | base | now | new | gone | reworded |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for code in sorted(counts_before.keys() | counts_after.keys()):
        c = changes.get(code, {"gone": [], "new": [], "reworded": []})
        lines.append(f"| {code} | {counts_before[code]} | {counts_after[code]} | +{len(c['new'])} | -{len(c['gone'])} | {len(c['reworded'])} |")
    lines.append(f"| total | {len(before)} | {len(after)} | +{sum(len(c['new']) for c in changes.values())} "
                 f"| -{sum(len(c['gone']) for c in changes.values())} | {sum(len(c['reworded']) for c in changes.values())} |")
    for code in sorted(changes):
        for kind, sign in (("new", "+"), ("gone", "-"), ("reworded", "~")):
            items = sorted(changes[code][kind], key=identity)
            if items:
                lines.append(f"\n{code} {kind} ({len(items)}):")
                lines += [f"  {sign} {f['path']}:{f['line']}: {f['message'][:150]}" for f in items[:limit]]
                if len(items) > limit:
                    lines.append(f"  ... {len(items) - limit} more")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git ref of the version to compare against (default HEAD)")
    parser.add_argument("--repos", type=Path, default=HERE / "ecosystem-repos.yaml")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--list", type=int, default=10, help="changes listed per rule and direction")
    args = parser.parse_args(argv)

    pinned = yaml.safe_load(args.repos.read_text())["repositories"]
    folders = [p.name for item in pinned if (p := checkout(args.mirrors, item["repo"], item["commit"]))]
    print(f"{len(folders)} of {len(pinned)} repositories checked; base {args.base} vs the working tree\n")
    before = lint(base_tree(args.base), folders, args.jobs)
    after = lint(ROOT, folders, args.jobs)
    print(report(before, after, args.list))
    errors = [f for f in after if f["code"] == "GL000" and "internal error" in f["message"]]
    print(f"\ninternal errors now: {len(errors)}")
    for f in errors[: args.list]:
        print(f"  {f['path']}:{f['line']}: {f['message'][:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
