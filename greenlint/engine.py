"""Read each file once, skip it unless a rule's trigger token is in its bytes, parse it once,
run only the triggered detectors, apply suppressions. Files are spread over a process pool
and findings cached by content hash."""
from __future__ import annotations

import gc
import os
import sys
from collections import namedtuple

from . import __version__
from .cache import Cache, StatIndex, content_digest
from .config import ConfigResolver, Overrides, Settings, resolve_selection
from .discover import Problem, discover, kind_of
from .finding import Finding, Severity
from .paths import absolute, is_dir, pure
from .prefilter import Presence
from .rules import BARE_SUPPRESSION, PARSE_ERROR, UNUSED_SUPPRESSION, load_rules, reader_of

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Iterable

    from .checks.context import BaseContext, LintRequest

POOL_THRESHOLD = 24  # below this many files a pool costs more than it saves
MAX_CONFIG_BYTES = 1_000_000  # a YAML/JSON/TOML file this large is generated (install bundles, data)


def display_path(path: str | Path, cwd: str | None = None) -> str:
    """Relative to the current folder (`cwd`, when the caller has it), with `/` separators, as
    every report shows paths."""
    cwd = cwd or os.getcwd()
    absolute = os.path.normpath(os.path.join(cwd, path))
    if absolute.startswith(cwd + os.sep):  # the usual case, without relpath's own normalising
        relative = absolute[len(cwd) + 1:]
    else:
        try:
            relative = os.path.relpath(absolute, cwd)
        except ValueError:  # another drive on Windows
            relative = absolute
    return relative.replace(os.sep, "/")


class Job(namedtuple("Job", "path display kind settings data", defaults=(None,))):
    """One file to lint: `path` (a string, as discovered) None when the text (`data`) comes from stdin."""

    __slots__ = ()


class RunResult(namedtuple("RunResult", "findings files_checked")):
    """The findings of a run (`findings` is filled in place) and how many files it checked."""

    __slots__ = ()


def _parse_error(display: str, message: str, line: int = 1, column: int = 1, source_line: str = "") -> Finding:
    rule = load_rules()[PARSE_ERROR]
    return Finding(PARSE_ERROR, display, max(line, 1), max(column, 1), max(line, 1), max(column, 1),
                   message, Severity.ERROR, rule.name, source_line=source_line)


