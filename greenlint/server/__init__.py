"""`greenlint server`: a Language Server Protocol server over stdio (needs `greenlint[lsp]`)."""
from __future__ import annotations

import argparse
import logging
import sys

__all__ = ["main"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="greenlint server",
        description="Speak the Language Server Protocol over stdio, so that editors show findings as you type.",
    )
    parser.add_argument("--stdio", action="store_true", help="accepted for editors that pass it; stdio is the only transport")
    parser.add_argument("--debounce-ms", type=float, default=75.0,
                        help="while typing, wait this long after the last edit before checking again (default 75)")
    parser.add_argument("--log-file", help="write the server's log here (stdout is the protocol's)")
    parser.add_argument("--log-level", default="WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    args = parser.parse_args(argv)
    if args.debounce_ms < 0:
        parser.error("--debounce-ms must not be negative")
    try:
        from .server import serve
    except ImportError as exc:
        print(f"greenlint: error: the language server needs pygls ({exc}); install it with: pip install 'greenlint[lsp]'",
              file=sys.stderr)
        return 2
    logging.basicConfig(filename=args.log_file, level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # stderr unless a file is given
    serve(args.debounce_ms / 1000)
    return 0
