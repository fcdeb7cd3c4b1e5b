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
files Terraform loads from it by itself (`terraform.tfvars`, `*.auto.tfvars`), which replace defaults;
the `.tf` files of the project's own modules the folder calls (a local `source`), whose resources say
what the arguments a module block gives them place; and the project modules a labelled Python file or notebook imports (`from config.project_config
import REGION`), found where greenlint looks for them (`greenlint.frontends.project`): their
constants are read where the labelled file gives them to a call.
"""
from __future__ import annotations

import argparse
import ast
import json
import posixpath
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))
from labels import load_labels, repo_folder  # noqa: E402
from greenlint.checks.terraform_modules import AUTO_LOADED_VARIABLE_FILES  # noqa: E402  (the files greenlint reads)
from greenlint.frontends.project import SEARCH_LEVELS, _candidates  # noqa: E402  (where greenlint finds a module)

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


def _python_sources(data: bytes, path: str) -> list[str]:
    """The code of a Python file, or of each code cell of a notebook."""
    if not path.endswith(".ipynb"):
        return [data.decode("utf-8", "replace")]
    try:
        cells = json.loads(data).get("cells", [])
    except (ValueError, AttributeError):
        return []
    return ["".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
            for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]


def _imported_modules(data: bytes, path: str) -> list[tuple[str, int]]:
    """(module, level) of each import of the file; cells or files that do not parse are skipped."""
    found = []
    for source in _python_sources(data, path):
        try:
            tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("!", "%"))))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                found.append((node.module or "", node.level))
                found += [((node.module + "." if node.module else "") + a.name, node.level) for a in node.names]
            elif isinstance(node, ast.Import):
                found += [(a.name, 0) for a in node.names]
    return found


def module_paths(gitdir: Path, commit: str, path: str, data: bytes) -> list[str]:
    """The project modules `path` imports, as greenlint finds them beside or above it."""
    if not path.endswith((".py", ".ipynb")):
        return []
    proc = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "-r", "--name-only", commit],
                          capture_output=True, text=True)
    tree = set(proc.stdout.splitlines())
    importer = PurePosixPath(path)
    found = []
    for module, level in _imported_modules(data, path):
        folder = importer.parent
        for _ in range(max(level - 1, 0)):
            folder = folder.parent
        roots = [folder] if level else [folder, *list(folder.parents)[:SEARCH_LEVELS]]
        for root in roots:
            hit = next((str(c) for c in _candidates(Path(root), module) if str(PurePosixPath(c)) in tree), None)
            if hit is not None and hit != path:
                found.append(hit)
                break
    return sorted(set(found))


def context_paths(gitdir: Path, commit: str, path: str, data: bytes = b"") -> list[str]:
    """The files that greenlint reads with `path` (see the module docstring)."""
    suffix = Path(path).suffix
    if suffix not in CONTEXT_SUFFIXES:
        return module_paths(gitdir, commit, path, data)
    folder = str(Path(path).parent)
    where = [] if folder == "." else [folder + "/"]  # the root: no path (git refuses an empty one)
    proc = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "--name-only", commit, *where],
                          capture_output=True, text=True)
    beside = [p for p in proc.stdout.splitlines() if p != path and (p.endswith(suffix) or _auto_loaded(p))]
    if suffix != ".tf":
        return beside
    texts = [data] + [extract(gitdir, commit, p) or b"" for p in beside if p.endswith(".tf")]
    return beside + called_module_paths(gitdir, commit, folder, texts)


_LOCAL_SOURCE = re.compile(rb'\bsource\s*=\s*"(\.\.?/[^"]+)"')


def called_module_paths(gitdir: Path, commit: str, folder: str, texts: list[bytes]) -> list[str]:
    """The `.tf` files of the project's own modules that a Terraform folder calls
    (`module "x" { source = "../modules/state" }`): greenlint reads what they declare."""
    found = []
    for source in {m.decode() for text in texts for m in _LOCAL_SOURCE.findall(text)}:
        called = posixpath.normpath(posixpath.join(folder, source))
        if called.startswith(".."):
            continue
        proc = subprocess.run(["git", f"--git-dir={gitdir}", "ls-tree", "--name-only", commit, called + "/"],
                              capture_output=True, text=True)
        found += [p for p in proc.stdout.splitlines() if p.endswith(".tf")]
    return sorted(found)


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
        for extra in context_paths(gitdir, entry.commit, entry.path, data):
            context = args.out / repo_folder(entry.repo) / extra
            if not context.exists():
                context.parent.mkdir(parents=True, exist_ok=True)
                context.write_bytes(extract(gitdir, entry.commit, extra) or b"")
    print(f"{written} labelled files written under {args.out}")
    for repo in sorted(missing_repos):
        print(f"missing mirror: {repo} (fetch it: search tool `fetch github:{repo}`)")
    for item in missing_files:
        print(f"missing at the pinned commit: {item}")
    return 1 if missing_repos or missing_files else 0


if __name__ == "__main__":
    sys.exit(main())
