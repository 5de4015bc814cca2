"""Dataview queries rendered at build time: ```` ```dataview ```` blocks and `` `= expr` ``.

A ```` ```dataview ```` fence (also inside lists and callouts) is taken out of the text before
code fences are (preprocessor priority 28: after comments (40) and whitespace (30), before the
inline fields (26) and fences (25)) and left as a placeholder paragraph; a treeprocessor
(priority 25, before inline processing at 20) puts the query's result in its place, built by
:mod:`notesite.markdown.queryview`. A code span `` `= expr` `` becomes its value, rendered in place
(a treeprocessor after inline processing, priority 19).

DataviewJS (```` ```dataviewjs ```` and `` `$= ...` ``) cannot run without Obsidian: it becomes a
discreet "dynamic view" line (or nothing, with ``placeholders`` off), never code.

A query that cannot be parsed or run shows an error box with the message and is reported as a
warning naming the file and line; everything else on the page renders. Query results are not
links of the note: the graph and backlinks never count them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from html import unescape
from typing import TYPE_CHECKING, Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from notesite.markdown import queryview as view
from notesite.markdown.context import RenderContext
from notesite.syntax.queries import FENCE, fence_source, find_query_fences

if TYPE_CHECKING:
    from notesite.query.dql import ListResult, Result, Runner, TaskResult
    from notesite.query.values import Value

# The query engine and its parser are imported when a page has a query: most builds never
# need them.

_MARKER = "\x02ns-query:{}\x03"
_MARKER_RE = re.compile("^\x02ns-query:(\\d+)\x03$")
ERROR_TITLE = "Dataview query error"


class Block:
    """A query fence found in the text: its language, its text, its file line, and the note
    it comes from when it was embedded (None: the page's own)."""

    __slots__ = ("language", "line", "source", "text")

    def __init__(self, language: str, text: str, line: int, source: str | None = None) -> None:
        self.language, self.text, self.line, self.source = language, text, line, source


class QueryPreprocessor(Preprocessor):
    """Set each query fence aside, leaving a placeholder paragraph where it was."""

    def __init__(self, md: Markdown, blocks: list[Block], context: RenderContext) -> None:
        super().__init__(md)
        self.blocks = blocks
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        self.blocks.clear()
        if not any("dataview" in line for line in lines):
            return lines
        first = self.context.note.body_line if self.context.note is not None else 1
        for start, end, language, text in find_query_fences(lines):
            prefix = FENCE.match(lines[start]).group("prefix")  # type: ignore[union-attr]
            source = fence_source(lines[start])
            self.blocks.append(Block(language, text, first + start, source))
            quote = prefix.rstrip(" \t") if ">" in prefix else ""
            for k in range(start, end + 1):
                lines[k] = quote  # blank lines around the placeholder: line numbers hold
            # The placeholder on a line of its own, a paragraph apart from the text around it.
            at = start + 1 if end - start >= 2 else start
            lines[at] = prefix + _MARKER.format(len(self.blocks) - 1)
        return lines


class QueryTreeprocessor(Treeprocessor):
    """Put each query's result where its placeholder paragraph is."""

    def __init__(self, md: Markdown, blocks: list[Block], ext: DataviewExtension) -> None:
        super().__init__(md)
        self.blocks = blocks
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        if not self.blocks:
            return
        for parent in list(root.iter()):
            for child in list(parent):
                match = _MARKER_RE.match(child.text or "") if child.tag == "p" else None
                if match is None:
                    continue
                found = self.ext.render_block(self.blocks[int(match.group(1))])
                at = list(parent).index(child)
                parent.remove(child)
                if found is not None:
                    found.tail = child.tail
                    parent.insert(at, found)


class InlineQueryTreeprocessor(Treeprocessor):
    """Code spans reading `` `= expr` `` as the expression's value; `` `$= js` `` as a dynamic
    view's placeholder. After inline processing (priority 19 < 20): a code span is then a
    ``<code>`` whose text is the span's, and a span inside a longer one (````` `= x` `````)
    starts with a backtick, so it stays code."""

    def __init__(self, md: Markdown, ext: DataviewExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            if parent.tag == "pre":
                continue
            for child in list(parent):
                if child.tag != "code" or not child.text or len(child):
                    continue
                text = unescape(child.text)
                found = _INLINE.match(text)
                if found is None:
                    continue
                if found.group("js"):
                    replacement = self.ext.inline_placeholder()
                else:
                    replacement = self.ext.render_inline(found.group("expr").strip())
                at = list(parent).index(child)
                parent.remove(child)
                if replacement is None:
                    view.add_text_at(parent, at, child.tail or "")
                    continue
                replacement.tail = child.tail
                parent.insert(at, replacement)


#: ``= expr`` or ``$= js``; ``==text==`` (a highlight shown as code) is no query.
_INLINE = re.compile(r"^(?P<js>\$)?=(?!=)(?P<expr>.*\S.*)$", re.DOTALL)


class DataviewExtension(Extension):
    def __init__(self, context: RenderContext | None = None, **kwargs: Any) -> None:
        self.context = context or RenderContext()
        self.config = {
            "placeholders": [True, "show a line where a DataviewJS view would be"],
        }
        super().__init__(**kwargs)
        self._runner: Runner | None = None
        self.md: Markdown | None = None

    @property
    def placeholders(self) -> bool:
        return bool(self.getConfig("placeholders"))

    def runner(self) -> Runner | None:
        index = self.context.query_index
        if index is None:
            return None
        if self._runner is None or self._runner.index is not index:
            from notesite.query.dql import Runner

            self._runner = Runner(index)
        return self._runner

    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        blocks: list[Block] = []
        md.preprocessors.register(
            QueryPreprocessor(md, blocks, self.context), "notesite-dataview", 28
        )
        md.treeprocessors.register(QueryTreeprocessor(md, blocks, self), "notesite-dataview", 25)
        md.treeprocessors.register(
            InlineQueryTreeprocessor(md, self), "notesite-dataview-inline", 19
        )

    # -- rendering -----------------------------------------------------------------------------

    def _fail(self, message: str, line: int | None) -> None:
        self.context.report(f"Dataview query: {message}", "query", line)

    def render_block(self, block: Block) -> etree.Element | None:
        if block.language == "dataviewjs":
            return view.dynamic_placeholder("DataviewJS") if self.placeholders else None
        runner = self.runner()
        if runner is None:
            return view.no_results("Dataview queries are shown on the published site.")
        from notesite.query.dql import DqlError, parse_query

        here = self.context.note.path if self.context.note else None
        try:
            query = parse_query(block.text)
            result = runner.run(query, block.source or here)
        except DqlError as error:
            if block.source is None:  # (an embedded query's own page reports it)
                line = block.line + error.line if error.line else block.line
                self._fail(error.message, line)
            return view.error_box(ERROR_TITLE, error.message)
        return self.render_result(result)

    def render_result(self, result: Result) -> etree.Element:
        """A result's elements; text values are left for inline processing, which follows."""
        from notesite.query.dql import CalendarResult, ListResult, TableResult, TaskResult

        context = self.context
        if isinstance(result, TableResult):
            if not result.rows:
                return view.no_results()
            return view.table(result.headers, result.rows, context, markdown=True)
        if isinstance(result, ListResult):
            return self._list(result)
        if isinstance(result, TaskResult):
            return self._tasks(result)
        assert isinstance(result, CalendarResult)
        if not result.entries:
            return view.no_results()
        return view.month_calendar(result.entries, context)

    def _list(self, result: ListResult) -> etree.Element:
        if not result.items:
            return view.no_results()
        ul = etree.Element("ul", {"class": "ns-query-list"})
        for ident, value in result.items:
            li = etree.SubElement(ul, "li")
            if ident is not None:
                view.add_value(li, ident, self.context, markdown=True)
            if not result.has_value:
                continue
            if result.grouped and isinstance(value, list):
                li.append(view.value_list(value, self.context, markdown=True))
            elif ident is not None and value is not None:
                view.add_text(li, ": ")
                view.add_value(li, value, self.context, markdown=True)
            else:
                view.add_value(li, value, self.context, markdown=True)
        return ul

    def _tasks(self, result: TaskResult) -> etree.Element:
        if not any(tasks for _, tasks in result.groups):
            return view.no_results()
        wrapper = etree.Element("div", {"class": "ns-query-tasks"})
        for key, tasks in result.groups:
            if not tasks:
                continue
            if key is not None:
                heading = etree.SubElement(wrapper, "p", {"class": "ns-query-group"})
                view.add_value(heading, key, self.context, markdown=True)
            ul = etree.SubElement(wrapper, "ul", {"class": "task-list"})
            for task in tasks:
                ul.append(self._task(task))
        return wrapper

    def _task(self, task: dict[str, Value]) -> etree.Element:
        """A task as pymdownx.tasklist marks one up (so the theme draws its checkbox)."""
        li = etree.Element("li", {"class": "task-list-item"})
        label = etree.SubElement(li, "label", {"class": "task-list-control"})
        box = etree.SubElement(label, "input", {"type": "checkbox", "disabled": "disabled"})
        if task.get("checked"):
            box.set("checked", "checked")
        etree.SubElement(label, "span", {"class": "task-list-indicator"})
        view.add_text(li, " ")
        view.add_string(li, str(task.get("text", "")), self.context, markdown=True)
        return li

    def inline_placeholder(self) -> etree.Element | None:
        if not self.placeholders:
            return None
        el = etree.Element("span", {"class": "ns-query-dynamic"})
        el.text = AtomicString("(dynamic view)")
        return el

    def render_inline(self, text: str) -> etree.Element:
        runner = self.runner()
        el = etree.Element("span", {"class": "ns-query-inline"})
        if runner is None:
            el.text = AtomicString("")
            return el
        from notesite.query.dql import DqlError, parse_expression

        try:
            value = runner.value(
                parse_expression(text), self.context.note.path if self.context.note else None
            )
        except DqlError as error:
            self._fail(f"{error.message} (in `= {text}`)", self._inline_line(text))
            el.set("class", "ns-query-inline ns-query-error")
            el.text = AtomicString(f"Dataview: {error.message}")
            return el
        view.add_value(el, value, self.context)
        return el

    def _inline_line(self, text: str) -> int | None:
        """The file line of an inline query (its first occurrence in the note)."""
        note = self.context.note
        if note is None:
            return None
        at = note.body.find(text)
        return note.body_line + note.body.count("\n", 0, at) if at >= 0 else note.body_line


def makeExtension(**kwargs: Any) -> DataviewExtension:
    return DataviewExtension(**kwargs)
