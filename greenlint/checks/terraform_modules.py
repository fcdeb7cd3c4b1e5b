"""What a Terraform module places, for GL401: a region in a module whose resources are all
stores (buckets, registries) places data, not compute. A module is its folder: the resources
of all its `.tf` files count, each read (never run) and parsed once per run; so do the variable
files Terraform loads by itself (`terraform.tfvars`, `*.auto.tfvars`), whose values replace the
defaults. Not a rule.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..frontends.project import read_once
from .cloud import key_words


def places_only_data(ctx, doc, words: frozenset[str]) -> bool:
    """The document's provider region, variables and locals place only stores. A provider block,
    variables and locals belong to the module, and a module is its folder: every resource its
    `.tf` files declare (this file's and its siblings') must be a store, and none may call a
    module (whose resources are not known here). A bucket in `main.tf` beside a `lambda.tf` does
    not make the provider's region a store's."""
    if doc.is_map and doc.get("module") is not None:
        return False
    siblings = _sibling_kinds(ctx)
    return siblings is not None and _only_stores(_placed_kinds(doc) + siblings, words)


def called_module_places_only_data(ctx, doc, name, words: frozenset[str]) -> bool:
    """`module "NAME" { source = "../modules/state" ... }`: the module the block calls, a folder of
    the project (a local `source`), declares only stores and calls no module, so every argument
    the block gives it (`rg_location = "East US"`) places data. A registry or Git source is not
    read: what it places is not in the project."""
    block = doc.find("module", name)
    source = block.get("source") if block is not None and block.is_map else None
    path = source.value if source is not None and source.is_scalar else None
    here = Path(ctx.path)
    if not isinstance(path, str) or not path.startswith(("./", "../")) or not here.is_file():
        return False
    from ..frontends.project import record

    kinds: list[str] = []
    for module_file in sorted((here.parent / path).glob("*.tf"))[:MODULE_FILES]:
        record(module_file)  # an edit of the module changes the findings of the file that calls it
        read = read_once(_FOLDER_FILES, module_file, _read_module_file)
        if read is None or read[0] is None:
            return False
        kinds += read[0]
    return _only_stores(kinds, words)


def _placed_kinds(doc) -> list[str]:
    """The resource types a Terraform document declares, less those of regionless providers."""
    resources = doc.get("resource") if doc.is_map else None
    if resources is None or not resources.is_map:
        return []
    return [str(kind) for kind in resources.value if str(kind).split("_")[0] not in REGIONLESS_PROVIDERS]


def _only_stores(kinds: list[str], words: frozenset[str]) -> bool:
    return bool(kinds) and all(key_words(kind) & words or kind.endswith(CONTAINER_SUFFIXES) for kind in kinds)


# An Azure resource group holds other resources' metadata and runs nothing (`az group create`
# places nothing either): a module of resource groups and stores places no compute.
CONTAINER_SUFFIXES = ("_resource_group",)


MODULE_FILES = 50  # .tf files of one folder read to learn what a module places
# Providers whose resources live in Terraform's own state or on the machine running it, in no region.
REGIONLESS_PROVIDERS = ("null", "random", "local", "time", "terraform", "tls", "archive", "external")
# Per .tf file, by (size, mtime): (its placed resource types, or None when it calls a module or
# does not parse; the input variables it reads), or None when it cannot be read. Each file of a
# folder asks about its siblings: each is read and parsed once.
_FOLDER_FILES: dict[Path, tuple[tuple[int, int], tuple[list[str] | None, frozenset[str]] | None]] = {}


def _parsed(path: Path, kind: str) -> list | None:
    """The documents of a file beside the one being linted (read, never run), or None when it
    cannot be read or parsed."""
    try:
        return _parse(path.read_text(encoding="utf-8"), kind)
    except (OSError, UnicodeDecodeError):
        return None


def _parse(text: str, kind: str) -> list | None:
    from ..frontends.base import FrontendError
    from ..frontends.config import parse_config

    try:
        return parse_config(kind, text) or []
    except FrontendError:
        return None


def _read_module_file(path: Path) -> tuple[list[str] | None, frozenset[str], frozenset[str]] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    documents = _parse(text, "terraform")
    calls_module = documents is None or any(doc.is_map and doc.get("module") is not None for doc in documents)
    kinds = None if calls_module else [kind for doc in documents for kind in _placed_kinds(doc)]  # type: ignore[union-attr]
    return kinds, frozenset(_VARIABLE_READ.findall(text)), frozenset(_REFERENCE.findall(text))


def _siblings(ctx) -> list[tuple[list[str] | None, frozenset[str], frozenset[str]] | None] | None:
    """What each other `.tf` file of this file's folder places and reads (see `_read_module_file`),
    or None for text that is not a file."""
    from ..frontends.project import record

    here = Path(ctx.path)
    if not here.is_file():
        return None
    found = []
    for sibling in sorted(here.parent.glob("*.tf"))[:MODULE_FILES]:
        if sibling.name != here.name:
            record(sibling)  # also one that cannot be read yet: fixing it changes the findings
            found.append(read_once(_FOLDER_FILES, sibling, _read_module_file))
    return found


def _sibling_kinds(ctx) -> list[str] | None:
    """The resource types the other `.tf` files of this file's folder declare (none for text that is
    not a file), or None when one of them calls a module or cannot be read."""
    kinds: list[str] = []
    for sibling in _siblings(ctx) or ():
        if sibling is None or sibling[0] is None:
            return None
        kinds += sibling[0]
    return kinds


# Variable files Terraform loads from the module's folder without being asked (its documented
# precedence: they override a variable's default; `-var-file` ones are chosen per run, not here).
AUTO_LOADED_VARIABLE_FILES = ("terraform.tfvars", "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json")
_VARIABLE_FILES: dict[Path, tuple[tuple[int, int], frozenset[str] | None]] = {}


def variables_set_beside(ctx) -> frozenset[str]:
    """The variables that the auto-loaded variable files of this file's folder set: their defaults
    are not what runs (the value set is checked in its own file)."""
    from ..frontends.project import record

    here = Path(ctx.path)
    if not here.is_file():
        return frozenset()
    names: set[str] = set()
    for candidate in sorted({p for pattern in AUTO_LOADED_VARIABLE_FILES for p in here.parent.glob(pattern)}):
        if candidate != here and candidate.is_file():
            record(candidate)  # read whatever it holds: an edit that sets a variable changes the findings
            names |= read_once(_VARIABLE_FILES, candidate, _read_assigned) or frozenset()
    return frozenset(names)


def _read_assigned(path: Path) -> frozenset[str] | None:
    documents = _parsed(path, "json" if path.name.endswith(".json") else "terraform")
    if documents is None:
        return None
    return frozenset(str(key) for doc in documents if doc.is_map for key in doc.value)


# `var.NAME`: the one way a module's code reads its input variable NAME (HCL expressions).
_VARIABLE_READ = re.compile(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")


def variables_read(ctx) -> frozenset[str] | None:
    """The input variables the module reads (`var.NAME` in this file or a sibling `.tf` file), or
    None when that cannot be told: text that is not a file, a file alone in its folder (an
    excerpt, whose readers are elsewhere), a sibling that cannot be read. A variable no
    expression of its module reads places nothing, whatever its default."""
    siblings = _siblings(ctx)
    if not siblings or any(sibling is None for sibling in siblings):
        return None
    return frozenset(_VARIABLE_READ.findall(ctx.text)).union(*(reads for _, reads, _ in siblings))  # type: ignore[misc]


# `TYPE.NAME`: how an expression names a provider configuration (`aws.virginia`), among others.
# A reference to a block (`aws.virginia`, `azurerm_resource_group.rg`), less one that takes only its
# name or id (`azurerm_resource_group.rg.name`: a resource placed in the group by name, where it says).
_REFERENCE = re.compile(r"\b[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?![A-Za-z0-9_-])(?!\.(?:name|id)\b)")


def alias_only_looks_up(ctx, doc, reference: str) -> bool:
    """An aliased provider configuration (`provider "aws" { alias = "virginia" }`) that only data
    sources use (`data "aws_ecrpublic_authorization_token" ... { provider = aws.virginia }`, a
    lookup of an ECR Public token, which lives in us-east-1), or that no block names at all (kept
    for an optional certificate): its region places nothing. Not when a resource or module of
    this file, or any other `.tf` file of the module, names it."""
    uses = [path for path, node in doc.walk() if path and node.is_scalar and node.value == reference
            and path[-1] != "alias"]
    if any(path[0] != "data" for path in uses):
        return False
    siblings = _siblings(ctx)
    if siblings is None or any(sibling is None or reference in sibling[2] for sibling in siblings):
        return False
    # named by no block: only where the folder has blocks that could (providers alone are an excerpt)
    return bool(uses) or any(doc.get(block) is not None for block in ("resource", "module")) \
        or any(sibling[0] is None or sibling[0] for sibling in siblings)  # type: ignore[index]


def group_location_places_nothing(ctx, doc, reference: str, words: frozenset[str]) -> bool:
    """A resource group's own location (`azurerm_resource_group.rg`) places what takes it: nothing
    when no block of the module does (every resource is placed in the group by name only,
    `resource_group_name = azurerm_resource_group.rg.name`, with a location of its own), or when
    only stores of this file do (`location = azurerm_resource_group.rg.location` on a storage
    account). A module block or another file that takes it may place compute there; so may what
    cannot be read (text that is not a file, a sibling that does not parse)."""
    for path, node in doc.walk():
        if len(path) > 2 and path[0] in ("resource", "module") and node.is_scalar and isinstance(node.value, str) \
                and reference in _REFERENCE.findall(node.value):
            if path[0] == "module" or not _only_stores([str(path[1])], words):
                return False
    siblings = _siblings(ctx)
    return siblings is not None and all(sibling is not None and reference not in sibling[2] for sibling in siblings)


# Another resource named by its name or id (`google_container_cluster.gpu.name`), the form `_REFERENCE`
# leaves out: a resource that names another this way is attached to it.
_RESOURCE_REFERENCE = re.compile(r"\b([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)\.(?:name|id|self_link)\b")


def resource_it_belongs_to(doc, path: tuple, spec: str, depth: int = 0) -> tuple | None:
    """A Terraform resource that names another resource of the file placed in the same region
    (`google_container_node_pool` with `cluster = google_container_cluster.gpu.name` and the
    cluster's `location`; a Cloud Run service and the VPC connector it names): part of that
    placement, reported once for all the resources so linked."""
    if len(path) < 4 or path[0] != "resource" or depth > 4:
        return None
    block = doc.find(*path[:3])
    for _, node in (block.walk() if block is not None else ()):
        if not (node.is_scalar and isinstance(node.value, str)):
            continue
        for kind, name in _RESOURCE_REFERENCE.findall(node.value):
            other = doc.find("resource", kind, name)
            region = next((other.get(key) for key in ("region", "location") if other.get(key) is not None), None) \
                if other is not None and other.is_map else None
            if region is not None and region.is_scalar and isinstance(region.value, str) \
                    and spec.endswith(":" + region.value.lower()):
                return resource_it_belongs_to(doc, ("resource", kind, name, path[-1]), spec, depth + 1) \
                    or ("resource", kind, name)
    return None
