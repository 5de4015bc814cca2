"""Putting the build cache's pages into place: the tail of a kept page's file (its HTML, exactly
as MkDocs writes it) copied to where the page goes in the site.

A warm build runs this module as a process of its own (``python -I -S copier.py``), which
copies every kept page while the build goes on with the rest of the site (see
:meth:`notesite.build.cache.BuildCache.copy_ahead`): it reads NUL-separated triples (the kept
page's file, where its HTML starts in it, where it goes) from its standard input and prints the
kept files it did not find. The standard library alone, so that it starts in hundredths of a
second.
"""

from __future__ import annotations

import os
import shutil
import sys


def put(source: str | bytes, offset: int, out: str | bytes) -> None:
    """Copy ``source`` from ``offset`` to its end into the new file ``out`` (its folder made);
    FileNotFoundError when ``source`` is not there."""
    with open(source, "rb") as kept:
        try:
            written = open(out, "wb")  # noqa: SIM115 (closed below)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            written = open(out, "wb")  # noqa: SIM115
        with written:
            if not sys.platform.startswith("linux"):  # (sendfile copies between files there)
                kept.seek(offset)
                shutil.copyfileobj(kept, written)
                return
            size = os.fstat(kept.fileno()).st_size
            while offset < size:
                sent = os.sendfile(written.fileno(), kept.fileno(), offset, size - offset)
                if not sent:
                    break
                offset += sent


def main() -> None:
    given = sys.stdin.buffer.read().split(b"\0")
    missing = []
    for source, offset, out in zip(given[0::3], given[1::3], given[2::3], strict=True):
        try:
            put(source, int(offset), out)
        except FileNotFoundError as error:
            if os.fsencode(error.filename or b"") != source:
                raise
            missing.append(source)
    sys.stdout.buffer.write(b"\0".join(missing))


if __name__ == "__main__":
    main()
