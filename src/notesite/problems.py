"""Problems found in a vault: what every warning of notesite is made of.

The core never logs. It returns :class:`Problem` values; the MkDocs plugin logs them through
MkDocs' logger (so ``mkdocs build --strict`` fails on warnings) and ``notesite check`` prints them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from notesite.heap import PickledByFields


class Level(enum.IntEnum):
    INFO = 20
    WARNING = 30


@dataclass(frozen=True, slots=True)
class Problem(PickledByFields):
    path: str
    """The vault path of the file the problem is in."""
    line: int | None
    message: str
    kind: str
    """A short, stable name: ``yaml``, ``encoding``, ``unresolved``, ``ambiguous``, ..."""
    level: Level = Level.WARNING

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
