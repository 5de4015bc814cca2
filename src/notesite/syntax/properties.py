"""Read the plain front matter most notes have without running the whole YAML machinery.

Front matter is nearly always a flat list of properties: ``key: value`` lines, block lists of
``- item`` lines under a key, and short flow lists (``tags: [a, b]``). Composing such text
through PyYAML's event and node objects costs more than the rest of reading a note together.
:func:`simple_properties` reads exactly that subset directly, resolving each unquoted value with
PyYAML's own resolver and constructors (so ``true``, ``2024-01-07``, ``12`` and ``null`` become
what YAML makes of them), and returns ``None`` for anything else: quoting with escapes, nested
mappings, anchors, tags, comments after values, block scalars, tabs, odd characters. The caller
then parses with PyYAML as before, so errors and every unusual case are PyYAML's.

The result is the mapping PyYAML gives for the same text (a property test holds it to that).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_STR = "tag:yaml.org,2002:str"
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()

#: A property line: a simple key at the line's start, a colon, then nothing or a space and a value.
_PROPERTY = re.compile(r"(?P<key>[A-Za-z_][\w .-]*?):(?:[ ]+(?P<value>.*))?\Z")
#: An item of a block list.
_ITEM = re.compile(r"(?P<indent>[ ]*)-(?:[ ]+(?P<value>.*))?\Z")
_DOUBLE_QUOTED = re.compile(r'"(?P<text>[^"\\]*)"\Z')
_SINGLE_QUOTED = re.compile(r"'(?P<text>[^']*)'\Z")
#: Where a value is more than a plain scalar: a leading indicator, ``: `` or `` #`` inside, a
#: trailing ``:``.
_NOT_PLAIN = re.compile(r"\A[-?:,\[\]{}#&*!|>'\"%@`]|: | #|:\Z")
#: In a flow list, items may not hold these either.
_NOT_FLOW_PLAIN = re.compile(r"[\[\]{},\"':#]")
#: What PyYAML reads differently or rejects: tabs, other line breaks, unprintable characters.
_UNUSUAL = re.compile(
    "[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)


class _NotSimple(Exception):
    """The text is not of the simple form; PyYAML must read it."""


def simple_properties(text: str) -> dict[str, Any] | None:
    """The mapping PyYAML's safe loader makes of ``text``, or ``None`` when it is not simple."""
    if _UNUSUAL.search(text):
        return None
    try:
        return _read(text)
    except _NotSimple:
        return None


def _read(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    pending: str | None = None  # a key with no value on its line: a list may follow
    items: list[Any] | None = None
    indent = ""
    for line in text.split("\n"):
        line = line.rstrip(" ")
        if not line or line.lstrip(" ").startswith("#"):
            continue
        if line[0] != " " and line[0] != "-":
            prop = _PROPERTY.match(line)
            if prop is None:
                raise _NotSimple
            key = prop.group("key")
            if key.endswith(" ") or _tag(key) != _STR:
                raise _NotSimple  # a key such as 'yes' or 'null' is not a string
            value = prop.group("value")
            pending, items = (key, None) if value is None else (None, None)
            result[key] = None if value is None else _value(value)
            continue
        item = _ITEM.match(line)
        if item is None or pending is None:
            raise _NotSimple
        if items is None:
            items, indent = [], item.group("indent")
            result[pending] = items
        elif item.group("indent") != indent:
            raise _NotSimple
        value = item.group("value")
        if value is None or value.startswith("["):
            raise _NotSimple
        items.append(_value(value))
    return result


def _value(value: str) -> Any:
    if value[0] == '"':
        quoted = _DOUBLE_QUOTED.match(value)
        if quoted is None:
            raise _NotSimple
        return quoted.group("text")
    if value[0] == "'":
        quoted = _SINGLE_QUOTED.match(value)
        if quoted is None:
            raise _NotSimple
        return quoted.group("text")
    if value[0] == "[" and value[-1] == "]":
        inside = value[1:-1].strip(" ")
        if not inside:
            return []
        parts = [part.strip(" ") for part in inside.split(",")]
        if any(not part or _NOT_FLOW_PLAIN.search(part) for part in parts):
            raise _NotSimple
        return [_plain(part) for part in parts]
    return _plain(value)


@lru_cache(maxsize=4096)  # keys, and values such as dates and 'true', come back note after note
def _tag(value: str) -> str:
    """The tag YAML gives ``value`` written as a plain (unquoted) scalar."""
    tag: str = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag


def _plain(value: str) -> Any:
    if _NOT_PLAIN.search(value):
        raise _NotSimple
    tag = _tag(value)
    if tag == _STR:
        return value
    construct = _CONSTRUCTOR.yaml_constructors.get(tag)
    if construct is None:  # '=' or '<<' alone: PyYAML has its own ways with those
        raise _NotSimple
    return construct(_CONSTRUCTOR, ScalarNode(tag, value))
