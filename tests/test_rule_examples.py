"""Every rule's YAML examples are tests: docs, tests and behaviour cannot drift apart."""
from __future__ import annotations

import textwrap

import pytest

from greenlint.engine import lint_text
from greenlint.fix import fix_text
from greenlint.rules import DOC_SECTIONS, load_rules

RULES = load_rules()
KIND_FILENAMES = {
    "python": "example.py", "notebook": "example.ipynb", "yaml": "example.yaml", "json": "example.json",
    "toml": "example.toml", "terraform": "main.tf", "env": ".env",
}


def _cases(polarity: str):
    for code, rule in RULES.items():
        for index, example in enumerate(rule.examples.get(polarity) or []):
            yield pytest.param(code, example, id=f"{code}-{polarity}-{index + 1}")


def _lint(code: str, example: dict):
    kind = example.get("kind", "python")
    filename = example.get("filename") or KIND_FILENAMES[kind]
    source = textwrap.dedent(example["code"])
    findings = lint_text(source, filename=filename, select=example.get("select", [code]), options={code: example.get("options", {})},
                         region=example.get("region"))
    return [f for f in findings if f.code == code]


@pytest.mark.parametrize("code,example", list(_cases("invalid")))
def test_invalid_example_is_reported(code, example):
    findings = _lint(code, example)
    assert sorted(f.line for f in findings) == sorted(example["lines"]), [f.message for f in findings]
    for finding in findings:
        assert finding.message and finding.name == RULES[code].name


def _fixed_cases():
    for case in _cases("invalid"):
        if "fixed" in case.values[1]:
            yield case


@pytest.mark.parametrize("code,example", list(_fixed_cases()))
def test_invalid_example_is_fixed_as_documented(code, example):
    """Fixit's expected_replacement: `fixed:` is the whole source after `--fix --unsafe-fixes`,
    applied by the code path the CLI uses; the fixed source no longer has the fixed findings. A
    `fixed:` equal to the code documents findings that get no fix."""
    filename = example.get("filename") or KIND_FILENAMES[example.get("kind", "python")]
    source, expected = textwrap.dedent(example["code"]), textwrap.dedent(example["fixed"])
    findings = _lint(code, example)
    outcome = fix_text(source, findings, "unsafe", filename)
    assert outcome.problem is None, outcome.problem
    assert outcome.text == expected
    if expected == source:
        assert all(f.fix is None or not f.fix.edits for f in findings), "documented as having no fix"
    else:
        left = _lint(code, {**example, "code": outcome.text})
        assert len(left) == len(findings) - len(outcome.applied), [f"{f.line}: {f.message}" for f in left]


@pytest.mark.parametrize("code,example", list(_cases("valid")))
def test_valid_example_is_clean(code, example):
    findings = _lint(code, example)
    assert findings == [], [f"{f.line}: {f.message}" for f in findings]


@pytest.mark.parametrize("code", list(RULES))
def test_rule_is_documented_and_exemplified(code):
    rule = RULES[code]
    assert rule.examples.get("valid"), f"{code} has no valid examples"
    assert rule.examples.get("invalid"), f"{code} has no invalid examples"
    for section in DOC_SECTIONS:
        if section == "options":
            continue  # generated from the option table
        assert rule.docs.get(section), f"{code} lacks the docs section '{section}'"
    assert rule.summary and rule.name and rule.code.startswith("GL")
    markdown = rule.markdown()
    for title in ("What it does", "Why it wastes energy", "Example", "Use instead", "Fix safety", "Options", "References"):
        assert f"## {title}" in markdown


@pytest.mark.parametrize("code", [c for c, r in RULES.items() if r.detectors])
def test_rule_cites_a_source(code):
    assert RULES[code].docs.get("references"), f"{code} cites no reference for its figures"


def test_codes_and_names_are_unique():
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))


def test_readme_lists_every_rule_with_its_default():
    """The README's rule table is the front door: it must not drift from rules/."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        row = next((line for line in readme.splitlines() if line.startswith(f"| {code} | {rule.name} |")), None)
        assert row is not None, f"README lacks {code} {rule.name}"
        assert f"| {rule.severity} |" in row
        assert ("| yes" in row) == rule.enabled_by_default
