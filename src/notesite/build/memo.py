"""What a build remembers of what it made, keyed by everything it was made from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class Memo:
    """Remembers what each named step made, with the key (everything the step depends on) it
    was made from: asked again with an equal key, it gives what it made instead of making it.

    A build that forgets (``keep=False``, one ``mkdocs build``) makes every step anew; ``mkdocs
    serve`` keeps what it made from one edit to the next, so an edit does not make again what it
    left as it was. A memo that lasts beyond one process is this same interface, kept on disk.
    """

    def __init__(self, *, keep: bool) -> None:
        self.keep = keep
        self._made: dict[str, tuple[object, Any]] = {}

    def get(self, name: str, key: object, make: Callable[[], T]) -> T:
        """``make()``, or what it gave last time for ``name`` when ``key`` is equal."""
        if not self.keep:
            return make()
        kept = self._made.get(name)
        if kept is not None and kept[0] == key:
            return cast(T, kept[1])
        value = make()
        self._made[name] = (key, value)
        return value

    def clear(self) -> None:
        self._made = {}
