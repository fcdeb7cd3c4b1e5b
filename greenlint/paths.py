"""File paths as strings, spelled and tested as `pathlib` spells and tests them.

`pathlib` imports `urllib.parse`, `ipaddress`, `fnmatch` and `ntpath`: a sixth of a one-file run
served from the cache (the pre-commit case), which needs a handful of path operations. The modules
on that path use these instead; each gives what its `pathlib` counterpart gives, so messages and
paths read the same. On Windows, spelling (drives, both separators) is left to `pathlib` itself.
"""
from __future__ import annotations

import errno
import os
import stat

# Errors that mean "not there", as pathlib's is_file/is_dir/exists read them; others propagate.
_NOT_THERE = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)
_NOT_THERE_WINDOWS = (21, 123, 1921)  # not ready, invalid name, cannot resolve the name


def _split(path: str) -> tuple[str, list[str]]:
    """The root (`/`, or `//`, which POSIX lets mean something else) and the parts of a POSIX path."""
    root = ""
    if path.startswith("/"):
        root = "//" if path.startswith("//") and not path.startswith("///") else "/"
    return root, [part for part in path.split("/") if part and part != "."]


def pure(path: str | os.PathLike) -> str:
    """`str(Path(path))`: without `.` parts and doubled or trailing separators."""
    path = os.fspath(path)
    if os.name == "nt":
        from pathlib import Path

        return str(Path(path))
    root, parts = _split(path)
    return root + "/".join(parts) or "."


def absolute(path: str | os.PathLike) -> str:
    """`str(Path(path).absolute())`: joined to the current folder, `..` kept."""
    return pure(os.path.join(os.getcwd(), os.fspath(path)))


def parent(path: str | os.PathLike) -> str:
    """`str(Path(path).parent)`."""
    path = os.fspath(path)
    if os.name == "nt":
        from pathlib import Path

        return str(Path(path).parent)
    root, parts = _split(path)
    return root + "/".join(parts[:-1]) or "."


def resolve(path: str | os.PathLike) -> str:
    """`str(Path(path).resolve())`: absolute, symbolic links followed; a link loop raises
    RuntimeError, as pathlib's does."""
    resolved = os.path.realpath(path)
    try:
        os.stat(resolved)
    except OSError as exc:
        if exc.errno == errno.ELOOP or getattr(exc, "winerror", 0) == 1921:
            raise RuntimeError(f"Symlink loop from {exc.filename!r}")
    return pure(resolved)


def _mode(path: str | os.PathLike, follow: bool = True) -> int:
    """The file's mode, 0 when it is not there."""
    try:
        return (os.stat(path) if follow else os.lstat(path)).st_mode
    except OSError as exc:
        if exc.errno in _NOT_THERE or getattr(exc, "winerror", None) in _NOT_THERE_WINDOWS:
            return 0
        raise
    except ValueError:  # a path the system cannot encode
        return 0


def exists(path: str | os.PathLike) -> bool:
    return _mode(path) != 0


def is_file(path: str | os.PathLike) -> bool:
    return stat.S_ISREG(_mode(path))


def is_dir(path: str | os.PathLike) -> bool:
    return stat.S_ISDIR(_mode(path))


def is_symlink(path: str | os.PathLike) -> bool:
    return stat.S_ISLNK(_mode(path, follow=False))


def mkdir(path: str | os.PathLike, parents: bool = False, exist_ok: bool = False) -> None:
    """`Path(path).mkdir(parents=..., exist_ok=...)`."""
    path = os.fspath(path)
    try:
        os.mkdir(path)
    except FileNotFoundError:
        above = parent(path)
        if not parents or above == path:
            raise
        mkdir(above, parents=True, exist_ok=True)
        mkdir(path, exist_ok=exist_ok)
    except OSError:
        if not exist_ok or not is_dir(path):
            raise
