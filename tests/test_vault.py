"""Walking and loading a vault: parallel loading gives exactly what sequential loading gives."""

from __future__ import annotations

import os
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
