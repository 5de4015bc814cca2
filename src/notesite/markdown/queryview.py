"""Query results as page elements: values, tables, lists, a calendar, and the boxes a query
shows instead of results (an error, a dynamic view, no results).

Shared by every query language (Dataview, Obsidian Bases). Values are shown as Obsidian shows
them: a link to a note leads to its page (and so gets the hover preview), a tag to its tag page,
a date as Dataview formats it, a list as a list. Elements are Python-Markdown ``etree`` elements
with their text set as ``AtomicString`` (no Markdown pattern runs over a query's output).
Tables use the theme's table style (they have no class: mkdocs-material styles only tables
without one); ``data-ns-sortable`` makes their headers sort the rows
(``assets/notesite/sortable.js``), by each cell's ``data-sort`` when it has one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from markdown.util import AtomicString

from notesite.graph import Resolution
from notesite.markdown.context import RenderContext
from notesite.markdown.tags import DEFAULT_TAGS_FOLDER, tag_page
from notesite.paths import VaultPath, relative_href
from notesite.query.values import Duration, Link, Value, format_date, format_number
from notesite.syntax.tags import TAG_RE, normalize_tag
from notesite.syntax.wikilinks import WIKILINK_RE, parse_inner

NO_RESULTS = "No results"


def add_text(parent: etree.Element, text: str) -> None:
    """Append text after the last child of ``parent`` (or as its text)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = AtomicString((last.tail or "") + text)
    else:
        parent.text = AtomicString((parent.text or "") + text)


def add_text_at(parent: etree.Element, at: int, text: str) -> None:
    """Put text where the child at position ``at`` was (after its previous sibling)."""
    if not text:
        return
    if at == 0:
        parent.text = AtomicString((parent.text or "") + text)
    else:
        before = parent[at - 1]
        before.tail = AtomicString((before.tail or "") + text)


def link_element(link: Link, context: RenderContext) -> etree.Element:
    """A link to a note's page (or a file), or a span when it leads nowhere public."""
    if not link.resolved:
        el = etree.Element("span", {"class": "ns-wikilink ns-unresolved"})
        el.text = AtomicString(link.name)
        return el
    kind: Literal["note", "attachment"] = (
        "note" if link.path.lower().endswith(".md") else "attachment"
    )
    graph = context.graph
    if kind == "attachment" and graph is not None and link.path not in graph.used_attachments:
        # The site has only the files public notes link to or embed.
        el = etree.Element("span", {"class": "ns-wikilink ns-unresolved"})
        el.text = AtomicString(link.name)
        return el
    href = context.href(Resolution("ok", VaultPath(link.path), kind))
    classes = "ns-wikilink" if kind == "note" else "ns-wikilink ns-attachment"
    el = etree.Element("a", {"href": href, "class": classes})
    title = None
    if not link.display and kind == "note" and graph is not None:
        note = graph.notes.get(VaultPath(link.path))
        title = note.title if note is not None else None
    el.text = AtomicString(link.display or title or link.name)
    return el


def tag_element(
    tag: str, context: RenderContext, folder: str = DEFAULT_TAGS_FOLDER
) -> etree.Element:
    tag = normalize_tag(tag)
    el = etree.Element(
        "a", {"href": relative_href(context.path, tag_page(tag, folder)), "class": "ns-tag"}
    )
    el.text = AtomicString("#" + tag)
    return el


def add_string(
    parent: etree.Element, text: str, context: RenderContext, *, markdown: bool = False
) -> None:
    """Text, with its ``#tags`` and ``[[links]]`` as links (as Obsidian renders a string).

    ``markdown``: the text is left for Python-Markdown's inline processing, which is still to
    run (``**bold**``, `` `code` ``, links and tags as anywhere in the note)."""
    if markdown:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        return
    if "#" not in text and "[[" not in text:
        add_text(parent, text)
        return
    at = 0
    spans: list[tuple[int, int, etree.Element]] = []
    for m in WIKILINK_RE.finditer(text):
        link = parse_inner(m.group("inner"))
        if link.target:
            spans.append((m.start(), m.end(), _written_link(link.target, link.alias, context)))
    for m in TAG_RE.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in spans) and normalize_tag(m.group("tag")):
            spans.append((m.start(), m.end(), tag_element(m.group("tag"), context)))
    for start, end, el in sorted(spans, key=lambda s: s[0]):
        add_text(parent, text[at:start])
        parent.append(el)
        at = end
    add_text(parent, text[at:])


def _written_link(target: str, alias: str | None, context: RenderContext) -> etree.Element:
    index = context.query_index
    if index is None:
        return link_element(Link(target, alias, resolved=False), context)
    link = index.link(f"[[{target}]]", context.path)
    return link_element(Link(link.path, alias, link.subpath, resolved=link.resolved), context)


