"""The first page of ``mkdocs serve`` with a warm build cache: how long after the command.

:func:`serve_warm` starts a real ``mkdocs serve`` of a project twice, one server after the
other, on the same loopback port. ``mkdocs serve`` makes other pages than ``mkdocs build`` (its
own site URL, which holds the port), so the build cache (``.cache/notesite/`` beside
``mkdocs.yml``) keeps them in a folder of their own: the first server, **cold**, starts with no
cache and fills it; it is stopped once it serves; the second, **warm**, reads it. For each, the
seconds from the moment the command is started until an HTTP GET of one note's page (polled
every :data:`POLL_S`) returns 200 and the whole page, the server's CPU time and peak RSS by
then, how many pages its first build took from the cache (notesite's ``build cache: N of M
pages reused``), and when each step of that build showed in its log (:data:`STEPS`).

Each server starts once what was written before it is on the disk (``os.sync``). The project's
cache folder is set aside meanwhile and put back afterwards: the servers start
from no cache at all, and the build cache's own measurements find theirs as they left it. A
failure, or a wait that runs past the timeout, is the result's ``error``: it never hangs.
"""

from __future__ import annotations

import os
import re
import time
import urllib.parse
from pathlib import Path
from typing import Any

from discard import discard
from serve_edit import (
    BUILT,
    ServeError,
    ServeLog,
    built_seconds,
    cpu_seconds,
    free_port,
    page_path,
    peak_rss_mb,
    start_serve,
    stop_serve,
    wait_until_served,
)

#: How often the page is asked for until the server answers.
POLL_S = 0.05
SERVING = "Serving on"
REUSED = re.compile(r"build cache: (\d+) of (\d+) pages reused")
#: The lines of the server's log that mark the steps of its first build, in order.
STEPS: dict[str, str | re.Pattern[str]] = {
    "building": "Building documentation",
    "vault_read": "notesite: read ",
    "cache_read": REUSED,
    "pages_done": "notesite: published ",
    "built": BUILT,
    "serving": SERVING,
}


def serve_once(
    config: Path, port: int, path: str, log_file: Path, tmp: Path, timeout: float
) -> dict[str, Any]:
    """One server: the seconds from its command until ``path`` is served, and its log's say."""
    url = f"http://127.0.0.1:{port}" + urllib.parse.quote(path)
    started = time.perf_counter()
    proc = start_serve(config, port, tmp)
    assert proc.stdout is not None
    log = ServeLog(proc.stdout, log_file, alive=lambda: proc.poll() is None)
    result: dict[str, Any] = {"log": str(log_file)}
    try:
        page = wait_until_served(url, log.alive, started + timeout, POLL_S)
        result["first_page_s"] = time.perf_counter() - started
        result["cpu_s"] = cpu_seconds(proc.pid)
        result["peak_rss_mb"] = peak_rss_mb(proc.pid)
        if b"</html>" not in page:
            raise ServeError(f"{path} came back without its HTML ({len(page)} bytes)")
        log.wait(SERVING, 0, started + timeout)  # every line of the first build has come
    finally:
        result["exit_code"] = stop_serve(proc)
    result["steps_s"] = {
        step: log.since(line, 0, started) for step, line in STEPS.items() if log.found(line)
    }
    if built := log.found(BUILT):
        result["first_build_s"] = built_seconds(built[0][1])
    if reused := log.found(REUSED):
        found = REUSED.search(reused[0][1])
        assert found is not None
        result["pages_reused"], result["pages"] = int(found[1]), int(found[2])
    return result


def serve_warm(
    config: Path, note: str, log_file: Path, tmp: Path, timeout: float
) -> dict[str, Any]:
    """The whole measurement (see the module's docstring): ``cold`` and ``warm``, each the
    result of :func:`serve_once`, and the serve cache's size; a failure is ``error``."""
    cache = config.parent / ".cache"
    aside = config.parent / ".cache-aside"
    discard(aside)
    if cache.exists():
        cache.rename(aside)
    path = page_path(note)
    result: dict[str, Any] = {"note": note, "url_path": path, "error": None}
    port = free_port()  # both servers: the port is part of the pages' site URL
    try:
        for run in ("cold", "warm"):
            discard(tmp)
            tmp.mkdir(parents=True)
            logged = log_file.with_name(f"{log_file.stem}-{run}{log_file.suffix}")
            # What the last server (or measurement) wrote reaches the disk first: else the
            # kernel writes it out while this server writes its site, and times that instead.
            os.sync()
            result[run] = serve_once(config, port, path, logged, tmp, timeout)
        result["cache_bytes"] = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    except Exception as failed:  # a timeout, a server that exited...: reported, not raised
        what = "" if isinstance(failed, ServeError) else f"{type(failed).__name__}: "
        result["error"] = what + (str(failed).splitlines() or [""])[0]
    finally:
        discard(tmp)
        discard(cache)
        if aside.exists():
            aside.rename(cache)
    return result
