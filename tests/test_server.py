"""`greenlint server` driven over stdio by a real LSP client (tests/lsp_client.py), as an editor drives it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs greenlint[lsp]")

from greenlint.rules import load_rules  # noqa: E402
from lsp_client import LspClient  # noqa: E402  (tests/ is on sys.path for test modules)

GRID = '''\
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

search = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "gamma": [1, 0.1]}, cv=5)
search.fit(X, y)
'''
OPTUNA = '''\
import optuna


def objective(trial):
    return trial.suggest_float("x", 0, 1)


study = optuna.create_study()
study.optimize(objective)
'''


def _open(client: LspClient, path: Path, text: str, language: str = "python", version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}})
    return uri


def _change(client: LspClient, uri: str, version: int, changes: list[dict]) -> None:
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})


def _at(line: int, character: int) -> dict:
    return {"line": line, "character": character}


def _codes(diagnostics: list[dict]) -> list[str]:
    return [d["code"] for d in diagnostics]


def _apply(text: str, edits: list[dict]) -> str:
    """Apply LSP text edits (ASCII text: characters are UTF-16 units) as an editor would."""
    lines = text.split("\n")

    def offset(position: dict) -> int:
        return sum(len(line) + 1 for line in lines[: position["line"]]) + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def client(workspace: Path):
    """One server for the tests that need no configuration of their own (each uses its own file)."""
    lsp = LspClient(workspace)
    lsp.capabilities = lsp.initialize(workspace, {"notebookDocument": {"synchronization": {}}})["capabilities"]
    yield lsp
    lsp.close()


def test_grid_search_live_edit_code_action_hover_and_shutdown(workspace: Path):
    lsp = LspClient(workspace)
    try:
        caps = lsp.initialize(workspace)["capabilities"]
        assert caps["hoverProvider"] and caps["codeActionProvider"] and caps["diagnosticProvider"]
        assert "notebookDocumentSync" not in caps  # this client did not offer notebook sync

        uri = _open(lsp, workspace / "search.py", GRID)
        [diag] = lsp.diagnostics(uri, version=1)
        assert diag["code"] == "GL101" and diag["source"] == "greenlint" and diag["severity"] == 2
        assert diag["message"].startswith("exhaustive-grid-search: GridSearchCV") and "30 fits" in diag["message"]
        assert diag["codeDescription"]["href"] == load_rules()["GL101"].help_uri
        assert diag["range"] == {"start": _at(3, 9), "end": _at(3, 21)}  # `GridSearchCV` in `search = GridSearchCV(`

        # An unsaved edit to a random search: the finding goes (whole-document change).
        randomized = GRID.replace("GridSearchCV", "RandomizedSearchCV")
        _change(lsp, uri, 2, [{"text": randomized}])
        assert lsp.diagnostics(uri, version=2) == []
        # And comes back with an incremental edit of the call's name.
        _change(lsp, uri, 3, [{"range": {"start": _at(3, 9), "end": _at(3, 27)}, "text": "GridSearchCV"},
                              {"range": {"start": _at(0, 36), "end": _at(0, 54)}, "text": "GridSearchCV"}])
        assert _codes(lsp.diagnostics(uri, version=3)) == ["GL101"]

        hover = lsp.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(3, 12)})
        text = hover["contents"]["value"]
        assert "GL101 exhaustive-grid-search" in text and "Why it wastes energy" in text and "Use instead" in text
        assert "RandomizedSearchCV" in text  # the rule's use-instead example
        assert lsp.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": _at(0, 2)}) is None

        actions = lsp.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": _at(3, 12), "end": _at(3, 12)},
            "context": {"diagnostics": [diag]}})
        titles = [a["title"] for a in actions]
        assert titles[1:] == ["Suppress GL101 on this line", "Suppress GL101 in this file"]
        assert titles[0].startswith("Fix GL101 (unsafe): sample")  # the rule's unsafe fix comes first
        actions = actions[1:]
        line_action = actions[0]
        edited = _apply(GRID, line_action["edit"]["changes"][uri])
        assert edited.splitlines()[3].endswith(")  # greenlint: ignore[GL101]")
        _change(lsp, uri, 4, [{"text": edited}])
        assert lsp.diagnostics(uri, version=4) == []

        file_edit = _apply(GRID, actions[1]["edit"]["changes"][uri])
        assert file_edit.startswith("# greenlint: ignore-file[GL101]\n")
        _change(lsp, uri, 5, [{"text": file_edit}])
        assert lsp.diagnostics(uri, version=5) == []
    finally:
        assert lsp.close() == 0  # shutdown answered, exit honoured


def test_unsafe_fix_is_a_separate_action_and_applies(client: LspClient, workspace: Path):
    uri = _open(client, workspace / "tune.py", OPTUNA)
    [diag] = client.diagnostics(uri, version=1)
    assert diag["code"] == "GL102"
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}})
    fixes = [a for a in actions if a["title"].startswith("Fix")]
    assert [a["title"] for a in fixes] == ["Fix GL102 (unsafe): bound the study at 100 trials"]
    assert not fixes[0].get("isPreferred")  # an unsafe fix is never the one-key default
    fixed = _apply(OPTUNA, fixes[0]["edit"]["changes"][uri])
    assert "study.optimize(objective, n_trials=100)" in fixed
    _change(client, uri, 2, [{"text": fixed}])
    assert client.diagnostics(uri, version=2) == []


def test_suppression_joins_an_existing_directive(client: LspClient, workspace: Path):
    text = GRID.replace('cv=5)\n', 'cv=5)  # greenlint: ignore[GL201]\n')
    uri = _open(client, workspace / "joined.py", text)
    [diag] = [d for d in client.diagnostics(uri, version=1) if d["code"] == "GL101"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}})
    suppress = next(a for a in actions if a["title"] == "Suppress GL101 on this line")
    assert "# greenlint: ignore[GL201, GL101]" in _apply(text, suppress["edit"]["changes"][uri])


def test_file_suppression_goes_below_a_shebang(client: LspClient, workspace: Path):
    text = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n" + GRID
    uri = _open(client, workspace / "script.py", text)
    [diag] = client.diagnostics(uri, version=1)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}})
    whole = next(a for a in actions if a["title"] == "Suppress GL101 in this file")
    lines = _apply(text, whole["edit"]["changes"][uri]).splitlines()
    assert lines[:3] == ["#!/usr/bin/env python", "# -*- coding: utf-8 -*-", "# greenlint: ignore-file[GL101]"]


def test_positions_are_utf16_units(client: LspClient, workspace: Path):
    """Columns count UTF-16 code units, as the protocol's default encoding says: an emoji is two."""
    prefix = 'label = "😀"; search = '
    text = GRID.replace("search = ", prefix, 1)
    uri = _open(client, workspace / "emoji.py", text)
    [diag] = client.diagnostics(uri, version=1)
    assert len(prefix) == 22 and diag["range"]["start"] == _at(3, 23)  # the emoji is one character, two units
    assert diag["range"]["end"] == _at(3, 23 + len("GridSearchCV"))


