"""A base's views as page elements: tables, lists and cards, one tab per view.

Values are shown with the shared query renderer (:mod:`notesite.markdown.queryview`): a note as
a link to its page, a tag as a link to its tag page, an empty cell for a missing property. Views
are mkdocs-material's content tabs (``tabbed-set tabbed-alternate``, the markup
``pymdownx.tabbed`` writes), which the theme's stylesheet switches without a script.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as etree
from typing import Any

from markdown.util import AtomicString

from notesite.graph import Resolution
from notesite.markdown.context import RenderContext
from notesite.markdown.queryview import add_text, add_value, no_results, table
from notesite.paths import VaultPath
from notesite.query.bases.run import Group, ViewResult
from notesite.query.bases.values import FileValue, Image, Pattern, format_date, to_text
from notesite.query.values import Link


def shown(value: Any, column: str = "") -> Any:
    """A Bases value as a value the shared renderer shows (a file as a link to its page)."""
    if isinstance(value, FileValue):
        return Link(value.record.path)
    if isinstance(value, Pattern | Image):
        return to_text(value)
    if isinstance(value, dt.datetime):
        return format_date(value)
    if isinstance(value, list):
        return [shown(v) for v in value]
    return value


def _cell(value: Any, column: str, path: VaultPath) -> Any:
    if column == "file.name":
        return Link(path)  # the note's name, as a link to its page
    return shown(value)


def view_element(result: ViewResult, context: RenderContext) -> etree.Element:
    """One view's results (grouped when it says so), or "No results"."""
    wrapper = etree.Element("div", {"class": f"ns-base-view ns-base-view--{result.view.type}"})
    if result.count == 0:
        wrapper.append(no_results())
        return wrapper
    images = iter(result.image)
    for group in result.groups:
        if result.grouped:
            heading = etree.SubElement(wrapper, "p", {"class": "ns-base-group"})
            strong = etree.SubElement(heading, "strong")
            add_value(strong, shown(group.key), context)
            if group.key is None or group.key == "" or group.key == []:
                strong.text = AtomicString("(none)")
            count = etree.SubElement(heading, "span", {"class": "ns-base-group__count"})
            count.text = AtomicString(str(len(group.rows)))
        if result.view.type == "table":
            wrapper.append(_table(result, group, context))
        elif result.view.type == "list":
            wrapper.append(_list(result, group, context))
        else:
            wrapper.append(_cards(result, group, images, context))
    return wrapper


def _table(result: ViewResult, group: Group, context: RenderContext) -> etree.Element:
    columns = result.columns
    rows = [
        [_cell(v, c.id, row.record.path) for v, c in zip(row.cells, columns, strict=True)]
        for row in group.rows
    ]
    element = table([c.label for c in columns], rows, context)
    element.set("data-ns-base-table", "")  # (no class: the theme styles only such tables)
    if group.summaries:
        foot = etree.SubElement(etree.SubElement(element, "tfoot"), "tr")
        for column in columns:
            td = etree.SubElement(foot, "td", {"class": "ns-base-summary"})
            if column.id in group.summaries:
                name, value = group.summaries[column.id]
                label = etree.SubElement(td, "span", {"class": "ns-base-summary__name"})
                label.text = AtomicString(name)
                label.tail = AtomicString(" ")
                add_value(td, shown(value), context)
    return element


def _list(result: ViewResult, group: Group, context: RenderContext) -> etree.Element:
    ul = etree.Element("ul", {"class": "ns-base-list"})
    for row in group.rows:
        li = etree.SubElement(ul, "li")
        first = True
        for value, column in zip(row.cells, result.columns, strict=True):
            cell = _cell(value, column.id, row.record.path)
            if cell is None or cell == "" or cell == []:
                continue
            if not first:
                add_text(li, " · ")
            span = etree.SubElement(li, "span", {"class": "ns-base-list__value"})
            add_value(span, cell, context)
            first = False
        if first:  # nothing to show: the note itself, as a link
            add_value(
                etree.SubElement(li, "span", {"class": "ns-base-list__value"}),
                Link(row.record.path),
                context,
            )
    return ul


def _cards(result: ViewResult, group: Group, images: Any, context: RenderContext) -> etree.Element:
    grid = etree.Element("div", {"class": "ns-base-cards"})
    for row in group.rows:
        card = etree.SubElement(grid, "div", {"class": "ns-base-card"})
        if result.view.image is not None:
            src = _image_src(next(images, None), context)
            if src is not None:
                cover = etree.SubElement(card, "div", {"class": "ns-base-card__cover"})
                etree.SubElement(cover, "img", {"src": src, "alt": "", "loading": "lazy"})
        for value, column in zip(row.cells, result.columns, strict=True):
            cell = _cell(value, column.id, row.record.path)
            if column.id == result.view.image or cell is None or cell == "" or cell == []:
                continue
            p = etree.SubElement(card, "p", {"class": "ns-base-card__property"})
            if column.id != "file.name":
                label = etree.SubElement(p, "span", {"class": "ns-base-card__label"})
                label.text = AtomicString(column.label)
            else:
                p.set("class", "ns-base-card__title")
            add_value(p, cell, context)
    return grid


def _image_src(value: Any, context: RenderContext) -> str | None:
    """Where a card's picture is: a published attachment of the vault, or a web address."""
    if isinstance(value, Image):
        value = value.source
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip().startswith(("http://", "https://")):
        return value.strip()
    graph = context.graph
    if not isinstance(value, Link) or not value.resolved or graph is None:
        return None
    if VaultPath(value.path) not in graph.used_attachments:
        return None  # (a file no public note uses is not on the site)
    return context.href(Resolution("ok", VaultPath(value.path), "attachment"))


def tabs(labels: list[str], panels: list[etree.Element], number: int) -> etree.Element:
    """Content tabs in mkdocs-material's markup, the first one shown; ``number`` tells the
    page's tab sets apart."""
    tab_set = etree.Element(
        "div",
        {
            "class": "tabbed-set tabbed-alternate ns-base-tabs",
            "data-tabs": f"{number}:{len(labels)}",
        },
    )
    for i in range(len(labels)):
        attrs = {
            "type": "radio",
            "name": f"__tabbed_base_{number}",
            "id": f"__tabbed_base_{number}_{i + 1}",
        }
        if i == 0:
            attrs["checked"] = "checked"
        etree.SubElement(tab_set, "input", attrs)
    label_box = etree.SubElement(tab_set, "div", {"class": "tabbed-labels"})
    for i, text in enumerate(labels):
        label = etree.SubElement(label_box, "label", {"for": f"__tabbed_base_{number}_{i + 1}"})
        label.text = AtomicString(text)
    content = etree.SubElement(tab_set, "div", {"class": "tabbed-content"})
    for panel in panels:
        block = etree.SubElement(content, "div", {"class": "tabbed-block"})
        block.append(panel)
    return tab_set