def _decode(data: bytes, kind: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if kind != "python":
            raise
        import io
        import tokenize

        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # PEP 263 declaration
        return data.decode(encoding)


def lint_bytes(display: str, data: bytes, kind: str, settings: Settings, ignored: set[str] = frozenset()) -> list[Finding]:
    """All findings for one file's bytes."""
    rules = load_rules()
    active = {
        code: rules[code]
        for code in settings.enabled
        if code in rules and kind in rules[code].kinds and code not in ignored and rules[code].detectors
    }
    reader = reader_of(kind)
    if reader == "config" and len(data) > MAX_CONFIG_BYTES:
        return []  # generated manifests and data dumps, not configuration anyone wrote
    presence = Presence(data, kind, settings.options)  # rules share tokens (`.fit(`, `Trainer`): each is looked for once
    triggered = {c: r for c, r in active.items() if presence.triggered(r.triggers.get(reader, ()))}
    # A notebook is always read: one that is not valid JSON or has a broken cell is a GL000.
    if not triggered and kind != "notebook" and not _may_hold_directives(data, settings.enabled):
        return []
    from .checks.context import LintRequest  # the detector API: not needed by a run served from the cache

    directives = {c: rules[c] for c in (BARE_SUPPRESSION, UNUSED_SUPPRESSION) if c in settings.enabled}
    request = LintRequest(
        path=display,
        kind=kind,
        rules={**triggered, **directives},
        options={c: settings.options.get(c, {}) for c in triggered},
        region=settings.region,
        carbon=settings.carbon,
    )
    if kind == "notebook":  # the notebook reader decodes its JSON itself
        findings = _lint_notebook(request, data, triggered, settings)
    else:
        try:
            text = _decode(data, kind)
        except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
            return [_parse_error(display, f"cannot decode file as text: {exc}")]
        if kind == "python":
            findings = _lint_python_text(request, text, triggered, settings)
        else:
            findings = _lint_config(request, text, triggered, settings)
    return _configured(findings, settings, ignored)


def _configured(findings: list[Finding], settings: Settings, ignored: set[str]) -> list[Finding]:
    """The findings with the configured severities, less the codes ignored for this file. GL000 is
    ignorable only for a template that was not checked: a broken file is always said."""
    severity = settings.severity
    return [f.with_changes(severity=severity[f.code]) if f.code in severity else f for f in findings
            if f.code not in ignored or (f.code == PARSE_ERROR and not f.impact.get("template"))]


def _may_hold_directives(data: bytes, enabled: set[str]) -> bool:
    """Suppression comments are findings of their own (GL001, GL002) even where no rule ran."""
    if UNUSED_SUPPRESSION in enabled and b"noqa" in data and b"GL" in data:
        return True
    return (BARE_SUPPRESSION in enabled or UNUSED_SUPPRESSION in enabled) and b"greenlint" in data


def _run_detectors(ctx: BaseContext, codes: Iterable[str], reader: str) -> None:
    from .checks import detectors_for

    rules = load_rules()
    for code, detect in detectors_for(codes, {c: rules[c].detectors for c in codes}, reader):
        try:
            detect(ctx)
        except RecursionError:
            ctx.findings.append(_parse_error(ctx.path, f"{code} skipped this file: it nests too deeply to analyse"))
        except Exception as exc:  # a detector bug must not cost the other files or rules
            if os.environ.get("GREENLINT_DEBUG"):
                raise
            ctx.findings.append(_parse_error(ctx.path, f"internal error in {code} on this file: {type(exc).__name__}: {exc}"))


def _syntax_message(exc: SyntaxError) -> str:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (f"cannot parse as Python {version}: {exc.msg} (greenlint reads the grammar of the Python it runs on; "
            f"code written for a newer Python needs greenlint installed on that Python)")


def _lint_python_text(request: LintRequest, text: str, triggered: dict, settings: Settings,
                      allow_await: bool = False, shell: list | None = None, unparsed: str = "") -> list[Finding]:
    from .frontends.python import PythonContext, parse

    unread: list[Finding] = []
    try:
        tree = parse(text, allow_top_level_await=allow_await)
    except SyntaxError as exc:
        tree = _parse_with_ipython_syntax(text) if request.kind == "python" else None
        if tree is None and request.kind == "python":
            tree, unread = _parse_exported_cells(request.path, text)
        if tree is None and request.kind == "python":
            tree, unread = _parse_without_broken_lines(request.path, text)
        if tree is None:
            line = exc.lineno or 1
            lines = text.splitlines()
            return [_parse_error(request.path, _syntax_message(exc), line, exc.offset or 1, _source_line(lines, line))]
    except (ValueError, MemoryError, RecursionError) as exc:  # null bytes, absurd nesting
        return [_parse_error(request.path, f"cannot parse as Python: {exc}")]
    ctx = PythonContext(request, text, tree)
    ctx.findings.extend(unread)
    ctx.shell_lines = shell or []  # a notebook's `!` lines and %%bash cells, which the text holds as placeholders
    ctx.unparsed = unparsed or (text if unread else "")  # names the checks cannot see may be read there
    _run_detectors(ctx, triggered, "python")
    ctx.findings.extend(_held_config_findings(ctx, settings))
    return _suppressed(ctx, text, python=True, settings=settings)


def _held_config_findings(ctx, settings: Settings) -> list[Finding]:
    """YAML that a Python string holds and a YAML loader reads (`checks/held_configs.py`), checked
    as a config file at the string's lines. A string that does not parse is left unchecked."""
    from .checks.held_configs import held_configs

    found: list[Finding] = []
    for held in held_configs(ctx):
        for finding in lint_bytes(ctx.path, held.text.encode("utf-8"), "yaml", settings):
            if finding.code == PARSE_ERROR:
                continue
            line = held.first_line + finding.line - 1
            found.append(finding.with_changes(
                line=line, end_line=held.first_line + finding.end_line - 1,
                source_line=ctx.lines[line - 1] if 0 < line <= len(ctx.lines) else finding.source_line))
    return found


def _parse_with_ipython_syntax(text: str):
    """A script exported from a notebook (nbconvert's `# In[1]:`, jupytext's `# %%`) keeps its
    IPython lines: `%matplotlib inline`, `!pip install ...`. Read them as a notebook cell's are,
    replaced by placeholders of the same length, so positions hold. Python 2 statements and
    exercise blanks are read leniently (frontends/lenient.py). None if it still fails."""
    from .frontends.lenient import readings
    from .frontends.python import parse

    text = "".join(_ipython_lines_read(text.splitlines(keepends=True)))
    for candidate in (text, *readings(text)):
        try:
            return parse(candidate)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
    return None


def _ipython_lines_read(lines: list[str]) -> list[str]:
    """`%matplotlib inline`, `!pip install ...` lines of an exported notebook replaced by
    placeholders of the same length, as a notebook cell's are."""
    from .frontends.notebook import _transform

    return list(_transform(lines)) if any(line.lstrip()[:1] in ("%", "!") for line in lines) else lines


def _parse_exported_cells(display: str, text: str) -> tuple[object | None, list[Finding]]:
    """A script exported from a notebook (`# In[3]:` or `# %%` cells) is read as its notebook is: a
    cell that does not parse becomes a GL000 of its own, its lines are read as blank (so positions
    hold), and the other cells are checked. (None, []) when the text has no such cells or still
    does not parse."""
    import re

    from .frontends.python import parse

    original = text.splitlines()
    lines = text.splitlines(keepends=True)
    marker = re.compile(r"# (?:In\[[^\]]*\]:|%%)")
    starts = [i for i, line in enumerate(lines) if marker.match(line)]
    if len(starts) < 2:
        return None, []
    lines = _ipython_lines_read(lines)
    unread: list[Finding] = []
    for _ in range(len(starts) + 1):
        try:
            return parse("".join(lines)), unread
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None) or 0
            first = max((s for s in starts if s < line), default=None)
            if first is None:
                return None, []
            last = min((s for s in starts if s > first), default=len(lines))
            if not any(chunk.strip() for chunk in lines[first + 1:last]):
                return None, []  # already blank: the error is not this cell's
            unread.append(_parse_error(display, f"cannot parse this cell (lines {first + 1}-{last}), the rest of the "
                                       f"file is checked: {getattr(exc, 'msg', exc)}", line, getattr(exc, "offset", 1) or 1,
                                       _source_line(original, line)))
            lines[first + 1:last] = map(_blank_line, lines[first + 1:last])
    return None, []


