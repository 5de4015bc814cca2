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
import pickle
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from notesite.heap import collector_paused
from notesite.loader import Loaded, Note, load_note
from notesite.paths import VaultPath
from notesite.problems import Problem

DEFAULT_NOTE_EXTENSIONS = (".md",)


Stamp = tuple[int, int]
"""A file's modification time (ns) and size: what tells that it changed."""


@dataclass(frozen=True)
class VaultFiles:
    root: Path
    notes: tuple[VaultPath, ...]
    attachments: tuple[VaultPath, ...]
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    stamps: dict[str, Stamp] = field(default_factory=dict, compare=False)
    """Each file's :data:`Stamp` when the vault was walked (a file that cannot be read has none)."""


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
    """List the vault's files, sorted by path so that every build sees them in one order: a
    folder's files, then each of its folders in turn."""
    root = root.resolve()
    extensions = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in note_extensions)
    ignored = _glob_matcher(ignore)
    excluded = {p.resolve() for p in exclude_dirs}
    notes: list[VaultPath] = []
    attachments: list[VaultPath] = []
    problems: list[Problem] = []
    stamps: dict[str, Stamp] = {}

    def outside(entry: os.DirEntry[str], rel: str, what: str) -> bool:
        if entry.is_symlink() and not _inside(Path(entry.path), root):
            message = f"is a link to a {what} outside the vault; skipped"
            problems.append(Problem(rel, None, message, "outside"))
            return True
        return False

    def visit(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            name, rel = entry.name, prefix + entry.name
            if name.startswith(".") or (ignored and ignored.match(rel)):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if Path(entry.path).resolve() in excluded or outside(entry, rel, "folder"):
                    continue
                if not entry.is_symlink():  # a link to a folder inside the vault: seen there
                    folders.append(entry)
                continue
            if outside(entry, rel, "file"):
                continue
            (notes if name.lower().endswith(extensions) else attachments).append(VaultPath(rel))
            try:
                st = entry.stat()
            except OSError:
                continue
            stamps[rel] = (st.st_mtime_ns, st.st_size)
        for entry in folders:
            visit(entry.path, prefix + entry.name + "/")

    visit(str(root), "")
    return VaultFiles(root, tuple(notes), tuple(attachments), tuple(problems), stamps)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def load_vault(files: VaultFiles, *, workers: int = 1) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note; a note that cannot be read is reported, the others kept.

    ``workers > 1`` parses in that many processes, this one included (for single-threaded
    callers such as ``notesite check``; a forked copy of a threaded server could deadlock). The
    result is the same, in the same order.
    """
    with collector_paused():
        if workers > 1 and len(files.notes) >= _PARALLEL_FROM and can_fork():
            parts = _load_in_parallel(files, workers)
        else:
            parts = [_load_chunk(files.root, files.notes)]
        notes: list[Note] = []
        problems: list[Problem] = list(files.problems)
        for loaded in (item for part in parts for item in part):
            problems.extend(loaded.problems)
            if loaded.note is not None:
                notes.append(loaded.note)
    return notes, problems


def _load_in_parallel(files: VaultFiles, workers: int) -> list[list[Loaded]]:
    """Fork ``workers - 1`` processes that each read a run of the notes while this one reads
    the first run.

    This process's run is the longest: a worker must also pickle what it read, and this process
    unpickle it. Each worker writes its notes to a file (a pipe would stall it until this
    process, busy with its own run, read it). Whatever a worker failed to deliver is read here.
    """
    paths = files.notes
    own = round(len(paths) * _OWN_WEIGHT / (_OWN_WEIGHT + workers - 1))
    size = -(-(len(paths) - own) // (workers - 1))
    runs = [paths[i : i + size] for i in range(own, len(paths), size)]
    context = mp.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="notesite-") as folder:
        forked = []
        for index, run in enumerate(runs):
            out = os.path.join(folder, f"{index}.pickle")
            process = context.Process(target=_load_into, args=(files.root, run, out), daemon=True)
            process.start()
            forked.append((process, run, out))
        parts = [_load_chunk(files.root, paths[:own])]
        for process, run, out in forked:
            process.join()
            try:
                with open(out, "rb") as stream:
                    parts.append(pickle.load(stream))
            except (OSError, EOFError, pickle.UnpicklingError):
                parts.append(_load_chunk(files.root, run))
    return parts


def _load_into(root: Path, paths: Sequence[VaultPath], out: str) -> None:
    """In a worker: read ``paths`` and pickle what was read to the file ``out``."""
    gc.disable()  # a worker lives for one load: no collector in it, not even while it pickles
    loaded = _load_chunk(root, paths)
    with open(out + ".part", "wb") as stream:
        pickle.dump(loaded, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(out + ".part", out)


def can_fork() -> bool:
    """Whether this operating system forks processes (the parallel work needs it)."""
    return "fork" in mp.get_all_start_methods()


_PARALLEL_FROM = 1000
#: How many workers' runs of notes the parent process reads itself (measured: with two
#: processes, the parent's 58% and a worker's 42% end together).
_OWN_WEIGHT = 1.4


def _load_chunk(root: Path, paths: Sequence[VaultPath]) -> list[Loaded]:
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
