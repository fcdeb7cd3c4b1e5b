"""A small JSON-RPC client for the language server tests and the latency benchmark: it starts
`greenlint server` as a child process and talks LSP to it over its stdin and stdout."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

TIMEOUT = 20.0  # seconds for any one answer: generous for a loaded CI machine, finite for a hung server


class LspError(Exception):
    pass


class LspClient:
    def __init__(self, cwd: Path, args: tuple[str, ...] = (), env: dict[str, str] | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "greenlint", "server", *args],
            cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        self._next_id = 0
        self._responses: dict[int, queue.Queue] = {}
        self.notifications: queue.Queue = queue.Queue()
        self.requests_from_server: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=lambda: self._stderr.extend(self.process.stderr), daemon=True).start()

    # -------------------------------------------------------------- wire
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.partition(b":")
                if name.lower() == b"content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server: say yes
                self.requests_from_server.append(message)
                self._send({"id": message["id"], "result": None})
            elif "id" in message:
                self._responses.setdefault(message["id"], queue.Queue()).put(message)
            else:
                self.notifications.put(message)

    # -------------------------------------------------------------- protocol
    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        return self.request_raw(method, params, timeout).get("result")

    def request_raw(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        self._next_id += 1
        number = self._next_id
        self._responses.setdefault(number, queue.Queue())
        self._send({"id": number, "method": method, "params": params})
        try:
            return self._responses[number].get(timeout=timeout)
        except queue.Empty:
            raise LspError(f"no answer to {method} in {timeout} s; server stderr: {self.stderr()}") from None

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"method": method, "params": params})

    def wait_for(self, method: str, match: Callable[[dict], bool] = lambda p: True, timeout: float = TIMEOUT) -> dict:
        """The params of the next notification `method` that `match` accepts (others are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LspError(f"no {method} in {timeout} s; server stderr: {self.stderr()}")
            try:
                message = self.notifications.get(timeout=left)
            except queue.Empty:
                continue
            if message.get("method") == method and match(message.get("params") or {}):
                return message["params"]

    def initialize(self, root: Path, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": capabilities if capabilities is not None else {},
        })
        self.notify("initialized", {})
        return result

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
        """The next published diagnostics of `uri` (for `version` when given)."""
        params = self.wait_for("textDocument/publishDiagnostics",
                               lambda p: p["uri"] == uri and (version is None or p.get("version") == version), timeout)
        return params["diagnostics"]

    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")[-3000:]

    def close(self) -> int:
        try:
            if self.process.poll() is None:
                self.request("shutdown", timeout=10)
                self.notify("exit")
            return self.process.wait(timeout=10)
        except (LspError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=10)
            return -9
        finally:
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
