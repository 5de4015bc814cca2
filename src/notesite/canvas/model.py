"""The nodes and edges of a canvas, as JSON Canvas 1.0 defines them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Side = Literal["top", "right", "bottom", "left"]
End = Literal["none", "arrow"]
NodeType = Literal["text", "file", "link", "group"]
SIDES: tuple[Side, ...] = ("top", "right", "bottom", "left")


@dataclass(frozen=True, slots=True)
class Node:
    """One node; which of the optional fields mean something depends on :attr:`type`."""

    id: str
    type: NodeType
    x: float
    y: float
    width: float
    height: float
    line: int
    """The line of the canvas file the node is written on (for messages)."""
    color: str | None = None
    """A preset (``"1"`` to ``"6"``) or a hex color (``#ff0000``)."""
    text: str = ""
    """A text node's Markdown."""
    file: str = ""
    """A file node's vault path."""
    subpath: str = ""
    """A file node's ``#heading`` or ``#^block``."""
    url: str = ""
    """A link node's URL."""
    label: str = ""
    """A group's label."""
    background: str = ""
    """A group's background image (a vault path)."""
    background_style: str = ""
    """``cover``, ``ratio`` or ``repeat``."""


@dataclass(frozen=True, slots=True)
class Edge:
    id: str
    from_node: str
    to_node: str
    line: int
    from_side: Side | None = None
    to_side: Side | None = None
    from_end: End = "none"
    to_end: End = "arrow"
    color: str | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Canvas:
    """Nodes in the file's order (the first one lowest), and the edges between them."""

    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
