"""YAML: documents composed by PyYAML, converted to `Node` trees with aliases and merge keys expanded."""
from __future__ import annotations

from typing import Any

from ..base import FrontendError
from .node import MAX_DEPTH, MAX_EXPANDED_NODES, Node, keyed
from .templates import has_placeholders, neutralize_placeholders, template_error


def _yaml_loader():
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> list[Node] | None:
    yaml, loader = _yaml_loader()
    try:
        composed = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError as exc:
        if not has_placeholders(text):
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            raise FrontendError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", line, column) from None
        try:
            composed = list(yaml.compose_all(neutralize_placeholders(text), Loader=loader))
        except yaml.YAMLError as again:
            mark = getattr(again, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            raise template_error("YAML", str(getattr(again, "problem", None) or again), line, column) from None
    except RecursionError:
        raise FrontendError("YAML nested too deeply") from None
    docs = []
    sizes: dict[int, int] = {}
    for doc in composed:
        if doc is None or (isinstance(doc, yaml.ScalarNode) and doc.tag == "tag:yaml.org,2002:null"):
            continue  # an empty document (only a comment between two `---`)
        _expanded_size(doc, sizes, set())
        docs.append(_YamlConverter(yaml).convert(doc, 0))
    return docs


def _expanded_size(node: Any, sizes: dict[int, int], active: set[int]) -> int:
    """Number of nodes once aliases are expanded; refuses alias bombs and recursive aliases."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise FrontendError("recursive YAML alias", node.start_mark.line + 1, node.start_mark.column + 1)
    if len(active) > MAX_DEPTH:
        raise FrontendError("YAML nested too deeply", node.start_mark.line + 1, node.start_mark.column + 1)
    active.add(key)
    total = 1
    value = node.value
    if isinstance(value, list):
        for item in value:
            if isinstance(item, tuple):
                total += _expanded_size(item[0], sizes, active) + _expanded_size(item[1], sizes, active)
            else:
                total += _expanded_size(item, sizes, active)
            if total > MAX_EXPANDED_NODES:
                break
    active.discard(key)
    if total > MAX_EXPANDED_NODES:
        raise FrontendError(
            f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes: refused",
            node.start_mark.line + 1, node.start_mark.column + 1)
    sizes[key] = total
    return total


class _YamlConverter:
    _SCALAR_TAGS = {
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null",
    }

    def __init__(self, yaml: Any):
        self.yaml = yaml
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def _pos(self, ynode: Any) -> tuple[int, int, int, int]:
        s, e = ynode.start_mark, ynode.end_mark
        return s.line + 1, s.column + 1, e.line + 1, e.column + 1

    def convert(self, ynode: Any, depth: int) -> Node:
        yaml = self.yaml
        pos = self._pos(ynode)
        if isinstance(ynode, yaml.ScalarNode):
            value: Any = ynode.value
            if ynode.tag in self._SCALAR_TAGS:
                try:
                    value = self.constructor.construct_object(ynode, deep=False)
                except Exception:  # e.g. an int too odd to construct: keep the text
                    value = ynode.value
            return Node("scalar", value, *pos, tag=ynode.tag)
        if isinstance(ynode, yaml.SequenceNode):
            return Node("seq", [self.convert(child, depth + 1) for child in ynode.value], *pos, tag=ynode.tag)
        out: dict[str, Node] = {}
        merged: dict[str, Node] = {}
        for knode, vnode in ynode.value:
            if knode.tag == "tag:yaml.org,2002:merge":
                # `<<: *base` (or a list of them): keys of the base, unless set explicitly
                sources = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
                for src in sources:
                    if isinstance(src, yaml.MappingNode):
                        for k, v in self.convert(src, depth + 1).value.items():
                            merged.setdefault(k, v)
                continue
            key = knode.value if isinstance(knode, yaml.ScalarNode) else str(self.convert(knode, depth + 1).plain())
            child = self.convert(vnode, depth + 1)
            out[str(key)] = keyed(child, str(key), knode.start_mark.line + 1, knode.start_mark.column + 1)
        for k, v in merged.items():
            out.setdefault(k, v)
        return Node("map", out, *pos, tag=ynode.tag)
