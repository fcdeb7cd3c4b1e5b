"""The renderers: every format, on findings built directly (a plain file, a notebook cell,
a parse error), with the real rule catalogue where it exists."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from greenlint.finding import Edit, Finding, Fix, Severity
from greenlint.report import FORMATS, RunInfo, render
from greenlint.rules import Rule, load_rules

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ANSI = re.compile(r"\x1b\[")


def _fallback_rule(code: str, name: str, severity: Severity) -> Rule:
    # Only for codes the catalogue does not have yet: the renderers must not depend on
    # which rule files exist. Fields the renderers do not read get empty values, so the
    # test follows Rule as it grows.
    known = dict(
        code=code,
        name=name,
        family="search",
        severity=severity,
        enabled_by_default=True,
        summary=f"Summary of {name}.",
        kinds=("python", "notebook"),
        docs={"what": f"What {name} does.", "why": "Because.", "references": ["https://example.org"]},
        tags=("energy",),
        precision="high",
    )
    unset = {name: {} for name in Rule._fields if name not in Rule._field_defaults}
    return Rule(**{**unset, **known})


@pytest.fixture
def rules() -> dict[str, Rule]:
    catalogue = dict(load_rules())
    catalogue.setdefault("GL101", _fallback_rule("GL101", "exhaustive-grid-search", Severity.WARNING))
    return catalogue


GRID_LINE = "    search = GridSearchCV(model, grid, cv=5)"


def make_findings(shift: int = 0) -> list[Finding]:
    """Findings as the engine would produce them; `shift` moves the plain file's findings
    down, as inserting unrelated lines above them would."""
    grid = dict(code="GL101", name="exhaustive-grid-search", path="src/train.py", severity=Severity.WARNING,
                source_line=GRID_LINE)
    return [
        Finding(line=12 + shift, column=14, end_line=12 + shift, end_column=26,
                message="GridSearchCV tries 48 candidates x 5 folds = 240 fits; RandomizedSearchCV(n_iter=10) would fit 50.",
                impact={"candidates": 48, "folds": 5, "fits": 240, "alternative_fits": 50},
                fix=Fix("Use RandomizedSearchCV", "unsafe",
                        (Edit(12 + shift, 14, 12 + shift, 26, "RandomizedSearchCV"),)),
                **grid),
        # The very same line again, later in the file: a distinct finding.
        Finding(line=30 + shift, column=14, end_line=30 + shift, end_column=26,
                message="GridSearchCV tries 4 candidates x 5 folds = 20 fits.", **grid),
        Finding(code="GL101", name="exhaustive-grid-search", path="nb/explore.ipynb", line=40, column=10,
                end_line=40, end_column=22, message="ParameterGrid of 9 candidates.", severity=Severity.NOTE,
                cell=4, cell_line=2, cell_column=5, source_line="for p in ParameterGrid(grid):"),
        Finding(code="GL000", name="parse-error", path="broken.py", line=3, column=8, end_line=3, end_column=8,
                message="cannot parse: invalid syntax", severity=Severity.ERROR, source_line="def f(:"),
    ]


def info_for(rules: dict[str, Rule], **kw) -> RunInfo:
    kw.setdefault("color", False)
    return RunInfo(version="9.9.9", rules=rules, files_checked=kw.pop("files_checked", 5), **kw)


# ---- text -------------------------------------------------------------------------------

def _caret_under(output: str, source: str) -> tuple[int, int]:
    """Screen column where `source` is printed after the gutter, and where the carets start/end."""
    lines = output.splitlines()
    i = next(n for n, line in enumerate(lines) if line.endswith(source))
    code_at = lines[i].index(source)
    carets = lines[i + 1]
    start = carets.index("^")
    return start - code_at, len(carets.rstrip()) - start


def test_text_plain_grouped_with_snippets_and_summary(rules):
    out = render("text", make_findings(), info_for(rules))
    assert not ANSI.search(out)
    assert out.endswith("\n")
    # Grouped by file, files in order, each finding with its location, rule, severity, message.
    assert out.index("broken.py") < out.index("nb/explore.ipynb") < out.index("src/train.py")
    assert "src/train.py:12:14: GL101 exhaustive-grid-search [warning]" in out
    assert "src/train.py:30:14: GL101" in out
    assert "nb/explore.ipynb:cell 4:2:5: GL101 exhaustive-grid-search [note]" in out
    assert "broken.py:3:8: GL000 parse-error [error]" in out
    assert "48 candidates x 5 folds = 240 fits" in out
    assert "alternative_fits" not in out  # impact numbers live in the message, not dumped
    # Carets sit under the span: 12 characters from column 14.
    assert _caret_under(out, GRID_LINE) == (13, 12)
    # Notebook: the cell's line number in the gutter, caret at the cell column.
    assert "2 | for p in ParameterGrid(grid):" in out
    assert _caret_under(out, "for p in ParameterGrid(grid):") == (4, 12)
    # Summary: count by rule with names, total, files checked.
    assert re.search(r"^3\s+GL101\s+exhaustive-grid-search", out, re.M)
    assert re.search(r"^1\s+GL000\s+parse-error", out, re.M)
    assert "Found 4 findings in 3 files (5 files checked)." in out
    assert not any(line != line.rstrip() for line in out.splitlines())


def test_text_caret_counts_characters_tabs_and_wide_glyphs(rules):
    # Column 12 is the G: a tab (4 cells) and two wide CJK glyphs (2 cells each) before it.
    source = '\tx = "日本"; GridSearchCV()'
    assert source.index("G") == 11
    f = Finding(code="GL101", name="exhaustive-grid-search", path="a.py", line=1, column=12, end_line=1,
                end_column=24, message="m", severity=Severity.WARNING, source_line=source)
    out = render("text", [f], info_for(rules))
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "GridSearchCV()" in line)
    code_at = lines[i].index("    x")  # the tab is shown as 4 spaces
    assert lines[i + 1].index("^") - code_at == 4 + len('x = "') + 4 + len('"; ')
    assert lines[i + 1].count("^") == 12


def test_text_multiline_span_underlines_to_end_of_line(rules):
    f = Finding(code="GL101", name="x", path="a.py", line=2, column=5, end_line=4, end_column=2,
                message="m", severity=Severity.WARNING, source_line="for a in [1, 2]:")
    out = render("text", [f], info_for(rules))
    assert _caret_under(out, "for a in [1, 2]:") == (4, len("a in [1, 2]:"))


def test_text_clean_run(rules):
    out = render("text", [], info_for(rules, files_checked=1))
    assert out == "All checked, no findings (1 file checked).\n"


def test_text_statistics_shows_counts_only(rules):
    out = render("text", make_findings(), info_for(rules, statistics=True))
    assert "src/train.py:12:14" not in out
    assert re.search(r"^3\s+GL101\s+exhaustive-grid-search\s+note|^3\s+GL101\s+exhaustive-grid-search\s+warning", out, re.M)
    assert "Found 4 findings" in out


def test_text_color_auto_honours_no_color(rules, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI.search(render("text", make_findings(), info_for(rules, color=None)))
    monkeypatch.setenv("NO_COLOR", "1")  # NO_COLOR wins over FORCE_COLOR
    out = render("text", make_findings(), info_for(rules, color=None))
    assert not ANSI.search(out)
    assert "src/train.py:12:14: GL101" in out
    # An explicit choice wins over the environment.
    assert ANSI.search(render("text", make_findings(), info_for(rules, color=True)))


def test_text_plain_when_not_a_terminal(rules, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    # Under pytest stdout is captured, not a TTY.
    assert not sys.stdout.isatty()
    assert not ANSI.search(render("text", make_findings(), info_for(rules, color=None)))


def test_text_does_not_interpret_markup_in_messages(rules):
    f = Finding(code="GL101", name="x", path="[bold]a.py", line=1, column=1, end_line=1, end_column=2,
                message="values [red]literal[/red] :smile:", severity=Severity.WARNING, source_line="x")
    out = render("text", [f], info_for(rules))
    assert "[bold]a.py:1:1" in out and "values [red]literal[/red] :smile:" in out


# ---- concise ----------------------------------------------------------------------------

def test_concise_one_line_per_finding(rules):
    findings = make_findings()
    findings.append(Finding(code="GL101", name="x", path="z.py", line=1, column=1, end_line=1, end_column=2,
                            message="two\nlines", severity=Severity.NOTE))
    out = render("concise", findings, info_for(rules))
    assert out.splitlines() == [
        "broken.py:3:8: GL000 cannot parse: invalid syntax",
        "nb/explore.ipynb:cell 4:2:5: GL101 ParameterGrid of 9 candidates.",
        "src/train.py:12:14: GL101 GridSearchCV tries 48 candidates x 5 folds = 240 fits; "
        "RandomizedSearchCV(n_iter=10) would fit 50.",
        "src/train.py:30:14: GL101 GridSearchCV tries 4 candidates x 5 folds = 20 fits.",
        "z.py:1:1: GL101 two lines",
    ]
    assert render("concise", [], info_for(rules)) == ""


def test_concise_statistics(rules):
    out = render("concise", make_findings(), info_for(rules, statistics=True))
    assert out.splitlines()[-2:] == ["3      GL101 exhaustive-grid-search", "1      GL000 parse-error"]


# ---- json -------------------------------------------------------------------------------

def _documented_schema() -> dict:
    text = (ROOT / "docs" / "json-schema.md").read_text(encoding="utf-8")
    block = text.split("<!-- json-schema:v1 -->", 1)[1]
    return json.loads(block.split("```json", 1)[1].split("```", 1)[0])


def test_json_envelope_matches_documented_schema(rules):
    import jsonschema

    info = info_for(rules, extra={"profiles": [{"path": "src/train.py", "energy_j": 12.5}]})
    out = render("json", make_findings(), info)
    data = json.loads(out)
    jsonschema.Draft7Validator(_documented_schema()).validate(data)
    assert list(data) == ["schema_version", "version", "findings", "summary", "profiles"]
    assert data["schema_version"] == 1 and data["version"] == "9.9.9"
    assert [(f["path"], f["line"], f["code"]) for f in data["findings"]] == [
        ("broken.py", 3, "GL000"), ("nb/explore.ipynb", 40, "GL101"),
        ("src/train.py", 12, "GL101"), ("src/train.py", 30, "GL101")]
    assert data["summary"] == {"total": 4, "by_code": {"GL000": 1, "GL101": 3},
                               "by_severity": {"error": 1, "warning": 2, "note": 1}, "files_checked": 5}
    nb = data["findings"][1]
    assert (nb["cell"], nb["cell_line"], nb["cell_column"]) == (4, 2, 5)
    assert data["findings"][2]["impact"]["fits"] == 240
    assert data["findings"][2]["fix"]["edits"][0]["replacement"] == "RandomizedSearchCV"
    assert data["profiles"] == [{"path": "src/train.py", "energy_j": 12.5}]
    assert out.startswith('{\n  "schema_version": 1,') and out.endswith("}\n")


def test_json_sorts_and_is_deterministic(rules):
    findings = make_findings()
    a = render("json", findings, info_for(rules))
    b = render("json", list(reversed(findings)), info_for(rules))
    assert a == b


def test_json_statistics_and_clean(rules):
    import jsonschema

    data = json.loads(render("json", make_findings(), info_for(rules, statistics=True)))
    jsonschema.Draft7Validator(_documented_schema()).validate(data)
    assert data["statistics"][0] == {"code": "GL101", "name": "exhaustive-grid-search", "severity": "warning",
                                     "severities": {"warning": 2, "note": 1}, "count": 3}
    clean = json.loads(render("json", [], info_for(rules)))
    jsonschema.Draft7Validator(_documented_schema()).validate(clean)
    assert clean["findings"] == [] and clean["summary"]["total"] == 0


def test_json_extra_cannot_replace_the_envelope(rules):
    with pytest.raises(ValueError, match="findings"):
        render("json", [], info_for(rules, extra={"findings": []}))


# ---- sarif ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def _sarif(findings, info) -> dict:
    return json.loads(render("sarif", findings, info))


def test_sarif_validates_and_meets_github_requirements(rules, sarif_validator, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = _sarif(make_findings(), info_for(rules, extra={"profiles": []}))
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, "\n".join(str(e.message) for e in errors[:5])
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["profiles"] == []

    descriptors = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["version"] == "9.9.9"
    assert set(rules) <= {d["id"] for d in descriptors}
    for d in descriptors:
        for key in ("shortDescription", "fullDescription"):
            assert d[key]["text"].strip(), (d["id"], key)
        assert d["help"]["text"].strip() and d["help"]["markdown"].strip()
        assert d["helpUri"].startswith("https://")
        assert d["properties"]["tags"] and d["properties"]["precision"] in ("very-high", "high", "medium", "low")
    gl101 = next(d for d in descriptors if d["id"] == "GL101")
    assert gl101["help"]["markdown"] == rules["GL101"].markdown()
    assert gl101["defaultConfiguration"]["level"] == str(rules["GL101"].severity)

    results = run["results"]
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("broken.py", 3), ("nb/explore.ipynb", 40), ("src/train.py", 12), ("src/train.py", 30)]
    for r in results:
        assert descriptors[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert r["partialFingerprints"]["greenlint/v1"]
    assert [r["level"] for r in results] == ["error", "note", "warning", "warning"]
    region = results[2]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 14, "endLine": 12, "endColumn": 26,
                      "snippet": {"text": GRID_LINE}}
    assert results[2]["properties"]["impact"]["fits"] == 240
    assert "fixes" not in results[2]  # its fix is unsafe: SARIF carries safe fixes only
    safe = make_findings()[0].with_changes(fix=make_findings()[0].fix._replace(safety="safe"))
    [safe_result] = _sarif([safe], info_for(rules))["runs"][0]["results"]
    assert safe_result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "RandomizedSearchCV"
    assert results[1]["properties"] == {"cell": 4, "cell_line": 2, "cell_column": 5}
    assert "snippet" not in results[1]["locations"][0]["physicalLocation"]["region"]
    # An empty span (the parse error's point) is not sent as an empty region.
    assert "endColumn" not in results[0]["locations"][0]["physicalLocation"]["region"]

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "cannot parse" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_sarif_fingerprints_survive_moved_lines(rules):
    def prints(findings):
        run = _sarif(findings, info_for(rules))["runs"][0]
        return {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"]):
                r["partialFingerprints"]["greenlint/v1"] for r in run["results"]}

    before, after = prints(make_findings()), prints(make_findings(shift=7))
    assert before == after
    # The two findings on identical lines still get distinct fingerprints.
    assert len(set(before.values())) == len(before) == 4
    # Re-indenting the line keeps it too; changing the code on it does not.
    reindented = [f.with_changes(source_line="  " + f.source_line.strip()) for f in make_findings()]
    assert prints(reindented) == before
    edited = [f.with_changes(source_line=f.source_line.replace("grid", "params")) for f in make_findings()]
    assert prints(edited)[("src/train.py", make_findings()[0].message)] != before[("src/train.py", make_findings()[0].message)]


def test_sarif_describes_codes_missing_from_the_catalogue(rules, sarif_validator):
    f = Finding(code="GL999", name="made-up", path="dir with space/a,b.py", line=1, column=1, end_line=1,
                end_column=3, message="m", severity=Severity.NOTE, source_line="xy")
    log = _sarif([f], info_for(rules))
    assert not list(sarif_validator.iter_errors(log))
    run = log["runs"][0]
    [r] = run["results"]
    d = run["tool"]["driver"]["rules"][r["ruleIndex"]]
    assert d["id"] == "GL999" and d["shortDescription"]["text"] and d["help"]["markdown"]
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/a%2Cb.py"
    assert "invocations" in run and "toolExecutionNotifications" not in run["invocations"][0]


def test_sarif_clean_run_validates(rules, sarif_validator):
    log = _sarif([], info_for(rules, statistics=True))
    assert not list(sarif_validator.iter_errors(log))
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["properties"]["statistics"] == []


# ---- github -----------------------------------------------------------------------------

def test_github_workflow_commands(rules):
    out = render("github", make_findings(), info_for(rules))
    assert out.splitlines() == [
        "::error file=broken.py,line=3,col=8,title=GL000 parse-error::cannot parse: invalid syntax",
        "::notice file=nb/explore.ipynb,line=40,col=10,endLine=40,endColumn=22,"
        "title=GL101 exhaustive-grid-search::ParameterGrid of 9 candidates. (cell 4, line 2, column 5)",
        "::warning file=src/train.py,line=12,col=14,endLine=12,endColumn=26,title=GL101 exhaustive-grid-search::"
        "GridSearchCV tries 48 candidates x 5 folds = 240 fits; RandomizedSearchCV(n_iter=10) would fit 50.",
        "::warning file=src/train.py,line=30,col=14,endLine=30,endColumn=26,title=GL101 exhaustive-grid-search::"
        "GridSearchCV tries 4 candidates x 5 folds = 20 fits.",
    ]
    assert render("github", [], info_for(rules)) == ""


def test_github_escaping(rules):
    f = Finding(code="GL101", name="a,b:c", path="odd:dir/x,y%.py", line=2, column=3, end_line=2, end_column=5,
                message="100% of\r\nfits: a, b", severity=Severity.WARNING)
    out = render("github", [f], info_for(rules))
    assert out == ("::warning file=odd%3Adir/x%2Cy%25.py,line=2,col=3,endLine=2,endColumn=5,"
                   "title=GL101 a%2Cb%3Ac::100%25 of%0D%0Afits: a, b\n")


# ---- interface --------------------------------------------------------------------------

def test_every_format_renders_and_unknown_is_refused(rules):
    for fmt in FORMATS:
        out = render(fmt, make_findings(), info_for(rules))
        assert out.endswith("\n") and not ANSI.search(out)
    with pytest.raises(ValueError, match="unknown format"):
        render("xml", [], info_for(rules))


def test_machine_formats_and_plain_text_do_not_import_rich():
    code = (
        "import sys\n"
        "from greenlint.finding import Finding, Severity\n"
        "from greenlint.report import RunInfo, render\n"
        "f = Finding('GL101', 'a.py', 1, 1, 1, 2, 'm', Severity.WARNING, name='n', source_line='x')\n"
        "for fmt in ('json', 'sarif', 'concise', 'github'):\n"
        "    render(fmt, [f], RunInfo('0', {}))\n"
        "assert 'rich' not in sys.modules, sorted(m for m in sys.modules if m.startswith('rich'))\n"
        "render('text', [f], RunInfo('0', {}, color=False))\n"
        "assert 'rich' not in sys.modules, 'plain text (no terminal) is written without rich'\n"
        "render('text', [f], RunInfo('0', {}, color=True))\n"
        "assert 'rich' in sys.modules\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_cli_sarif_output_validates(tmp_path, sarif_validator):
    """End to end: the real CLI writes SARIF for a project with an unparsable file."""
    pytest.importorskip("greenlint.cli")
    (tmp_path / "ok.py").write_text("x = 1\n", encoding="utf-8")
    # A file is parsed only when it holds a trigger token of an enabled rule (GridSearchCV here).
    (tmp_path / "broken.py").write_text("from sklearn.model_selection import GridSearchCV\ndef f(:\n    pass\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--format", "sarif", "."], capture_output=True,
                          text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    assert not list(sarif_validator.iter_errors(log))
    run = log["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["GL000"]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["level"] == "error"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_text_without_source_line_has_no_snippet(rules):
    # An unreadable file has no line to show: only the location, rule and message.
    f = Finding(code="GL000", name="parse-error", path="bin.py", line=1, column=1, end_line=1, end_column=1,
                message="cannot decode as UTF-8", severity=Severity.ERROR)
    out = render("text", [f], info_for(rules))
    assert "bin.py:1:1: GL000 parse-error [error]" in out and "cannot decode as UTF-8" in out
    assert " | " not in out and "^" not in out


# ---- statistics, quiet, profile labels --------------------------------------------------

def test_counts_table_shows_a_mix_of_severities(rules):
    out = render("text", make_findings(), info_for(rules))
    row = next(line for line in out.splitlines() if line.split()[:2] == ["3", "GL101"])
    assert row.split("exhaustive-grid-search")[1].strip() == "warning 2, note 1"
    single = next(line for line in out.splitlines() if line.split()[:2] == ["1", "GL000"])
    assert single.split()[-2:] == ["parse-error", "error"]


def test_quiet_keeps_the_format_and_drops_the_summary(rules):
    full = render("text", make_findings(), info_for(rules))
    quiet = render("text", make_findings(), info_for(rules, quiet=True))
    assert "Found 4 findings" in full and "Found" not in quiet and "exhaustive-grid-search  warning" not in quiet
    assert "^^^^^^^^^^^^" in quiet and "src/train.py:12:14: GL101 exhaustive-grid-search [warning]" in quiet
    assert render("text", [], info_for(rules, quiet=True)) == ""


def test_cli_quiet_text_is_not_concise(tmp_path):
    (tmp_path / "t.py").write_text(
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
        "search = GridSearchCV(SVC(), {'C': [1, 2, 3], 'gamma': [1, 2]}, cv=5)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", "-q", "t.py"], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[:2] == ["t.py", "t.py:3:10: GL101 exhaustive-grid-search [warning]"]
    assert "Found" not in proc.stdout and "3 | search" in proc.stdout


def test_profile_figures_say_estimated_when_the_cpu_share_is_an_estimate(rules):
    base = make_findings()[0]
    measured = {"joules": 120.0, "cpu_method": "estimate", "gpu_method": None, "projected_kwh": 0.5, "region": "aws:us-east-1"}
    est = render("text", [base.with_changes(impact={"measured": measured})], info_for(rules))
    assert "  estimated: 120 J in the profiled window" in est and "measured:" not in est
    rapl = render("text", [base.with_changes(impact={"measured": {**measured, "cpu_method": "rapl"}})], info_for(rules))
    assert "  measured: 120 J" in rapl


# ---- gitlab -----------------------------------------------------------------------------

def test_gitlab_code_quality(rules):
    issues = json.loads(render("gitlab", make_findings(), info_for(rules)))
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"]) for i in issues] == [
        ("broken.py", 3, "critical"), ("nb/explore.ipynb", 40, "info"), ("src/train.py", 12, "minor"),
        ("src/train.py", 30, "minor")]
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"].startswith("GL") and issue["description"]
    assert issues[2]["description"].startswith("GL101 exhaustive-grid-search: GridSearchCV tries 48")
    assert "(cell 4, line 2, column 5)" in issues[1]["description"]
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == 4  # the same source line twice still makes two fingerprints
    moved = [i["fingerprint"] for i in json.loads(render("gitlab", make_findings(shift=7), info_for(rules)))]
    assert moved == prints
    error = make_findings()[0].with_changes(code="GL999", severity=Severity.ERROR)
    assert json.loads(render("gitlab", [error], info_for(rules)))[0]["severity"] == "major"
    assert render("gitlab", [], info_for(rules)) == "[]\n"


# ---- github annotation limits -----------------------------------------------------------

def _many(n: int, severity: Severity, path: str) -> list[Finding]:
    return [Finding(code="GL101", name="exhaustive-grid-search", path=path, line=i + 1, column=1, end_line=i + 1,
                    end_column=5, message=f"finding {i}", severity=severity, source_line=f"x{i} = 1")
            for i in range(n)]


def test_github_respects_annotation_limits_most_severe_first(rules):
    findings = _many(3, Severity.ERROR, "e.py") + _many(14, Severity.WARNING, "w.py") + _many(12, Severity.NOTE, "n.py")
    lines = render("github", findings, info_for(rules)).splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds.count("::error") == 3 and kinds.count("::warning") == 10 and kinds.count("::notice") == 10
    assert len(lines) <= 50
    shown_warnings = [line for line in lines if line.startswith("::warning")]
    assert "line=1," in shown_warnings[0] and "line=10," in shown_warnings[-1]  # the first ten, in file order
    assert lines[-1] == ("::notice title=greenlint::7 more findings not annotated (4 warnings, 3 notes): GitHub shows "
                         "10 annotations of each type per step. Upload --format sarif to code scanning, or read the "
                         "full report in the log.")
    assert len([line for line in lines if line.startswith("::notice file=")]) == 9
    exact = render("github", _many(10, Severity.NOTE, "n.py"), info_for(rules)).splitlines()
    assert len(exact) == 10 and "more finding" not in exact[-1]
