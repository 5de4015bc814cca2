"""Obsidian callouts (``> [!type] Title``) as mkdocs-material admonitions.

A blockquote whose first line starts with ``[!type]`` becomes
``<div class="admonition callout KIND">`` with a ``<p class="admonition-title">``, or, with a
fold marker (``[!type]-`` closed, ``[!type]+`` open), ``<details class="callout KIND">`` with a
``<summary>``. ``KIND`` is the material admonition class for the Obsidian type (aliases such as
``hint`` map to ``tip``; unknown types get ``note``); the type itself is kept as a further class
and as ``data-callout``. Anything after a ``|`` in the type is Obsidian's metadata and goes to
``data-callout-metadata``. The title is inline Markdown; the body is block Markdown.

The processor is registered at priority 21, just above Python-Markdown's blockquote processor
(20), which would otherwise take the block: callouts are blockquotes, so they only compete with
it, and being below the list, heading, code and empty-block processors keeps every block they
claim (an indented ``> [!note]`` stays code) exactly as it is without this extension.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from markdown import Markdown, util
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

CALLOUT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "note": "note",
        "abstract": "abstract",
        "summary": "abstract",
        "tldr": "abstract",
        "info": "info",
        "todo": "info",
        "tip": "tip",
        "hint": "tip",
        "important": "tip",
        "success": "success",
        "check": "success",
        "done": "success",
        "question": "question",
        "help": "question",
        "faq": "question",
        "warning": "warning",
        "caution": "warning",
        "attention": "warning",
        "failure": "failure",
        "fail": "failure",
        "missing": "failure",
        "danger": "danger",
        "error": "danger",
        "bug": "bug",
        "example": "example",
        "quote": "quote",
        "cite": "quote",
    }
)
"""Obsidian callout type (or alias) → mkdocs-material admonition class."""

FALLBACK_KIND = "note"
"""The material class of a callout whose type Obsidian does not define."""

_QUOTE_LINE = re.compile(r"^[ ]{0,3}>", re.MULTILINE)
_QUOTE_PREFIX = re.compile(r"^[ ]{0,3}>[ ]?")
_HEADER = re.compile(
    r"^[ ]{0,3}>[ ]?[ \t]*\[!(?P<type>[^\]]+)\](?P<fold>[+-]?)[ \t]*(?P<title>.*?)[ \t]*$"
)
#: What a body needs for either fence preprocessor to change it: a fence (three backticks or
#: tildes, in ``fenced_code`` and ``pymdownx.superfences`` alike) or a placeholder (which
#: superfences, with ``preserve_tabs``, may put back as code). Most callouts have neither.
_MAY_FENCE = re.compile(f"```|~~~|{re.escape(util.STX)}")
_UNSAFE = re.compile(r"[^a-z0-9_-]")
_SPACES = re.compile(r"\s+")


def css_name(name: str) -> str:
    """``name`` lowercased, spaces as ``-``, and anything but ``[a-z0-9_-]`` dropped."""
    return _UNSAFE.sub("", _SPACES.sub("-", name.strip().lower()))


@dataclass(frozen=True)
class CalloutHeader:
    """What the first line of a callout says."""

    type: str
    """The type as written (``FAQ`` in ``[!FAQ|wide]``), for the default title."""
    metadata: str
    """What follows ``|`` in the brackets (``wide``), or ``""``."""
    fold: str
    """``"-"`` (folded), ``"+"`` (foldable, open) or ``""`` (not foldable)."""
    title: str
    """The title's Markdown source, ``""`` if none was given."""

    @property
    def name(self) -> str:
        """The type as a class name: lowercase and limited to ``[a-z0-9_-]``."""
        return css_name(self.type)

    @property
    def kind(self) -> str:
        """The material admonition class."""
        return CALLOUT_TYPES.get(self.name, FALLBACK_KIND)

    @property
    def default_title(self) -> str:
        """The title Obsidian shows when none is given: the type, capitalised."""
        return self.type.capitalize()


