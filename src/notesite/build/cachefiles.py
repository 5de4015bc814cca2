"""The build cache's page files: what one holds, and reading them all at once.

A kept page is one file, named by the hash it is kept under, in a folder named by that hash's
first two characters: :data:`MAGIC`, the length of its head, the head (in :mod:`marshal`'s
format: what converting the page gave, its hash, and the sizes and checksums of the rest), the
page's search entries, then its HTML exactly as it is written into the site.

A warm build runs this module as a process of its own (``python -I -S cachefiles.py FOLDER
FD``) as soon as it knows its cache's folder: it reads every page file there, checks each
whole, and writes what it found to the open file ``FD`` (one without a name, which the build
made). The build reads that in one go once it knows which pages it reuses (see
:meth:`notesite.build.cache.BuildCache.read_ahead`). In a thread of the build's own process the
same work took three times as long, and slowed the build down: that thread and the build took
turns at Python's lock thousands of times, once for each file read. The standard library alone,
so that it starts in hundredths of a second.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Iterator
from typing import Any

#: What a page's file starts with (a file without it is not one of this cache's).
MAGIC = b"notesite-page 7\n"
#: What a file being written starts its name with (renamed when whole).
PART = ".part-"

#: A page file read and checked: its head, its search entries (JSON), where its HTML starts.
Read = tuple[dict[str, Any], bytes, int]


def read_page(path: str, key: str) -> Read | None:
    """The page file at ``path`` (kept under ``key``) if there is one: ValueError when it cannot
    be read whole (its head, search entries and HTML are checked)."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ValueError(key) from error
    try:
        if not data.startswith(MAGIC):
            raise ValueError(key)
        at = len(MAGIC)
        size = int.from_bytes(data[at : at + 8], "big")
        view = memoryview(data)
        head = marshal.loads(view[at + 8 : at + 8 + size])
        at += 8 + size
        html_at = at + head["entries"]
        entries, html = view[at:html_at], view[html_at:]
        if (
            head["key"] != key
            or len(entries) != head["entries"]
            or zlib.crc32(entries) != head["crc"]
            or len(html) != head["html"]
            or zlib.crc32(html) != head["html_crc"]
        ):
            raise ValueError(key)
    except (KeyError, TypeError, EOFError) as error:
        raise ValueError(key) from error
    return head, bytes(entries), html_at


def page_files(folder: str) -> Iterator[os.DirEntry[str]]:
    """The files of the pages' folders (each named by the start of its pages' hashes)."""
    for sub in os.scandir(folder):
        if len(sub.name) == 2 and sub.is_dir():
            yield from os.scandir(sub.path)


def read_all(folder: str) -> tuple[list[str], dict[str, Read | None]]:
    """Every file of the pages' folders, and each page file read (None: it cannot be)."""
    listed: list[str] = []
    found: dict[str, Read | None] = {}
    with contextlib.suppress(OSError):
        for entry in page_files(folder):
            listed.append(entry.path)
            if entry.name.startswith(PART):
                continue
            try:
                found[entry.name] = read_page(entry.path, entry.name)
            except ValueError:
                found[entry.name] = None
    return listed, found


def main() -> None:
    folder, out = sys.argv[1], int(sys.argv[2])
    with os.fdopen(out, "wb") as file:
        marshal.dump(read_all(folder), file)


if __name__ == "__main__":
    main()
