"""The integration files and the README's snippets, exercised as far as this machine allows:
action.yml's own shell steps run for real against a `greenlint` on PATH, the pre-commit hook
entries run on files, the README's pre-commit and workflow snippets name a rev that exists and
holds the hooks they use, and the GitLab job's greenlint command writes a Code Quality report."""
from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SOURCE = ("from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
          "search = GridSearchCV(SVC(), {'C': [1, 2, 3], 'gamma': [1, 2]}, cv=5)\n")


@pytest.fixture
def shim(tmp_path) -> dict[str, str]:
    """An environment whose PATH has a `greenlint` that runs this checkout."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "greenlint"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m greenlint "$@"\n', encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
            "GREENLINT_CACHE_DIR": str(tmp_path / "cache")}


def yaml_blocks(marker: str) -> list[dict]:
    """The README's ```yaml blocks whose first line is `# marker`."""
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
    return [yaml.safe_load(b) for b in blocks if b.startswith(f"# {marker}")]


# ---- action.yml -----------------------------------------------------------------------------

def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def step(name: str) -> dict:
    return next(s for s in action()["runs"]["steps"] if s.get("name") == name)


def run_step(name: str, cwd: Path, env: dict[str, str], inputs: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a composite step's script as the runner would: its `env`, with `${{ inputs.X }}` filled in."""
    spec = step(name)
    values = {k: str(v.get("default", "")) for k, v in action()["inputs"].items()} | inputs
    step_env = {k: re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(v))
                for k, v in (spec.get("env") or {}).items()}
    assert "${{" not in spec["run"], "scripts read inputs through env, never by expansion (injection)"
    return subprocess.run(["bash", "-e", "-c", spec["run"]], cwd=cwd, env={**env, **step_env},
                          capture_output=True, text=True)


def test_action_is_a_composite_that_uploads_sarif():
    spec = action()
    assert spec["runs"]["using"] == "composite"
    uses = [s.get("uses", "") for s in spec["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    upload = next(s for s in spec["runs"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "--format sarif" in step("Run greenlint")["run"]
    assert step("Install greenlint")["env"]["GREENLINT_SOURCE"] == "${{ github.action_path }}"
    assert spec["inputs"]["annotate"]["default"] == "false"  # annotating is optional


def test_action_run_step_writes_sarif_and_reports_the_exit_code(tmp_path, shim):
    work = tmp_path / "repo"
    (work / "src").mkdir(parents=True)
    (work / "src" / "train.py").write_text(SOURCE, encoding="utf-8")
    output = tmp_path / "github_output"
    env = {**shim, "GITHUB_OUTPUT": str(output)}
    proc = run_step("Run greenlint", work, env, {"paths": "src", "args": "--fail-on warning"})
    assert proc.returncode == 0, proc.stderr  # findings do not stop the step: the upload comes first
    assert output.read_text() == "exit-code=1\n"
    sarif = json.loads((work / "greenlint.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["GL101"]

    annotate = run_step("Annotate", work, env, {"paths": "src"})
    assert annotate.returncode == 0 and annotate.stdout.startswith("::warning file=src/train.py,line=3")

    output.write_text("")
    broken = run_step("Run greenlint", work, env, {"paths": "no-such-folder"})
    assert broken.returncode == 2 and output.read_text() == "exit-code=2\n"


# ---- pre-commit -----------------------------------------------------------------------------

def hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def test_hooks_exist_and_their_entries_run(tmp_path, shim):
    found = hooks()
    assert set(found) == {"greenlint", "greenlint-fix"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    (tmp_path / "train.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "clean.py").write_text("print('hello')\n", encoding="utf-8")
    for hook in found.values():
        entry = shlex.split(hook["entry"])
        assert entry[0] in scripts and hook["language"] == "python"
        files = re.compile(hook["files"])
        assert all(files.search(n) for n in ("a.py", "nb.ipynb", "k8s/deploy.yaml", "main.tf", ".env.prod"))
        assert not files.search("README.md")
        dirty = subprocess.run([*entry, "train.py"], cwd=tmp_path, env=shim, capture_output=True, text=True)
        clean = subprocess.run([*entry, "clean.py"], cwd=tmp_path, env=shim, capture_output=True, text=True)
        assert (dirty.returncode, clean.returncode) == (1, 0), (hook["id"], dirty.stderr)
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == SOURCE  # no safe fix for GL101: untouched


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def _rev_exists(rev: str) -> bool:
    if _git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        pytest.skip("not a git checkout")
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        pytest.skip("a shallow clone cannot see older commits")
    return _git("cat-file", "-e", f"{rev}^{{commit}}").returncode == 0


def test_readme_pre_commit_snippet_names_a_rev_that_has_its_hooks():
    [config] = yaml_blocks(".pre-commit-config.yaml")
    [repo] = config["repos"]
    rev = repo["rev"]
    tags = _git("tag").stdout.split()
    assert rev in tags or re.fullmatch(r"[0-9a-f]{40}", rev), f"rev {rev} is neither a tag nor a full commit SHA"
    assert _rev_exists(rev), f"README pins {rev}, which is not in this repository"
    at_rev = yaml.safe_load(_git("show", f"{rev}:.pre-commit-hooks.yaml").stdout)
    ids = {h["id"] for h in at_rev}
    assert {h["id"] for h in repo["hooks"]} <= ids and {"greenlint", "greenlint-fix"} <= ids


def test_readme_workflow_uses_the_action_at_an_existing_rev():
    [workflow] = yaml_blocks(".github/workflows/greenlint.yml")
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["greenlint"]["steps"]
    [ours] = [s for s in steps if s.get("uses", "").startswith("greenlint/greenlint@")]
    rev = ours["uses"].split("@", 1)[1]
    assert _rev_exists(rev)
    assert _git("cat-file", "-e", f"{rev}:action.yml").returncode == 0
    assert set(ours["with"]) <= set(action()["inputs"])


def test_readme_gitlab_job_writes_the_report_it_declares(tmp_path, shim):
    [ci] = yaml_blocks(".gitlab-ci.yml")
    job = ci["greenlint"]
    report = job["artifacts"]["reports"]["codequality"]
    [command] = [line for line in job["script"] if line.startswith("greenlint ")]
    (tmp_path / "train.py").write_text(SOURCE, encoding="utf-8")
    proc = subprocess.run(shlex.split(command), cwd=tmp_path, env=shim, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    [issue] = json.loads((tmp_path / report).read_text(encoding="utf-8"))
    assert issue["check_name"] == "GL101" and issue["location"] == {"path": "train.py", "lines": {"begin": 3}}


def test_readme_configuration_example_is_accepted(tmp_path, shim):
    block = re.search(r"```toml\n(\[tool\.greenlint\].*?)```", README, re.DOTALL).group(1)
    (tmp_path / "pyproject.toml").write_text(block.replace('table = "carbon/regions.csv"', ""), encoding="utf-8")
    (tmp_path / "train.py").write_text(SOURCE, encoding="utf-8")
    proc = subprocess.run(["greenlint", "--show-settings", "train.py"], cwd=tmp_path, env=shim,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["region"] == "gcp:europe-west4"
