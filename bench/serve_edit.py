"""The live preview after one edit: ``mkdocs serve`` of a generated vault, watched in Chromium.

:func:`serve_edit` starts a real ``mkdocs serve`` of the vault on a free loopback port and waits
until its first build is done and it answers. It opens two pages in Debian's headless Chromium
(through Playwright): a note X, and a note Y that X does not link to yet (one whose name no other
note has and whose backlinks panel lists fewer than ``MAX_BACKLINKS`` notes, so that X is sure to
appear in it). Once the livereload script of both pages is polling the server, it appends to X,
on disk, a paragraph with a unique marker sentence and ``[[Y]]``, and times, from the moment the
file is written, until

* X's page in the browser shows the marker (mkdocs' livereload reloads the page: nothing here
  does);
* Y's page lists X in its backlinks panel (``section.backlinks``).

Each line the server prints is timestamped as it arrives, which gives when the change was
detected, the rebuild's own ``Documentation built in`` (or, for an edit re-rendered in place, ``Documentation updated in``) figure and when the browsers were told to
reload. The server's CPU time (from ``/proc``) is read around each step too: unlike the wall
times, it barely moves when other work shares the machine. The server builds into a temporary
folder under the ``tmp`` it is given, so the HTML pages the rebuild rewrote can be counted. X is
then restored (bytes and modification time), the rebuild that follows is timed, and the server's
process group is stopped. A failure, or a step that runs past the timeout, ends the measurement
with an ``error`` in its result: it never hangs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from discard import discard

#: How the project runs Chromium: headless, as root, with no network of its own.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: The line that ends a build: MkDocs' after a full build, notesite's after re-rendering an edit.
BUILT = re.compile(r"Documentation (?:built|updated) in ")
DETECTED = "Detected file changes"
RELOADING = "Reloading browsers"
CONNECTED = "Browser connected"
_SECONDS = re.compile(r"Documentation (?:built|updated) in ([0-9.]+) seconds")
#: Whether the page's text holds the marker.
SHOWS_TEXT = "marker => document.body.textContent.includes(marker)"
#: Whether the backlinks panel links to the page at this (decoded) URL path.
LISTS_BACKLINK = """path => [...document.querySelectorAll('section.backlinks a')]
    .some(a => decodeURIComponent(new URL(a.href).pathname) === path)"""
POLL_S = 0.01
#: How long the pages stay open, untouched, before the edit: the server's idle cost is measured
#: meanwhile. Just-opened pages keep the browser busy for a while (mkdocs-material's search
#: worker loads and indexes the whole search index), which slows a server sharing its cores.
IDLE_S = 2.0


class ServeError(Exception):
    """A step of the measurement that failed or ran past its timeout."""


@dataclass(frozen=True)
class Edit:
    """The note edited (X), the note it comes to link to (Y), and the marker appended to X."""

    note: str
    target: str
    marker: str

    @property
    def paragraph(self) -> str:
        """What is appended to X: a paragraph of its own, with the marker and ``[[Y]]``."""
        name = Path(self.target).stem
        return f"\n{self.marker}: this sentence was appended by the benchmark; see [[{name}]].\n"


# -- choosing the notes --------------------------------------------------------------------------


def pick_notes(vault: Path, private: set[str]) -> tuple[str, str]:
    """X, the first public note by path, and Y, the first public note after it that X does not
    link to, whose name is its own and whose backlinks panel is non-empty and lists every note."""
    from pymdownx.slugs import slugify

    from notesite.build.state import MAX_BACKLINKS
    from notesite.graph import LinkGraph
    from notesite.paths import VaultPath, stem
    from notesite.syntax.wikilinks import WikiLink
    from notesite.vault import load_vault, walk_vault

    found = walk_vault(vault)
    notes, _ = load_vault(found)
    graph = LinkGraph(notes, found.attachments, slugify=slugify(case="lower"), separator="-")
    public = sorted(
        n.path
        for n in graph.public_notes()
        if n.path not in private and stem(n.path).casefold() not in {"index", "readme"}
    )
    names: dict[str, int] = {}
    for path in graph.notes:
        names[stem(path).casefold()] = names.get(stem(path).casefold(), 0) + 1
    note = public[0]
    linked = {r.path for _, r in graph.outgoing.get(note, []) if r.ok}
    for target in public[1:]:
        name = stem(target)
        if (
            target not in linked
            and 0 < len(graph.backlinks.get(target, [])) < MAX_BACKLINKS
            and names[name.casefold()] == 1
            and not set(name) & set("[]|#^")
            and graph.resolve(WikiLink(name), VaultPath(note)).path == target
        ):
            return note, target
    raise ServeError(f"no note for {note} to come to link to")


def page_path(note: str) -> str:
    """The URL path of a note's page (``/folder/Name/``), not percent-encoded."""
    from mkdocs.structure.files import File

    page = File(note, src_dir=None, dest_dir="", use_directory_urls=True)
    return "/" + str(page.dest_uri).removesuffix("index.html")


