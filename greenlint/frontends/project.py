"""Project scope: constants imported from another module of the same project.

`from settings import EPOCHS`, `from .config import REGION` and `import config` ...
`config.REGION` resolve by reading that module's file, found the way Python would find it
when the script runs from its own folder or from a folder above (at most `SEARCH_LEVELS`).
The file is parsed at most once per process and only read, never imported or executed. Files
over `MAX_BYTES` are not read. Every file consulted while a file is linted is recorded
(`recording()`), so that the findings cache can tell when one of them changes.
"""
from __future__ import annotations

import ast
from pathlib import Path
TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from typing import Any, Callable

    from .python import PythonContext

MAX_BYTES = 1_000_000
SEARCH_LEVELS = 6  # folders above the importing file searched for an absolute import's module (app/core/service/llm/x.py imports app.core.config)
_LOADED: dict[Path, tuple[tuple[int, int], "PythonContext | None"]] = {}
_RECORDED: set[Path] = set()


def recording() -> set[Path]:
    """Start recording the files consulted; returns the set that fills as files are read."""
    global _RECORDED
    _RECORDED = set()
    return _RECORDED


def _candidates(folder: Path, module: str) -> list[Path]:
    base = folder.joinpath(*module.split(".")) if module else folder
    return [base.with_suffix(".py") if module else base / "__init__.py", base / "__init__.py"]


def record(path: Path) -> None:
    """Note that findings of the file being linted depend on `path` (another file it read)."""
    _RECORDED.add(path)


def module_file(importer: Path, module: str, level: int) -> Path | None:
    """The file of `module` as imported from `importer` (`level` dots of a relative import)."""
    folder = importer.parent
    if level:
        for _ in range(level - 1):
            folder = folder.parent
        folders = [folder]
    else:
        folders = [folder, *list(folder.parents)[:SEARCH_LEVELS]]
    for root in folders:
        for candidate in _candidates(root, module):
            if candidate.is_file() and candidate.resolve() != importer.resolve():
                return candidate
    return None