def test_parse_error_is_gl000_and_a_failing_request_does_not_kill_the_server(client: LspClient, workspace: Path):
    broken = GRID.replace("search.fit(X, y)", "def f(:\n    pass")  # a file greenlint reads (it names a search)
    uri = _open(client, workspace / "broken.py", broken)
    [diag] = [d for d in client.diagnostics(uri, version=1) if d["code"] == "GL000"]  # the rest of the file is checked
    assert diag["severity"] == 1 and "cannot parse" in diag["message"]
    # Malformed parameters and a document that exists nowhere: errors, not a dead server.
    bad = client.request_raw("textDocument/hover", {"textDocument": {"uri": uri}})
    assert "error" in bad
    missing = (workspace / "nowhere" / "gone.py").as_uri()
    gone = client.request_raw("textDocument/codeAction", {
        "textDocument": {"uri": missing}, "range": {"start": _at(0, 0), "end": _at(0, 0)}, "context": {"diagnostics": []}})
    assert "error" in gone or gone.get("result") in (None, [])
    assert client.process.poll() is None
    # Still serving: a fix of the file brings its diagnostics back to empty.
    _change(client, uri, 2, [{"text": GRID.replace("GridSearchCV", "RandomizedSearchCV")}])
    assert client.diagnostics(uri, version=2) == []


@pytest.mark.parametrize("name, language, text, code, line", [
    ("sweep.yaml", "yaml", "method: grid\nparameters:\n  lr:\n    values: [0.1, 0.01, 0.001]\n  bs:\n    values: [16, 32]\n",
     "GL101", 0),
    ("main.tf", "terraform", 'provider "aws" {\n  region = "us-east-1"\n}\n', "GL401", 1),
    ("deploy.toml", "toml", '[deploy]\nregion = "us-central1"\n', "GL401", 1),
    ("profile.json", "json", '{"profile": "ml",\n "region": "us-east-2"}\n', "GL401", 1),
])
def test_config_files(client: LspClient, workspace: Path, name: str, language: str, text: str, code: str, line: int):
    uri = _open(client, workspace / name, text, language)
    diagnostics = client.diagnostics(uri, version=1)
    assert [(d["code"], d["range"]["start"]["line"]) for d in diagnostics] == [(code, line)]