# -- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nothing listens on (when asked)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def built_seconds(line: str) -> float | None:
    """The figure of a ``Documentation built in N seconds`` (or ``updated in``) line."""
    found = _SECONDS.search(line)
    return float(found[1]) if found else None


class ServeLog:
    """The server's output, copied to a file as it comes, each line with the time it arrived."""

    def __init__(self, stream: IO[bytes], file: Path, alive: Callable[[], bool]) -> None:
        self.lines: list[tuple[float, str]] = []
        self.alive = alive
        self._changed = threading.Condition()
        file.parent.mkdir(parents=True, exist_ok=True)
        out = file.open("w", encoding="utf-8")  # here, so that the reader cannot fail to open it
        threading.Thread(target=self._read, args=(stream, out), daemon=True).start()

    def _read(self, stream: IO[bytes], out: IO[str]) -> None:
        with out:
            for raw in stream:
                line = raw.decode("utf-8", errors="replace").rstrip("\n")
                out.write(line + "\n")
                out.flush()
                with self._changed:
                    self.lines.append((time.perf_counter(), line))
                    self._changed.notify_all()

    def __len__(self) -> int:
        with self._changed:
            return len(self.lines)

    def found(self, text: str | re.Pattern[str], after: int = 0) -> list[tuple[float, str]]:
        """The lines from index ``after`` on that contain ``text`` (or match it), with their
        times."""
        with self._changed:
            lines = self.lines[after:]
        if isinstance(text, re.Pattern):
            return [(at, line) for at, line in lines if text.search(line)]
        return [(at, line) for at, line in lines if text in line]

    def wait(
        self, text: str | re.Pattern[str], after: int, deadline: float, count: int = 1
    ) -> tuple[float, str]:
        """The ``count``-th line from index ``after`` on with ``text``, once it has come."""
        while True:
            found = self.found(text, after)
            if len(found) >= count:
                return found[count - 1]
            if not self.alive():
                raise ServeError(f"mkdocs serve exited while waiting for {text!r}")
            if time.perf_counter() > deadline:
                raise ServeError(f"timeout waiting for {text!r} in the serve log")
            with self._changed:
                self._changed.wait(timeout=0.2)

    def since(self, text: str | re.Pattern[str], after: int, started: float) -> float | None:
        """Seconds from ``started`` to the first line from ``after`` on with ``text``."""
        found = self.found(text, after)
        return found[0][0] - started if found else None


def start_serve(config: Path, port: int, tmp: Path) -> subprocess.Popen[bytes]:
    """``mkdocs serve`` in a process group of its own, building its site into ``tmp``."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "TMPDIR": str(tmp),  # where mkdocs serve makes its site folder
    }
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )


def stop_serve(proc: subprocess.Popen[bytes], grace: float = 60) -> int | None:
    """Interrupt the server's process group (as Ctrl-C does); kill it if it lingers."""
    for sig in (signal.SIGINT, signal.SIGKILL):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=grace)
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue
    return proc.returncode


def wait_until_served(
    url: str, alive: Callable[[], bool], deadline: float, interval: float = 0.2
) -> bytes:
    """Until ``url`` answers 200 (the server listens once its first build is done), asked
    every ``interval`` seconds: what it answered."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return bytes(response.read())
        except OSError:  # refused until it listens; URLError is an OSError
            pass
        if not alive():
            raise ServeError("mkdocs serve exited before serving")
        if time.perf_counter() > deadline:
            raise ServeError("timeout waiting for the first build")
        time.sleep(interval)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process so far (Linux ``/proc``), else ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _difference(after: float | None, before: float | None) -> float | None:
    return after - before if after is not None and before is not None else None


def peak_rss_mb(pid: int) -> float | None:
    """A live process's peak resident memory (``VmHWM``, Linux), else ``None``."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) * 1024 / 1e6 if found else None