def add_value(
    parent: etree.Element, value: Value, context: RenderContext, *, markdown: bool = False
) -> None:
    """Append a value's elements to ``parent``; null adds nothing (an empty cell).

    ``markdown``: text values are left for inline processing (see :func:`add_string`)."""
    if value is None:
        return
    if isinstance(value, bool):
        add_text(parent, "true" if value else "false")
    elif isinstance(value, (int, float)):
        add_text(parent, format_number(value))
    elif isinstance(value, str):
        add_string(parent, value, context, markdown=markdown)
    elif isinstance(value, Link):
        parent.append(link_element(value, context))
    elif isinstance(value, dt.datetime):
        el = etree.SubElement(parent, "span", {"class": "ns-date"})
        el.text = AtomicString(format_date(value))
    elif isinstance(value, Duration):
        add_text(parent, str(value))
    elif isinstance(value, (list, tuple)):
        if len(value) == 1:
            add_value(parent, value[0], context, markdown=markdown)
        elif value:
            ul = etree.SubElement(parent, "ul", {"class": "ns-query-values"})
            for item in value:
                add_value(etree.SubElement(ul, "li"), item, context, markdown=markdown)
    elif isinstance(value, Mapping):
        ul = etree.SubElement(parent, "ul", {"class": "ns-query-values"})
        for key, item in value.items():
            li = etree.SubElement(ul, "li")
            add_text(li, f"{key}: ")
            add_value(li, item, context, markdown=markdown)
    else:
        add_text(parent, str(value))


def sort_key(value: Value) -> str | None:
    """What a sortable table sorts a cell by, when its text would sort it wrong."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Duration):
        return format_number(value.total_seconds())
    return None


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Value]],
    context: RenderContext,
    *,
    markdown: bool = False,
) -> etree.Element:
    """A sortable table in the theme's style; an empty cell for each null."""
    # No class: mkdocs-material styles only tables without one (``table:not([class])``).
    el = etree.Element("table", {"data-ns-sortable": ""})
    head = etree.SubElement(etree.SubElement(el, "thead"), "tr")
    for name in headers:
        etree.SubElement(head, "th").text = AtomicString(name)
    body = etree.SubElement(el, "tbody")
    for row in rows:
        tr = etree.SubElement(body, "tr")
        for value in row:
            td = etree.SubElement(tr, "td")
            key = sort_key(value)
            if key is not None:
                td.set("data-sort", key)
            add_value(td, value, context, markdown=markdown)
    return el


def value_list(
    items: Iterable[Value], context: RenderContext, *, markdown: bool = False
) -> etree.Element:
    """A bulleted list of values."""
    ul = etree.Element("ul", {"class": "ns-query-list"})
    for item in items:
        add_value(etree.SubElement(ul, "li"), item, context, markdown=markdown)
    return ul


def no_results(what: str = NO_RESULTS) -> etree.Element:
    el = etree.Element("p", {"class": "ns-query-empty"})
    el.text = AtomicString(what)
    return el


def error_box(title: str, message: str) -> etree.Element:
    """A failed query: material's admonition markup, as callouts use it."""
    box = etree.Element("div", {"class": "admonition failure ns-query-error"})
    etree.SubElement(box, "p", {"class": "admonition-title"}).text = AtomicString(title)
    pre = etree.SubElement(box, "p")
    pre.text = AtomicString(message)
    return box


def dynamic_placeholder(what: str) -> etree.Element:
    """Where a view that only runs inside Obsidian (DataviewJS) would be."""
    el = etree.Element("p", {"class": "ns-query-dynamic"})
    el.text = AtomicString(f"A dynamic view ({what}) is shown here in Obsidian.")
    return el


def month_calendar(
    entries: Iterable[tuple[dt.datetime, Link]], context: RenderContext
) -> etree.Element:
    """A month grid per month that has entries, each day listing its links."""
    by_month: dict[tuple[int, int], dict[int, list[Link]]] = {}
    for when, link in entries:
        by_month.setdefault((when.year, when.month), {}).setdefault(when.day, []).append(link)
    wrapper = etree.Element("div", {"class": "ns-calendar"})
    for (year, month), days in sorted(by_month.items()):
        grid = etree.SubElement(wrapper, "table")  # (no class: the theme's table style)
        caption = etree.SubElement(grid, "caption")
        caption.text = AtomicString(dt.date(year, month, 1).strftime("%B %Y"))
        head = etree.SubElement(etree.SubElement(grid, "thead"), "tr")
        for name in calendar.day_abbr:
            etree.SubElement(head, "th").text = AtomicString(name)
        body = etree.SubElement(grid, "tbody")
        for week in calendar.Calendar().monthdayscalendar(year, month):
            tr = etree.SubElement(body, "tr")
            for day in week:
                td = etree.SubElement(tr, "td")
                if not day:
                    continue
                etree.SubElement(td, "span", {"class": "ns-calendar-day"}).text = AtomicString(
                    str(day)
                )
                for link in days.get(day, ()):
                    td.append(link_element(link, context))
    return wrapper
