"""Rule pages: docs/rules/GLNNN.md and an index, generated from the rule YAML files.

    python -m greenlint.docs           # write the pages (and docs/configuration.md)
    python -m greenlint.docs --check   # exit 1 when a page is missing or stale (tests run this)

The YAML is the single source: a page holds exactly what `greenlint rule CODE` prints, plus a
line naming its source, so the pages, the CLI and SARIF's help cannot disagree.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .rules import Rule, load_rules

DOCS_URL = "https://github.com/greenlint/greenlint/blob/main/docs/rules"
GENERATED = "<!-- generated from rules/{code}.yaml by `python -m greenlint.docs`: edit the YAML, not this page -->"


def page(rule: Rule) -> str:
    return GENERATED.format(code=rule.code) + "\n\n" + rule.markdown()


def index(rules: dict[str, Rule]) -> str:
    lines = [GENERATED.format(code="GL*"), "",
             "# greenlint rules", "",
             "Each rule has a stable code and a readable name; either selects it (`--select GL101`,",
             "`--select exhaustive-grid-search`). Rules marked *no* are off by default.", "",
             "| code | name | severity | on by default | summary |", "| --- | --- | --- | --- | --- |"]
    for rule in rules.values():
        summary = rule.summary.split(". ")[0].rstrip(".").replace("|", "\\|")
        on = "yes" if rule.enabled_by_default else "no"
        lines.append(f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.severity} | {on} | {summary} |")
    return "\n".join(lines) + "\n"


def _type_name(expected) -> str:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    names = {list: "list", dict: "table", str: "string", int: "number", float: "number", bool: "boolean"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def configuration(rules: dict[str, Rule]) -> str:
    """docs/configuration.md: every key the configuration accepts, and every rule option."""
    from .config import CONFIG_NAMES, KEYS

    lines = [GENERATED.format(code="GL*").replace("rules/GL*.yaml", "greenlint/config.py and rules/GL*.yaml"), "",
             "# Configuration reference", "",
             f"greenlint reads `[tool.greenlint]` in `pyproject.toml`, or the same keys at the top level of "
             f"{' or '.join(f'`{n}`' for n in CONFIG_NAMES if n != 'pyproject.toml')}. Each file is checked with the "
             "closest configuration above it; `--config FILE` applies one file to everything, and command-line "
             "options win over both. An unknown key or a value of the wrong type is an error (exit 2).", "",
             "## Keys", "", "| key | type | meaning |", "| --- | --- | --- |"]
    for key, (expected, meaning) in KEYS.items():
        lines.append(f"| `{key}` | {_type_name(expected)} | {meaning.replace('|', chr(92) + '|')} |")
    lines += ["", "## Rule options", "", "Set them in `[tool.greenlint.rules.CODE]`, e.g. "
              "`[tool.greenlint.rules.GL201]` `min-epochs = 20`.", "",
              "| rule | option | type | default | meaning |", "| --- | --- | --- | --- | --- |"]
    for rule in rules.values():
        for option in rule.options.values():
            default = json.dumps(option.default)
            meaning = " ".join(option.description.split()).replace("|", "\\|")
            lines.append(f"| [{rule.code}](rules/{rule.code}.md) | `{option.name}` | {option.type} | `{default}` | {meaning} |")
    return "\n".join(lines) + "\n"


def expected_pages(rules: dict[str, Rule] | None = None) -> dict[str, str]:
    """File name under docs/rules -> content (`../configuration.md` is the reference beside it)."""
    rules = rules or load_rules()
    pages = {f"{code}.md": page(rule) for code, rule in rules.items()}
    pages["README.md"] = index(rules)
    pages["../configuration.md"] = configuration(rules)
    return pages


def stale_pages(folder: Path) -> list[str]:
    """Pages that are missing, differ from their YAML, or belong to no rule."""
    wanted = expected_pages()
    stale = [name for name, text in wanted.items()
             if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]
    stale += [p.name for p in folder.glob("GL*.md") if p.name not in wanted] if folder.is_dir() else []
    return sorted(stale)


def write_pages(folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    changed = stale_pages(folder)
    wanted = expected_pages()
    for name in changed:
        if name in wanted:
            (folder / name).write_text(wanted[name], encoding="utf-8")
        else:
            (folder / name).unlink()  # a page whose rule file is gone
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m greenlint.docs", description="Generate docs/rules from rules/*.yaml.")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page is missing or stale; write nothing")
    parser.add_argument("--folder", default=str(Path(__file__).resolve().parent.parent / "docs" / "rules"))
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if args.check:
        stale = stale_pages(folder)
        if stale:
            print(f"stale rule pages in {folder}: {', '.join(stale)}; run `python -m greenlint.docs`", file=sys.stderr)
            return 1
        return 0
    changed = write_pages(folder)
    print(f"{len(changed)} page(s) written in {folder}" if changed else "rule pages are up to date", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
