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
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

from notesite.canvas.load import load_canvas
from notesite.heap import collector_paused
from notesite.loader import Loaded, Note, file_digest, load_note
from notesite.paths import PAGE_FILE_ENDINGS, VaultPath
from notesite.problems import Problem

DEFAULT_NOTE_EXTENSIONS = (".md",)

Reader = Callable[[VaultPath, bytes], Loaded]
#: The vault files that are pages without being notes, by ending, and what reads each into a
#: note-like record (its links and tags for the graph, its text for its page).
PAGE_READERS: dict[str, Reader] = {".canvas": load_canvas}
assert set(PAGE_READERS) == set(PAGE_FILE_ENDINGS)


def reader(path: VaultPath) -> Reader:
    """What reads a vault file that is a page: a note's reader unless its ending says otherwise."""
    name = path.casefold()
    return next((read for end, read in PAGE_READERS.items() if name.endswith(end)), load_note)


Stamp = tuple[int, int]
"""A file's modification time (ns) and size: what tells that it changed."""

FileId = tuple[int, int, int, int]
"""A file's inode, size, and modification and status-change times (ns). A file whose id is the
one it had when it was read has not been written since: every write moves its status-change
time, which no tool sets back (one that restores the modification time, as ``rsync -t`` and
``touch -r`` do, still moves it)."""

#: How long after a file was last written its id is trusted to tell that it did not change: a
#: file system's clock moves in steps (up to two seconds on some), and a file written twice
#: within one step, read in between, would keep its id.
SETTLED_NS = 3_000_000_000


@dataclass(frozen=True)
class VaultFiles:
    root: Path
    notes: tuple[VaultPath, ...]
    attachments: tuple[VaultPath, ...]
    problems: tuple[Problem, ...] = field(default=(), compare=False)
    ids: dict[str, FileId] = field(default_factory=dict, compare=False)
    """Each file's :data:`FileId` when the vault was walked (a file that cannot be read has none)."""
    walked: int = field(default=0, compare=False)
    """When the walk started (ns since the epoch)."""

    @cached_property
    def stamps(self) -> dict[str, Stamp]:
        """Each file's :data:`Stamp` when the vault was walked (from its id)."""
        return {path: (id_[2], id_[1]) for path, id_ in self.ids.items()}


def _glob_matcher(globs: Iterable[str]) -> re.Pattern[str] | None:
    patterns = []
    for glob in globs:
        glob = glob.strip().strip("/")
        if glob:
            # A glob matches a path or any folder above it: 'templates' skips 'templates/x.md'.
            patterns.append(fnmatch.translate(glob)[:-2] + r"(?:/.*)?\Z")
    return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None


def matches_any(path: str, globs: Iterable[str]) -> bool:
    """Whether a vault path (or a folder above it) matches one of ``globs``."""
    matcher = _glob_matcher(globs)
    return matcher is not None and matcher.match(path) is not None


def walk_vault(
    root: Path,
    *,
    note_extensions: Iterable[str] = DEFAULT_NOTE_EXTENSIONS,
    ignore: Iterable[str] = (),
    exclude_dirs: Iterable[Path] = (),
) -> VaultFiles:
    """List the vault's files, sorted by path so that every build sees them in one order: a
    folder's files, then each of its folders in turn."""
    walked = time.time_ns()
    root = root.resolve()
    extensions = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in note_extensions)
    extensions += PAGE_FILE_ENDINGS
    ignored = _glob_matcher(ignore)
    excluded = {p.resolve() for p in exclude_dirs}
    notes: list[VaultPath] = []
    attachments: list[VaultPath] = []
    problems: list[Problem] = []
    ids: dict[str, FileId] = {}

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
            ids[rel] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        for entry in folders:
            visit(entry.path, prefix + entry.name + "/")

    visit(str(root), "")
    return VaultFiles(root, tuple(notes), tuple(attachments), tuple(problems), ids, walked)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


Remembered = dict[VaultPath, tuple[str, Loaded, FileId | None]]
"""Notes read before, by path: the hash of the bytes each was read from
(:func:`~notesite.loader.file_digest`), what reading them gave, and the file's :data:`FileId`
then if it was settled (written :data:`SETTLED_NS` or more before the vault was walked), else
None."""


def load_vault(
    files: VaultFiles, *, workers: int = 1, remembered: Remembered | None = None
) -> tuple[list[Note], list[Problem]]:
    """Read and parse every note; a note that cannot be read is reported, the others kept.

    ``workers > 1`` parses in that many processes, this one included (for single-threaded
    callers such as ``notesite check``; a forked copy of a threaded server could deadlock). The
    result is the same, in the same order.

    With ``remembered`` (notes read before), a file whose id is the settled one it had then is
    not read again, and a file whose bytes hash as they did then is not parsed again;
    ``remembered`` is then updated to hold what this vault's files gave.
    """
    with collector_paused():
        if remembered is not None:
            parts = [_load_remembering(files, workers, remembered)]
        else:
            parts = _load_parts(files, workers, {})
        notes: list[Note] = []
        problems: list[Problem] = list(files.problems)
        for loaded in (item for part in parts for item in part):
            problems.extend(loaded.problems)
            if loaded.note is not None:
                notes.append(loaded.note)
    return notes, problems


def _load_parts(
    files: VaultFiles, workers: int, read: Mapping[VaultPath, bytes]
) -> list[list[Loaded]]:
    """What each note gave, in runs, in order (``read``: the bytes of notes read already)."""
    if workers > 1 and len(files.notes) >= _PARALLEL_FROM and can_fork():
        return _load_in_parallel(files, workers, read)
    return [_load_chunk(files.root, files.notes, read)]


