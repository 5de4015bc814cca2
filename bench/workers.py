"""The in-process halves of three measurements; ``bench/run.py`` runs each in a fresh subprocess.

``python bench/workers.py graph VAULT RESULT``
    Read the vault and resolve its link graph the way the plugin does in ``on_files``
    (``walk_vault`` + ``load_vault`` with one process per core + ``LinkGraph``), timing each
    stage.

``python bench/workers.py floor VAULT RESULT --extensions JSON --private JSON``
    The Python-Markdown floor: read every public note, strip its front matter, convert it with
    ``markdown.markdown`` and the given extensions, and write the HTML to a temporary folder.

``python bench/workers.py floor-pair VAULT RESULT --extensions JSON --private JSON``
    The floor twice at once, in two forked processes: the CPU time each takes, against the
    floor's own, says how much more CPU this machine bills for work done two at a time (two
    virtual cores may share one physical core, its caches or its memory bandwidth).

Each writes its timings as JSON to ``RESULT``. Only what a stage needs is imported, so the
subprocess's peak RSS is that stage's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def graph(vault: Path) -> dict[str, Any]:
    """Time walk + load + resolve of the whole vault, as ``NotesitePlugin.on_files`` does."""
    started = time.perf_counter()
    from pymdownx.slugs import slugify

    from notesite.graph import LinkGraph
    from notesite.heap import collector_paused
    from notesite.vault import load_vault, walk_vault

    imported = time.perf_counter()
    cpu_started = time.process_time()
    found = walk_vault(vault)
    walked = time.perf_counter()
    with collector_paused(then_freeze=True):  # as `mkdocs build` does, on as many cores
        notes, problems = load_vault(found, workers=os.cpu_count() or 1)
        loaded = time.perf_counter()
        link_graph = LinkGraph(
            notes, found.attachments, slugify=slugify(case="lower"), separator="-"
        )
    resolved = time.perf_counter()
    cpu = time.process_time() - cpu_started
    return {
        "import_s": imported - started,
        "walk_s": walked - imported,
        "load_s": loaded - walked,
        "graph_s": resolved - loaded,
        "in_process_s": resolved - imported,
        "in_process_cpu_s": cpu,
        "notes": len(notes),
        "public_notes": len(link_graph.public_notes()),
        "attachments": len(found.attachments),
        "links": sum(len(v) for v in link_graph.outgoing.values()),
        "unresolved_links": sum(len(v) for v in link_graph.unresolved.values()),
        "problems": len(problems) + len(link_graph.problems),
    }


def public_notes(vault: Path, private: set[str]) -> list[str]:
    """The vault paths of the notes a site publishes: every ``.md`` outside dot-folders."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(vault):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = Path(dirpath).relative_to(vault).as_posix()
        for name in sorted(filenames):
            path = name if rel == "." else f"{rel}/{name}"
            if name.endswith(".md") and not name.startswith(".") and path not in private:
                found.append(path)
    return found


def floor(vault: Path, extensions: list[str], private: set[str]) -> dict[str, Any]:
    """Convert every public note with plain ``markdown.markdown``; time it."""
    started = time.perf_counter()
    import markdown
    from pymdownx.slugs import slugify

    configs = {"toc": {"permalink": True, "slugify": slugify(case="lower")}}
    imported = time.perf_counter()
    cpu_started = time.process_time()
    paths = public_notes(vault, private)
    html_bytes = 0
    with tempfile.TemporaryDirectory(prefix="notesite-bench-floor-") as out:
        for path in paths:
            text = (vault / path).read_text(encoding="utf-8")
            text = _FRONT_MATTER.sub("", text, count=1)
            html = markdown.markdown(text, extensions=extensions, extension_configs=configs)
            target = Path(out) / (path[:-3] + ".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            html_bytes += target.write_bytes(html.encode("utf-8"))
        converted = time.perf_counter()
    return {
        "import_s": imported - started,
        "in_process_s": converted - imported,
        "in_process_cpu_s": time.process_time() - cpu_started,
        "notes": len(paths),
        "html_bytes": html_bytes,
    }


def floor_pair(vault: Path, extensions: list[str], private: set[str]) -> dict[str, Any]:
    """:func:`floor` in two forked processes at once; the conversion's CPU time in each."""
    import markdown  # noqa: F401  (imported before the fork, as for one floor's conversion)
    import pymdownx.slugs  # noqa: F401

    results: list[Path] = []
    children: list[int] = []
    with tempfile.TemporaryDirectory(prefix="notesite-bench-pair-") as folder:
        for i in range(2):
            result = Path(folder) / f"{i}.json"
            results.append(result)
            pid = os.fork()
            if pid == 0:  # the child: one floor, its figures in a file
                status = 1
                try:
                    result.write_text(json.dumps(floor(vault, extensions, private)))
                    status = 0
                finally:
                    os._exit(status)
            children.append(pid)
        for pid in children:
            _, status = os.waitpid(pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"a floor of the pair failed (exit status {status})")
        each = [json.loads(result.read_text()) for result in results]
    return {
        "each_cpu_s": [r["in_process_cpu_s"] for r in each],
        "each_s": [r["in_process_s"] for r in each],
        "notes": each[0]["notes"],
    }


def main() -> None:
    """Run one worker and write its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("what", choices=("graph", "floor", "floor-pair"))
    parser.add_argument("vault", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--extensions", default="[]", help="JSON list of extension names")
    parser.add_argument("--private", default="[]", help="JSON list of vault paths to skip")
    args = parser.parse_args()
    vault = args.vault.resolve()
    if args.what == "graph":
        result = graph(vault)
    else:
        work = floor if args.what == "floor" else floor_pair
        result = work(vault, json.loads(args.extensions), set(json.loads(args.private)))
    args.result.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
