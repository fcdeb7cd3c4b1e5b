"""Readers for config files: YAML, JSON, TOML, Terraform (HCL), .env, and
the config files a shell script writes with here-documents.

Every reader returns the same position-aware tree (`Node`), so a config detector is written
once for all kinds. Positions are 1-based lines and columns (columns count characters);
`end_column` is exclusive. Mapping entries also carry the position of their key.

One module per format (yaml_reader, json_reader, toml_reader, hcl, env, shell); templates.py reads
configs that are templates; node.py holds the tree. `parse_config` picks the reader.
"""
from __future__ import annotations

from .context import ConfigContext
from .env import parse_env
from .hcl import HclParser
from .json_reader import parse_json
from .shell import here_document_configs
from .node import MAX_DEPTH, MAX_EXPANDED_NODES, Node
from .templates import TemplateNotChecked, has_placeholders, neutralize_placeholders
from .toml_reader import parse_toml
from .yaml_reader import parse_yaml

__all__ = [
    "MAX_DEPTH", "MAX_EXPANDED_NODES", "ConfigContext", "HclParser", "Node", "TemplateNotChecked",
    "has_placeholders", "neutralize_placeholders", "parse_config",
]


def parse_config(kind: str, text: str) -> list[Node] | None:
    """The documents of a config file; None to skip it quietly (e.g. a Helm template)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if kind == "yaml":
        return parse_yaml(text)
    if kind == "json":
        return parse_json(text)
    if kind == "toml":
        return parse_toml(text)
    if kind == "terraform":
        return [HclParser(text).parse()]
    if kind == "env":
        return [parse_env(text)]
    if kind == "shell":  # rules read a script through its commands (checks/commands.py) and
        return here_document_configs(text)  # through the config files its here-documents write
    raise ValueError(f"not a config kind: {kind}")
