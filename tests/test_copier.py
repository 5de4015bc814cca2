"""The copier: the process a warm build starts to put the kept pages' HTML into the site.

It is run here as the build runs it (``python -I -S copier.py``, the triples on its standard
input), on more pages than it has threads, several to a folder, so that its threads make the
same folders and files at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from notesite.build import copier


def run_copier(triples: list[tuple[Path, int, Path]]) -> subprocess.CompletedProcess[bytes]:
    given = b"\0".join(
        part
        for source, offset, out in triples
        for part in (os.fsencode(source), str(offset).encode(), os.fsencode(out))
    )
    assert copier.__file__ is not None
    return subprocess.run(
        [sys.executable, "-I", "-S", copier.__file__], input=given, capture_output=True
    )


def kept_pages(tmp_path: Path, count: int) -> list[tuple[Path, int, Path]]:
    """``count`` kept files, each a head of its own length and then a page's HTML, and where
    each page goes: ten pages to a folder, each in a folder of its own, as MkDocs lays them out."""
    kept = tmp_path / "kept"
    kept.mkdir()
    triples = []
    for n in range(count):
        head = b"h" * (n % 7 + 1)
        source = kept / f"{n}.page"
        source.write_bytes(head + f"<p>page {n}</p>".encode() * (n + 1))
        out = tmp_path / "site" / f"folder {n // 10}" / f"page {n}" / "index.html"
        triples.append((source, len(head), out))
    return triples


def test_every_page_is_put_in_place_from_where_its_html_starts(tmp_path: Path) -> None:
    triples = kept_pages(tmp_path, 10 * copier.THREADS + 3)
    done = run_copier(triples)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""  # (no kept file missing)
    for source, offset, out in triples:
        assert out.read_bytes() == source.read_bytes()[offset:], out
    site = tmp_path / "site"
    assert sum(1 for p in site.rglob("*") if p.is_file()) == len(triples)


def test_the_kept_files_not_found_are_named_and_the_rest_put_in_place(tmp_path: Path) -> None:
    triples = kept_pages(tmp_path, 2 * copier.THREADS + 1)
    gone = {triples[1][0], triples[-1][0]}
    for source in gone:
        source.unlink()
    done = run_copier(triples)
    assert done.returncode == 0, done.stderr.decode()
    assert {Path(os.fsdecode(p)) for p in done.stdout.split(b"\0")} == gone
    for source, offset, out in triples:
        if source not in gone:
            assert out.read_bytes() == source.read_bytes()[offset:]


def test_a_page_that_cannot_be_written_fails_the_copier_with_the_reason(tmp_path: Path) -> None:
    triples = kept_pages(tmp_path, 2 * copier.THREADS)
    blocked = triples[3][2].parent
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the page's folder goes")
    done = run_copier(triples)
    assert done.returncode != 0
    said = done.stderr.decode().strip().splitlines()[-1]
    assert said.startswith(("NotADirectoryError", "FileExistsError")), said
    assert str(blocked) in said
