"""What a Terraform module places, for GL401: a region in a module whose resources are all
stores (buckets, registries) places data, not compute. A module is its folder: a file that
declares no resource itself (`variables.tf`, `providers.tf`) places what the other `.tf` files
of its folder declare, read (never run) and parsed once per run. Not a rule.
"""
from __future__ import annotations

from pathlib import Path

from ..frontends.project import read_once
from .cloud import key_words


def places_only_data(ctx, doc, words: frozenset[str]) -> bool:
    """The document's provider region, variables and locals place only stores: its own resources
    are all stores, or it declares none and its folder's other files declare only stores."""
    return _terraform_places_only_data(doc, words) or (
        not _declares_resources(doc) and _terraform_module_places_only_data(ctx, words))


def _declares_resources(doc) -> bool:
    resources = doc.get("resource") if doc.is_map else None
    return resources is not None and resources.is_map and bool(resources.value)


def _placed_kinds(doc) -> list[str]:
    """The resource types a Terraform document declares, less those of regionless providers."""
    resources = doc.get("resource") if doc.is_map else None
    if resources is None or not resources.is_map:
        return []
    return [str(kind) for kind in resources.value if str(kind).split("_")[0] not in REGIONLESS_PROVIDERS]


def _only_stores(kinds: list[str], words: frozenset[str]) -> bool:
    return bool(kinds) and all(key_words(kind) & words for kind in kinds)


def _terraform_places_only_data(doc, words: frozenset[str]) -> bool:
    """A Terraform file whose resources are all stores (`aws_ecr_repository`, `aws_s3_bucket`)
    and that calls no module (whose resources are not known here): its provider and
    `variable "region"` place those stores, not compute."""
    calls_module = doc.is_map and doc.get("module") is not None
    return not calls_module and _only_stores(_placed_kinds(doc), words)


MODULE_FILES = 50  # .tf files of one folder read to learn what a module places
# Providers whose resources live in Terraform's own state or on the machine running it, in no region.
REGIONLESS_PROVIDERS = ("null", "random", "local", "time", "terraform", "tls", "archive", "external")
# Per .tf file, by (size, mtime): its placed resource types, or None when it calls a module or
# cannot be read. Each file of a folder asks about its siblings: each is parsed once.
_FOLDER_FILES: dict[Path, tuple[tuple[int, int], list[str] | None]] = {}


def _file_kinds(path: Path) -> list[str] | None:
    return read_once(_FOLDER_FILES, path, _read_kinds)


def _read_kinds(path: Path) -> list[str] | None:
    from ..frontends.base import FrontendError
    from ..frontends.config import parse_config

    try:
        documents = parse_config("terraform", path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, FrontendError):
        return None
    calls_module = any(doc.is_map and doc.get("module") is not None for doc in documents)
    return None if calls_module else [kind for doc in documents for kind in _placed_kinds(doc)]


def _terraform_module_places_only_data(ctx, words: frozenset[str]) -> bool:
    """A Terraform module is its folder: a file that declares no resource itself (`variables.tf`,
    `providers.tf`) places what the other `.tf` files of its folder declare. True when they declare
    resources, all of them stores, and call no further module (whose resources are unknown here)."""
    from ..frontends.project import record

    here = Path(ctx.path)
    if not here.is_file():
        return False
    kinds: list[str] = []
    for sibling in sorted(here.parent.glob("*.tf"))[:MODULE_FILES]:
        if sibling.name == here.name:
            continue
        found = _file_kinds(sibling)
        if found is None:
            return False
        record(sibling)
        kinds += found
    return _only_stores(kinds, words)
