"""scripts/gpu-check.sh cannot run without a GPU; check what can be checked here."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gpu-check.sh"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_shell_syntax():
    assert subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True).returncode == 0


def test_embedded_python_parses_and_uses_the_real_api():
    text = SCRIPT.read_text(encoding="utf-8")
    blocks = dict(re.findall(r"<<'(PY\w+)'\n(.*?)\n\1\n", text, re.S))
    assert set(blocks) == {"PYCHECK", "PYTRAIN", "PYMAIN"}
    for source in blocks.values():
        ast.parse(source)
    # The names it imports from greenlint exist.
    from greenlint.profile import progress, projection, runner

    assert callable(progress.report) and callable(projection.build_profile) and callable(runner.run_script)
    assert "--no-index" in text and "curl" not in text and "wget" not in text  # offline only
