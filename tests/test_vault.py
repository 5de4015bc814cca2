"""Walking and loading a vault: parallel loading gives exactly what sequential loading gives."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import pytest

from notesite import vault
from notesite.vault import Remembered, load_vault, walk_vault
from tests.conftest import write_vault


def test_parallel_loading_is_the_same_as_sequential(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"f{i % 7}/Note {i}.md": f"---\ntags: [t{i % 5}]\naliases: [A{i}]\n---\n# H\n\nLinks [[Note {i + 1}]] ^b{i}\n"
        for i in range(1_200)
    }
    files["bad.md"] = b"\xff\xfe broken"
    write_vault(tmp_path, files)
    found = walk_vault(tmp_path)
    sequential = load_vault(found)
    parallel = load_vault(found, workers=2)
    assert len(sequential[0]) == 1_201
    assert parallel == sequential
    assert [str(p) for p in parallel[1]] == [
        "bad.md:1: is not valid UTF-8 (byte 0xFF); undecodable bytes are shown as \N{REPLACEMENT CHARACTER}"
    ]


def test_a_worker_that_dies_loses_no_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_vault(tmp_path, {f"Note {i}.md": f"[[Note {i + 1}]]\n" for i in range(1_100)})
    found = walk_vault(tmp_path)
    sequential = load_vault(found)

    def dies(root: Path, runs: object, next_run: Synchronized[int], folder: str) -> None:
        vault._take(next_run)  # takes a run, then is killed reading it: nothing written
        os._exit(3)

    monkeypatch.setattr(vault, "_take_runs", dies)
    parallel = load_vault(found, workers=3)
    assert len(parallel[0]) == 1_100
    assert parallel == sequential


def test_remembered_notes_are_not_parsed_again_unless_their_bytes_changed(
    tmp_path: Path,
) -> None:
    write_vault(tmp_path, {f"Note {i}.md": f"# Note {i}\n\n[[Note {i + 1}]]\n" for i in range(5)})
    found = walk_vault(tmp_path)
    remembered: Remembered = {}
    first = load_vault(found, remembered=remembered)
    assert first == load_vault(found) and sorted(remembered) == sorted(found.notes)
    kept = dict(remembered)
    (tmp_path / "Note 1.md").write_text("# Note 1\n\nNew words.\n", encoding="utf-8")
    (tmp_path / "Note 4.md").unlink()
    found = walk_vault(tmp_path)
    second = load_vault(found, workers=2, remembered=remembered)
    assert second == load_vault(found)  # the same notes as read anew
    # The unchanged notes are the very ones read before; the edited one was read again.
    assert remembered["Note 0.md"][1] is kept["Note 0.md"][1]
    assert remembered["Note 1.md"][0] != kept["Note 1.md"][0]
    assert "New words" in second[0][1].body
    assert sorted(remembered) == sorted(found.notes)  # (Note 4 is gone)


def test_a_settled_file_whose_id_is_unchanged_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_vault(tmp_path, {f"Note {i}.md": f"# Note {i}\n\n[[Note {i + 1}]]\n" for i in range(3)})
    later = vault.SETTLED_NS + 1_000_000_000
    found = replace(walk_vault(tmp_path), walked=time.time_ns() + later)  # (as if walked later)
    remembered: Remembered = {}
    first = load_vault(found, remembered=remembered)
    assert all(remembered[p][2] == found.ids[p] for p in found.notes)
    # Rewritten with the same bytes: read again (its id moved), not parsed again.
    (tmp_path / "Note 0.md").write_bytes((tmp_path / "Note 0.md").read_bytes())
    # The same size, its modification time set back: read again, and parsed.
    before = os.stat(tmp_path / "Note 1.md")
    (tmp_path / "Note 1.md").write_text("# Note 1\n\n[[Note 9]]\n", encoding="utf-8")
    os.utime(tmp_path / "Note 1.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (tmp_path / "Note 1.md").stat().st_size == before.st_size
    read: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or read_bytes(self))
    found = replace(walk_vault(tmp_path), walked=time.time_ns() + later)
    second = load_vault(found, remembered=remembered)

    assert sorted(read) == ["Note 0.md", "Note 1.md"]  # not Note 2, whose id is unchanged
    assert second == load_vault(found) and second != first
    assert "[[Note 9]]" in second[0][1].body
    assert remembered["Note 2.md"][1] is not None


def test_a_file_written_just_before_the_walk_is_read_again_next_time(tmp_path: Path) -> None:
    write_vault(tmp_path, {"Note.md": "# Note\n"})
    remembered: Remembered = {}
    load_vault(walk_vault(tmp_path), remembered=remembered)
    # (written less than SETTLED_NS before the walk: it could be written again, unseen, within
    # one step of the file system's clock)
    assert remembered["Note.md"][2] is None