def read_once(cache: dict, path: Path, read: Callable[[Path], Any]) -> Any:
    """`read(path)` (None when the file cannot be read), kept in `cache` until the file's size or
    modification time changes: a sibling file several files ask about is read once per run."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_size, stat.st_mtime_ns)
    cached = cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    value = read(path)
    cache[path] = (stamp, value)
    return value


def load(path: Path) -> "PythonContext | None":
    """The parsed module at `path` (cached by size and modification time), or None."""
    return read_once(_LOADED, path, _parse_module)


def _parse_module(path: Path) -> "PythonContext | None":
    from ..engine import _decode
    from ..checks.context import LintRequest
    from .python import PythonContext, parse

    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        text = _decode(path.read_bytes(), "python")
        return PythonContext(LintRequest(str(path), "python", {}, {}), text, parse(text))
    except (OSError, ValueError, SyntaxError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
        return None


def _importer_path(ctx: "PythonContext") -> Path | None:
    path = Path(ctx.path)
    return path if ctx.path not in ("-", "") and path.is_file() else None


def imported_value(ctx: "PythonContext", name: str, depth: int) -> Any:
    """The value of `name` when it was imported with `from <project module> import name`, or
    with `from <project module> import *` from a module that defines it (the last such import
    wins, as in Python; a notebook's `from _env import *` of its settings)."""
    from .python import UNKNOWN

    importer = _importer_path(ctx)
    if importer is None:
        return UNKNOWN
    starred = []
    for node in ctx.nodes_of(ast.ImportFrom):
        for alias in node.names:  # type: ignore[attr-defined]
            if (alias.asname or alias.name) == name and alias.name != "*":
                return _constant_of(ctx, importer, node.module or "", node.level, alias.name, depth)  # type: ignore[attr-defined]
            if alias.name == "*":
                starred.append(node)
    for node in sorted(starred, key=lambda n: (n.lineno, n.col_offset), reverse=True):  # type: ignore[attr-defined]
        path = module_file(importer, node.module or "", node.level)  # type: ignore[attr-defined]
        other = load(path) if path is not None else None
        if other is None:
            continue
        _RECORDED.add(path)  # type: ignore[arg-type]  # a name it gains later changes this file's findings
        if name in other.module_constants:
            return _constant_of(ctx, importer, node.module or "", node.level, name, depth)  # type: ignore[attr-defined]
    return UNKNOWN


def _defining_module(ctx: "PythonContext", name: str) -> "tuple[PythonContext, str] | None":
    """The module context that `name` was imported from with `from <project module> import
    name`, and the name there."""
    importer = _importer_path(ctx)
    if importer is None:
        return None
    for node in ctx.nodes_of(ast.ImportFrom):
        for alias in node.names:  # type: ignore[attr-defined]
            if (alias.asname or alias.name) != name or alias.name == "*":
                continue
            path = module_file(importer, node.module or "", node.level)  # type: ignore[attr-defined]
            other = load(path) if path is not None else None
            if other is None:
                return None
            _RECORDED.add(path)  # type: ignore[arg-type]
            return other, alias.name
    return None


def imported_function(ctx: "PythonContext", name: str) -> "tuple[PythonContext, ast.FunctionDef] | None":
    """The module context and definition of `name` when it was imported with `from <project
    module> import name` and that module defines it as a function."""
    found = _defining_module(ctx, name)
    function = found[0].functions.get(found[1]) if found is not None else None
    return (found[0], function) if isinstance(function, ast.FunctionDef) else None  # type: ignore[return-value]


def imported_config_class(ctx: "PythonContext", name: str) -> "tuple[PythonContext, dict[str, ast.expr]] | None":
    """The module context and field defaults of `name` when it was imported with `from <project
    module> import name` and that module declares it as a config class (`SageMakerConfig` with
    `aws_region: str = os.getenv("AWS_REGION", "us-east-1")`)."""
    found = _defining_module(ctx, name)
    fields = found[0].config_classes.get(found[1]) if found is not None else None
    return (found[0], fields) if fields else None  # type: ignore[index]


def attribute_value(ctx: "PythonContext", owner: str, attribute: str, depth: int) -> Any:
    """The value of `owner.attribute` when `owner` is a project module (`import config`,
    `from . import config`)."""
    from .python import UNKNOWN

    importer = _importer_path(ctx)
    if importer is None:
        return UNKNOWN
    for node in ctx.nodes_of(ast.Import, ast.ImportFrom):
        for alias in node.names:  # type: ignore[attr-defined]
            if (alias.asname or alias.name) != owner:
                continue
            if isinstance(node, ast.Import):
                return _constant_of(ctx, importer, alias.name, 0, attribute, depth)
            module = f"{node.module}.{alias.name}" if node.module else alias.name
            return _constant_of(ctx, importer, module, node.level, attribute, depth)
    return UNKNOWN


def _constant_of(ctx: "PythonContext", importer: Path, module: str, level: int, name: str, depth: int) -> Any:
    from .python import UNKNOWN

    path = module_file(importer, module, level)
    other = load(path) if path is not None else None
    if other is None or depth > 8:
        return UNKNOWN
    _RECORDED.add(path)  # type: ignore[arg-type]
    value = other.module_constants.get(name)
    if value is None:
        return other.project_value(name, depth + 1)  # re-exported from a further module
    return other.literal(value, None, depth + 1)


IMPORTER_FILES = 200  # .py files of one folder read to find the modules that import a file


def importers(ctx: "PythonContext", holding: bytes) -> list["PythonContext"]:
    """The project's modules that import this one (`from sweep_config import sweep`, `import
    sweep_config`) and whose text holds `holding` (what the caller looks for in them): the `.py`
    files of its folder and of the one above whose import of the module resolves to this file.
    Read, never run; each parsed once per run, and only when its bytes name both."""
    here = _importer_path(ctx)
    if here is None:
        return []
    found = []
    stem = here.stem.encode()
    for folder in [here.parent, here.parent.parent]:
        for path in sorted(folder.glob("*.py"))[:IMPORTER_FILES]:
            head = _head(path) if path != here else b""
            other = load(path) if stem in head and holding in head else None
            if other is not None and _imports_file(other, path, here):
                _RECORDED.add(path)
                found.append(other)
    return found


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES)
    except OSError:
        return b""


def _imports_file(other: "PythonContext", importer: Path, target: Path) -> bool:
    modules = [(alias.name, 0) for node in other.nodes_of(ast.Import) for alias in node.names]  # type: ignore[attr-defined]
    for node in other.nodes_of(ast.ImportFrom):
        base = node.module or ""  # type: ignore[attr-defined]
        modules.append((base, node.level))  # type: ignore[attr-defined]
        modules += [(f"{base}.{alias.name}" if base else alias.name, node.level) for alias in node.names]  # type: ignore[attr-defined]
    return any(module_file(importer, module, level) == target for module, level in modules
               if module.rsplit(".", 1)[-1] == target.stem)
