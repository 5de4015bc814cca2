"""Where a canvas's edges run: from a side of one node to a side of another, as a curve.

An edge whose sides are not given leaves and enters by the sides that face each other, as
Obsidian draws it. Coordinates are the canvas's own; :func:`bounds` gives the box around them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from notesite.canvas.model import Canvas, Edge, Node, Side

#: Room around the outermost nodes, in canvas units.
PADDING = 40.0
ARROW_LENGTH, ARROW_WIDTH = 14.0, 10.0
_NORMALS: dict[Side, tuple[float, float]] = {
    "top": (0.0, -1.0),
    "right": (1.0, 0.0),
    "bottom": (0.0, 1.0),
    "left": (-1.0, 0.0),
}


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class EdgeShape:
    path: str
    """The SVG path of the curve."""
    arrows: tuple[str, ...]
    """An SVG path for each arrow head (a triangle)."""
    middle: tuple[float, float]
    """Where the label goes: the curve's midpoint."""


def bounds(canvas: Canvas) -> Box:
    """The box holding every node, :data:`PADDING` around it."""
    if not canvas.nodes:
        return Box(0.0, 0.0, 2 * PADDING, 2 * PADDING)
    left = min(n.x for n in canvas.nodes)
    top = min(n.y for n in canvas.nodes)
    right = max(n.x + n.width for n in canvas.nodes)
    bottom = max(n.y + n.height for n in canvas.nodes)
    return Box(
        left - PADDING, top - PADDING, right - left + 2 * PADDING, bottom - top + 2 * PADDING
    )


def _center(node: Node) -> tuple[float, float]:
    return node.x + node.width / 2, node.y + node.height / 2


def facing_sides(start: Node, end: Node) -> tuple[Side, Side]:
    """The sides by which a line from ``start`` to ``end`` leaves one node and enters the other."""
    (x1, y1), (x2, y2) = _center(start), _center(end)
    dx, dy = x2 - x1, y2 - y1
    if abs(dx) * start.height >= abs(dy) * start.width:
        return ("right", "left") if dx >= 0 else ("left", "right")
    return ("bottom", "top") if dy >= 0 else ("top", "bottom")


def anchor(node: Node, side: Side) -> tuple[float, float]:
    """The middle of one side of a node."""
    x, y = _center(node)
    if side == "top":
        return x, node.y
    if side == "bottom":
        return x, node.y + node.height
    if side == "left":
        return node.x, y
    return node.x + node.width, y


def _arrow(tip: tuple[float, float], side: Side) -> str:
    """A triangle pointing at ``tip`` from outside the node's ``side``."""
    nx, ny = _NORMALS[side]
    bx, by = tip[0] + nx * ARROW_LENGTH, tip[1] + ny * ARROW_LENGTH
    px, py = -ny * ARROW_WIDTH / 2, nx * ARROW_WIDTH / 2
    return f"M{_n(tip[0])} {_n(tip[1])}L{_n(bx + px)} {_n(by + py)}L{_n(bx - px)} {_n(by - py)}Z"


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def edge_shape(edge: Edge, start: Node, end: Node) -> EdgeShape:
    guessed = facing_sides(start, end)
    from_side, to_side = edge.from_side or guessed[0], edge.to_side or guessed[1]
    p0, p3 = anchor(start, from_side), anchor(end, to_side)
    reach = min(max(math.dist(p0, p3) / 2, 40.0), 150.0)
    n0, n3 = _NORMALS[from_side], _NORMALS[to_side]
    p1 = p0[0] + n0[0] * reach, p0[1] + n0[1] * reach
    p2 = p3[0] + n3[0] * reach, p3[1] + n3[1] * reach
    path = "M{} {}C{} {} {} {} {} {}".format(*map(_n, (*p0, *p1, *p2, *p3)))
    arrows = []
    if edge.from_end == "arrow":
        arrows.append(_arrow(p0, from_side))
    if edge.to_end == "arrow":
        arrows.append(_arrow(p3, to_side))
    middle = (
        (p0[0] + 3 * p1[0] + 3 * p2[0] + p3[0]) / 8,
        (p0[1] + 3 * p1[1] + 3 * p2[1] + p3[1]) / 8,
    )
    return EdgeShape(path, tuple(arrows), middle)
