"""Read a ``.canvas`` file into a :class:`~notesite.canvas.model.Canvas`.

Reading never fails: broken JSON gives an empty canvas, and a node or edge that cannot be used
(an unknown type, a missing position, an edge to no node) is left out; each is a
:class:`~notesite.problems.Problem` naming the file and, where it can be found, the line.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from notesite.canvas.model import SIDES, Canvas, Edge, End, Node, NodeType, Side
from notesite.paths import VaultPath
from notesite.problems import Problem

NODE_TYPES: tuple[NodeType, ...] = ("text", "file", "link", "group")
_ID = re.compile(r'"id"\s*:\s*"((?:[^"\\\n]|\\.)*)"')
_COLOR = re.compile(r"[1-6]|#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_BACKGROUND_STYLES = ("cover", "ratio", "repeat")


def parse_canvas(path: VaultPath, text: str) -> tuple[Canvas, list[Problem]]:
    """The canvas a file holds, and what was wrong with it."""
    problems: list[Problem] = []

    def report(line: int | None, message: str) -> None:
        problems.append(Problem(path, line, message, "canvas"))

    if not text.strip():
        return Canvas(), problems  # a canvas just created in Obsidian is an empty file
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        report(error.lineno, f"is not valid JSON ({error.msg}); the canvas is shown empty")
        return Canvas(), problems
    if not isinstance(data, dict):
        report(1, "is not a JSON Canvas (its JSON is not an object); the canvas is shown empty")
        return Canvas(), problems
    lines = _id_lines(text)
    nodes: list[Node] = []
    seen: set[str] = set()
    for item in _list(data, "nodes", report):
        node = _node(item, lines, report)
        if node is None:
            continue
        if node.id in seen:
            report(node.line, f"has a second node with id '{node.id}'; it is left out")
            continue
        seen.add(node.id)
        nodes.append(node)
    edges: list[Edge] = []
    for item in _list(data, "edges", report):
        edge = _edge(item, lines, seen, report)
        if edge is not None:
            edges.append(edge)
    return Canvas(tuple(nodes), tuple(edges)), problems


def _id_lines(text: str) -> dict[str, list[int]]:
    """Each id written in the file -> the lines it is written on, last first (a node or edge
    takes the first one left: nodes and edges are read in the file's order)."""
    lines: dict[str, list[int]] = {}
    for match in _ID.finditer(text):
        try:
            value = json.loads(f'"{match.group(1)}"')
        except json.JSONDecodeError:
            continue
        lines.setdefault(value, []).insert(0, text.count("\n", 0, match.start()) + 1)
    return lines


def _line(lines: dict[str, list[int]], item_id: str) -> int | None:
    found = lines.get(item_id)
    return found.pop() if found else None


def _list(data: dict[str, Any], key: str, report: Any) -> list[Any]:
    value = data.get(key, [])
    if isinstance(value, list):
        return value
    report(1, f"has '{key}' that is not a list; they are left out")
    return []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _color(item: dict[str, Any]) -> str | None:
    value = item.get("color")
    return value if isinstance(value, str) and _COLOR.fullmatch(value) else None


def _node(item: Any, lines: dict[str, list[int]], report: Any) -> Node | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        report(None, "has a node without an id; it is left out")
        return None
    node_id: str = item["id"]
    line = _line(lines, node_id)
    kind = item.get("type")
    if kind not in NODE_TYPES:
        report(
            line,
            f"has a node '{node_id}' of type '{kind}', which is not a JSON Canvas type; it is left out",
        )
        return None
    box = [_number(item.get(key)) for key in ("x", "y", "width", "height")]
    if any(value is None for value in box):
        report(line, f"has a node '{node_id}' without a position and size; it is left out")
        return None
    x, y, width, height = cast(list[float], box)
    if kind == "file" and not _text(item, "file"):
        report(line, f"has a file node '{node_id}' that names no file; it is left out")
        return None
    if kind == "link" and not _text(item, "url"):
        report(line, f"has a link node '{node_id}' without a URL; it is left out")
        return None
    style = _text(item, "backgroundStyle")
    return Node(
        id=node_id,
        type=kind,
        x=x,
        y=y,
        width=max(width, 1.0),
        height=max(height, 1.0),
        line=line or 1,
        color=_color(item),
        text=_text(item, "text"),
        file=_text(item, "file").strip().lstrip("/"),
        subpath=_text(item, "subpath"),
        url=_text(item, "url").strip(),
        label=_text(item, "label"),
        background=_text(item, "background").strip().lstrip("/"),
        background_style=style if style in _BACKGROUND_STYLES else "",
    )


def _side(value: Any) -> Side | None:
    return cast(Side, value) if value in SIDES else None


def _end(value: Any, default: End) -> End:
    return cast(End, value) if value in ("none", "arrow") else default


def _edge(item: Any, lines: dict[str, list[int]], nodes: set[str], report: Any) -> Edge | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        report(None, "has an edge without an id; it is left out")
        return None
    edge_id: str = item["id"]
    line = _line(lines, edge_id)
    ends = item.get("fromNode"), item.get("toNode")
    missing = [str(end) for end in ends if not isinstance(end, str) or end not in nodes]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        report(
            line,
            f"has an edge '{edge_id}' to {names}, which is not a node of the canvas; it is left out",
        )
        return None
    return Edge(
        id=edge_id,
        from_node=cast(str, ends[0]),
        to_node=cast(str, ends[1]),
        line=line or 1,
        from_side=_side(item.get("fromSide")),
        to_side=_side(item.get("toSide")),
        from_end=_end(item.get("fromEnd"), "none"),
        to_end=_end(item.get("toEnd"), "arrow"),
        color=_color(item),
        label=_text(item, "label"),
    )
