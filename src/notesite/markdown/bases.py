"""Obsidian Bases in notes: a ```` ```base ```` code block is a base written in place, and
``![[Reading list.base]]`` (``![[Reading list.base#View]]`` for one view) on a line of its own
shows a ``.base`` file of the vault. A ``.base`` file's own page is a note whose text is that
file in a ``base`` block (see :mod:`notesite.site.filepages`).

The preprocessor (priority 36: after comments are removed at 40, before embeds are expanded at
35, so that line numbers are still the note's own) reads each base and puts a marker line in its
place; the block processor (75, before code blocks and paragraphs claim the line) puts the
rendered base there as ``etree`` elements, so the host rewrites its links like any other. A
second pass (priority 30) takes the ``base`` blocks that embedded notes brought in.

A base that cannot be read shows an error box in place and is reported (file and line). The
results list public notes only (the shared query index has no other) and are not links of the
graph: a base's results add no backlinks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from notesite.markdown.context import RenderContext
from notesite.markdown.queryview import error_box
from notesite.paths import VaultPath
from notesite.problems import Level, Problem
from notesite.syntax.wikilinks import parse_inner

if TYPE_CHECKING:
    from notesite.query.bases.record import FileRecord, Table
    from notesite.query.bases.run import ViewResult
    from notesite.query.bases.spec import BaseSpec, SpecProblem, View

# What shows a base (the query engine, its parser, the views) is imported when a page has one:
# most builds never need it, and it was the most of notesite's start-up time.

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")
_EMBED = re.compile(r"^[ \t]{0,3}!\[\[(?P<inner>[^\[\]\n]+\.base(?:#[^\[\]\n]*)?)\]\][ \t]*$")
#: What stands for a base until the block processor renders it: between invisible separators
#: (Python-Markdown removes its own STX and ETX markers from the text before block parsing).
_SEPARATOR = "\u2063"
_MARKER = re.compile(f"^{_SEPARATOR}ns-base:(\\d+){_SEPARATOR}$")


@dataclass(frozen=True)
class _Block:
    text: str
    file: str
    """The vault path problems are reported at (the note, or the ``.base`` file)."""
    first_line: int | None
    """The line of ``file`` that is the base text's first line (None: not known)."""
    view: str | None = None
    private: bool = False


