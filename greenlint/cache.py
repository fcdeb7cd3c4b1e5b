"""The findings cache: findings by greenlint version, settings, path shown and content hash.

The folder is marked as a cache (CACHEDIR.TAG, and a .gitignore of `*` so that it never
shows up as untracked in the repository being linted). Folders left by other greenlint
versions are pruned. A cache that cannot be used is ignored, with one warning, and the run
goes on without it; a corrupt entry is recomputed.

A stat index (`StatIndex`) remembers each file's content digest by its size, mtime, ctime and
inode, so a warm run reads only the files that changed.

Entries are `marshal` data, as Python's own `__pycache__` is: it loads with no import (`json` is
a thirtieth of a one-file run) and is read only from a folder this tool wrote.
"""
from __future__ import annotations

import marshal
import os
import sys
import time

from . import __version__
from .finding import Finding
from .paths import is_dir, is_file, mkdir
from .rules import code_fingerprint

try:  # BLAKE2 straight from its module: `hashlib` loads OpenSSL first, 3 ms of a one-file run
    from _blake2 import blake2b as new_hash
except ImportError:  # an interpreter without the private module
    from hashlib import blake2b as new_hash

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from pathlib import Path

    from .config import Settings

CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by greenlint.\n# For information about cache directory tags see https://bford.info/cachedir/\n"
KEEP_VERSIONS = 3  # folders of other greenlint versions kept (an editor and a hook may differ)
STALE_SECONDS = 7 * 24 * 3600  # ... unless unused this long

_FINGERPRINTS: dict[tuple[int, frozenset[str]], tuple[Settings, str]] = {}


def _settings_fingerprint(settings: Settings, ignored: set[str]) -> str:
    """What besides the file's bytes decides its findings. Must not depend on the process (no
    set or hash ordering): the cache is shared between runs."""
    memo_key = (id(settings), frozenset(ignored))
    memo = _FINGERPRINTS.get(memo_key)
    if memo is not None and memo[0] is settings:
        return memo[1]
    state = {
        "enabled": sorted(settings.enabled),
        "options": {c: settings.options.get(c) for c in sorted(settings.enabled)},
        "severity": {c: int(s) for c, s in sorted(settings.severity.items())},
        "ignored": sorted(ignored),
        "region": settings.region,
        "carbon": settings.carbon,
    }  # rule triggers and kinds live in rules/, which the code fingerprint covers
    digest = new_hash(repr(_canonical(state)).encode()).hexdigest()
    _FINGERPRINTS[memo_key] = (settings, digest)
    return digest


class Cache:
    """Findings by (greenlint version, settings, path shown, content) hash. Content hashes,
    not mtimes, because CI checkouts reset mtimes."""

    def __init__(self, folder: str | Path):
        # Paths are strings here and below: pathlib is a sixth of a one-file run served from the cache.
        self.folder = os.path.join(folder, f"{__version__}-{code_fingerprint()}")
        self._prefix = os.path.join(self.folder, "")  # entries are joined as strings: a warm run looks up thousands

    def _entry(self, key: str) -> str:
        return f"{self._prefix}{key[:2]}{os.sep}{key}"

    def key(self, display: str, kind: str, settings: Settings, content: bytes, ignored: set[str]) -> str:
        """The entry of a file whose bytes hash to `content` (`content_digest`)."""
        h = new_hash()
        for part in (display, kind, _settings_fingerprint(settings, ignored)):
            h.update(part.encode())
            h.update(b"\0")
        h.update(content)
        return h.hexdigest()

    def get(self, key: str) -> list[Finding] | None:
        """The cached findings, unless missing, corrupt, or computed from another project file
        (an imported constant) whose content has changed since."""
        try:
            with open(self._entry(key), "rb") as handle:
                raw = marshal.loads(handle.read())
            if any(_digest(path) != digest for path, digest in raw["depends"].items()):
                return None
            return [Finding.from_dict(item) for item in raw["findings"]]
        except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or corrupt: recomputed and rewritten

    def put(self, key: str, findings: list[Finding], depends: set[Path] = frozenset()) -> None:
        entry = {
            "findings": [{**f.to_dict(), "source_line": f.source_line} for f in findings],
            "depends": {str(path): _digest(path) for path in sorted(depends)},
        }
        _write(self._entry(key), entry)


def content_digest(data: bytes) -> bytes:
    return new_hash(data).digest()


