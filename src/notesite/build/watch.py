"""How ``mkdocs serve`` hears of a save, and what it does then."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable

from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import get_plugin_logger
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver

from notesite.build.live import LiveSite

log = get_plugin_logger(__name__)


def serve_builder(
    full: Callable[[], None], live: Callable[[], LiveSite | None]
) -> Callable[[], None]:
    """The builder ``mkdocs serve`` calls on a change: re-render what changed, else build all.

    ``live`` gives what the last build left (None after a failed or unsupported one).
    """

    def build() -> None:
        site = live()
        if site is not None:
            try:
                if site.rebuild():
                    return
            except Exception:  # a page build that failed: the full build reports it too
                log.warning(
                    "could not update the pages in place; building the whole site", exc_info=True
                )
        full()

    return build


def watch_at_once(server: LiveReloadServer, folders: Iterable[str]) -> BaseObserver | None:
    """Have ``mkdocs serve`` hear of a save in these folders as it happens.

    MkDocs looks for changes by listing every watched file again every 0.5 s: a save waits up
    to half a second to be noticed, and at thousands of notes each look costs the server time
    it needs for rendering. Where the system sends notice of changes (inotify, on Linux), the
    folders are watched that way instead; changes inside dot-folders such as ``.git`` and
    ``.obsidian``, which no page shows, are let pass. Anywhere else, or when the notices cannot
    be set up (too many folders for the system's limit), MkDocs' polling stays as it was.

    Returns the observer to stop when the server stops, or None.
    """
    folders = [os.path.abspath(f) for f in folders if os.path.abspath(f) in server._watched_paths]
    if not folders:
        return None
    observer: BaseObserver | None = None
    try:
        from watchdog.observers.inotify import InotifyObserver

        observer = InotifyObserver()
        handler = _Notice(server, folders)
        for folder in folders:
            observer.schedule(handler, folder, recursive=True)
        observer.start()
    except Exception as error:  # not Linux, or the system's limit on watches was reached
        log.debug(f"watching by polling, as MkDocs does ({error})")
        if observer is not None:
            with contextlib.suppress(Exception):
                observer.stop()
        return None
    for folder in folders:
        server.unwatch(folder)
    log.debug(f"watching {', '.join(folders)} with inotify")
    return observer


class _Notice(FileSystemEventHandler):
    """Tells the server a file changed, as MkDocs' own watch does, unless it is a dot-file."""

    def __init__(self, server: LiveReloadServer, folders: list[str]) -> None:
        self.server = server
        self.folders = folders

    def _hidden(self, path: str | bytes) -> bool:
        path = os.fsdecode(path)
        for folder in self.folders:
            if path.startswith(folder + os.sep):
                return any(part.startswith(".") for part in path[len(folder) + 1 :].split(os.sep))
        return False

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        moved_to = getattr(event, "dest_path", "")
        paths = [event.src_path, moved_to] if moved_to else [event.src_path]
        if all(self._hidden(p) for p in paths):
            return
        server = self.server
        with server._rebuild_cond:  # MkDocs' own watch callback does exactly this
            server._want_rebuild = True
            server._rebuild_cond.notify_all()
