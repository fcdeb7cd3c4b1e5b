"""The rule catalogue: one YAML file per rule in `rules/` (shipped inside the wheel).

A rule's YAML is the single source of its docs, options, trigger tokens and examples.
"""
from __future__ import annotations

import functools
import os
from collections import namedtuple

from .finding import Severity
from .paths import is_dir
from .prefilter import FOLDED_PREFIX, IMPORT_PREFIX, KIND_PREFIX, OPTION_PREFIX, REGEX_PREFIX, SHAPE_PREFIX, SHAPES

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    Triggers = tuple[tuple[tuple[bytes, ...], ...], ...]  # alternatives of groups of tokens

# File kinds a rule can apply to, and the detector family that reads each.
PYTHON_KINDS = ("python", "notebook")
CONFIG_KINDS = ("yaml", "json", "toml", "terraform", "env", "shell")  # shell: read through its commands
DOC_SECTIONS = ("what", "why", "example", "instead", "fix_safety", "options", "references")
DOC_TITLES = {
    "what": "What it does",
    "why": "Why it wastes energy",
    "example": "Example",
    "instead": "Use instead",
    "fix_safety": "Fix safety",
    "options": "Options",
    "references": "References",
}
OPTION_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool, "list": list, "dict": dict}


class RuleError(Exception):
    """A rule file is malformed: a bug in greenlint's own data."""


class Option(namedtuple("Option", "name type default description")):
    __slots__ = ()

    def check(self, value: Any) -> bool:
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type in ("int", "float") and isinstance(value, bool):
            return False
        return isinstance(value, OPTION_TYPES[self.type])


class Rule(namedtuple("Rule", "code name family severity enabled_by_default summary kinds triggers detectors "
                              "options docs examples tags precision", defaults=((), "high"))):
    """One rule, as its YAML declares it. `triggers`: reader -> alternatives, each groups of byte
    tokens (a file is checked only if, for one alternative, it holds a token of every group; see
    `prefilter`); `detectors`: reader ("python" | "config")
    -> module under greenlint.checks; `options`: name -> Option."""

    __slots__ = ()

    @property
    def help_uri(self) -> str:
        # The page generated from this rule's YAML (python -m greenlint.docs).
        return f"https://github.com/greenlint/greenlint/blob/main/docs/rules/{self.code}.md"

    def option_defaults(self) -> dict[str, Any]:
        return {name: opt.default for name, opt in self.options.items()}

    def markdown(self) -> str:
        """The full docs of the rule, as `greenlint rule CODE` prints them."""
        out = [f"# {self.code} {self.name}", "", f"{self.summary}", "",
               f"Severity: {self.severity}. Enabled by default: {'yes' if self.enabled_by_default else 'no'}. "
               f"Applies to: {', '.join(self.kinds)}.", ""]
        for key in DOC_SECTIONS:
            out.append(f"## {DOC_TITLES[key]}")
            out.append("")
            out.append(self._section(key).rstrip())
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def _section(self, key: str) -> str:
        if key == "options":
            if not self.options:
                return "This rule has no options."
            rows = [f"- `{o.name}` ({o.type}, default `{_show(o.default)}`): {o.description}" for o in self.options.values()]
            extra = self.docs.get("options")
            return "\n".join(rows) + (f"\n\n{extra}" if extra else "") + (
                f"\n\nSet them in `[tool.greenlint.rules.{self.code}]`.")
        if key == "references":
            refs = self.docs.get("references") or []
            return "\n".join(f"- {r}" for r in refs)
        if key in ("example", "instead") and key in self.docs:
            text = str(self.docs[key]).rstrip()
            return text if text.lstrip().startswith("```") else f"```python\n{text}\n```"
        return str(self.docs.get(key, "")).strip()


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if not isinstance(value, (int, float)) else str(value)


def rules_dir() -> Path:
    from pathlib import Path  # for the data tables and the docs, off the one-file path

    return Path(_rules_folder())


def _rules_folder() -> str:
    """`rules_dir()` as a string: the catalogue is loaded on every start, where pathlib would be a
    sixth of a one-file run."""
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "rules")  # inside an installed wheel
    return packaged if is_dir(packaged) else os.path.join(os.path.dirname(here), "rules")


def data_path(name: str) -> Path:
    return rules_dir() / "data" / name