def _load_remembering(files: VaultFiles, workers: int, remembered: Remembered) -> list[Loaded]:
    """Every note of ``files``; those whose file has its settled id, or whose bytes hash, as
    remembered, as they were read then."""
    found: dict[VaultPath, Loaded] = {}
    digests: dict[VaultPath, str] = {}
    fresh: dict[VaultPath, bytes] = {}
    ids = files.ids
    for path in files.notes:
        known = remembered.get(path)
        if known is not None and known[2] is not None and known[2] == ids.get(path):
            digests[path], found[path] = known[0], known[1]
            continue
        try:
            data = (files.root / path).read_bytes()
        except OSError as error:
            found[path] = _unreadable(path, error)
            continue
        digest = digests[path] = file_digest(data)
        if known is not None and known[0] == digest:
            found[path] = known[1]
        else:
            fresh[path] = data
    if fresh:
        # (parsed from the bytes hashed here, whatever happens to the files meanwhile)
        unread = VaultFiles(files.root, tuple(fresh), ())
        loaded = [item for part in _load_parts(unread, workers, fresh) for item in part]
        found.update(zip(unread.notes, loaded, strict=True))
    settled = files.walked - SETTLED_NS
    remembered.clear()
    for path, digest in digests.items():
        id_ = ids.get(path)
        remembered[path] = (digest, found[path], id_ if id_ and id_[3] < settled else None)
    return [found[path] for path in files.notes]


def _load_in_parallel(
    files: VaultFiles, workers: int, read: Mapping[VaultPath, bytes]
) -> list[list[Loaded]]:
    """Fork ``workers - 1`` processes that, with this one, take runs of notes in turn.

    Each process takes the next run not yet taken (a counter in shared memory) until none is
    left, so a process slowed down by anything else on the machine just takes fewer runs, and all
    end within about a run of each other. A worker writes each run it read to a file of its own
    (a pipe would stall it until this process, busy with its own runs, read it), which also
    leaves it less time for runs; while a worker finishes its last run, this process reads the
    runs written so far. Whatever a worker failed to deliver is read here.
    """
    paths = files.notes
    size = max(_RUN_MIN, min(_RUN_MAX, len(paths) // (workers * 8)))
    runs = [paths[i : i + size] for i in range(0, len(paths), size)]
    context = mp.get_context("fork")
    next_run = context.Value("i", 0)
    with tempfile.TemporaryDirectory(prefix="notesite-") as folder:
        forked: list[BaseProcess] = []
        for _ in range(workers - 1):
            forked.append(
                context.Process(
                    target=_take_runs,
                    args=(files.root, runs, next_run, folder, read),
                    daemon=True,
                )
            )
            forked[-1].start()
        parts: dict[int, list[Loaded]] = {}
        while (index := _take(next_run)) < len(runs):
            parts[index] = _load_chunk(files.root, runs[index], read)
        for index, run in enumerate(runs):
            if index not in parts:
                found: list[Loaded] | None = delivered(
                    os.path.join(folder, f"{index}.pickle"), forked
                )
                # (None: a worker took the run but did not deliver it)
                parts[index] = _load_chunk(files.root, run, read) if found is None else found
        for worker in forked:
            worker.join()
    return [parts[index] for index in range(len(runs))]


def _take(next_run: Synchronized[int]) -> int:
    """The index of the next run no process has taken yet (past the last one when none is left)."""
    with next_run.get_lock():
        index: int = next_run.value
        next_run.value = index + 1
    return index


def delivered(out: str | Path, workers: Sequence[BaseProcess]) -> Any:
    """What a forked worker pickled to the file ``out``, once it is there; None if every one of
    ``workers`` ended without writing it (or what it wrote cannot be read).

    A worker writes the file whole or not at all (written aside, then renamed)."""
    while not os.path.exists(out):
        alive = [process.sentinel for process in workers if process.is_alive()]
        if not alive:
            if os.path.exists(out):  # written just before its worker ended
                break
            return None
        wait(alive, timeout=0.002)  # until a worker ends, or a moment has passed
    try:
        with open(out, "rb") as stream:
            return pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None


def _take_runs(
    root: Path,
    runs: Sequence[Sequence[VaultPath]],
    next_run: Synchronized[int],
    folder: str,
    read: Mapping[VaultPath, bytes],
) -> None:
    """In a worker: read runs until none is left, pickling each to ``folder/<index>.pickle``."""
    gc.disable()  # a worker lives for one load: no collector in it, not even while it pickles
    while (index := _take(next_run)) < len(runs):
        loaded = _load_chunk(root, runs[index], read)
        out = os.path.join(folder, f"{index}.pickle")
        with open(out + ".part", "wb") as stream:
            pickle.dump(loaded, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out + ".part", out)


def can_fork() -> bool:
    """Whether this operating system forks processes (the parallel work needs it)."""
    return "fork" in mp.get_all_start_methods()


_PARALLEL_FROM = 1000
#: Notes per run: a run takes 10-50 ms to read, so processes end close together; longer runs for
#: larger vaults (fewer files), at least :data:`_RUN_MIN` (a run's file costs a little too).
_RUN_MIN, _RUN_MAX = 50, 250


def _load_chunk(
    root: Path, paths: Sequence[VaultPath], read: Mapping[VaultPath, bytes]
) -> list[Loaded]:
    loaded: list[Loaded] = []
    with collector_paused():  # (in a worker process too)
        for path in paths:
            data = read.get(path)
            if data is None:
                try:
                    data = (root / path).read_bytes()
                except OSError as error:
                    loaded.append(_unreadable(path, error))
                    continue
            loaded.append(reader(path)(path, data))
    return loaded


def _unreadable(path: VaultPath, error: OSError) -> Loaded:
    return Loaded(None, (Problem(path, None, f"could not be read ({error.strerror})", "io"),))


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
