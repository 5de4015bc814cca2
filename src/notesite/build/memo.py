"""What a build remembers of what it made, keyed by everything it was made from."""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

T = TypeVar("T")

#: A step's key digest and what it made, as an earlier build left them (see :meth:`Memo.recall`).
Made = dict[str, tuple[bytes, Any]]


def key_digest(key: object) -> bytes:
    """A hash of ``key``'s value: equal digests, equal keys.

    Pickled without its memo, so that how the objects of a key share each other (one string
    object or two equal ones) does not change what is hashed. Two equal keys built in different
    processes may still hash apart (a set's order, say): then the step is made again, which is
    slower, never wrong.
    """
    out = io.BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # (no memo: every object is written out where it is)
    pickler.dump(key)
    return hashlib.blake2b(out.getbuffer(), digest_size=32).digest()


class Memo:
    """Remembers what each named step made, with the key (everything the step depends on) it
    was made from: asked again with an equal key, it gives what it made instead of making it.

    A build that forgets (``keep=False``, one ``mkdocs build``) makes every step anew; ``mkdocs
    serve`` keeps what it made from one edit to the next, so an edit does not make again what it
    left as it was. A build given what an earlier process made (:meth:`recall`: the build cache
    keeps it on disk) compares keys by their digest, and gives what that build made when they
    are equal.
    """

    def __init__(self, *, keep: bool) -> None:
        self.keep = keep
        self._made: dict[str, tuple[object, Any, bytes | None]] = {}
        self._earlier: Made = {}
        self.lasting: Made | None = None
        """What this build made, by each step's key digest, for a later process (None: this
        build was not given what an earlier one made)."""

    def recall(self, earlier: Mapping[str, tuple[bytes, Any]]) -> None:
        """This build's steps may give what an earlier process made (``earlier``, from
        :attr:`lasting`) when their key's digest is the same."""
        self._earlier = dict(earlier)
        self.lasting = {}

    def get(self, name: str, key: object, make: Callable[[], T]) -> T:
        """``make()``, or what it gave last time for ``name`` when ``key`` is equal."""
        kept = self._made.get(name) if self.keep else None
        digest = None
        if kept is not None and kept[0] == key:
            value, digest = kept[1], kept[2]
        elif self.lasting is None:
            value = make()
        else:
            digest = key_digest(key)
            earlier = self._earlier.get(name)
            value = earlier[1] if earlier is not None and earlier[0] == digest else make()
        if self.lasting is not None:
            digest = digest or key_digest(key)
            self.lasting[name] = (digest, value)
        if self.keep:
            self._made[name] = (key, value, digest)
        return cast(T, value)

    def clear(self) -> None:
        self._made = {}