class StatIndex:
    """What each file's bytes hashed to, by its stat (size, mtime, ctime, inode), as git's index
    keeps it: a warm run reads no file whose stat is unchanged. Any write to a file changes its
    ctime, which no tool can set back, and a CI checkout's fresh files miss and are read. A file
    changed in the last two seconds is not recorded: a second change within the same clock tick
    would go unseen ("racily clean")."""

    RACY_NS = 2_000_000_000
    MAX_ENTRIES = 200_000  # a cache folder shared by many projects starts afresh past this

    def __init__(self, cache: Cache):
        self.path = os.path.join(cache.folder, "stat-index")
        try:
            with open(self.path, "rb") as handle:
                self.entries: dict[str, tuple] = marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):
            self.entries = {}
        if not isinstance(self.entries, dict) or len(self.entries) > self.MAX_ENTRIES:
            self.entries = {}
        self.changed = False
        self.now = time.time_ns()
        self._cwd = os.path.join(os.getcwd(), "")
        self._stamps: dict[str, tuple[int, int, int, int] | None] = {}  # taken before the file is read

    def known(self, path: str) -> bytes | None:
        """The content digest recorded for `path` if its stat is unchanged. The stat taken here is
        the one `record` stores: taken before the read, so a change after it is seen next run."""
        try:
            stamp: tuple[int, int, int, int] | None = _stamp(os.stat(path))
        except OSError:
            stamp = None
        self._stamps[path] = stamp
        entry = self.entries.get(self._key(path))
        return entry[4] if entry is not None and stamp is not None and entry[:4] == stamp else None

    def record(self, path: str, digest: bytes) -> None:
        stamp = self._stamps.get(path)
        if stamp is None or self.now - max(stamp[1], stamp[2]) < self.RACY_NS:
            return
        entry = (*stamp, digest)
        key = self._key(path)
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self.changed = True

    def _key(self, path: str) -> str:
        return path if os.path.isabs(path) else self._cwd + path

    def save(self) -> None:
        if self.changed:
            _write(self.path, self.entries)


def _stamp(status: os.stat_result) -> tuple[int, int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


class ConfigMemo:
    """Configuration tables by the bytes of their file, so that a run whose configuration has not
    changed parses no TOML (the parser and what it imports are a sixth of a one-file run).

    Tables are looked up in the cache folder known before any configuration is read (flag,
    environment or default), and the tables parsed are saved at the end of the run in the folder
    the run used: a configuration that moves the cache elsewhere is simply parsed every run."""

    def __init__(self, root: str | Path | None):
        self.folder = os.path.join(Cache(root).folder, "config") if root is not None else None
        self.parsed: dict[bytes, dict | None] = {}

    def get(self, data: bytes) -> dict | None:
        """`{"table": ...}` as read before (the table may be None), or None when unknown."""
        if self.folder is None:
            return None
        try:
            with open(os.path.join(self.folder, new_hash(data).hexdigest()), "rb") as handle:
                entry = marshal.loads(handle.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return entry if isinstance(entry, dict) and "table" in entry else None

    def put(self, data: bytes, table: dict | None) -> None:
        self.parsed[data] = table

    def save(self, root: str | Path) -> None:
        folder = os.path.join(Cache(root).folder, "config")
        for data, table in self.parsed.items():
            _write(os.path.join(folder, new_hash(data).hexdigest()), {"table": table})


def _canonical(value):
    """The same value in the same form in every process: mappings and sets sorted."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_canonical(v)) for v in value))
    return value if value is None or isinstance(value, (bool, int, float, str)) else str(value)


def _write(target: str, entry: dict) -> None:
    """Write whole or not at all: concurrent runs and workers may write the same entry."""
    try:
        data = marshal.dumps(entry)
    except ValueError:
        return  # a value marshal cannot hold (a TOML date): recomputed every run
    try:
        mkdir(os.path.dirname(target), parents=True, exist_ok=True)
        tmp = f"{target}.{os.getpid()}.tmp"  # entries' names have no suffix to replace
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only checkout still lints, just without a cache


def _digest(path: str | Path) -> str:
    try:
        with open(path, "rb") as handle:
            return new_hash(handle.read()).hexdigest()
    except OSError:
        return ""


def prepare_cache(root: str) -> str | None:
    """Create and mark the cache folder and prune other versions' folders. Returns None, after
    one warning, when the folder cannot be used."""
    try:
        mkdir(root, parents=True, exist_ok=True)
        tag = os.path.join(root, "CACHEDIR.TAG")
        if not is_file(tag):
            with open(tag, "w", encoding="ascii") as handle:
                handle.write(CACHEDIR_TAG)
            with open(os.path.join(root, ".gitignore"), "w", encoding="ascii") as handle:
                handle.write("# created by greenlint\n*\n")
        current = Cache(root).folder
        mkdir(current, exist_ok=True)
        probe = os.path.join(current, f".probe-{os.getpid()}")
        with open(probe, "wb"):
            pass
        os.unlink(probe)
    except OSError as exc:
        print(f"greenlint: warning: cache folder {root} cannot be used ({exc.strerror or exc}); running without a cache",
              file=sys.stderr)
        return None
    _prune(root, current)
    return root


def _prune(root: str, current: str) -> None:
    folders = (os.path.join(root, name) for name in os.listdir(root))
    others = sorted((p for p in folders if is_dir(p) and p != current), key=lambda p: os.stat(p).st_mtime, reverse=True)
    now = time.time()
    for index, folder in enumerate(others):
        if index >= KEEP_VERSIONS - 1 or now - os.stat(folder).st_mtime > STALE_SECONDS:
            import shutil  # only when there is an old folder to delete

            shutil.rmtree(folder, ignore_errors=True)
