"""What every browser test needs: a folder served on loopback, Debian's Chromium, and a page
that records console errors, failed requests to the site and requests to any other host."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import Browser, Page, Request, sync_playwright

#: How the project runs Chromium: headless, as root, with no network of its own.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1; yields the base URL (with its trailing slash)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def build_and_serve(root: Path, config: dict[str, Any], *build_args: str) -> Iterator[str]:
    """Write ``config`` as ``root/mkdocs.yml`` (its site goes to ``root/site``), build it with
    a real ``mkdocs build`` and serve the site; yields the base URL."""
    from tests.conftest import run_mkdocs

    config = {**config, "site_dir": str(root / "site")}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run_mkdocs(root / "mkdocs.yml", *build_args)
    assert result.returncode == 0, result.stderr
    with serve(root / "site") as url:
        yield url


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, driven by Playwright (never a browser Playwright downloads)."""
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed: run `make browser`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def site_failure(request: Any, served: str) -> bool:
    """A request to the site that failed; one the browser dropped because the page moved on to
    another (``net::ERR_ABORTED``, such as a lazy graph load cut by a click) is no failure."""
    return bool(request.url.startswith(served) and request.failure != "net::ERR_ABORTED")


@contextmanager
def watched_page(
    browser: Browser,
    served: str,
    outside: list[str],
    *,
    allowed_outside: Callable[[str], bool] = lambda url: False,
    ignored_error: Callable[[str], bool] = lambda text: False,
    on_request: Callable[[Request], None] | None = None,
    **context_options: Any,
) -> Iterator[Page]:
    """A fresh page in which every request to another host is refused and recorded in
    ``outside``; on leaving, asserts no console error, no failed request to the site and no
    request elsewhere (beyond ``allowed_outside``)."""
    context = browser.new_context(**context_options)
    context.route(
        lambda url: not url.startswith(served) and not url.startswith("data:"),
        lambda route: (outside.append(route.request.url), route.abort()),
    )
    page = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    if on_request is not None:
        page.on("request", on_request)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url) if site_failure(r, served) else None)
    try:
        yield page
    finally:
        context.close()
    assert failed == [], f"requests to the site failed: {failed}"
    assert [e for e in errors if not ignored_error(e)] == []
    assert [u for u in outside if not allowed_outside(u)] == []