def test_json_offers_no_comment_suppression(client: LspClient, workspace: Path):
    uri = _open(client, workspace / "region.json", '{"region": "us-east-2"}\n', "json")
    [diag] = client.diagnostics(uri, version=1)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}})
    assert actions == []  # JSON has no comments: per-file-ignores is the way


def _notebook_json(cells: list[tuple[str, str]]) -> str:
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "cells": [{"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True),
                   **({"outputs": [], "execution_count": None} if kind == "code" else {})} for kind, source in cells],
    }, indent=1)


NOTEBOOK_CELLS = [
    ("markdown", "# Tuning\nA grid search, on purpose.\n"),
    ("code", "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"),
    ("code", "%matplotlib inline\nsearch = GridSearchCV(SVC(), {\"C\": [1, 10, 100], \"gamma\": [1, 0.1]}, cv=5)\n"
             "search.fit(X, y)"),
]


def test_notebook_cells_get_their_own_diagnostics(client: LspClient, workspace: Path):
    [selector] = client.capabilities["notebookDocumentSync"]["notebookSelector"]
    assert selector["cells"] == [{"language": "python"}]
    notebook = workspace / "tune.ipynb"
    notebook.write_text(_notebook_json(NOTEBOOK_CELLS), encoding="utf-8")
    cell_uris = [f"vscode-notebook-cell:{notebook.as_posix()}#W{i}sZmlsZQ==" for i in range(len(NOTEBOOK_CELLS))]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": notebook.as_uri(), "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": 1 if kind == "markdown" else 2, "document": uri}
                                       for (kind, _), uri in zip(NOTEBOOK_CELLS, cell_uris)]},
        "cellTextDocuments": [{"uri": uri, "languageId": "markdown" if kind == "markdown" else "python", "version": 1,
                               "text": source} for (kind, source), uri in zip(NOTEBOOK_CELLS, cell_uris)],
    })
    found = {}
    for _ in cell_uris:
        params = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] in cell_uris)
        found[params["uri"]] = params["diagnostics"]
    assert found[cell_uris[0]] == [] and found[cell_uris[1]] == []
    [diag] = found[cell_uris[2]]
    assert diag["code"] == "GL101" and diag["range"] == {"start": _at(1, 9), "end": _at(1, 21)}  # in the cell

    hover = client.request("textDocument/hover", {"textDocument": {"uri": cell_uris[2]}, "position": _at(1, 10)})
    assert "GL101" in hover["contents"]["value"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": cell_uris[2]}, "range": diag["range"], "context": {"diagnostics": [diag]}})
    edit = actions[0]["edit"]["changes"][cell_uris[2]][0]
    assert actions[0]["title"] == "Suppress GL101 on this line" and edit["range"]["start"]["line"] == 1

    # Editing the cell to a random search clears its diagnostics.
    new_text = NOTEBOOK_CELLS[2][1].replace("GridSearchCV", "RandomizedSearchCV")
    client.notify("notebookDocument/didChange", {
        "notebookDocument": {"uri": notebook.as_uri(), "version": 2},
        "change": {"cells": {"textContent": [{"document": {"uri": cell_uris[2], "version": 2},
                                              "changes": [{"text": new_text}]}]}},
    })
    assert client.diagnostics(cell_uris[2], version=2) == []


def test_a_removed_cell_loses_its_diagnostics(client: LspClient, workspace: Path):
    notebook = workspace / "removed.ipynb"
    notebook.write_text(_notebook_json(NOTEBOOK_CELLS), encoding="utf-8")
    cell_uris = [f"vscode-notebook-cell:{notebook.as_posix()}#R{i}sZmlsZQ==" for i in range(len(NOTEBOOK_CELLS))]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": notebook.as_uri(), "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": 1 if kind == "markdown" else 2, "document": uri}
                                       for (kind, _), uri in zip(NOTEBOOK_CELLS, cell_uris)]},
        "cellTextDocuments": [{"uri": uri, "languageId": "markdown" if kind == "markdown" else "python", "version": 1,
                               "text": source} for (kind, source), uri in zip(NOTEBOOK_CELLS, cell_uris)],
    })
    assert [d["code"] for d in client.diagnostics(cell_uris[2])] == ["GL101"]
    client.notify("notebookDocument/didChange", {
        "notebookDocument": {"uri": notebook.as_uri(), "version": 2},
        "change": {"cells": {"structure": {"array": {"start": 2, "deleteCount": 1},
                                           "didClose": [{"uri": cell_uris[2]}]}}},
    })
    assert client.diagnostics(cell_uris[2]) == []