_MOST_STATEMENTS_SKIPPED = 5


def _parse_without_broken_lines(display: str, text: str) -> tuple[object | None, list[Finding]]:
    """A script with a few statements this Python cannot read (a Python 3.12 f-string that spans
    lines, a stray character) is read without them: the line the parser stops at becomes `pass` at
    its own indentation, and the lines indented past it after it (its continuation, or its block)
    blank, so positions hold; one GL000 names them. (None, []) when more than a few statements
    would go, so a file that is not Python, or Python of another grammar throughout, stays one GL000."""
    from .frontends.python import parse

    original = text.splitlines()
    lines = _ipython_lines_read(text.splitlines(keepends=True))
    skipped: list[tuple[int, int]] = []  # first and last line of each statement read as blank
    first_error: SyntaxError | None = None
    while len(skipped) <= _MOST_STATEMENTS_SKIPPED:
        try:
            tree = parse("".join(lines))
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None) or 0
            if not isinstance(exc, SyntaxError) or not 0 < line <= len(lines) or any(a <= line <= b for a, b in skipped):
                return None, []
            first_error = first_error or exc
            skipped.append((line, _blank_statement(lines, line - 1) + 1))
            continue
        if first_error is None:
            return tree, []
        where = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in sorted(skipped))
        lines_word = "line" if skipped == [(skipped[0][0], skipped[0][0])] else "lines"
        line = first_error.lineno or 1
        return tree, [_parse_error(display, f"{_syntax_message(first_error)}; {lines_word} {where} read as blank, "
                                   "the rest of the file is checked", line, first_error.offset or 1,
                                   _source_line(original, line))]
    return None, []


def _blank_statement(lines: list[str], index: int) -> int:
    """Line `index` as `pass` at its indentation and the lines indented past it that follow as
    blank; the index of the last line changed."""
    def indentation(line: str) -> int:
        return len(line) - len(line.lstrip(" \t"))

    head = lines[index]
    lines[index] = head[:indentation(head)] + "pass" + _blank_line(head)
    last = index
    for i in range(index + 1, len(lines)):
        code = lines[i].strip()
        if code and not code.startswith("#") and indentation(lines[i]) <= indentation(head):
            break
        lines[i] = _blank_line(lines[i])
        if code:
            last = i
    return last


def _blank_line(line: str) -> str:
    """A line read as blank, keeping its line end so later positions hold."""
    return "\n" if line.endswith("\n") else ""


