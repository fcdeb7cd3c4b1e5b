"""Configuration: `[tool.greenlint]` in pyproject.toml, `greenlint.toml` or `.greenlint.toml`.

Each file is checked with the closest configuration above it (as ruff does); `--config FILE`
applies one configuration to everything. Command-line options override configuration.
"""
from __future__ import annotations

import functools
import os
from collections import namedtuple

from .finding import Severity
from .paths import is_dir, is_file, parent, pure, resolve
from .rules import PARSE_ERROR, Rule, load_rules

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    import re
    from pathlib import Path
    from typing import Any

    from .cache import ConfigMemo

CONFIG_NAMES = (".greenlint.toml", "greenlint.toml", "pyproject.toml")  # first found in a folder wins

# key -> (type, description). Types are checked; unknown keys are errors.
KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "select": (list, "rule codes, prefixes or names to enable (replaces the default set)"),
    "extend-select": (list, "rule codes, prefixes or names to enable in addition"),
    "ignore": (list, "rule codes, prefixes or names to disable"),
    "per-file-ignores": (dict, "glob pattern -> list of codes to ignore in matching files"),
    "exclude": (list, "glob patterns of files and folders to skip (replaces the defaults)"),
    "extend-exclude": (list, "glob patterns to skip in addition to the defaults"),
    "severity": (dict, "rule code -> note | warning | error"),
    "fail-on": (str, "lowest severity that fails the run: note | warning | error"),
    "region": (str, 'where the code runs, with its provider: "aws:eu-north-1"'),
    "rules": (dict, "per-rule options: [tool.greenlint.rules.GL101]"),
    "carbon": (dict, "carbon-intensity overrides: table = path, intensity = {region: g/kWh}"),
    "extension": (dict, 'file suffix -> kind, e.g. {"ipy" = "python", "yml.j2" = "yaml"}'),
    "energy-budget-kwh": ((int, float), "profile mode: fail when a projected run exceeds this"),
    "cpu-tdp-watts": ((int, float), "profile mode: CPU power used for the estimate without RAPL"),
    "cache-dir": (str, "where the findings cache lives (default .greenlint_cache)"),
}
KINDS = ("python", "notebook", "yaml", "json", "toml", "terraform", "env")

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".bzr", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".greenlint_cache", "site-packages", "build", "dist",
    "*.egg-info", ".ipynb_checkpoints", ".eggs", "__pypackages__",
)


class ConfigError(Exception):
    """Bad configuration or usage: exit code 2 with a one-line message."""


def _toml_table(data: bytes, path: str) -> dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None


def _closest(word: str, options: list[str]) -> str:
    import difflib  # only to word an error

    match = difflib.get_close_matches(word, options, n=1, cutoff=0.5)
    return f" (did you mean '{match[0]}'?)" if match else ""


class ConfigFile(namedtuple("ConfigFile", "path root table")):
    """One configuration file's raw table and the folder its patterns are relative to (`path`
    None: the defaults). Paths are strings, spelled as pathlib spells them (`paths`): pathlib is a
    sixth of a one-file run."""

    __slots__ = ()


