"""Walking and loading a vault: parallel loading gives exactly what sequential loading gives."""

from __future__ import annotations

import os
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import pytest

from notesite import vault
from notesite.vault import load_vault, walk_vault
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
