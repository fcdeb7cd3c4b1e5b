"""The language server: greenlint's findings, live, in any editor that speaks LSP.

Documents are linted from the editor's buffer (saved or not) with the engine the CLI uses and
the settings the CLI would use for that file (the closest configuration above it). Nothing
the user wrote is imported or run.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import time
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from .. import __version__
from ..config import CONFIG_NAMES, ConfigError, ConfigResolver, Overrides, Settings
from ..discover import kind_of
from ..engine import _parse_error, display_path, lint_bytes
from ..finding import Finding
from .cells import CODE, MARKDOWN, build_notebook
from .convert import (Encoder, Located, Span, diagnostic, fix_action, hover_markdown, span_of,
                      suppress_file_action, suppress_line_action)

log = logging.getLogger("greenlint.server")

# Editors' language ids, for buffers whose name says nothing (untitled, no suffix).
LANGUAGE_KINDS = {
    "python": "python", "yaml": "yaml", "json": "json", "jsonc": "json", "toml": "toml", "terraform": "terraform",
    "hcl": "terraform", "terraform-vars": "terraform", "tfvars": "terraform", "jupyter": "notebook", "dotenv": "env",
}
WATCHED = [f"**/{name}" for name in CONFIG_NAMES]
DEFAULT_DEBOUNCE_S = 0.075


class Debouncer:
    """Check at once after a quiet spell (the leading edge); while edits keep coming, check
    once typing pauses for `wait` seconds (the trailing edge).

    Quiet means no check has finished for this document in the last `wait` seconds: edits that
    queued up while a slow check ran arrive together after it, and must not each start one.
    """

    def __init__(self, wait: float, run):
        self.wait = wait
        self.run = run
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._finished: dict[str, float] = {}

    def touch(self, key: str) -> None:
        loop = asyncio.get_running_loop()
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        quiet = timer is None and loop.time() - self._finished.get(key, float("-inf")) >= self.wait
        if quiet:
            loop.call_soon(self._run, key)  # after this handler returns: the buffer is up to date
        else:
            self._timers[key] = loop.call_later(self.wait, self._trailing, key)

    def _trailing(self, key: str) -> None:
        self._timers.pop(key, None)
        self._run(key)

    def _run(self, key: str) -> None:
        try:
            self.run(key)
        finally:
            self._finished[key] = asyncio.get_running_loop().time()

    def cancel(self, key: str) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._finished.pop(key, None)


class _Dropped:
    """A message that could not be read: `handle_message` passes over anything not JSON-RPC 2.0."""

    jsonrpc = "dropped"


class _Protocol(LanguageServerProtocol):
    def structure_message(self, data):
        """A request whose parameters do not fit its method gets an error answer (pygls would
        log it and leave the client waiting for ever)."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
            return _Dropped()