def read_config_file(path: str | Path, memo: ConfigMemo | None = None) -> ConfigFile | None:
    """The file's greenlint table, validated; None for a pyproject.toml without one. `memo` holds
    the tables of files read before, by content: a cached run imports no TOML parser."""
    path = pure(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    is_pyproject = os.path.basename(path) == "pyproject.toml"
    if is_pyproject and b"greenlint" not in data:
        return None  # no key of the file can name the tool: nothing to parse
    entry = memo.get(data) if memo else None
    if entry is not None:
        table = entry["table"]
    else:
        document = _toml_table(data, path)
        if is_pyproject:
            table = document.get("tool", {}).get("greenlint")
        else:
            table = document.get("tool", {}).get("greenlint", document) if "tool" in document else document
        if memo:
            memo.put(data, table)
    if table is None:
        return None
    validate(table, path)
    return ConfigFile(path, resolve(parent(path)), table)


def validate(table: dict[str, Any], where: str) -> None:
    rules = load_rules()
    _validate_types(table, where)
    _validate_selectors(table, where)
    for code, level in table.get("severity", {}).items():
        rule_for(code, f"{where}: 'severity'")
        if str(level).upper() not in Severity.__members__:
            raise ConfigError(f"{where}: severity of {code} must be note, warning or error, not '{level}'")
    if "fail-on" in table and table["fail-on"].upper() not in Severity.__members__:
        raise ConfigError(f"{where}: 'fail-on' must be note, warning or error, not '{table['fail-on']}'")
    if "region" in table:
        check_region(table["region"], f"{where}: 'region'")
    for suffix, kind in table.get("extension", {}).items():
        if kind not in KINDS:
            raise ConfigError(f"{where}: extension '{suffix}' maps to unknown kind '{kind}'{_closest(str(kind), list(KINDS))}")
    _validate_rule_options(table.get("rules", {}), where)
    del rules


def _validate_types(table: dict[str, Any], where: str) -> None:
    """Every key is known and its value has the key's type."""
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key '{key}'{_closest(key, list(KEYS))}")
        expected, _ = KEYS[key]
        if not isinstance(value, expected) or isinstance(value, bool):
            name = expected.__name__ if isinstance(expected, type) else "number"
            raise ConfigError(f"{where}: '{key}' must be a {name}, not {type(value).__name__}")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings")


def _validate_selectors(table: dict[str, Any], where: str) -> None:
    """The rule selectors of select, extend-select, ignore and per-file-ignores name rules."""
    for key in ("select", "extend-select", "ignore"):
        for selector in table.get(key, []):
            check_selector(selector, f"{where}: '{key}'")
    for pattern, codes in table.get("per-file-ignores", {}).items():
        if not isinstance(codes, list):
            raise ConfigError(f"{where}: per-file-ignores['{pattern}'] must be a list of codes")
        for selector in codes:
            check_selector(selector, f"{where}: per-file-ignores['{pattern}']")


def _validate_rule_options(rules_table: dict[str, Any], where: str) -> None:
    """`[rules.GLxxx]` tables: known rules, known options, values of the option's type."""
    for code, options in rules_table.items():
        rule = rule_for(code, f"{where}: 'rules'")
        if not isinstance(options, dict):
            raise ConfigError(f"{where}: rules.{code} must be a table of options")
        for name, value in options.items():
            option = rule.options.get(name)
            if option is None:
                raise ConfigError(
                    f"{where}: rules.{code} has no option '{name}'{_closest(name, list(rule.options))}"
                )
            if not option.check(value):
                raise ConfigError(f"{where}: rules.{code}.{name} must be of type {option.type}")


def check_region(value: str, where: str) -> None:
    import re  # only when a region is set: a one-file run without one never imports it

    if not re.fullmatch(r"[a-zA-Z]+:[\w.-]+", value or ""):
        raise ConfigError(f"{where}: region must name its provider, like \"aws:eu-north-1\", not '{value}'")


def rule_for(code: str, where: str) -> Rule:
    rules = load_rules()
    by_name = {r.name: r for r in rules.values()}
    rule = rules.get(code.upper()) or by_name.get(code)
    if rule is None:
        raise ConfigError(f"{where}: unknown rule '{code}'{_closest(code, list(rules) + list(by_name))}")
    return rule


def check_selector(selector: str, where: str) -> None:
    rules = load_rules()
    if selector.upper() == "ALL" or selector in {r.name for r in rules.values()}:
        return
    import re  # only for --select and the like: a plain run never imports it

    if any(code.startswith(selector.upper()) for code in rules) and re.fullmatch(r"GL\d{0,3}", selector.upper()):
        return
    raise ConfigError(
        f"{where}: unknown rule selector '{selector}'{_closest(selector, list(rules) + [r.name for r in rules.values()])}"
    )


def _specificity(selector: str, rule: Rule) -> int | None:
    """How specifically `selector` names `rule` (higher wins), or None when it does not."""
    upper = selector.upper()
    if upper == rule.code or selector == rule.name:
        return 100
    if upper == "ALL":
        return 0
    if rule.code.startswith(upper) and rule.enabled_by_default:
        return len(upper)
    return None


def resolve_selection(select: list[str] | None, extend: list[str], ignore: list[str]) -> set[str]:
    rules = load_rules()
    enabled = set()
    for code, rule in rules.items():
        if select is None:
            chosen = 1 if rule.enabled_by_default else None
        else:
            chosen = max((s for s in (_specificity(x, rule) for x in select) if s is not None), default=None)
        extended = max((s for s in (_specificity(x, rule) for x in extend) if s is not None), default=None)
        if extended is not None and (chosen is None or extended > chosen):
            chosen = extended
        ignored = max((s for s in (_specificity(x, rule) for x in ignore) if s is not None), default=None)
        if chosen is not None and (ignored is None or chosen > ignored):
            enabled.add(code)
    enabled.add(PARSE_ERROR)  # unreadable files are always reported
    return enabled


class Overrides(namedtuple("Overrides", "select extend_select ignore fail_on region",
                           defaults=(None, (), (), None, None))):
    """Command-line options that take precedence over configuration files (`select` None: the
    configuration's selection)."""

    __slots__ = ()


class Settings(namedtuple("Settings", "source root enabled options severity per_file_ignores exclude fail_on "
                                      "region carbon extensions energy_budget_kwh cpu_tdp_watts cache_dir")):
    """The resolved configuration for the files under one configuration. `source`: the
    configuration file, or "defaults"; `options`: code -> option values; `per_file_ignores`:
    (pattern, codes) pairs."""

    __slots__ = ()

    @classmethod
    def build(cls, config: ConfigFile, overrides: Overrides) -> "Settings":
        table = config.table
        rules = load_rules()
        select = overrides.select if overrides.select is not None else table.get("select")
        extend = list(table.get("extend-select", [])) + list(overrides.extend_select)
        ignore = list(table.get("ignore", [])) + list(overrides.ignore)
        options = {code: rule.option_defaults() for code, rule in rules.items()}
        for code, values in table.get("rules", {}).items():
            options[rule_for(code, "rules").code].update(values)
        per_file = [
            (pattern, _codes_of(codes)) for pattern, codes in table.get("per-file-ignores", {}).items()
        ]
        fail_on = overrides.fail_on or table.get("fail-on", "warning")
        return cls(
            source=str(config.path) if config.path else "defaults",
            root=config.root,
            enabled=resolve_selection(select, extend, ignore),
            options=options,
            severity={rule_for(c, "severity").code: Severity.parse(v) for c, v in table.get("severity", {}).items()},
            per_file_ignores=per_file,
            exclude=list(table.get("exclude", DEFAULT_EXCLUDE)) + list(table.get("extend-exclude", [])),
            fail_on=Severity.parse(fail_on),
            region=overrides.region or table.get("region"),
            carbon=_carbon_settings(table.get("carbon", {}), config.root),
            extensions={k.lstrip("."): v for k, v in table.get("extension", {}).items()},
            energy_budget_kwh=table.get("energy-budget-kwh"),
            cpu_tdp_watts=table.get("cpu-tdp-watts"),
            cache_dir=table.get("cache-dir"),
        )

    def ignored_codes(self, path: str | Path) -> set[str]:
        codes: set[str] = set()
        if self.per_file_ignores:
            rel = relative_to_root(path, self.root)
            for pattern, pattern_codes in self.per_file_ignores:
                matcher = _matcher((pattern,))
                if matcher and matcher.fullmatch(rel):
                    codes |= pattern_codes
        return codes

    def is_excluded(self, path: str | Path) -> bool:
        matcher = _matcher(tuple(self.exclude))
        return bool(matcher and matcher.fullmatch(relative_to_root(path, self.root)))

    def show(self) -> dict[str, Any]:
        return {
            "config": self.source,
            "root": str(self.root),
            "enabled": sorted(self.enabled),
            "severity": {k: str(v) for k, v in sorted(self.severity.items())},
            "per-file-ignores": {p: sorted(c) for p, c in self.per_file_ignores},
            "exclude": self.exclude,
            "fail-on": str(self.fail_on),
            "region": self.region,
            "carbon": self.carbon,
            "extension": self.extensions,
            "energy-budget-kwh": self.energy_budget_kwh,
            "cpu-tdp-watts": self.cpu_tdp_watts,
            "rules": {code: opts for code, opts in sorted(self.options.items()) if opts and code in self.enabled},
        }


def _carbon_settings(carbon: dict[str, Any], root: str) -> dict[str, Any]:
    """A custom intensity table is named relative to the configuration that names it."""
    carbon = dict(carbon)
    if isinstance(carbon.get("table"), str):
        carbon["table"] = resolve(os.path.join(root, carbon["table"]))
    return carbon


def _codes_of(selectors: list[str]) -> set[str]:
    rules = load_rules()
    codes = set()
    for selector in selectors:
        for code, rule in rules.items():
            upper = selector.upper()
            if upper == "ALL" or code.startswith(upper) or selector == rule.name:
                codes.add(code)
    # A file greenlint could not read was not checked: always said, except that naming GL000
    # itself in per-file-ignores silences the "template, not checked" note (the engine keeps real
    # parse errors).
    named = any(s.upper() == PARSE_ERROR or s == rules[PARSE_ERROR].name for s in selectors)
    return codes - {PARSE_ERROR} | ({PARSE_ERROR} if named else set())


def _glob_regex(pattern: str, component: bool) -> str:
    """fnmatch's syntax; in a component pattern `*` stays inside one path component."""
    import re

    star, one = ("[^/]*", "[^/]") if component else (".*", ".")
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(star)
        elif c == "?":
            out.append(one)
        elif c == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


_GLOB_CHARACTERS = frozenset("*?[")


class _PathPatterns:
    """Ruff-style path patterns, matched against a path relative to the configuration's folder: a
    pattern without a slash matches any path component, one with a slash the path or a folder
    above it. When every pattern is a name (`build`), a `*.suffix` or a plain path, as all the
    defaults are, they are compared as strings, so that checking a file against the default
    excludes (`--force-exclude`, the pre-commit case) imports no `re`; otherwise all of them are
    one regular expression."""

    __slots__ = ("names", "suffixes", "paths", "folders", "regex")

    def __init__(self, patterns: list[str]):
        self.names: set[str] = set()  # a component equal to one of these
        self.suffixes: tuple[str, ...] = ()  # `*.egg-info`: a component ending in one of these
        self.paths: set[str] = set()  # the path itself ...
        self.folders: tuple[str, ...] = ()  # ... or a folder above it (`path/`)
        self.regex = None
        for pattern in patterns:
            if _GLOB_CHARACTERS.isdisjoint(pattern):
                if "/" in pattern:
                    self.paths.add(pattern)
                    self.folders += (pattern + "/",)
                else:
                    self.names.add(pattern)
            elif "/" not in pattern and pattern.startswith("*") and _GLOB_CHARACTERS.isdisjoint(pattern[1:]):
                self.suffixes += (pattern[1:],)
            else:
                self.regex = _patterns_regex(patterns)
                return

    def fullmatch(self, rel: str) -> bool:
        if self.regex is not None:
            return self.regex.fullmatch(rel) is not None
        if rel in self.paths or rel.startswith(self.folders):
            return True
        return bool(self.names or self.suffixes) and any(part in self.names or part.endswith(self.suffixes)
                                                         for part in rel.split("/"))


def _patterns_regex(patterns: list[str]) -> re.Pattern[str]:
    import re

    parts = [f"(?:^|.*/){_glob_regex(p, True)}(?:/.*)?" if "/" not in p else f"{_glob_regex(p, False)}(?:/.*)?"
             for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts), re.S)


