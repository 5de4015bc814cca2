"""Read one vault file into an immutable :class:`Note`.

Reading never fails: a file that cannot be decoded or whose front matter is broken still gives a
note (with what could be read) plus :class:`~notesite.problems.Problem` values that say what was
wrong, in which file and on which line.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import fields as fields_of
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml
from frontmatter.default_handlers import YAMLHandler

from notesite.cite.parse import find_citations
from notesite.heap import PickledByFields
from notesite.paths import VaultPath, display_name, folder, stem
from notesite.problems import Level, Problem
from notesite.syntax.blocks import Heading, find_block_ids, find_headings, plain_heading_text
from notesite.syntax.fields import InlineField, find_fields
from notesite.syntax.mask import mask_and_strip
from notesite.syntax.mdlinks import find_markdown_links
from notesite.syntax.properties import simple_properties
from notesite.syntax.quote import quote as quote_of
from notesite.syntax.tags import find_tags, tags_from_property
from notesite.syntax.wikilinks import (
    WIKILINK_RE,
    WikiLink,
    find_wikilinks,
    parse_inner,
    wikilink_spans,
)

_YAML = YAMLHandler()
#: libyaml's safe loader where it is built in (several times faster), else PyYAML's own.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: A front matter delimiter line. (python-frontmatter's own pattern lets ``\s*`` run over blank
#: lines, which would shift the body's line numbers.)
_BOUNDARY = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
_SNIFF = 8000
_LINE_PREFIX = re.compile(r"^(?:[ \t]*>)*[ \t]*(?:[-*+][ \t]+(?:\[.\][ \t]+)?|\d+[.)][ \t]+)?")
_FOOTNOTE_MARK = re.compile(r"^\[\^[^\]]+\]:[ \t]*")
_BLOCK_ID_MARK = re.compile(r"\s\^[A-Za-z0-9-]+[ \t]*$")
_CALLOUT_MARK = re.compile(r"^\[![^\]]*\][+-]?[ \t]*")
_FIELD_MARK = re.compile(r"^(?P<key>[^:\n]+?)::[ \t]*")
_INLINE_MARKUP = re.compile(r"<[^>\n]*>|\*\*|__|==|`|%%.*?%%")


class LinkRef(NamedTuple):
    """One wikilink a note contains, where it stands and what surrounds it."""

    link: WikiLink
    line: int
    """1-based line in the file (front matter included)."""
    origin: str = "body"
    """``body``, ``field`` (a Dataview inline field), ``property`` (front matter) or
    ``citation`` (a pandoc citation's key: see :attr:`Note.citations`)."""
    text: str = ""
    """A text that holds the link's line: the note's body, or the line alone where a comment
    was cut out of it (empty for a front matter property). Shared, not a copy of the line: a
    vault's links would otherwise hold a second copy of most of its text, to keep and to send
    between processes."""
    start: int = 0
    """Where the link's line starts in :attr:`text`."""
    offset: int = 0
    """Where the link starts in :attr:`source_line`."""

    @property
    def source_line(self) -> str:
        """The line that holds the link, comments removed (empty for a front matter property)."""
        end = self.text.find("\n", self.start)
        return self.text[self.start : end if end >= 0 else len(self.text)]

    @property
    def quote(self) -> str:
        """The sentence or list item around the link, as Markdown, for backlinks.

        Worked out when asked: only pages that show backlinks need it, not a lint or the graph.
        """
        return quote_of(self.source_line, self.offset) if self.text else ""

    @property
    def context(self) -> str:
        """:attr:`quote` as plain text."""
        return plain_context(self.quote) if self.text else ""


@dataclass(frozen=True)
class Note:
    """A note of the vault, read and parsed; nothing in it is resolved against other notes."""

    path: VaultPath
    title: str
    aliases: tuple[str, ...]
    meta: Mapping[str, Any]
    tags: tuple[str, ...]
    fields: tuple[InlineField, ...]
    body: str
    """The text after the front matter, newlines normalised to ``\\n``."""
    body_line: int
    """The file line on which :attr:`body` starts (1-based)."""
    links: tuple[LinkRef, ...]
    headings: tuple[Heading, ...]
    block_ids: frozenset[str]
    published: bool = True
    """False for ``publish: false`` and ``draft: true`` notes."""
    citations: tuple[LinkRef, ...] = ()
    """Each cite of a pandoc citation (``[@key, p. 12]``, ``@key says``), its key as the link's
    target, in order (origin ``citation``)."""
    source: str = ""
    """A hash of the bytes the note was read from (:func:`file_digest`; empty for a note not read
    from a file): a note read from equal bytes at the same path is the same note."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Notes cross process boundaries (parallel loading); a mapping proxy does not pickle.
        values = {f.name: getattr(self, f.name) for f in fields_of(self)}
        values["meta"] = dict(self.meta)
        return (_note_from, (values,))


def _note_from(values: dict[str, Any]) -> Note:
    return Note(**{**values, "meta": MappingProxyType(values["meta"])})


@dataclass(frozen=True, slots=True)
class Loaded(PickledByFields):
    """What reading one file gave: a note (``None`` for a file that is not text) and problems."""

    note: Note | None
    problems: tuple[Problem, ...] = ()


def decode(path: VaultPath, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 (with or without BOM); anything else is reported, never fatal.

    Returns ``None`` for a file that is not text at all (it holds NUL bytes).
    """
    if b"\0" in data[:_SNIFF]:
        return None, [
            Problem(path, None, "is not a text file (it holds NUL bytes); not published", "binary")
        ]
    try:
        text = data.decode("utf-8-sig")
        problems: list[Problem] = []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("utf-8-sig", errors="replace")
        problems = [
            Problem(
                path,
                line,
                f"is not valid UTF-8 (byte 0x{data[error.start]:02X}); "
                "undecodable bytes are shown as \N{REPLACEMENT CHARACTER}",
                "encoding",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


def split_front_matter(
    path: VaultPath, text: str
) -> tuple[dict[str, Any], str, int, list[Problem]]:
    """Return ``(meta, body, body_line, problems)``; broken YAML loses only the front matter."""
    if not _BOUNDARY.match(text):
        return {}, text, 1, []
    boundaries = _BOUNDARY.finditer(text)
    opening, closing = next(boundaries), next(boundaries, None)
    if closing is None:  # an opening '---' with no closing one: a thematic break, not front matter
        return {}, text, 1, []
    fm = text[opening.end() : closing.start()]
    body_start = text.find("\n", closing.end())
    body_start = len(text) if body_start < 0 else body_start + 1
    body = text[body_start:]
    body_line = text.count("\n", 0, body_start) + 1
    data = simple_properties(fm)
    try:
        if data is None:
            data = _YAML.load(fm, Loader=_SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return (
            {},
            body,
            body_line,
            [
                Problem(
                    path, line, f"front matter is not valid YAML ({reason}); it was ignored", "yaml"
                )
            ],
        )
    if data is None:
        return {}, body, body_line, []
    if not isinstance(data, dict):
        return (
            {},
            body,
            body_line,
            [
                Problem(
                    path,
                    2,
                    f"front matter is a {type(data).__name__}, not a mapping of properties; it was ignored",
                    "yaml",
                )
            ],
        )
    return {str(k): v for k, v in data.items()}, body, body_line, []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _aliases(meta: Mapping[str, Any]) -> tuple[str, ...]:
    value = meta.get("aliases", meta.get("alias"))
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    return tuple(dict.fromkeys(str(a).strip() for a in items if a is not None and str(a).strip()))


_H1 = re.compile(r"^# +(?P<text>.+?)[ \t#]*$", re.MULTILINE)


def _title(path: VaultPath, meta: Mapping[str, Any], masked_body: str) -> str:
    """Front matter ``title``, else the file name (Obsidian's rule).

    A folder's ``index.md`` or ``README.md`` is named by its first ``# H1``, else by its folder
    (``Home`` at the root): "index" is no one's title.
    """
    title = meta.get("title")
    if title is not None and not isinstance(title, (dict, list)) and str(title).strip():
        return str(title).strip()
    if stem(path).casefold() in ("index", "readme"):
        h1 = _H1.search(masked_body)
        if h1:
            return plain_heading_text(h1.group("text"))
        return posixpath.basename(folder(path)) or "Home"
    return display_name(path)


def _published(meta: Mapping[str, Any]) -> bool:
    return meta.get("publish") is not False and meta.get("draft") is not True


def plain_context(line: str) -> str:
    """Turn a Markdown line into the plain text a backlink shows."""
    if line.lstrip().startswith("|"):  # a table row: its cells, side by side
        line = " · ".join(cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|")))
    line = _LINE_PREFIX.sub("", line, count=1)
    line = _FOOTNOTE_MARK.sub("", line, count=1)
    line = _CALLOUT_MARK.sub("", line, count=1)
    line = _FIELD_MARK.sub(r"\g<key>: ", line, count=1)
    line = _BLOCK_ID_MARK.sub("", line)
    line = WIKILINK_RE.sub(lambda m: parse_inner(m.group("inner")).display, line)
    line = _INLINE_MARKUP.sub("", line)
    return " ".join(line.split())


def _start(span: tuple[int, int, WikiLink]) -> int:
    return span[0]


def _citations(masked: str, body: str, body_line: int) -> tuple[LinkRef, ...]:
    """The cites of a note's citations, as links to their keys."""
    found = []
    line, at = body_line, 0
    for citation in find_citations(masked):
        line += body.count("\n", at, citation.start)
        at = citation.start
        line_start = body.rfind("\n", 0, citation.start) + 1
        offset = citation.start - line_start
        for cite in citation.cites:
            found.append(LinkRef(WikiLink(cite.key), line, "citation", body, line_start, offset))
    return tuple(found)


def file_digest(data: bytes) -> str:
    """A hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_note(path: VaultPath, data: bytes) -> Loaded:
    """Parse one note file; only a file that is not text at all gives no note."""
    text, problems = decode(path, data)
    if text is None:
        return Loaded(None, tuple(problems))
    meta, body, body_line, fm_problems = split_front_matter(path, text)
    problems += fm_problems
    masked, stripped = mask_and_strip(body)

    fields = tuple(find_fields(masked))
    field_spans = [(f.start, f.end) for f in fields]
    links: list[LinkRef] = []
    # Backlink context comes from the text with its comments removed: no comment leaves a note.
    clean_lines = stripped.split("\n") if stripped is not body else None
    found_links = wikilink_spans(masked)
    if "](" in masked:
        found_links += [(f.start, f.end, f.link) for f in find_markdown_links(masked)]
        found_links.sort(key=_start)
    index = at = 0  # the line of the link, counted on from the previous link
    for start, end, link in found_links:
        index += body.count("\n", at, start)
        at = start
        holder, line_start = body, body.rfind("\n", 0, start) + 1
        offset = start - line_start
        if clean_lines is not None:
            clean = clean_lines[index]
            line_end = body.find("\n", start)
            if clean != body[line_start : line_end if line_end >= 0 else len(body)]:
                # A comment was cut out of this line: the link's line is the cleaned one.
                holder, line_start, offset = clean, 0, max(clean.find(body[start:end]), 0)
        in_field = field_spans and any(s <= start < e for s, e in field_spans)
        origin = "field" if in_field else "body"
        links.append(LinkRef(link, body_line + index, origin, holder, line_start, offset))
    # Links in properties: only front matter holding '[[' has any.
    has_links = meta and "[[" in text[: len(text) - len(body)]
    front_lines = text.split("\n", body_line - 1)[1 : body_line - 2] if has_links else []
    for value in _strings(meta) if has_links else ():
        if "[[" not in value:
            continue
        for found in find_wikilinks(value):
            written = value[found.start : found.end]
            line = next((n for n, ln in enumerate(front_lines, start=2) if written in ln), 1)
            links.append(LinkRef(found.link, line, "property"))

    tags = tags_from_property(meta.get("tags", meta.get("tag")))
    for tag, _, _ in find_tags(masked):
        if tag not in tags:
            tags.append(tag)

    note = Note(
        path=path,
        title=_title(path, meta, masked),
        aliases=_aliases(meta),
        meta=MappingProxyType(meta),
        tags=tuple(tags),
        fields=fields,
        body=body,
        body_line=body_line,
        links=tuple(links),
        headings=tuple(find_headings(masked, body)),
        block_ids=frozenset(find_block_ids(masked)),
        published=_published(meta),
        citations=_citations(masked, body, body_line),
        source=file_digest(data),
    )
    if not body.strip() and not meta:
        # An empty note may be a placeholder: it is published, and said at INFO level only.
        problems.append(Problem(path, None, "is empty", "empty", Level.INFO))
    return Loaded(note, tuple(problems))