def html_pages(tmp: Path, since_ns: int = 0) -> int:
    """The HTML files of the server's site, or those written since ``since_ns`` (epoch ns)."""
    return sum(1 for p in tmp.glob("mkdocs_*/**/*.html") if p.stat().st_mtime_ns >= since_ns)


# -- the browser ---------------------------------------------------------------------------------


def shows(page: Any, script: str, arg: str) -> bool:
    """Whether ``script(arg)`` holds in the page now (not while the page is being replaced)."""
    from playwright.sync_api import Error

    try:
        return bool(page.evaluate(script, arg))
    except Error:
        return False


def wait_for_pages(
    checks: dict[str, tuple[Any, str, str]],
    started: float,
    deadline: float,
    alive: Callable[[], bool],
) -> dict[str, float]:
    """Poll each page's check until all hold: the seconds from ``started`` when each first did."""
    seen: dict[str, float] = {}
    first_page = next(iter(checks.values()))[0]
    while True:
        for name, (page, script, arg) in checks.items():
            if name not in seen and shows(page, script, arg):
                seen[name] = time.perf_counter() - started
        if len(seen) == len(checks):
            return seen
        if not alive():
            raise ServeError(f"mkdocs serve exited; seen by then: {seen}")
        if time.perf_counter() > deadline:
            raise ServeError(f"timeout waiting for the browser; seen by then: {seen}")
        first_page.wait_for_timeout(POLL_S * 1000)  # Playwright handles its events meanwhile


def open_pages(browser: Any, base: str, paths: list[str], timeout: float) -> tuple[Any, list[str]]:
    """A context in which every request off the server is refused (and recorded), with a page
    open at each URL path."""
    context = browser.new_context()
    outside: list[str] = []

    def refuse(route: Any) -> None:
        outside.append(route.request.url)
        route.abort()

    # A pattern, not a Python predicate: that would hold every request of the pages until
    # this (synchronous) Playwright client next runs its event loop.
    context.route(re.compile(f"^(?!{re.escape(base)}|data:)"), refuse)
    context.set_default_timeout(timeout * 1000)
    for path in paths:
        context.new_page().goto(base.rstrip("/") + path)
    return context, outside


# -- the measurement -----------------------------------------------------------------------------


@dataclass
class Server:
    """A running ``mkdocs serve``: its process, its log, the vault and its site's folder."""

    proc: subprocess.Popen[bytes]
    log: ServeLog
    vault: Path
    tmp: Path
    started: float

    @property
    def pid(self) -> int:
        return self.proc.pid


def edit_and_watch(
    browser: Any, base: str, edit: Edit, server: Server, timeout: float, idle: float = IDLE_S
) -> dict[str, Any]:
    """Open X and Y, append to X once their livereload is polling, time until both show it."""
    log, pid = server.log, server.pid
    connected = len(log)
    x_path, y_path = page_path(edit.note), page_path(edit.target)
    context, outside = open_pages(browser, base, [x_path, y_path], timeout)
    page_x, page_y = context.pages
    deadline = time.perf_counter() + min(timeout, 120)
    while len(log.found(CONNECTED, connected)) < 2:  # the pages' livereload scripts are polling
        if time.perf_counter() > deadline:
            raise ServeError("the pages' livereload scripts did not reach the server")
        page_x.wait_for_timeout(50)  # not time.sleep: Playwright handles its events meanwhile
    if shows(page_x, SHOWS_TEXT, edit.marker) or shows(page_y, LISTS_BACKLINK, x_path):
        raise ServeError("the pages showed the edit before it was made")
    cpu_idle = cpu_seconds(pid)
    page_x.wait_for_timeout(idle * 1000)  # what the server costs while it only watches
    idle_cpu = _difference(cpu_seconds(pid), cpu_idle)
    before = len(log)
    with (server.vault / edit.note).open("a", encoding="utf-8", newline="\n") as note:
        note.write(edit.paragraph)
    started, started_ns, cpu_before = time.perf_counter(), time.time_ns(), cpu_seconds(pid)
    checks = {
        "page": (page_x, SHOWS_TEXT, edit.marker),
        "backlink": (page_y, LISTS_BACKLINK, x_path),
    }
    seen = wait_for_pages(checks, started, started + timeout, log.alive)
    cpu_after = cpu_seconds(pid)
    _, built = log.wait(BUILT, before, time.perf_counter() + timeout)
    origins = [float(page.evaluate("performance.timeOrigin")) for page in (page_x, page_y)]
    visible = [page.evaluate("document.visibilityState") for page in (page_x, page_y)]
    context.close()
    return {
        "edit_to_page_s": seen["page"],
        "edit_to_backlink_s": seen["backlink"],
        "edit_to_detected_s": log.since(DETECTED, before, started),
        "edit_to_reloading_s": log.since(RELOADING, before, started),
        # When each page's last navigation started, from the save: livereload's reload.
        "edit_to_navigation_s": [origin / 1e3 - started_ns / 1e9 for origin in origins],
        "rebuild_s": built_seconds(built),
        "rebuild_cpu_s": _difference(cpu_after, cpu_before),
        "rebuilds": len(log.found(DETECTED, before)),
        "html_pages_rewritten": html_pages(server.tmp, started_ns),
        "html_pages": html_pages(server.tmp),
        "idle_s": idle,
        "idle_cpu_s_per_s": idle_cpu / idle if idle_cpu is not None else None,
        "pages_visible": visible,
        "outside_requests": outside,
    }


