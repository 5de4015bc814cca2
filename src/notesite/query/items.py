"""The list items and tasks of a note (``file.lists``, ``file.tasks``), read from its body.

Read when a query first asks for them, from the note already loaded: no file is read again.
Items inside code blocks and comments are not items (the body is masked first).
"""

from __future__ import annotations

import re
from typing import Any

from notesite.syntax.mask import mask
from notesite.syntax.tags import find_tags

_ITEM = re.compile(
    r"^(?P<indent>(?:[ \t]*>)*[ \t]*)(?P<marker>[-*+]|\d+[.)])[ \t]+"
    r"(?:\[(?P<status>.)\][ \t]+)?(?P<text>\S.*?)[ \t]*$",
    re.MULTILINE,
)
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)[ \t#]*$", re.MULTILINE)


def list_items(body: str, first_line: int) -> list[dict[str, Any]]:
    """Every list item of a body: ``text``, ``line`` (in the file), ``task`` (a ``[ ]`` item),
    ``status``, ``completed``, ``checked``, ``fullyCompleted``, ``tags``, ``section`` (the
    heading above it), ``parent`` (the line of the item holding it, or None)."""
    masked = mask(body)
    if "-" not in masked and "*" not in masked and "+" not in masked and "." not in masked:
        return []
    headings = [(m.start(), m.group("text")) for m in _HEADING.finditer(masked)]
    items: list[dict[str, Any]] = []
    stack: list[tuple[int, int]] = []  # (indent width, line) of the items above
    for match in _ITEM.finditer(masked):
        start = match.start()
        line = first_line + masked.count("\n", 0, start)
        width = len(match.group("indent").expandtabs(4))
        while stack and stack[-1][0] >= width:
            stack.pop()
        text = body[match.start("text") : match.end("text")]
        status = match.group("status")
        section = next((t for at, t in reversed(headings) if at < start), None)
        completed = status is not None and status != " "
        items.append(
            {
                "text": text,
                "line": line,
                "task": status is not None,
                "status": status if status is not None else "",
                "checked": completed,
                "completed": status in ("x", "X"),
                "fullyCompleted": status in ("x", "X"),
                "tags": ["#" + t for t, _, _ in find_tags(match.group("text"))],
                "section": section,
                "parent": stack[-1][1] if stack else None,
            }
        )
        stack.append((width, line))
    return items
