"""YAML read with limits: size, expanded size (aliases) and nesting, before any object is built.

PyYAML shares aliased nodes instead of copying them, so a 1.3 KB "billion laughs" file
parses quickly; the blow-up comes later, when the metadata is walked or serialised (21 GB in
an ingest). The limits here are checked on the composed node graph, counting every alias
as the whole subtree it stands for, so nothing downstream ever sees such a document.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode


@dataclass(frozen=True)
class YamlLimits:
    """How much YAML one file may hold.

    Attributes:
        max_bytes: Size of the YAML text in UTF-8 bytes.
        max_values: Scalars, lists and mappings after expanding every alias.
    """

    max_bytes: int
    max_values: int


METADATA_LIMITS = YamlLimits(max_bytes=64 * 1024, max_values=5_000)
"""Front matter and sidecars: a few dozen fields."""
MANIFEST_LIMITS = YamlLimits(max_bytes=1024 * 1024, max_values=200_000)
"""``glossary.yaml`` and ``sources.yaml`` (today 37 KB and 9 KB)."""


class YamlTooBig(ValueError):
    """The YAML is over a limit; the message says which and by how much."""


def load_bounded(text: str, loader: type[yaml.SafeLoader], limits: YamlLimits) -> object:
    """Parse one YAML document with a safe loader, refusing it when over ``limits``.

    Args:
        text: The YAML text.
        loader: A ``yaml.SafeLoader`` (sub)class.
        limits: The limits to enforce.

    Returns:
        The constructed document (None for an empty one).

    Raises:
        YamlTooBig: Over the size, expansion or nesting limit.
        yaml.YAMLError: Not valid YAML.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise YamlTooBig(f"YAML too large: {size:,} bytes (at most {limits.max_bytes:,})")
    parser = loader(text)
    try:
        try:
            node = parser.get_single_node()
        except RecursionError:
            raise YamlTooBig("YAML nested too deeply") from None
        if node is None:
            return None
        values = _expanded_size(node, limits.max_values)
        if values > limits.max_values:
            raise YamlTooBig(
                f"YAML expands to more than {limits.max_values:,} values "
                "(aliases '*name' repeat what '&name' marks)"
            )
        return parser.construct_document(node)
    finally:
        parser.dispose()


def _expanded_size(root: Node, cap: int) -> int:
    """Values under ``root`` with aliases expanded, counted without expanding (memoised)."""
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    # Iterative post-order walk: a deep document must not exhaust Python's stack here.
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if not done and id(node) in entered:
            # Everything pushed after a node is below it, so meeting it again unfinished
            # means it contains itself: an endless expansion.
            raise YamlTooBig("YAML refers to itself through an alias")
        entered.add(id(node))
        children = _children(node)
        if done or not children:
            total = 1 + sum(sizes.get(id(c), 0) for c in children)
            sizes[id(node)] = min(total, cap + 1)  # capped: the count only needs to pass cap
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
