"""Reading the build cache's page files ahead: run as the build runs it (``python -I -S
cachefiles.py FOLDER FD``, into a file without a name), on a folder holding whole pages, a
damaged one, one kept under another hash, a file being written and a stray folder."""

from __future__ import annotations

import marshal
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from notesite.build import cachefiles
from notesite.build.cachefiles import MAGIC, PART, read_page


def page_file(key: str, html: bytes, entries: bytes = b'{"title":"A"}') -> bytes:
    head = {
        "key": key,
        "title": "A",
        "entries": len(entries),
        "crc": zlib.crc32(entries),
        "html": len(html),
        "html_crc": zlib.crc32(html),
    }
    packed = marshal.dumps(head)
    return MAGIC + len(packed).to_bytes(8, "big") + packed + entries + html


def read_ahead(folder: Path) -> tuple[list[str], dict[str, Any]]:
    assert cachefiles.__file__ is not None
    with tempfile.TemporaryFile() as into:
        done = subprocess.run(
            [sys.executable, "-I", "-S", cachefiles.__file__, str(folder), str(into.fileno())],
            pass_fds=(into.fileno(),),
            capture_output=True,
        )
        assert done.returncode == 0, done.stderr.decode()
        into.seek(0)
        listed, found = marshal.loads(into.read())
    return listed, found


def test_every_page_file_is_listed_and_only_whole_ones_are_read(tmp_path: Path) -> None:
    keys = [f"{n:02x}" + "0" * 38 for n in range(4)]
    for key in keys:
        (tmp_path / key[:2]).mkdir()
    whole = page_file(keys[0], b"<p>page</p>")
    (tmp_path / keys[0][:2] / keys[0]).write_bytes(whole)
    (tmp_path / keys[1][:2] / keys[1]).write_bytes(whole[:-3])  # truncated
    (tmp_path / keys[2][:2] / keys[2]).write_bytes(whole)  # kept under another hash
    (tmp_path / keys[3][:2] / f"{PART}123-1").write_bytes(whole[:10])  # being written
    (tmp_path / "templates").mkdir()  # not a pages' folder
    (tmp_path / "templates" / "ab").write_bytes(b"compiled")

    listed, found = read_ahead(tmp_path)

    assert sorted(Path(p).name for p in listed) == sorted([*keys[:3], f"{PART}123-1"])
    assert found.keys() == set(keys[:3])
    assert found[keys[1]] is None and found[keys[2]] is None
    head, entries, html_at = found[keys[0]]
    assert head["title"] == "A" and entries == b'{"title":"A"}'
    assert whole[html_at:] == b"<p>page</p>"
    assert found[keys[0]] == read_page(str(tmp_path / keys[0][:2] / keys[0]), keys[0])


def test_a_page_altered_in_place_cannot_be_read(tmp_path: Path) -> None:
    key = "ab" + "1" * 38
    path = tmp_path / key
    path.write_bytes(page_file(key, b"<p>page</p>").replace(b"page", b"PAGE"))
    with pytest.raises(ValueError):
        read_page(str(path), key)
    assert read_page(str(tmp_path / "missing"), key) is None


def test_an_empty_cache_folder_gives_nothing(tmp_path: Path) -> None:
    assert read_ahead(tmp_path) == ([], {})
