"""Pandoc's citation syntax, as pandoc's manual gives it.

- ``[@key]``, ``[@key, p. 12]``, ``[see @key, ch. 3; @other]``: a bracketed citation, one or
  more cites separated by ``;``, each with an optional prefix, locator and suffix;
- ``[-@key]``: the author suppressed (``(2021)``);
- ``@key says`` and ``@key [p. 12] says``: a narrative citation (``Wang (2021) says``).

A key starts with a letter, digit or ``_`` and holds alphanumerics, ``_`` and *internal*
punctuation (``:.#$%&-+?<>~/``), so ``@wang2021china.`` ends before its full stop; ``@{any key}``
takes anything but braces. An ``@`` that follows a letter, digit or ``.+-/:=`` is not a
citation: ``ann@example.org`` is an e-mail address, ``https://host/@user`` a URL.

The functions read text in which code, math and comments are already blanked
(:mod:`notesite.syntax.mask`); :func:`find_citations` also skips wikilinks and link targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notesite.syntax.wikilinks import WIKILINK_RE

KEY = r"(?:\{(?P<braced>[^{}\n]+)\}|(?P<plain>\w+(?:[:.#$%&\-+?<>~/]\w+)*))"
#: Where an ``@`` may not stand for a citation to start (e-mail addresses, URLs, escapes).
_NOT_AFTER = r"(?<![\w.+\-/:=@\\])"
#: A narrative citation, with its optional ``[suffix]`` right after it.
NARRATIVE_RE = re.compile(_NOT_AFTER + r"@" + KEY + r"(?:[ \t]?\[(?P<suffix>[^\[\]\n]*)\])?")
#: A bracketed citation: brackets holding at least one ``@``, and not a link (``[..](`` or
#: ``[..][ref]``); ``[@key]:`` mid-sentence is still one.
BRACKET_RE = re.compile(r"\[(?P<inner>[^\[\]\n]*@[^\[\]\n]*)\](?![(\[])")
_CITE_PART = re.compile(
    r"^(?P<prefix>(?:.*?\s)?)(?P<minus>-?)@" + KEY + r"(?P<rest>.*)$",
    re.DOTALL,
)
_MD_LINK_TARGET = re.compile(r"\]\([^()\n]*\)")

#: Locator terms (CSL's locale terms, long and short), to CSL's locator names.
LOCATOR_TERMS: dict[str, str] = {}
for _name, _terms in {
    "book": "book books bk. bks.",
    "chapter": "chapter chapters chap. chaps. ch. chs.",
    "column": "column columns col. cols.",
    "figure": "figure figures fig. figs.",
    "folio": "folio folios fol. fols.",
    "number": "number numbers no. nos.",
    "line": "line lines l. ll.",
    "note": "note notes n. nn.",
    "opus": "opus opera op. opp.",
    "page": "page pages p. pp.",
    "paragraph": "paragraph paragraphs para. paras. ¶ ¶¶",
    "part": "part parts pt. pts.",
    "section": "section sections sec. secs. § §§",
    "sub verbo": "s.v. s.vv.",
    "verse": "verse verses v. vv.",
    "volume": "volume volumes vol. vols.",
}.items():
    for _term in _terms.split():
        LOCATOR_TERMS[_term] = _name
_TERMS = "|".join(re.escape(t) for t in sorted(LOCATOR_TERMS, key=len, reverse=True))
_VALUE = r"[\w\-–]+(?:,[ ]?(?=[\w\-–]*\d)[\w\-–]+)*"
_LOCATOR = re.compile(
    rf"^,?[ \t]*(?:(?P<term>{_TERMS})[ \t]*(?P<value>{_VALUE})|(?P<bare>(?=\d){_VALUE}))"
)


@dataclass(frozen=True, slots=True)
class Cite:
    """One cited work: ``see @key, p. 12, emphasis added``."""

    key: str
    prefix: str = ""
    locator: str = ""
    label: str = "page"
    """The CSL name of the locator's kind (``page``, ``chapter``...)."""
    suffix: str = ""
    suppress_author: bool = False


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation as written: one or more cites, bracketed or narrative (``@key says``)."""

    cites: tuple[Cite, ...]
    narrative: bool
    start: int
    end: int

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cites)


def _key(match: re.Match[str]) -> str:
    return match.group("braced") or match.group("plain")


def split_locator(text: str) -> tuple[str, str, str]:
    """``", p. 12, emphasis added"`` -> ``("page", "12", ", emphasis added")``.

    Pandoc's rule: a locator term (or a bare number, a page) right after the key; what follows
    it is the suffix. No locator: ``("page", "", text)``.
    """
    found = _LOCATOR.match(text)
    if found is None:
        return "page", "", text
    label = LOCATOR_TERMS[found.group("term")] if found.group("term") else "page"
    return label, found.group("value") or found.group("bare"), text[found.end() :]


def parse_bracket(inner: str) -> tuple[Cite, ...] | None:
    """The cites of ``[inner]``, or ``None`` when it is not a citation (any part without a key)."""
    cites = []
    for part in inner.split(";"):
        found = _CITE_PART.match(part.strip())
        if found is None:
            return None
        label, locator, suffix = split_locator(found.group("rest"))
        cites.append(
            Cite(
                key=_key(found),
                prefix=found.group("prefix").strip(),
                locator=locator,
                label=label,
                suffix=suffix.strip(),
                suppress_author=bool(found.group("minus")),
            )
        )
    return tuple(cites)


def narrative_cite(match: re.Match[str]) -> Cite:
    """The cite of a :data:`NARRATIVE_RE` match (``@key [p. 12]``)."""
    label, locator, suffix = split_locator(match.group("suffix") or "")
    return Cite(key=_key(match), locator=locator, label=label, suffix=suffix.strip())


def find_citations(masked: str) -> list[Citation]:
    """Every citation in a note's masked text, in order.

    Wikilinks and Markdown link targets are blanked first: an ``@`` in ``[[a@b]]`` or in
    ``[text](mailto:a@b)`` is no citation.
    """
    if "@" not in masked:
        return []
    text = WIKILINK_RE.sub(_blank, masked) if "[[" in masked else masked
    if "](" in text:
        text = _MD_LINK_TARGET.sub(_blank, text)
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for match in BRACKET_RE.finditer(text):
        cites = parse_bracket(match.group("inner"))
        if cites is not None:
            found.append(Citation(cites, False, match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in NARRATIVE_RE.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            found.append(Citation((narrative_cite(match),), True, match.start(), match.end()))
    found.sort(key=lambda c: c.start)
    return found


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))