class GreenlintServer(LanguageServer):
    def __init__(self, debounce: float = DEFAULT_DEBOUNCE_S):
        super().__init__(
            protocol_cls=_Protocol,
            name="greenlint",
            version=__version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[types.NotebookDocumentFilterWithCells(
                    notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")])],
                save=True,
            ),
        )
        self.resolver = ConfigResolver(Overrides())
        self.generation = 0  # bumped when a configuration changes: every cached result is stale
        self._cache: dict[str, tuple[tuple, dict[str, list[Located]]]] = {}
        # What is open, by the URIs the client sent (pygls keys its workspace by unquoted URIs).
        self.open_documents: set[str] = set()
        self.open_notebooks: set[str] = set()
        self.debouncer = Debouncer(debounce, self.publish_safely)

    # ------------------------------------------------------------------ what the client can do

    @property
    def pulls(self) -> bool:
        """Pull diagnostics (textDocument/diagnostic) when the client asks for them."""
        caps = self.client_capabilities.text_document
        return bool(caps and caps.diagnostic)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    # ------------------------------------------------------------------ linting

    def path_of(self, uri: str, language: str | None = None) -> Path:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path:
            return Path(path)
        # An unsaved, unnamed buffer: checked as if it were in the workspace's root.
        root = self.workspace.root_path or os.getcwd()
        name = uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "untitled"
        if language == "python" and not name.endswith(".py"):
            name += ".py"
        return Path(root) / name

    def display(self, path: Path) -> str:
        """Relative to the workspace folder holding the file, as a CLI run from there shows it."""
        for folder in [*self.workspace.folders.values(), *([] if not self.workspace.root_path else [None])]:
            base = to_fs_path(folder.uri) if folder is not None else self.workspace.root_path
            if base and os.path.abspath(path).startswith(os.path.abspath(base).rstrip(os.sep) + os.sep):
                return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base))).as_posix()
        return display_path(path)

    def lint(self, path: Path, text: str, kind: str | None) -> tuple[str | None, list[Finding]]:
        """The kind the buffer is read as and its findings, with the settings the CLI would use for its path."""
        display = self.display(path)
        try:
            settings: Settings = self.resolver.for_path(path.absolute())
        except ConfigError as exc:
            return kind, [_parse_error(display, f"configuration error: {exc}")]
        kind = kind_of(path, settings.extensions) or kind
        if kind is None or settings.is_excluded(path.absolute()):
            return kind, []  # as `--force-exclude` does for pre-commit: an excluded file stays quiet
        try:
            return kind, lint_bytes(display, text.encode("utf-8", "surrogatepass"), kind, settings,
                                    settings.ignored_codes(path.absolute()))
        except Exception as exc:  # a bug in greenlint must not cost the editor its server
            log.exception("linting %s failed", path)
            return kind, [_parse_error(display, f"internal error: {type(exc).__name__}: {exc}")]

    def analyse(self, key: str) -> dict[str, list[Located]]:
        """Findings per document URI: one entry for a text document, one per cell for a notebook."""
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is not None:
            return self._analyse_notebook(notebook)
        document = self.workspace.get_text_document(key)
        source = document.source
        stamp = (self.generation, hashlib.blake2b(source.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        cached = self._cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        path = self.path_of(key, document.language_id)
        read_as, findings = self.lint(path, source, LANGUAGE_KINDS.get(document.language_id or ""))
        read_as = read_as or "python"
        result = {key: [Located(f, span_of(f), read_as, editable=read_as != "notebook") for f in findings]}
        self._cache[key] = (stamp, result)
        return result

    def _analyse_notebook(self, notebook: types.NotebookDocument) -> dict[str, list[Located]]:
        cells, uris = [], []
        for cell in notebook.cells:
            document = self.workspace.get_text_document(cell.document)
            if cell.kind == types.NotebookCellKind.Markup:
                kind = MARKDOWN
            else:
                kind = CODE if (document.language_id or "python") == "python" else "raw"
            cells.append((kind, document.source))
            uris.append(cell.document)
        built = build_notebook(cells)
        stamp = (self.generation, hashlib.blake2b(built.text.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        cached = self._cache.get(notebook.uri)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        result: dict[str, list[Located]] = {uri: [] for uri in uris}
        if not uris:
            return result
        _, findings = self.lint(self.path_of(notebook.uri), built.text, "notebook")
        for finding in findings:
            cell, (line, character, end_line, end_character) = built.place(
                finding.line, finding.column, finding.end_line, finding.end_column,
                finding.cell, finding.cell_line, finding.cell_column)
            result[uris[cell]].append(Located(finding, Span(line, character, end_line, end_character), "notebook",
                                              in_cell=True))
        self._cache[notebook.uri] = (stamp, result)
        return result

    def located(self, uri: str) -> list[Located]:
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return self.analyse(notebook.uri if notebook is not None else uri).get(uri, [])

    def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        encoder = Encoder(self.workspace.get_text_document(uri).source, self.encoding)
        return [diagnostic(item, encoder, uri) for item in self.located(uri)]

    # ------------------------------------------------------------------ publishing

    def publish(self, key: str) -> None:
        """Push the diagnostics of a document, or of every cell of a notebook."""
        if self.pulls:
            return
        for uri in self.analyse(key):
            document = self.workspace.get_text_document(uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=self.diagnostics(uri), version=document.version))

    def publish_safely(self, key: str) -> None:
        """For timers: a failure is logged, and the next edit tries again."""
        try:
            if key in self.open_documents or key in self.open_notebooks:  # not closed while a timer waited
                self.publish(key)
        except Exception:
            log.exception("publishing diagnostics for %s failed", key)

    def clear(self, uris: list[str]) -> None:
        """A document or notebook (first) and its cells were closed: forget them, and their diagnostics."""
        self.debouncer.cancel(uris[0] if uris else "")
        for uri in uris:
            self.open_documents.discard(uri)
            self.open_notebooks.discard(uri)
            self._cache.pop(uri, None)
            if not self.pulls:
                self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reload_settings(self) -> None:
        """A configuration file changed: read configurations afresh and check every open document again."""
        self.resolver = ConfigResolver(Overrides())
        self.generation += 1
        self._cache.clear()
        if self.pulls:
            workspace = self.client_capabilities.workspace
            if workspace and workspace.diagnostics and workspace.diagnostics.refresh_support:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in sorted(self.open_documents | self.open_notebooks):
            self.publish_safely(uri)


def is_config_file(uri: str) -> bool:
    return uri.rsplit("/", 1)[-1] in CONFIG_NAMES


def create_server(debounce: float = DEFAULT_DEBOUNCE_S) -> GreenlintServer:
    server = GreenlintServer(debounce)
    _register_sync(server)
    _register_features(server)
    return server


def _register_sync(server: GreenlintServer) -> None:
    @server.feature(types.INITIALIZED)
    def initialized(ls: GreenlintServer, params: types.InitializedParams) -> None:
        watch = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="greenlint-config-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED]),
            )]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GreenlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open_documents.add(params.text_document.uri)
        ls.publish_safely(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GreenlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.debouncer.touch(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GreenlintServer, params: types.DidSaveTextDocumentParams) -> None:
        if is_config_file(params.text_document.uri):
            ls.reload_settings()
        else:
            ls.debouncer.cancel(params.text_document.uri)
            ls.publish_safely(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: GreenlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.clear([params.text_document.uri])

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: GreenlintServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.open_notebooks.add(params.notebook_document.uri)
        ls.publish_safely(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: GreenlintServer, params: types.DidChangeNotebookDocumentParams) -> None:
        closed = params.change.cells and params.change.cells.structure and params.change.cells.structure.did_close
        if closed:  # removed cells: their diagnostics go with them
            ls.clear([cell.uri for cell in closed])
        ls.debouncer.touch(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: GreenlintServer, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.debouncer.cancel(params.notebook_document.uri)
        ls.publish_safely(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: GreenlintServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.clear([params.notebook_document.uri, *(c.uri for c in params.cell_text_documents)])

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: GreenlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_config_file(change.uri) for change in params.changes):
            ls.reload_settings()


def _register_features(server: GreenlintServer) -> None:
    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier="greenlint", inter_file_dependencies=False,
                                            workspace_diagnostics=False))
    def pull(ls: GreenlintServer, params: types.DocumentDiagnosticParams):
        items = ls.diagnostics(params.text_document.uri)
        result_id = f"{ls.generation}-" + hashlib.blake2b(
            repr([(d.code, d.range, d.message) for d in items]).encode(), digest_size=8).hexdigest()
        if params.previous_result_id == result_id:
            return types.UnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: GreenlintServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        encoder = Encoder(ls.workspace.get_text_document(uri).source, ls.encoding)
        line, character = encoder.characters(params.position)
        found = [item for item in ls.located(uri) if item.span.contains(line, character)]
        if not found:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                         value="\n\n---\n\n".join(hover_markdown(item.finding) for item in found)),
            range=encoder.range(found[0].span),
        )

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: GreenlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        text = ls.workspace.get_text_document(uri).source
        encoder = Encoder(text, ls.encoding)
        start = encoder.characters(params.range.start)
        end = encoder.characters(params.range.end)
        wanted = Span(start[0], start[1], end[0], end[1])
        fixes, suppressions = [], []
        for item in ls.located(uri):
            if not item.span.touches(wanted):
                continue
            diag = diagnostic(item, encoder, uri)
            fixes.append(fix_action(item, encoder, uri, diag, text))
            suppressions += [suppress_line_action(item, encoder, uri, diag),
                             suppress_file_action(item, encoder, uri, diag)]
        return [action for action in fixes + suppressions if action is not None]


def warm_up() -> None:
    """Import every detector and frontend now, so that the first file opened waits for none of
    it, then move what is loaded out of the collector's way (a long-lived process: the rule
    catalogue and modules never become garbage)."""
    import gc
    import importlib

    from ..rules import load_rules

    modules = {module for rule in load_rules().values() for module in rule.detectors.values()}
    for module in sorted(modules):
        importlib.import_module(f"greenlint.checks.{module}")
    for frontend in ("python", "notebook", "config"):
        importlib.import_module(f"greenlint.frontends.{frontend}")
    gc.collect()
    gc.freeze()
    # Syntax trees are acyclic and garbage once a check ends: collect less often (as lint_paths does).
    gc.set_threshold(50_000, 20, 100)


def serve(debounce: float = DEFAULT_DEBOUNCE_S) -> None:
    started = time.perf_counter()
    server = create_server(debounce)
    warm_up()
    log.info("greenlint server %s ready in %.0f ms", __version__, (time.perf_counter() - started) * 1000)
    server.start_io()