def test_notebook_opened_as_text_reports_ipynb_lines(client: LspClient, workspace: Path):
    text = _notebook_json(NOTEBOOK_CELLS)
    uri = _open(client, workspace / "plain.ipynb", text, "json")
    [diag] = client.diagnostics(uri, version=1)
    line = text.splitlines()[diag["range"]["start"]["line"]]
    assert diag["code"] == "GL101" and "search = GridSearchCV(" in line
    assert line[diag["range"]["start"]["character"]:].startswith("GridSearchCV")


def test_settings_follow_the_nearest_config_and_reload_when_it_changes(tmp_path: Path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    config = project / "pyproject.toml"
    config.write_text('[tool.greenlint]\nignore = ["GL101"]\n', encoding="utf-8")
    lsp = LspClient(tmp_path)
    try:
        lsp.initialize(tmp_path, {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}})
        uri = _open(lsp, project / "src" / "search.py", GRID)
        assert lsp.diagnostics(uri, version=1) == []
        [registration] = [r for r in lsp.requests_from_server if r["method"] == "client/registerCapability"]
        watchers = registration["params"]["registrations"][0]["registerOptions"]["watchers"]
        assert {w["globPattern"] for w in watchers} == {"**/pyproject.toml", "**/greenlint.toml", "**/.greenlint.toml"}

        config.write_text('[tool.greenlint]\nseverity = {GL101 = "error"}\n', encoding="utf-8")
        lsp.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        [diag] = lsp.diagnostics(uri)
        assert diag["code"] == "GL101" and diag["severity"] == 1  # the new severity, from the new settings

        config.write_text('[tool.greenlint]\nselect = ["GL9"]\n', encoding="utf-8")
        lsp.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        [diag] = lsp.diagnostics(uri)
        assert diag["code"] == "GL000" and "configuration error" in diag["message"] and "GL9" in diag["message"]
    finally:
        lsp.close()


def test_excluded_and_per_file_ignored_files_stay_quiet(tmp_path: Path):
    (tmp_path / "greenlint.toml").write_text(
        'extend-exclude = ["generated"]\nper-file-ignores = {"legacy/*.py" = ["GL101"]}\n', encoding="utf-8")
    for folder in ("generated", "legacy", "src"):
        (tmp_path / folder).mkdir()
    lsp = LspClient(tmp_path)
    try:
        lsp.initialize(tmp_path)
        quiet = [_open(lsp, tmp_path / folder / "search.py", GRID) for folder in ("generated", "legacy")]
        loud = _open(lsp, tmp_path / "src" / "search.py", GRID)
        results = {}
        for _ in range(3):
            params = lsp.wait_for("textDocument/publishDiagnostics")
            results[params["uri"]] = _codes(params["diagnostics"])
        assert results == {quiet[0]: [], quiet[1]: [], loud: ["GL101"]}
    finally:
        lsp.close()


def test_pull_diagnostics_when_the_client_asks_for_them(tmp_path: Path):
    lsp = LspClient(tmp_path)
    try:
        lsp.initialize(tmp_path, {"textDocument": {"diagnostic": {"dynamicRegistration": False}}})
        uri = _open(lsp, tmp_path / "search.py", GRID)
        report = lsp.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        assert report["kind"] == "full" and _codes(report["items"]) == ["GL101"]
        again = lsp.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": report["resultId"]})
        assert again == {"kind": "unchanged", "resultId": report["resultId"]}
        _change(lsp, uri, 2, [{"text": GRID.replace("GridSearchCV", "RandomizedSearchCV")}])
        after = lsp.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "previousResultId": report["resultId"]})
        assert after["kind"] == "full" and after["items"] == []
        # A pulling client is never pushed to.
        assert not any(m.get("method") == "textDocument/publishDiagnostics" for m in list(lsp.notifications.queue))
    finally:
        lsp.close()


