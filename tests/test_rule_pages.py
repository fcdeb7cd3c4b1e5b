"""docs/rules/GLNNN.md are generated from the rule YAML: this fails when a page is stale,
missing or orphaned, and checks that SARIF and the README point to them."""
from __future__ import annotations

import json
import re
from pathlib import Path

from greenlint.docs import DOCS_URL, expected_pages, main, stale_pages
from greenlint.report import RunInfo, render
from greenlint.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "docs" / "rules"


def test_rule_pages_are_up_to_date():
    stale = stale_pages(PAGES)
    assert not stale, f"stale rule pages: {stale}; run `python -m greenlint.docs` and commit docs/rules"


def test_a_page_holds_the_rule_docs_and_the_index_links_every_rule():
    rules = load_rules()
    for code, rule in rules.items():
        text = (PAGES / f"{code}.md").read_text(encoding="utf-8")
        assert f"rules/{code}.yaml" in text.splitlines()[0]
        assert text.endswith(rule.markdown())
        for title in ("## What it does", "## Why it wastes energy", "## Fix safety", "## References"):
            assert title in text
    index = (PAGES / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"\]\((GL\d{3})\.md\)", index) == list(rules)


def test_check_mode_detects_an_edited_page_and_writing_repairs_it(tmp_path):
    folder = tmp_path / "rules"
    assert main(["--folder", str(folder)]) == 0
    assert main(["--check", "--folder", str(folder)]) == 0
    assert (tmp_path / "configuration.md").is_file()
    (folder / "GL101.md").write_text("hand edit\n", encoding="utf-8")
    (folder / "GL999.md").write_text("a rule that is gone\n", encoding="utf-8")
    assert main(["--check", "--folder", str(folder)]) == 1
    assert main(["--folder", str(folder)]) == 0
    assert main(["--check", "--folder", str(folder)]) == 0 and not (folder / "GL999.md").exists()
    assert (folder / "GL101.md").read_text(encoding="utf-8") == expected_pages()["GL101.md"]


def test_configuration_reference_names_every_key_and_rule_option():
    from greenlint.config import KEYS

    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"| `{key}` |" in text
    for rule in load_rules().values():
        for option in rule.options:
            assert f"| [{rule.code}](rules/{rule.code}.md) | `{option}` |" in text


def test_sarif_help_uri_and_readme_point_to_the_pages():
    rules = load_rules()
    log = json.loads(render("sarif", [], RunInfo(version="0", rules=rules)))
    for descriptor in log["runs"][0]["tool"]["driver"]["rules"]:
        assert descriptor["helpUri"] == f"{DOCS_URL}/{descriptor['id']}.md"
        assert (PAGES / f"{descriptor['id']}.md").is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/rules/README.md)" in readme
    for code in rules:
        row = next(line for line in readme.splitlines() if line.startswith(f"| {code} |"))
        assert f"](docs/rules/{code}.md)" in row