def first_build(server: Server, base: str, timeout: float) -> dict[str, Any]:
    """Wait until the server answers: its first build, by the clock, the log and the CPU."""
    wait_until_served(base, server.log.alive, server.started + timeout)
    first = server.log.found(BUILT)
    return {
        "first_serve_s": time.perf_counter() - server.started,
        "first_build_s": built_seconds(first[0][1]) if first else None,
        "first_build_cpu_s": cpu_seconds(server.pid),
    }


def drive(
    server: Server, base: str, edit: Edit, timeout: float, idle: float = IDLE_S
) -> dict[str, Any]:
    """Chromium on X's and Y's pages while X is edited."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        try:
            return edit_and_watch(browser, base, edit, server, timeout, idle)
        finally:
            browser.close()


def serve_edit(
    vault: Path,
    config: Path,
    private: set[str],
    log_file: Path,
    tmp: Path,
    timeout: float,
    idle: float = IDLE_S,
) -> dict[str, Any]:
    """The whole measurement; a failure is the result's ``error``, never an exception."""
    result: dict[str, Any] = {"log": str(log_file), "error": None}
    if shutil.which("chromium") is None:
        return result | {"error": "Debian's chromium is not installed (make browser)"}
    try:
        note, target = pick_notes(vault, private)
    except ServeError as failed:
        return result | {"error": str(failed)}
    edit = Edit(note, target, f"Serve-edit marker {time.time_ns()}")
    result |= {"edited": note, "linked": target, "appended": edit.paragraph.strip()}
    discard(tmp)
    tmp.mkdir(parents=True)
    original, stat = (vault / note).read_bytes(), (vault / note).stat()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc = start_serve(config, port, tmp)
    assert proc.stdout is not None
    log = ServeLog(proc.stdout, log_file, alive=lambda: proc.poll() is None)
    server = Server(proc, log, vault, tmp, started)
    try:
        result |= first_build(server, base, timeout)
        result |= drive(server, base, edit, timeout, idle)
    except Exception as failed:  # a timeout, Playwright's errors...: reported, not raised
        what = "" if isinstance(failed, ServeError) else f"{type(failed).__name__}: "
        result["error"] = what + (str(failed).splitlines() or [""])[0]
    finally:
        restored_at, cpu_before = len(log), cpu_seconds(proc.pid)
        (vault / note).write_bytes(original)
        os.utime(vault / note, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        if result["error"] is None:
            result["restore_rebuild_s"] = restore_rebuild(log, restored_at, timeout)
            result["restore_rebuild_cpu_s"] = _difference(cpu_seconds(proc.pid), cpu_before)
        result["peak_rss_mb"] = peak_rss_mb(proc.pid)
        stopping = time.perf_counter()
        result["exit_code"] = stop_serve(proc)  # -9: it had to be killed
        result["stop_s"] = time.perf_counter() - stopping
        discard(tmp)
    return result


def restore_rebuild(log: ServeLog, after: int, timeout: float) -> float | None:
    """The figure of the rebuild that undoes the edit, once the
    server is idle again (``Reloading browsers``), or ``None`` if it does not come."""
    deadline = time.perf_counter() + timeout
    try:
        _, line = log.wait(BUILT, after, deadline)
        log.wait(RELOADING, after, deadline)
    except ServeError:
        return None
    return built_seconds(line)
