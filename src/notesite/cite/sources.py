"""Bibliographies read into CSL JSON items: BibTeX and BibLaTeX (``.bib``, as Zotero's Better
BibTeX exports them, read with bibtexparser) and CSL JSON (``.json``).

Reading never fails: a broken entry is reported with its file and line and the other entries
are used; a file that cannot be read at all gives no entries and one problem.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notesite.problems import Problem

CslItem = dict[str, Any]

#: BibTeX and BibLaTeX entry types -> CSL types.
_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "collection": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "book",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "report": "report",
    "techreport": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "software": "book",
    "dataset": "dataset",
    "patent": "patent",
    "unpublished": "manuscript",
    "misc": "article",
}
#: Fields copied as they are.
_FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "subtitle": "",
    "journaltitle": "container-title",
    "journal": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "publisher": "publisher",
    "location": "publisher-place",
    "address": "publisher-place",
    "volume": "volume",
    "pages": "page",
    "edition": "edition",
    "doi": "DOI",
    "url": "URL",
    "isbn": "ISBN",
    "issn": "ISSN",
    "note": "note",
    "abstract": "abstract",
    "version": "version",
    "type": "genre",
}
_NAMES = {"author": "author", "editor": "editor", "translator": "translator"}
_PUBLISHER_LIKE = ("institution", "school", "organization")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DATE = re.compile(r"^(?P<y>-?\d{1,4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?")
_ENTRY_KEY = re.compile(r"\s*@\w+\s*[{(]\s*([^,\s]+)")
_LATEX = re.compile(r"[\\{}~$]|--")


@dataclass
class Library:
    """The works of one or more bibliography files, by key."""

    items: dict[str, CslItem] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, key: str) -> CslItem | None:
        """The item of a cite key. Keys match whatever their case, as citeproc-py matches them."""
        return self.items.get(key.casefold())

    def merged(self, others: Iterable[Library]) -> Library:
        """This library and the others; an earlier one wins a key both hold."""
        items: dict[str, CslItem] = {}
        for library in (*reversed(list(others)), self):
            items.update(library.items)
        return Library(items)

    def __contains__(self, key: str) -> bool:
        return key.casefold() in self.items


def load(path: Path, shown: str) -> Library:
    """Read one bibliography file; ``shown`` is the name its problems are reported under."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8"
        return Library(problems=[Problem(shown, None, f"bibliography not read: {reason}", "cite")])
    if path.suffix.casefold() == ".json":
        return csl_json(text, shown)
    return bibtex(text, shown)


