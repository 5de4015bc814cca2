"""Formatted text as citeproc-py gives it, turned into elements without parsing any HTML.

The formatter handed to citeproc-py (:data:`FORMATTER`) leaves text as it is and wraps styled
runs in private-use marks, so a title holding ``<`` or ``&`` stays text, and
:func:`append_marked` builds ``<i>``, ``<b>``, ``<sup>``... elements from the marks.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from types import SimpleNamespace

OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
#: Marks a work's names in a reference formatted to find where its author stands.
AUTHOR = "\ue003"
MARKS = (OPEN, SEP, CLOSE, AUTHOR)
_TAGS = {
    "i": ("i", None),
    "b": ("b", None),
    "light": ("span", "light"),
    "u": ("span", "underline"),
    "sup": ("sup", None),
    "sub": ("sub", None),
    "sc": ("span", "smallcaps"),
}


def _wrapper(name: str) -> type[str]:
    class Wrapped(str):
        def __new__(cls, text: object) -> Wrapped:
            return super().__new__(cls, f"{OPEN}{name}{SEP}{text}{CLOSE}")

    Wrapped.__name__ = name
    return Wrapped


def _preformat(text: object) -> str:
    return "".join(c for c in str(text) if c not in MARKS)


#: A citeproc-py output format, as its ``formatter.html`` module is one.
FORMATTER = SimpleNamespace(
    preformat=_preformat,
    Italic=_wrapper("i"),
    Oblique=_wrapper("i"),
    Bold=_wrapper("b"),
    Light=_wrapper("light"),
    Underline=_wrapper("u"),
    Superscript=_wrapper("sup"),
    Subscript=_wrapper("sub"),
    SmallCaps=_wrapper("sc"),
)


def plain(marked: str) -> str:
    """The text of formatted text, without its marks."""
    out, skipping = [], False
    for char in marked:
        if char == OPEN:
            skipping = True
        elif char == SEP:
            skipping = False
        elif char not in MARKS and not skipping:
            out.append(char)
    return "".join(out)


def append_marked(parent: etree.Element, marked: str) -> None:
    """Append formatted text to ``parent``: its text, and an element per styled run."""
    stack = [parent]
    last: etree.Element | None = None  # the element whose tail takes the next text
    at = 0
    while at < len(marked):
        char = marked[at]
        if char == OPEN:
            end = marked.find(SEP, at)
            name = marked[at + 1 : end] if end > at else "i"
            tag, cls = _TAGS.get(name, ("span", None))
            child = etree.SubElement(stack[-1], tag)
            if cls:
                child.set("class", cls)
            stack.append(child)
            last = None
            at = end + 1 if end > at else at + 1
            continue
        if char == CLOSE:
            if len(stack) > 1:
                last = stack.pop()
            at += 1
            continue
        end = at
        while end < len(marked) and marked[end] not in (OPEN, CLOSE):
            end += 1
        text = marked[at:end].replace(AUTHOR, "").replace(SEP, "")
        if last is not None:
            last.tail = (last.tail or "") + text
        else:
            stack[-1].text = (stack[-1].text or "") + text
        at = end