def _source_line(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _suppressed(ctx: BaseContext, text: str, python: bool, settings: Settings) -> list[Finding]:
    def make(code: str, line: int, column: int, end_column: int, message: str) -> Finding:
        rule = load_rules()[code]
        return Finding(code, ctx.path, line, column, line, end_column, message, rule.severity, rule.name,
                       source_line=ctx.lines[line - 1] if line <= len(ctx.lines) else "")

    from . import suppress  # compiles its patterns: off the path of a cached run

    return suppress.apply(ctx.findings, text, python, make, settings.enabled)


def _lint_notebook(request: LintRequest, data: bytes, triggered: dict, settings: Settings) -> list[Finding]:
    from . import suppress
    from .frontends.notebook import NotebookError, read_notebook

    try:
        notebook = read_notebook(data)
    except NotebookError as exc:
        return [_parse_error(request.path, exc.args[0] if exc.args else str(exc), getattr(exc, "line", 1), getattr(exc, "column", 1))]
    findings: list[Finding] = []
    # `# greenlint: ignore-file[...]` in the first cell covers the whole notebook, %%writefile cells too.
    file_wide = {code for d in suppress.parse_directives(notebook.units[0].text, python=True) if d.file_wide
                 for code in d.codes} if notebook.units else set()
    for location, message in notebook.errors:
        findings.append(_parse_error(request.path, message, location.line, location.column)
                        .with_changes(cell=location.cell, cell_line=location.cell_line, cell_column=location.cell_column))
    unparsed = data.decode("utf-8", "replace") if notebook.errors else ""  # broken cells may read any name
    for unit in notebook.units:
        unit_lines = unit.text.splitlines()
        if unit.kind == "python":
            unit_findings = _lint_python_text(request, unit.text, triggered, settings, allow_await=True, shell=unit.shell,
                                              unparsed=unparsed)
        else:  # a config a `%%writefile` cell writes: checked as that kind of file
            unit_findings = lint_bytes(request.path, unit.text.encode("utf-8"), unit.kind, settings)
        for finding in unit_findings:
            if finding.code in file_wide and finding.code != PARSE_ERROR:
                continue
            start = unit.locate(finding.line, finding.column)
            end = unit.locate(finding.end_line, finding.end_column)
            findings.append(finding.with_changes(
                line=start.line, column=start.column,
                end_line=max(end.line, start.line), end_column=end.column if end.line > start.line else max(end.column, start.column),
                cell=start.cell, cell_line=start.cell_line, cell_column=start.cell_column,
                source_line=unit_lines[finding.line - 1] if 0 < finding.line <= len(unit_lines) else finding.source_line,
            ))
    return findings


def _lint_config(request: LintRequest, text: str, triggered: dict, settings: Settings) -> list[Finding]:
    from .frontends.base import FrontendError
    from .frontends.config import ConfigContext, parse_config

    try:
        documents = parse_config(request.kind, text)
    except FrontendError as exc:
        lines = text.splitlines()
        finding = _parse_error(request.path, f"cannot parse as {request.kind.upper()}: {exc.message}", exc.line,
                               exc.column, lines[exc.line - 1] if 0 < exc.line <= len(lines) else "")
        if getattr(exc, "template", False):  # a template, not a broken file: a note per-file-ignores can silence
            finding = finding.with_changes(severity=Severity.NOTE, impact={"template": True})
        return [finding]
    if documents is None:  # a template, not a config: skipped quietly
        return []
    ctx = ConfigContext(request, text, documents)
    _run_detectors(ctx, triggered, "config")
    if request.kind == "json":  # JSON has no comments: per-file-ignores only
        return ctx.findings
    return _suppressed(ctx, text, python=False, settings=settings)


def _read(job: Job) -> bytes | list[Finding]:
    """The file's bytes, or the GL000 that says why they cannot be read."""
    if job.data is not None:
        return job.data
    try:
        with open(job.path, "rb") as fh:  # type: ignore[arg-type]
            return fh.read()
    except OSError as exc:
        return [_parse_error(job.display, f"cannot read file: {exc.strerror or exc}")]


def _ignored(job: Job) -> set[str]:
    return job.settings.ignored_codes(job.path or job.display)


def _run_job(job: Job, cache_folder: str | None) -> list[Finding]:
    data = _read(job)
    if isinstance(data, list):
        return data
    ignored = _ignored(job)
    cache = Cache(cache_folder) if cache_folder else None
    key = cache.key(job.display, job.kind, job.settings, content_digest(data), ignored) if cache else ""
    if cache:
        hit = cache.get(key)
        if hit is not None:
            return hit
    from .frontends.project import recording  # a cache hit reads no Python

    consulted = recording()  # other project files whose constants this file imports
    findings = lint_bytes(job.display, data, job.kind, job.settings, ignored)
    if cache:
        cache.put(key, findings, consulted)
    return findings


def _run_chunk(jobs: list[Job], cache_folder: str | None) -> list[list[Finding]]:
    return [_run_job(job, cache_folder) for job in jobs]


def lint_paths(
    paths: list[str | Path],
    resolver: ConfigResolver,
    jobs: int | None = None,
    cache_folder: str | Path | None = None,
    force_exclude: bool = False,
    stdin: tuple[str, bytes] | None = None,
) -> RunResult:
    # Each file's trees are garbage the moment it is done, and acyclic: collecting less often
    # saves ~7 % of a cold run. Forked workers inherit the setting.
    gc.set_threshold(50_000, 20, 100)
    files, problems = discover(paths, resolver, force_exclude=force_exclude)
    cwd = os.getcwd()
    work = [Job(path, display_path(path, cwd), kind, settings) for path, kind, settings in files]
    if stdin is not None:
        name, data = stdin
        settings = resolver.for_path(absolute(name) if name != "-" else os.path.join(os.getcwd(), "stdin.py"))
        skip = force_exclude and name != "-" and settings.is_excluded(absolute(name))
        if not skip:
            kind = kind_of(pure(name), settings.extensions) or "python"
            work.append(Job(None, name if name == "-" else display_path(name), kind, settings, data))
    result = RunResult([], len(work))
    for problem in problems:
        result.findings.append(_problem_finding(problem))
    folder = os.fspath(cache_folder) if cache_folder else None
    if folder and len(work) >= POOL_THRESHOLD:
        cached, work = _answered_by_cache(work, Cache(folder))
        result.findings.extend(cached)
    workers = min(jobs or os.cpu_count() or 1, max(1, len(work) // 8))
    if workers > 1 and len(work) >= POOL_THRESHOLD:
        work.sort(key=_size, reverse=True)  # largest first: no worker is left with a big file at the end
        size = max(1, min(64, len(work) // (workers * 4)))
        chunks = [work[i : i + size] for i in range(0, len(work), size)]
        from concurrent.futures import ProcessPoolExecutor  # off the one-file path

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk_findings in pool.map(_run_chunk, chunks, [folder] * len(chunks)):
                for findings in chunk_findings:
                    result.findings.extend(findings)
    else:
        for job in work:
            result.findings.extend(_run_job(job, folder))
    result.findings.sort(key=Finding.sort_key)
    return result


def _answered_by_cache(work: list[Job], cache: Cache) -> tuple[list[Finding], list[Job]]:
    """The cached findings of the files whose content has not changed, and the jobs still to run
    (with the bytes read here): a warm run then starts no pool, and a pool gets only the misses.
    A file whose stat the index knows unchanged is not read at all."""
    if not is_dir(cache.folder):
        return [], work  # nothing cached yet (a first run, another greenlint version)
    index = StatIndex(cache)
    found: list[Finding] = []
    left: list[Job] = []
    for job in work:
        data: bytes | list[Finding] | None = None
        digest = index.known(job.path) if job.data is None else None
        if digest is None:
            data = _read(job)
            if isinstance(data, list):
                found.extend(data)
                continue
            digest = content_digest(data)
            if job.data is None:
                index.record(job.path, digest)
        hit = cache.get(cache.key(job.display, job.kind, job.settings, digest, _ignored(job)))
        if hit is None:
            left.append(job._replace(data=data) if data is not None else job)
        else:
            found.extend(hit)
    index.save()
    return found, left


def _size(job: Job) -> int:
    if job.data is not None:
        return len(job.data)
    try:
        return os.stat(job.path).st_size  # type: ignore[arg-type]
    except OSError:
        return 0


def _problem_finding(problem: Problem) -> Finding:
    return _parse_error(display_path(problem.path), problem.message)


def lint_text(
    text: str,
    filename: str = "example.py",
    select: list[str] | None = None,
    options: dict[str, dict[str, Any]] | None = None,
    kind: str | None = None,
    region: str | None = None,
) -> list[Finding]:
    """Lint one in-memory file with default settings (tests and the rule examples use this)."""
    from .config import ConfigFile

    settings = Settings.build(ConfigFile(None, os.getcwd(), {}), Overrides(region=region))
    if select is not None:
        settings = settings._replace(enabled=resolve_selection(select, [], []))
    for code, values in (options or {}).items():
        settings.options.setdefault(code, {}).update(values)
    kind = kind or kind_of(pure(filename), settings.extensions) or "python"
    findings = lint_bytes(filename, text.encode("utf-8"), kind, settings)
    return sorted(findings, key=Finding.sort_key)