class _Conversion:
    """What the processors of one conversion share: the blocks found, the tab sets made."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.tab_sets = 0


class BasePreprocessor(Preprocessor):
    def __init__(
        self, md: Markdown, extension: BaseExtension, conversion: _Conversion, *, embedded: bool
    ) -> None:
        super().__init__(md)
        self.extension = extension
        self.embedded = embedded
        self.conversion = conversion
        self.blocks = conversion.blocks

    def run(self, lines: list[str]) -> list[str]:
        if not self.embedded:  # the first pass of a conversion: nothing of the last one stays
            self.blocks.clear()
            self.conversion.tab_sets = 0
        text = "\n".join(lines)
        if "base" not in text:
            return lines
        context = self.extension.context
        first = context.note.body_line if context.note is not None and not self.embedded else None
        out: list[str] = []
        fence: tuple[str, int] | None = None  # the code block we are in (its fence), if any
        base: list[str] | None = None
        start = 0
        for i, line in enumerate(lines):
            match = _FENCE.match(line)
            if fence is not None:
                closes = (
                    match is not None
                    and match.group("fence")[0] == fence[0]
                    and len(match.group("fence")) >= fence[1]
                    and not match.group("info")
                )
                if base is not None:
                    if closes:
                        where = None if first is None else first + start + 1
                        out.append(self._marker(_Block("\n".join(base), context.path, where)))
                        base, fence = None, None
                    else:
                        base.append(line)
                    continue
                fence = None if closes else fence
                out.append(line)
                continue
            if match is not None:
                fence = (match.group("fence")[0], len(match.group("fence")))
                if match.group("info").split(" ", 1)[0] == "base":
                    base, start = [], i
                    continue
            elif (embed := _EMBED.match(line)) is not None:
                block = self._embed(embed.group("inner"))
                if block is not None:
                    out.append(self._marker(block))
                    continue
            out.append(line)
        if base is not None:  # a block never closed runs to the end of the note
            where = None if first is None else first + start + 1
            out.append(self._marker(_Block("\n".join(base), context.path, where)))
        return out

    def _embed(self, inner: str) -> _Block | None:
        context = self.extension.context
        link = parse_inner(inner, embed=True)
        resolution = context.resolve(link)
        if resolution.status == "private":
            return _Block("", context.path, None, private=True)
        if not resolution.ok or resolution.path is None:
            return None
        source = self.extension.sources.get(resolution.path)
        if source is None:  # a .base file the site does not publish
            return _Block("", context.path, None, private=True)
        view = link.headings[0] if link.headings else None
        return _Block(source, resolution.path, 1, view)

    def _marker(self, block: _Block) -> str:
        self.blocks.append(block)
        return f"\n{_SEPARATOR}ns-base:{len(self.blocks) - 1}{_SEPARATOR}\n"


class BaseBlockProcessor(BlockProcessor):
    def __init__(self, md: Markdown, extension: BaseExtension, conversion: _Conversion) -> None:
        super().__init__(md.parser)
        self.extension = extension
        self.conversion = conversion
        self.blocks = conversion.blocks

    def test(self, parent: etree.Element, block: str) -> bool:
        return _MARKER.match(block.strip()) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        match = _MARKER.match(blocks.pop(0).strip())
        assert match is not None
        block = self.blocks[int(match.group(1))]
        parent.append(self.render(block))
        return True

    def render(self, block: _Block) -> etree.Element:
        wrapper = etree.Element("div", {"class": "ns-base"})
        if block.private:
            p = etree.SubElement(wrapper, "p", {"class": "ns-embed ns-embed--unpublished"})
            p.text = AtomicString("This part is not published.")
            return wrapper
        from notesite.query.bases.spec import read_base

        spec, problems = read_base(block.text)
        for problem in problems:
            if spec is not None:  # a notice: the base is still shown
                self._report(block, problem, level_info=True)
        if spec is None:
            problem = problems[0]
            self._report(block, problem)
            where = self._line(block, problem.line)
            at = f" (line {where})" if where is not None else ""
            wrapper.append(error_box("Base error", f"{block.file}{at}: {problem.message}"))
            return wrapper
        self._show(wrapper, spec, block)
        return wrapper

    def _show(self, wrapper: etree.Element, spec: BaseSpec, block: _Block) -> None:
        from notesite.markdown.baseview import tabs, view_element
        from notesite.query.bases.record import FileRecord
        from notesite.query.bases.spec import SpecProblem

        context = self.extension.context
        table = self.extension.table()
        if table is None:
            return
        views = spec.views
        if block.view is not None:
            wanted = spec.view(block.view)
            if wanted is None:
                message = f"has no view {block.view!r}; every view is shown"
                self._report(block, SpecProblem(None, message))
            else:
                views = (wanted,)
        this = table.records.get(context.path)
        if this is None:  # a .base file's own page: `this` is the base file
            this = FileRecord(context.path, {}, title=context.note.title if context.note else "")
        panels = []
        for view in views:
            result = self.extension.run(block.text, spec, view, table, this)
            said = []
            for line, message in result.errors:
                self._report(block, SpecProblem(line, f"view {view.name!r}: {message}"))
                where = self._line(block, line)
                said.append(f"{block.file}{f' (line {where})' if where else ''}: {message}")
            panel = view_element(result, context)
            if said:  # what could not be worked out is empty, and said above the results
                panel.insert(0, error_box("Base error", "; ".join(said)))
            panels.append(panel)
        if len(panels) == 1:
            wrapper.append(panels[0])
        else:
            self.conversion.tab_sets += 1
            wrapper.append(tabs([v.name for v in views], panels, self.conversion.tab_sets))

    def _line(self, block: _Block, line: int | None) -> int | None:
        if line is None or block.first_line is None:
            return None
        return block.first_line + line - 1

    def _report(self, block: _Block, problem: SpecProblem, *, level_info: bool = False) -> None:
        context = self.extension.context
        level = Level.INFO if level_info else Level.WARNING
        line = self._line(block, problem.line)
        message = f"base {problem.message}" if block.file == context.path else problem.message
        found = Problem(VaultPath(block.file), line, message, "base", level)
        if found not in context.problems:
            context.problems.append(found)


def _picture(value: Any, table: Table, this: FileRecord | None) -> Any:
    """A card's picture: a path or ``[[file]]`` as the link it makes, a web address as it is."""
    from notesite.query.bases.values import Image

    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Image):
        value = value.source
    if isinstance(value, str) and value.strip() and not value.strip().startswith("http"):
        return table.link(value.strip(), this)
    return value


class BaseExtension(Extension):
    """``sources``: each published ``.base`` file's text, by vault path (the host fills it)."""

    def __init__(
        self,
        context: RenderContext | None = None,
        sources: Mapping[VaultPath, str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.context = context or RenderContext()
        self.sources: Mapping[VaultPath, str] = sources if sources is not None else {}
        self._table: tuple[object, Table] | None = None
        self._results: dict[tuple[str, str, str | None], tuple[Table, ViewResult]] = {}
        super().__init__(**kwargs)

    def table(self) -> Table | None:
        """The public notes as bases see them: made once per query index (once per build)."""
        index = self.context.query_index
        if index is None:
            return None
        if self._table is None or self._table[0] is not index:
            from notesite.query.bases.table import table_from_index

            self._table = (index, table_from_index(index))
            self._results = {}
        return self._table[1]

    def run(
        self, text: str, spec: BaseSpec, view: View, table: Table, this: FileRecord
    ) -> ViewResult:
        """A view's results: worked out once per build for a base shown on many pages, unless
        it depends on the page showing it (``this``)."""
        key = (text, view.name, this.path if "this" in text else None)
        found = self._results.get(key)
        if found is None or found[0] is not table:
            from notesite.query.bases.run import run_view

            result = run_view(spec, view, table, this)
            result.image = [_picture(value, table, this) for value in result.image]
            found = self._results[key] = (table, result)
        return found[1]

    def extendMarkdown(self, md: Markdown) -> None:
        conversion = _Conversion()
        own = BasePreprocessor(md, self, conversion, embedded=False)
        embedded = BasePreprocessor(md, self, conversion, embedded=True)
        md.preprocessors.register(own, "notesite-bases", 36)
        md.preprocessors.register(embedded, "notesite-bases-embedded", 30)
        md.parser.blockprocessors.register(
            BaseBlockProcessor(md, self, conversion), "notesite-bases", 75
        )


def makeExtension(**kwargs: Any) -> BaseExtension:
    return BaseExtension(**kwargs)
