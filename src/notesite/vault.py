"""Find a vault's notes and attachments on disk.

Obsidian's own folders (``.obsidian/``, ``.trash/``), every other dot-file and dot-folder, the
configured ignore globs and the site's output folder are skipped, and nothing that resolves to a
place outside the vault (a symlink pointing out of it) is ever read.
"""

from __future__ import annotations

import fnmatch
import gc
import multiprocessing as mp
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from notesite.heap import collector_paused
from notesite.loader import Loaded, Note, load_note
from notesite.paths import VaultPath
from notesite.problems import Problem

DEFAULT_NOTE_EXTENSIONS = (".md",)


@dataclass(frozen=True)
class VaultFiles:
    root: Path
    notes: tuple[VaultPath, ...]
    attachments: tuple[VaultPath, ...]
    problems: tuple[Problem, ...] = field(default=(), compare=False)


def _glob_matcher(globs: Iterable[str]) -> re.Pattern[str] | None:
    patterns = []
    for glob in globs:
        glob = glob.strip().strip("/")
        if glob:
            # A glob matches a path or any folder above it: 'templates' skips 'templates/x.md'.
            patterns.append(fnmatch.translate(glob)[:-2] + r"(?:/.*)?\Z")
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def walk_vault(
    root: Path,
    *,
    note_extensions: Iterable[str] = DEFAULT_NOTE_EXTENSIONS,
    ignore: Iterable[str] = (),
    exclude_dirs: Iterable[Path] = (),
) -> VaultFiles:
    """List the vault's files, sorted by path so that every build sees them in one order."""
    root = root.resolve()
    extensions = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in note_extensions)
    ignored = _glob_matcher(ignore)
    excluded = {p.resolve() for p in exclude_dirs}
    notes: list[VaultPath] = []
    attachments: list[VaultPath] = []
    problems: list[Problem] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        rel_dir = here.relative_to(root).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        kept = []
        for name in sorted(dirnames):
            full = here / name
            rel = prefix + name
            if name.startswith(".") or full.resolve() in excluded:
                continue
            if ignored and ignored.match(rel):
                continue
            if full.is_symlink() and not _inside(full, root):
                problems.append(
                    Problem(
                        rel, None, "is a link to a folder outside the vault; skipped", "outside"
                    )
                )
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            rel = prefix + name
            if name.startswith(".") or (ignored and ignored.match(rel)):
                continue
            full = here / name
            if full.is_symlink() and not _inside(full, root):
                problems.append(
                    Problem(rel, None, "is a link to a file outside the vault; skipped", "outside")
                )
                continue
            if name.lower().endswith(extensions):
                notes.append(VaultPath(rel))
            else:
                attachments.append(VaultPath(rel))
    return VaultFiles(root, tuple(notes), tuple(attachments), tuple(problems))


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def load_vault(files: VaultFiles, *, workers: int = 1) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note; a note that cannot be read is reported, the others kept.

    ``workers > 1`` parses in that many forked processes (for single-threaded callers such as
    ``notesite check``; a forked copy of a threaded server could deadlock). The result is the
    same, in the same order.
    """
    with collector_paused():
        if workers > 1 and len(files.notes) >= _PARALLEL_FROM and can_fork():
            size = -(-len(files.notes) // (workers * 4))
            chunks = [files.notes[i : i + size] for i in range(0, len(files.notes), size)]
            # A worker lives for one load: no collector in it, not even while it pickles.
            with mp.get_context("fork").Pool(workers, initializer=gc.disable) as pool:
                parts = pool.map(_load_chunk, [(files.root, chunk) for chunk in chunks])
        else:
            parts = [_load_chunk((files.root, files.notes))]
        notes: list[Note] = []
        problems: list[Problem] = list(files.problems)
        for loaded in (item for part in parts for item in part):
            problems.extend(loaded.problems)
            if loaded.note is not None:
                notes.append(loaded.note)
    return notes, problems


def can_fork() -> bool:
    """Whether this operating system forks processes (the parallel work needs it)."""
    return "fork" in mp.get_all_start_methods()


_PARALLEL_FROM = 1000


def _load_chunk(job: tuple[Path, Sequence[VaultPath]]) -> list[Loaded]:
    root, paths = job
    loaded: list[Loaded] = []
    with collector_paused():  # (in a worker process too)
        for path in paths:
            try:
                data = (root / path).read_bytes()
            except OSError as error:
                problem = Problem(path, None, f"could not be read ({error.strerror})", "io")
                loaded.append(Loaded(None, (problem,)))
                continue
            loaded.append(load_note(path, data))
    return loaded


def apply_publish_rules(
    notes: Iterable[Note], *, private: Iterable[str] = (), opt_in: bool = False
) -> list[Note]:
    """Mark as private the notes matching ``private`` globs, and, with ``opt_in``, every note
    whose front matter does not say ``publish: true``. (``publish: false`` and ``draft: true``
    are private already.)"""
    matcher = _glob_matcher(private)
    result = []
    for note in notes:
        hidden = (matcher is not None and matcher.match(note.path) is not None) or (
            opt_in and note.meta.get("publish") is not True
        )
        result.append(replace(note, published=False) if hidden and note.published else note)
    return result