def parse_header(line: str) -> CalloutHeader | None:
    """Read a blockquote's first line (with its ``>``) as a callout header, if it is one."""
    m = _HEADER.match(line)
    if m is None:
        return None
    type_, _, metadata = m.group("type").partition("|")
    if not type_.strip():
        return None
    return CalloutHeader(type_.strip(), metadata.strip(), m.group("fold"), m.group("title"))


class CalloutProcessor(BlockProcessor):
    """Turn a blockquote that starts with ``[!type]`` into an admonition or ``<details>``.

    Like the blockquote processor, a later block of ``>`` lines continues the callout before it,
    and lines before the quote in the same block are parsed first, as their own blocks.
    """

    def test(self, parent: etree.Element, block: str) -> bool:
        m = _QUOTE_LINE.search(block)
        if m is None or util.nearing_recursion_limit():
            return False
        if parse_header(block[m.start() :].split("\n", 1)[0]) is not None:
            return True
        return m.start() == 0 and self._open_callout(parent) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        m = _QUOTE_LINE.search(block)
        assert m is not None  # test() found it
        if m.start() > 0:
            self.parser.parseBlocks(parent, [block[: m.start()].rstrip("\n")])
        lines = block[m.start() :].split("\n")
        header = parse_header(lines[0])
        if header is not None:
            callout = self._build(parent, header)
            lines = lines[1:]
        else:
            found = self._open_callout(parent)
            assert found is not None  # test() found it
            callout = found
        body = "\n".join(_unquote(line) for line in lines).lstrip("\n")
        self.parser.state.set("blockquote")  # so that a callout in a tight list gets <p>s
        self.parser.parseChunk(callout, self._fence(body))
        self.parser.state.reset()

    def _open_callout(self, parent: etree.Element) -> etree.Element | None:
        """The callout that a further block of ``>`` lines would continue."""
        sibling = self.lastChild(parent)
        if (
            sibling is not None
            and sibling.tag in ("div", "details")
            and "data-callout" in sibling.attrib
        ):
            return sibling
        return None

    def _build(self, parent: etree.Element, header: CalloutHeader) -> etree.Element:
        """The callout's element and its title, appended to ``parent``."""
        name = header.name or header.kind
        classes = ["callout", header.kind]
        if name != header.kind:
            classes.append(name)
        if header.fold:
            callout = etree.SubElement(parent, "details", {"class": " ".join(classes)})
            title = etree.SubElement(callout, "summary")
        else:
            callout = etree.SubElement(parent, "div", {"class": " ".join(["admonition", *classes])})
            title = etree.SubElement(callout, "p", {"class": "admonition-title"})
        callout.set("data-callout", name)
        if header.metadata:
            callout.set("data-callout-metadata", header.metadata)
        if header.fold == "+":
            callout.set("open", "open")
        # A given title is Markdown; the default one is the type as written, shown as text.
        title.text = header.title or util.AtomicString(header.default_title)
        return callout

    def _fence(self, body: str) -> str:
        """``body`` with its fenced code set aside, as ``fenced_code`` does for the page.

        ``fenced_code`` is a preprocessor, and it only sees fences at the start of a line, so
        a fence behind ``>`` reaches the block parser untouched; running it again on the
        unquoted body finds it. (``pymdownx.superfences`` has already replaced such fences by
        placeholders, which a second run leaves alone.)
        """
        md: Markdown = self.parser.md
        if "fenced_code_block" not in md.preprocessors or not _MAY_FENCE.search(body):
            return body
        lines = md.preprocessors["fenced_code_block"].run(body.split("\n"))
        # The placeholder must end its block to be replaced by the code (not wrapped in <p>).
        return "\n".join(lines).rstrip("\n")


def _unquote(line: str) -> str:
    """``line`` without one level of ``>``; a lazy continuation line stays as it is."""
    if line.strip() == ">":
        return ""
    return _QUOTE_PREFIX.sub("", line, count=1)


class CalloutExtension(Extension):
    """Render Obsidian callouts as mkdocs-material admonitions and ``<details>``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "notesite-callouts", 21)


def makeExtension(**kwargs: Any) -> CalloutExtension:
    """Let Python-Markdown load the extension as ``"notesite.markdown.callouts"``."""
    return CalloutExtension(**kwargs)