def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path):
    fake = tmp_path / "pygls"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('pygls is not installed')\n", encoding="utf-8")
    env_path = str(tmp_path) + ":" + str(Path(__file__).resolve().parent.parent)
    result = subprocess.run([sys.executable, "-m", "greenlint", "server"], capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "pip install 'greenlint[lsp]'" in result.stderr


def test_readme_editor_snippets_start_this_server():
    """The editor set-ups in the README launch `greenlint server`, and the VS Code one is valid JSON."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Editors: the language server"):]
    vscode = json.loads(re.search(r"```json\n(\{\s*\"glspc.*?)```", section, re.DOTALL).group(1))
    assert (vscode["glspc.server.command"], vscode["glspc.server.commandArguments"]) == ("greenlint", ["server"])
    assert 'cmd = { "greenlint", "server" }' in section  # Neovim
    assert 'command = "greenlint"\nargs = ["server"]' in section  # Helix
    assert 'args: vec!["server".into()]' in section  # Zed


def test_paths_with_spaces_keep_the_clients_uri_and_close_clears(client: LspClient, workspace: Path):
    folder = workspace / "my project"
    folder.mkdir()
    uri = _open(client, folder / "search.py", GRID)
    assert "%20" in uri and _codes(client.diagnostics(uri, version=1)) == ["GL101"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


@pytest.mark.parametrize("prefix", ['s = "a\\"b\\tc"; ', "note = 'é ünïcode 😀'; ", "\t"])
def test_cell_positions_survive_json_escapes(prefix: str):
    """The .ipynb built from synced cells maps the engine's positions back to the cell exactly,
    whatever the line holds before the finding (escaped quotes, tabs, non-ASCII)."""
    from greenlint.engine import lint_text
    from greenlint.server.cells import build_notebook

    line = prefix + 'search = GridSearchCV(SVC(), {"C": [1, 10, 100], "gamma": [1, 0.1]}, cv=5)'
    body = f"if True:\n{line}\n\tsearch.fit(X, y)\n" if prefix == "\t" else f"{line}\nsearch.fit(X, y)\n"
    cells = [("markdown", "# notes\n"), ("code", "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"),
             ("code", body)]
    built = build_notebook(cells)
    [finding] = [f for f in lint_text(built.text, "nb.ipynb") if f.code == "GL101"]
    cell, (start_line, start, end_line, end) = built.place(finding.line, finding.column, finding.end_line, finding.end_column)
    source_line = body.splitlines()[start_line]
    assert cell == 2 and source_line == line and end_line == start_line
    assert source_line[start:end] == "GridSearchCV"


SCRATCH = '''\
import torch
import torchvision

model = torchvision.models.resnet50()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
'''


def test_related_location_points_at_the_line_the_finding_depends_on(client: LspClient, workspace: Path):
    uri = _open(client, workspace / "scratch.py", SCRATCH)
    [diag] = [d for d in client.diagnostics(uri, version=1) if d["code"] == "GL301"]
    [related] = diag["relatedInformation"]
    assert related["location"]["uri"] == uri and related["message"] == "training"
    assert related["location"]["range"] == {"start": _at(9, 8), "end": _at(9, len("        loss.backward()"))}


def test_save_checks_at_once_and_saving_a_config_reloads_settings(tmp_path: Path):
    """Without file watching, a configuration saved in the editor still reloads the settings."""
    config = tmp_path / "greenlint.toml"
    config.write_text('ignore = ["GL101"]\n', encoding="utf-8")
    lsp = LspClient(tmp_path, ("--debounce-ms", "5000"))  # a change alone would wait 5 s after a burst
    try:
        lsp.initialize(tmp_path)
        uri = _open(lsp, tmp_path / "search.py", GRID)
        assert lsp.diagnostics(uri, version=1) == []
        assert not lsp.requests_from_server  # the client offered no watching: none was asked for
        config.write_text('ignore = []\n', encoding="utf-8")
        lsp.notify("textDocument/didSave", {"textDocument": {"uri": config.as_uri()}})
        assert _codes(lsp.diagnostics(uri, timeout=5)) == ["GL101"]
        # Two quick edits: the second waits for the 5 s pause, unless the file is saved.
        _change(lsp, uri, 2, [{"text": GRID.replace("cv=5", "cv=3")}])
        lsp.diagnostics(uri, version=2)
        _change(lsp, uri, 3, [{"text": GRID.replace("GridSearchCV", "RandomizedSearchCV")}])
        lsp.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert lsp.diagnostics(uri, version=3, timeout=3) == []
    finally:
        lsp.close()