def _yaml_load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Size and modification time of greenlint's code and rule files. Findings cached by an older
    greenlint (editable installs change between runs) and a catalogue compiled from older rules
    must not be served by a newer one. Compiled artefacts (`__pycache__`) are not code."""
    from .cache import new_hash

    h = new_hash()
    # os.walk, not Path.rglob: this runs on every start, and Path objects cost 3 ms here
    for top, suffix in ((os.path.dirname(os.path.realpath(__file__)), ".py"), (_rules_folder(), "")):
        for folder, subfolders, names in os.walk(top):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(n for n in names if n.endswith(suffix)):
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                h.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def load_rules() -> dict[str, Rule]:
    """The catalogue. Its YAML is parsed once per content of rules/ and kept beside it (in
    `__pycache__`, like Python's own byte code) as `marshal` data, which loads with no import,
    so that a run parses no YAML."""
    import marshal

    stamp = code_fingerprint()  # the YAML and its parser (this file) included
    try:
        with open(os.path.join(_rules_folder(), "__pycache__", "catalogue.marshal"), "rb") as handle:
            saved_stamp, documents = marshal.loads(handle.read())
        if saved_stamp == stamp:
            return _build_catalogue(documents)
    except Exception:  # missing, stale or from another Python: rebuilt below
        pass
    compiled = rules_dir() / "__pycache__" / "catalogue.marshal"
    documents = [(str(path), _with_compiled_triggers(_yaml_load(path.read_text(encoding="utf-8"))))
                 for path in sorted(rules_dir().glob("GL*.yaml"))]
    try:
        compiled.parent.mkdir(exist_ok=True)
        tmp = compiled.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps((stamp, documents)))
        os.replace(tmp, compiled)
    except (OSError, ValueError):  # read-only install, or YAML values marshal cannot hold: parsed each run
        pass
    return _build_catalogue(documents)


def _with_compiled_triggers(raw: Any) -> Any:
    """The rule's YAML with its trigger groups already folded and ordered (`_triggers`, the costly
    part of building the catalogue), so that the marshalled catalogue holds them too."""
    if isinstance(raw, dict):
        raw = {**raw, _COMPILED_TRIGGERS: _triggers(raw.get("triggers"), _kinds(raw), raw.get("id"), raw.get("options"))}
    return raw


def _kinds(raw: dict[str, Any]) -> tuple[str, ...]:
    return tuple(raw.get("kinds") or ("python", "notebook"))


_COMPILED_TRIGGERS = "_compiled_triggers"


def _build_catalogue(documents: list[tuple[str, Any]]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for path, raw in documents:
        rule = _parse_rule(path, raw)
        if rule.code in rules:
            raise RuleError(f"{path}: duplicate rule code {rule.code}")
        rules[rule.code] = rule
    return dict(sorted(rules.items()))


def _triggers(spec: Any, kinds: tuple[str, ...], code: Any = None, options: Any = None) -> dict[str, Triggers]:
    """A list serves every reader; `{python: [...], config: [...]}` splits them. A list of
    tokens is one group (any token will do); a list of lists is several groups, all needed:
    `[[Embedding], [.backward, .fit]]` means "an embedding, and something that trains".
    `{any: [groups, groups]}` lists alternatives, one per kind of code a detector reads (GL201:
    a Keras `fit` in a file that imports Keras, or a `Trainer` in one that imports transformers).
    """

    def groups(tokens: Any) -> tuple[tuple[bytes, ...], ...]:
        tokens = list(tokens or ())
        for token in tokens:
            for word in token if isinstance(token, list) else [token]:
                if str(word).startswith("shape:") and str(word)[6:].encode() not in SHAPES:
                    raise RuleError(f"unknown trigger shape {word!r} (known: {sorted(s.decode() for s in SHAPES)})")
                if str(word).startswith("option:") and str(word)[7:] not in (options or {}):
                    raise RuleError(f"{code}: trigger {word!r} names no option of the rule")
        if tokens and all(isinstance(t, list) for t in tokens):
            found = [tuple(sorted(_folded([encoded(t) for t in group]), key=_scans)) for group in tokens]
        else:
            found = [tuple(sorted(_folded([encoded(t) for t in tokens]), key=_scans))] if tokens else []
        # Cheap tests first: import and kind tokens are answered from one pass per file, each plain
        # token is a scan of the bytes, a pattern costs more; a group that fails spares the others.
        return tuple(sorted(found, key=_cost))

    def encoded(word: Any) -> bytes:  # `option:NAME` is read against this rule's options: `option:CODE:NAME`
        word = str(word)
        return (f"option:{code}:{word[7:]}" if word.startswith("option:") else word).encode()

    def alternatives(tokens: Any) -> Triggers:
        if isinstance(tokens, dict):
            return tuple(sorted((groups(t) for t in tokens["any"]), key=lambda a: sum(map(_cost, a))))
        found = groups(tokens)
        return (found,) if found else ()

    readers = {"python" if k in PYTHON_KINDS else "config" for k in kinds}
    if isinstance(spec, dict) and "any" not in spec:
        return {str(k): alternatives(v) for k, v in spec.items()}
    return {reader: alternatives(spec) for reader in sorted(readers)}


def _folded(tokens: list[bytes]) -> list[bytes]:
    """Words a group lists in several cases (`region`, `Region`, `REGION`) are looked for once,
    whatever their case (`i:region`): one scan of the file instead of three."""
    plain = [t for t in tokens if not t.startswith((IMPORT_PREFIX, KIND_PREFIX, REGEX_PREFIX, SHAPE_PREFIX, OPTION_PREFIX))]
    lowered = [t.lower() for t in plain]
    folded = {low for low in lowered if lowered.count(low) > 1}
    return [FOLDED_PREFIX + low for low in sorted(folded)] + [t for t in tokens if t not in plain or t.lower() not in folded]


def _scans(token: bytes) -> int:
    if token.startswith((IMPORT_PREFIX, KIND_PREFIX)):
        return 0
    if token.startswith(SHAPE_PREFIX):
        return 2  # a scan for a word, then a look at the lines it starts
    if token.startswith(OPTION_PREFIX):
        return 20  # a pattern of several words, tried at every position
    if token.startswith(REGEX_PREFIX):
        # a pattern that starts with a literal is found like a substring; any other is tried at every position
        pattern = token[len(REGEX_PREFIX):]
        literal = pattern[:1].isalnum() or (pattern[:1] == b"\\" and not pattern[1:2].isalnum())
        return 1 if literal else 20
    return 1


def _cost(group: tuple[bytes, ...]) -> int:
    return sum(map(_scans, group))


def reader_of(kind: str) -> str:
    return "python" if kind in PYTHON_KINDS else "config"


def _detectors(spec: Any, kinds: tuple[str, ...]) -> dict[str, str]:
    """`detector: search` serves every kind; `detector: {python: search, config: sweeps}` splits them."""
    if isinstance(spec, dict):
        return {str(k): str(v) for k, v in spec.items()}
    readers = {"python" if k in PYTHON_KINDS else "config" for k in kinds}
    return {reader: str(spec) for reader in sorted(readers)}


def _parse_rule(path: str, raw: dict[str, Any]) -> Rule:
    try:
        options = {
            name: Option(name, spec["type"], spec["default"], spec.get("description", ""))
            for name, spec in (raw.get("options") or {}).items()
        }
        kinds = _kinds(raw)
        unknown = set(kinds) - set(PYTHON_KINDS) - set(CONFIG_KINDS)
        if unknown:
            raise RuleError(f"{path}: unknown kinds {sorted(unknown)}")
        return Rule(
            code=raw["id"],
            name=raw["name"],
            family=raw["family"],
            severity=Severity.parse(raw["severity"]),
            enabled_by_default=bool(raw.get("enabled", True)),
            summary=raw["summary"].strip(),
            kinds=kinds,
            triggers=raw[_COMPILED_TRIGGERS],
            detectors=_detectors(raw["detector"], kinds),
            options=options,
            docs=raw.get("docs") or {},
            examples=raw.get("examples") or {},
            tags=tuple(raw.get("tags") or ()),
            precision=raw.get("precision", "high"),
        )
    except KeyError as exc:
        raise RuleError(f"{path}: missing key {exc}") from None


# Codes greenlint itself reports. They have rule files too (GL000.yaml etc.) so that
# every renderer can describe them, but no detector module.
PARSE_ERROR = "GL000"
BARE_SUPPRESSION = "GL001"
UNUSED_SUPPRESSION = "GL002"