@functools.lru_cache(maxsize=256)
def _matcher(patterns: tuple[str, ...]) -> _PathPatterns | None:
    """The patterns (`./` and trailing slashes dropped, empty ones skipped) as one matcher; None
    when none is left."""
    cleaned = []
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if pattern:
            cleaned.append(pattern)
    return _PathPatterns(cleaned) if cleaned else None


def relative_to_root(path: str | Path, root: str | Path) -> str:
    absolute = os.path.abspath(path)
    prefix = str(root).rstrip(os.sep) + os.sep
    rel = absolute[len(prefix):] if absolute.startswith(prefix) else absolute
    return rel.replace(os.sep, "/")


def matches(path: str | Path, pattern: str, root: str | Path) -> bool:
    matcher = _matcher((pattern,))
    return bool(matcher and matcher.fullmatch(relative_to_root(path, root)))


class ConfigResolver:
    """Finds, reads and caches the closest configuration of each folder."""

    def __init__(self, overrides: Overrides, config_file: str | Path | None = None, memo: ConfigMemo | None = None):
        self.overrides = overrides
        self.memo = memo
        self._by_dir: dict[str, Settings] = {}  # folder (as given, and resolved) -> its settings
        self._fixed: Settings | None = None
        if config_file is not None:
            config_file = pure(config_file)
            if not is_file(config_file):
                raise ConfigError(f"--config: no such file: {config_file}")
            config = read_config_file(config_file, memo)
            if config is None:
                raise ConfigError(f"--config: {config_file} has no [tool.greenlint] table")
            self._fixed = Settings.build(config, overrides)

    def for_path(self, path: str | Path) -> Settings:
        path = pure(path)
        return self.for_folder(path if is_dir(path) else parent(path))

    def for_folder(self, folder: str | Path, names: set[str] | frozenset[str] | None = None) -> Settings:
        """The settings of the files of `folder`; `names`, when the caller has listed the folder,
        are its entries (no `stat` for configuration files that are not there)."""
        if self._fixed is not None:
            return self._fixed
        folder = pure(folder)
        settings = self._by_dir.get(folder)  # the files of a folder share it: resolved once
        if settings is None:
            settings = self._by_dir[folder] = self._for_dir(resolve(folder), names)
        return settings

    def _for_dir(self, folder: str, names: set[str] | frozenset[str] | None = None) -> Settings:
        cached = self._by_dir.get(folder)
        if cached is not None:
            return cached
        settings = None
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if (names is None or name in names) and is_file(candidate):
                config = read_config_file(candidate, self.memo)
                if config is not None:
                    settings = Settings.build(config, self.overrides)
                    break
        if settings is None:
            above = parent(folder)
            if above == folder:
                settings = Settings.build(ConfigFile(None, resolve(os.getcwd()), {}), self.overrides)
            else:
                settings = self._for_dir(above)
        self._by_dir[folder] = settings
        return settings
