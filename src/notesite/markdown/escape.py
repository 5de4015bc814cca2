"""Text written into generated Markdown as itself: no syntax of it applies."""

from __future__ import annotations

import functools
import re

#: What :func:`escape_markdown` writes as a reference: all but letters, digits and spaces
#: (``\w`` is ``str.isalnum`` plus ``_``).
_PUNCTUATION = re.compile(r"[^\w ]|_")


@functools.lru_cache(maxsize=1 << 14)
def escape_markdown(text: str) -> str:
    """Write punctuation as character references, so no syntax (``[[``, ``==``, ``#``) applies."""
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m[0])};", text)
