"""Extract the labelled files of the blind benchmark from fetched mirrors, at their pinned commits.

    python bench/accuracy/materialize.py [--mirrors DIR] [--out DIR]

Nothing fetched is committed: labels.yaml names repository, commit and path, and this script
copies each file out of a bare mirror (`<mirrors>/<owner>+<name>/repo`, bare or with a work tree, the layout the search
tool's `fetch github:owner/name` leaves under /work/.mirror) into
`<out>/<owner>+<name>/<path>`. Missing mirrors and commits are listed with the command that
brings them; the other files are still extracted.

Context greenlint reads beside a labelled file comes with it, unlabelled (its findings are not
scored): the other `.tf` files of a labelled Terraform file's folder, because a Terraform module
is its folder (a provider block places every resource the folder declares), and the variable
files Terraform loads from it by itself (`terraform.tfvars`, `*.auto.tfvars`), which replace defaults.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))
from labels import load_labels, repo_folder  # noqa: E402
from greenlint.checks.terraform_modules import AUTO_LOADED_VARIABLE_FILES  # noqa: E402  (the files greenlint reads)

DEFAULT_MIRRORS = Path("/work/.mirror")
DEFAULT_OUT = HERE / "corpus"


def git_dir(mirrors: Path, repo: str) -> Path | None:
    base = mirrors / repo_folder(repo)
    for candidate in (base / "repo", base / "repo" / ".git", base):  # bare, or a work tree's .git
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def extract(gitdir: Path, commit: str, path: str) -> bytes | None:
    proc = subprocess.run(
        ["git", f"--git-dir={gitdir}", "show", f"{commit}:{path}"], capture_output=True
    )
    return proc.stdout if proc.returncode == 0 else None


CONTEXT_SUFFIXES = (".tf",)


def _auto_loaded(path: str) -> bool:
    return any(fnmatch(Path(path).name, pattern) for pattern in AUTO_LOADED_VARIABLE_FILES)


def context_paths(gitdir: Path, commit: str, path: str) -> list[str]:
    """The files of `path`'s folder that greenlint reads with it (see the module docstring)."""
    suffix = Path(path).suffix
    if suffix not in CONTEXT_SUFFIXES:
        return []
    folder = str(Path(path).parent)
    proc = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "--name-only", commit,
                           "" if folder == "." else folder + "/"], capture_output=True, text=True)
    return [p for p in proc.stdout.splitlines() if p != path and (p.endswith(suffix) or _auto_loaded(p))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--labels", type=Path, default=HERE / "labels.yaml")
    args = parser.parse_args(argv)

    written, missing_repos, missing_files = 0, set(), []
    for entry in load_labels(args.labels):
        gitdir = git_dir(args.mirrors, entry.repo)
        if gitdir is None:
            missing_repos.add(entry.repo)
            continue
        data = extract(gitdir, entry.commit, entry.path)
        if data is None:
            missing_files.append(f"{entry.repo}@{entry.commit[:10]}:{entry.path}")
            continue
        target = args.out / repo_folder(entry.repo) / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
        for extra in context_paths(gitdir, entry.commit, entry.path):
            context = args.out / repo_folder(entry.repo) / extra
            if not context.exists():
                context.write_bytes(extract(gitdir, entry.commit, extra) or b"")
    print(f"{written} labelled files written under {args.out}")
    for repo in sorted(missing_repos):
        print(f"missing mirror: {repo} (fetch it: search tool `fetch github:{repo}`)")
    for item in missing_files:
        print(f"missing at the pinned commit: {item}")
    return 1 if missing_repos or missing_files else 0


if __name__ == "__main__":
    sys.exit(main())
