"""How fast the global graph of a built site becomes interactive in headless Chromium.

Serves the site on loopback, opens its graph page and reads what ``graph.js`` records: the
milliseconds from the script's start to the first drawn frame (the graph takes input from
then on) and the number of nodes. Also the time from navigation start, which includes
fetching and parsing ``graph.json``. Run: ``python bench/graph_view.py SITE_DIR``.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def graph_ready(site: Path, timeout_ms: float = 60_000) -> dict[str, Any]:
    """``{"nodes", "first_frame_ms", "from_navigation_ms"}`` for ``site/graph/``."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        return {"error": "Debian's chromium is not installed"}
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/graph/")
            page.wait_for_function(
                "document.querySelector('.ns-graph--global')?.dataset.nsGraphReady !== undefined",
                timeout=timeout_ms,
            )
            found: dict[str, Any] = page.evaluate(
                """() => {
                    const g = document.querySelector('.ns-graph--global');
                    return {nodes: Number(g.dataset.nsGraphNodes),
                            first_frame_ms: Number(g.dataset.nsGraphReady),
                            from_navigation_ms: Math.round(performance.now())};
                }"""
            )
            browser.close()
            return found
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    print(json.dumps(graph_ready(Path(sys.argv[1]))))