def csl_json(text: str, shown: str) -> Library:
    """A CSL JSON file: a list of items, each with an ``id``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        message = f"bibliography is not valid JSON ({error.msg}); no entry of it was read"
        return Library(problems=[Problem(shown, error.lineno, message, "cite")])
    library = Library()
    if isinstance(data, Mapping):  # (a single item, or {"items": [...]})
        data = data.get("items", [data])
    for index, item in enumerate(data if isinstance(data, list) else []):
        if not isinstance(item, Mapping) or not str(item.get("id", "")).strip():
            message = f"bibliography item {index + 1} has no 'id'; it was left out"
            library.problems.append(Problem(shown, None, message, "cite"))
            continue
        library.items[str(item["id"]).casefold()] = {**item, "id": str(item["id"])}
    return library


def bibtex(text: str, shown: str) -> Library:
    """A BibTeX or BibLaTeX file, entry by entry."""
    from bibtexparser.entrypoint import parse_string
    from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

    splitter = logging.getLogger("bibtexparser.splitter")
    was = splitter.level
    splitter.setLevel(logging.ERROR)  # (it logs what failed_blocks report: said once, below)
    try:
        parsed = parse_string(text)
    finally:
        splitter.setLevel(was)
    library = Library()
    for block in parsed.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            message = f"bibliography entry '{block.key}' is there twice; the first one is used"
        elif isinstance(block, ParsingFailedBlock):
            raw = block.raw or ""
            key = _ENTRY_KEY.match(raw)
            name = key.group(1) if key else raw.split(",", 1)[0].strip()
            message = f"bibliography entry '{name}' is broken; it was left out"
        else:
            message = "bibliography holds a block that could not be read; it was left out"
        library.problems.append(Problem(shown, line, message, "cite"))
    for entry in parsed.entries:
        try:
            values = {k: str(f.value) for k, f in entry.fields_dict.items()}
            item = _csl_item(entry.key, entry.entry_type, values)
        except Exception as error:  # a field the converter chokes on: that entry only
            message = (
                f"bibliography entry '{entry.key}' could not be read ({error}); it was left out"
            )
            library.problems.append(Problem(shown, (entry.start_line or 0) + 1, message, "cite"))
            continue
        library.items.setdefault(entry.key.casefold(), item)
    return library


def _csl_item(key: str, kind: str, fields: Mapping[str, str]) -> CslItem:
    raw = {k.casefold(): " ".join(v.split()) for k, v in fields.items()}
    fields = {k: v if k in _NAMES else _decode(v) for k, v in raw.items()}
    item: CslItem = {"id": key, "type": _TYPES.get(kind.casefold(), "article")}
    for name, csl in _FIELDS.items():
        if fields.get(name) and csl and csl not in item:
            item[csl] = fields[name]
    if "subtitle" in fields and "title" in item:
        item["title"] = f"{item['title']}: {fields['subtitle']}"
    number = fields.get("number")
    if number:
        item["issue" if item["type"].startswith("article") else "number"] = number
    for name in _PUBLISHER_LIKE:
        if name in fields and "publisher" not in item:
            item["publisher"] = fields[name]
    for name, csl in _NAMES.items():
        if name in fields:
            item[csl] = _names(fields[name])
    issued = _date(fields.get("date"), fields.get("year"), fields.get("month"))
    if issued:
        item["issued"] = issued
    accessed = _date(fields.get("urldate"), None, None)
    if accessed:
        item["accessed"] = accessed
    return item


def _decode(value: str) -> str:
    """LaTeX (``{\\"o}``, ``--``, ``{Protected}`` words) to plain text."""
    if not _LATEX.search(value):
        return value
    from pylatexenc.latex2text import LatexNodes2Text

    return str(LatexNodes2Text(math_mode="verbatim").latex_to_text(value)).strip()


def _names(value: str) -> list[dict[str, str]]:
    from bibtexparser.middlewares.names import (
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    names = []
    for written in split_multiple_persons_names(value):
        written = written.strip()
        if written.startswith("{") and written.endswith("}"):  # {World Bank}: a name as it is
            names.append({"literal": _decode(written[1:-1])})
            continue
        parts = parse_single_name_into_parts(written, strict=False)
        name = {
            "family": _decode(" ".join(parts.last)),
            "given": _decode(" ".join(parts.first)),
            "non-dropping-particle": _decode(" ".join(parts.von)),
            "suffix": _decode(" ".join(parts.jr)),
        }
        names.append({k: v for k, v in name.items() if v})
    return names


def _date(date: str | None, year: str | None, month: str | None) -> dict[str, Any] | None:
    """BibLaTeX's ``date`` (``2021-07-15``, ``2020/2021``), else ``year`` and ``month``."""
    parts: list[list[int]] = []
    for written in (date or "").split("/"):
        found = _DATE.match(written.strip())
        if found:
            parts.append([int(p) for p in found.group("y", "m", "d") if p])
    if not parts and year:
        found = _DATE.match(_decode(year).strip())
        if found:
            part = [int(found.group("y"))]
            written_month = (month or "").strip().casefold()[:3]
            if written_month.isdigit():
                part.append(int(written_month))
            elif written_month in _MONTHS:
                part.append(_MONTHS[written_month])
            parts.append(part)
    return {"date-parts": parts} if parts else None
