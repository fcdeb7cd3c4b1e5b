"""The check command's options as one table, read two ways.

argparse, with the gettext and locale lookups it makes, is a sixth of a one-file run (the
pre-commit case). `read_plain` reads the plain spellings from the table without it; anything
else (help, version, abbreviations, a bad value, an unknown option, positionals split by
options) returns None, and argparse, built from the same table, parses or explains the error.
Whatever `read_plain` accepts, argparse reads the same way (tests/test_arguments.py).
"""
from __future__ import annotations

import os
import sys
from collections import namedtuple
from types import SimpleNamespace

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab")

# kind: flag (store_true), value (one string, or `type` of it), list (append)
Option = namedtuple("Option", "names kind help type choices default metavar",
                    defaults=(None, None, None, None))

CHECK_OPTIONS = (
    Option(("--select",), "list", "rules to enable: codes, prefixes (GL1), names or ALL"),
    Option(("--extend-select",), "list", "rules to enable in addition to the selection"),
    Option(("--ignore",), "list", "rules to disable"),
    Option(("--format",), "value", "output format (default text)", choices=FORMATS),
    Option(("--output", "-o"), "value", "write the report to this file"),
    Option(("--config",), "value", "use this configuration file for every file"),
    Option(("--fail-on",), "value", "lowest severity that fails (default warning)", choices=("note", "warning", "error")),
    Option(("--exit-zero",), "flag", "exit 0 even when there are findings"),
    Option(("--statistics",), "flag", "show counts per rule"),
    Option(("--quiet", "-q"), "flag", "print findings only, no summary"),
    Option(("--jobs", "-j"), "value", "worker processes (default: all cores)", type=int),
    Option(("--no-cache",), "flag", "do not read or write the findings cache"),
    Option(("--cache-dir",), "value",
           "where the findings cache lives (default: GREENLINT_CACHE_DIR, the `cache-dir` setting, .greenlint_cache)"),
    Option(("--stdin-filename",), "value", "the name of the file read from stdin (-)"),
    Option(("--force-exclude",), "flag", "apply excludes to files named on the command line too"),
    Option(("--region",), "value", 'where the code runs, with its provider: "aws:eu-north-1"'),
    Option(("--show-settings",), "flag", "print the resolved settings and exit"),
    Option(("--profile",), "flag", "measure the energy of flagged entry points (runs code)"),
    Option(("--seconds",), "value", "profile budget per entry point, in seconds", type=float, default=60.0),
    Option(("--energy-budget-kwh",), "value", "exit 1 when a projected run exceeds this", type=float),
    Option(("--fix",), "flag", "apply safe fixes"),
    Option(("--unsafe-fixes",), "flag", "with --fix or --diff: apply unsafe fixes too"),
    Option(("--diff",), "flag", "show the fixes as a diff instead of applying them"),
    Option(("--baseline",), "value", "report only findings that are not recorded in this baseline file", metavar="FILE"),
    Option(("--write-baseline",), "value", "record the current findings in this baseline file and exit 0", metavar="FILE"),
    Option(("--add-noqa",), "flag", "add `# greenlint: ignore[CODE]` on the line of each current finding and exit 0"),
    Option(("--debug",), "flag", "show tracebacks for internal errors"),
)
PATHS_HELP = "files or folders to check (default: the current folder); - reads stdin"


class UsageError(Exception):
    pass


def dest(option: Option) -> str:
    return option.names[0].lstrip("-").replace("-", "_")


def _defaults() -> dict:
    values = {"paths": []}
    for option in CHECK_OPTIONS:
        values[dest(option)] = False if option.kind == "flag" else option.default
    return values


_BY_NAME = {name: option for option in CHECK_OPTIONS for name in option.names}


def read_plain(argv: list[str]) -> SimpleNamespace | None:
    """The check command's arguments when every one is spelled plainly, else None."""
    values, paths_seen, tokens = _defaults(), False, iter(argv)
    for token in tokens:
        if token == "-" or not token.startswith("-"):
            if values["paths"] and not paths_seen:
                return None  # argparse takes the first run of paths only
            values["paths"].append(token)
            paths_seen = True
            continue
        paths_seen = False
        name, has_value, value = token.partition("=")
        option = _BY_NAME.get(name)
        if option is None or (has_value and option.kind == "flag") or (has_value and not name.startswith("--")):
            return None
        if option.kind == "flag":
            values[dest(option)] = True
            continue
        if not has_value:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
        parsed = _parsed(option, value)
        if parsed is None:
            return None
        if option.kind == "list":
            values[dest(option)] = (values[dest(option)] or []) + [parsed]
        else:
            values[dest(option)] = parsed
    return SimpleNamespace(**values)


def _parsed(option: Option, value: str):
    if option.choices and value not in option.choices:
        return None
    if option.type is None:
        return value
    try:
        return option.type(value)
    except ValueError:
        return None


def parser(prog: str, **kwargs):
    """An argparse parser whose usage errors raise UsageError (exit 2 with one line)."""
    import argparse

    class Formatter(argparse.HelpFormatter):
        def __init__(self, prog: str) -> None:
            # The width argparse would take from shutil, without importing it.
            try:
                columns = int(os.environ.get("COLUMNS") or os.get_terminal_size(sys.__stdout__.fileno()).columns)
            except (ValueError, OSError, AttributeError):
                columns = 0
            super().__init__(prog, width=(columns or 80) - 2)

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):
            raise UsageError(message)

    return Parser(prog=prog, formatter_class=Formatter, **kwargs)


def check_parser(prog: str = "greenlint", version: str = ""):
    p = parser(
        prog,
        description="Find energy anti-patterns in ML code and configs.",
        epilog="commands: greenlint [check] PATHS (the default) | greenlint rules [--format json] | "
        "greenlint rule CODE | greenlint profile SCRIPT [-- ARGS] (runs the script; see its --help)",
    )
    p.add_argument("paths", nargs="*", help=PATHS_HELP)
    for option in CHECK_OPTIONS:
        kwargs = {"help": option.help}
        if option.kind == "flag":
            kwargs["action"] = "store_true"
        else:
            kwargs.update(action="append" if option.kind == "list" else "store", type=option.type,
                          choices=option.choices, default=option.default, metavar=option.metavar)
        p.add_argument(*option.names, **kwargs)
    p.add_argument("--version", action="version", version=f"greenlint {version}")
    return p


def parse_check(argv: list[str], version: str):
    return read_plain(argv) or check_parser(version=version).parse_args(argv)
