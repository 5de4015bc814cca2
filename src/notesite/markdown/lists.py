"""Lists that start right under a paragraph line, as Obsidian (and CommonMark) allow.

Python-Markdown only starts a list after a blank line, so ``such as:\\n- one\\n- two`` would be a
single paragraph. This preprocessor puts the blank line in (with the same ``>`` prefix inside
a quote or callout). It runs at priority 19, after fenced code and raw HTML blocks have been
set aside (25 and 20), so code is never touched.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from notesite.syntax.mask import mask_blocks

_ITEM = re.compile(r"^(?P<quote>(?:[ \t]*>)*)[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_QUOTE = re.compile(r"^(?P<quote>(?:[ \t]*>)*)[ \t]*(?P<rest>.*)$")
_BLOCK_START = re.compile(r"^(?:#{1,6}[ \t]|[-*_=]{3,}[ \t]*$|\|)")


class ListSpacingPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_list = False
        # Fences inside quotes and callouts are still in the text here: leave their lines be.
        masked = mask_blocks("\n".join(lines)).split("\n")
        for line, masked_line in zip(lines, masked, strict=True):
            code = bool(line.strip()) and not masked_line.strip()
            if code:
                in_list = False
                out.append(line)
                continue
            quote_match = _QUOTE.match(line)
            assert quote_match is not None
            quote, rest = quote_match.group("quote"), quote_match.group("rest")
            is_item = bool(_ITEM.match(line))
            if not rest.strip():
                in_list = False
            elif is_item and not in_list and out:
                previous = _QUOTE.match(out[-1])
                assert previous is not None
                prev_rest = previous.group("rest")
                if (
                    previous.group("quote").replace(" ", "") == quote.replace(" ", "")
                    and prev_rest.strip()
                    and not _BLOCK_START.match(prev_rest)
                    and not out[-1].startswith(("    ", "\t"))
                ):
                    out.append(quote.strip() if quote else "")
            if is_item:
                in_list = True
            out.append(line)
        return out


class ListSpacingExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(ListSpacingPreprocessor(md), "notesite-lists", 19)


def makeExtension(**kwargs: Any) -> ListSpacingExtension:
    return ListSpacingExtension(**kwargs)
