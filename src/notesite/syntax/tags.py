"""``#tags`` as Obsidian recognises them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: A tag starts after the line's start, white space, ``(``, ``,`` or ``;`` and holds letters,
#: digits, ``_``, ``-`` and ``/``; a tag of digits only (``#123``) is not a tag. ``[[#Heading]]``
#: is a link, not a tag.
TAG_RE = re.compile(r"#(?<![^\s(,;]#)(?P<tag>[\w/-]*[^\W\d][\w/-]*)")
# (The look-behind stands after the ``#`` so that the pattern starts with a literal character,
# which lets the regex engine skip straight to each ``#`` instead of trying every position.)


def normalize_tag(tag: str) -> str:
    """``#On/China/`` -> ``On/China``: no leading ``#``, no empty path parts."""
    return "/".join(part for part in tag.strip().lstrip("#").split("/") if part)


def find_tags(masked: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(tag, start, end)`` for each tag in an already masked text."""
    if "#" not in masked:
        return
    for match in TAG_RE.finditer(masked):
        tag = normalize_tag(match.group("tag"))
        if tag:
            yield tag, match.start(), match.end()


def tags_from_property(value: object) -> list[str]:
    """Read a ``tags`` property: a list, or a string of tags split by commas or spaces."""
    items: Iterable[object]
    if value is None:
        return []
    if isinstance(value, str):
        items = re.split(r"[,\s]+", value)
    elif isinstance(value, (list, tuple, set)):
        items = value
    else:
        items = [value]
    tags: list[str] = []
    for item in items:
        if item is None:
            continue
        tag = normalize_tag(str(item))
        if tag and tag not in tags:
            tags.append(tag)
    return tags
