"""notesite's benchmark: build generated vaults and report time, memory and output size.

For each size (1,000 and 10,000 notes unless ``--sizes`` says otherwise) this generates a vault
with ``bench/generate.py`` into ``bench/out/vault-N`` (reused while its generator version, size
and seed match), then runs its measurements, one after the other, each in a fresh subprocess
whose wall time, CPU time and peak RSS are taken from the operating system (``os.wait4``):

* **notesite**: ``mkdocs build`` of the vault with mkdocs-material and the ``search`` and
  ``notesite`` plugins, into ``bench/out/site-N``;
* **notesite graph only**: ``walk_vault`` + ``load_vault`` + ``LinkGraph``, timed in-process;
* **notesite check**: ``notesite check`` of the vault, the lint CI runs before a build;
* **bare MkDocs**: mkdocs-material with the same Markdown extensions, no notesite and a
  one-entry ``nav`` (private notes excluded), into ``bench/out/site-N-bare``: what MkDocs itself
  costs (wikilinks are plain text there);
* **Python-Markdown floor**: ``markdown.markdown`` over the same notes, front matter stripped;
* **notesite in one process**: the **notesite** build with ``workers: 1``;
* **two floors at once**: the floor in two forked processes at the same time. Their CPU time
  against the floor's own is what this machine adds to work done two at a time (two virtual
  cores may share a physical core, its caches or its memory bandwidth). notesite's worker
  processes pay it, bare MkDocs (one process) does not, so the report gives notesite's CPU
  against bare MkDocs' both ways;
* **notesite in one process beside bare MkDocs**: those two builds started together, each in a
  process of its own, so that both meet the machine at the same speed (on a shared virtual
  machine, runs one after the other can meet it a fifth slower or faster): their CPU ratio,
  round by round.

Then the build cache (``.cache/notesite/``), in a project folder of its own
(``bench/out/cache-N``): **cache cold**, a build with an empty cache (which it fills); **cache
warm, body edited**, a build after one note's body was edited (a sentence appended); **cache
warm, link added**, a build after a wikilink to another note was appended to it (the note is
restored after each). The **notesite** build above runs without the cache (``NOTESITE_CACHE=off``):
the cold build as it always was. The report gives each warm build's share of the cold build's
wall time, the CPU time of each against bare MkDocs', and the cache's size on disk.

With them, **serve warm** (``bench/serve_warm.py``): ``mkdocs serve`` of the same project, whose
pages are not ``mkdocs build``'s (another site URL), so that the cache keeps them apart: a first
server, cold, fills the cache and is stopped once it serves; a second, on the same port, reads
it. The figure is the seconds from the second command until an HTTP GET of a note's page returns
200 and the page (with the server's CPU time and peak RSS by then); the report adds the cold
server's, the pages reused and when each step of the warm server's first build showed in its log.

``--only ... theme-nav`` adds a notesite build with ``navigation: theme``, in which
mkdocs-material writes every page into every page's navigation.

Then, once (not per size), **serve-edit**, the live preview after one edit
(``bench/serve_edit.py``): a real ``mkdocs serve`` of a vault of 5,000 notes (``--edit-notes``),
with the notesite build's configuration, runs on a free loopback port; once its first build is
done, headless Chromium opens the page of a note X and that of a note Y which X does not link to
yet; a paragraph with a marker sentence and ``[[Y]]`` is appended to X on disk, and the
measurement times from the save until X's page shows the marker and Y's backlinks panel lists X
(mkdocs' livereload reloads the pages), with the rebuild's own time from the server's log, the
server's CPU time and how many of the site's HTML pages the rebuild rewrote. X is restored
afterwards. Each of its waits gives up after ``--edit-timeout`` seconds (600 by default): a
failure is reported, never waited on.

It prints one Markdown table per size, the serve-edit report, and the machine, and writes
``bench/out/results-N.json`` (and the table as ``bench/out/report-N.md``), and
``bench/out/results-serve-edit-N.json`` / ``report-serve-edit-N.md``. This is a report: nothing
here passes or fails on a time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import discard as discarded
from discard import discard
from generate import GENERATOR_VERSION, generate, read_marker
from notesite.build.extensions import REQUIRED_EXTENSIONS
from queries import BLOCKS, add_queries
from serve_edit import IDLE_S, serve_edit
from serve_warm import serve_warm

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
WORKERS = BENCH / "workers.py"
#: The Markdown extensions of every measurement: what notesite adds to mkdocs.yml by default
#: (``nl2br`` because Obsidian's "strict line breaks" is off by default), with ``toc``
#: configured as this repository's own mkdocs.yml does.
EXTENSIONS = ("toc", *(e for e in REQUIRED_EXTENSIONS if e != "toc"), "nl2br")
TOC_CONFIG = """\
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
"""
_GITIGNORE_SPECIAL = set("\\*?[]!#")


@dataclass
class Measurement:
    """One subprocess run: its wall and CPU time, its peak RSS, how it ended."""

    name: str
    wall_s: float | None
    cpu_s: float | None
    """User + system time: unlike the wall time, barely affected by other work on the machine."""
    peak_rss_mb: float | None
    returncode: int | None
    timed_out: bool
    log: str
    details: dict[str, Any]

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode == 0

    @property
    def seconds(self) -> float | None:
        """The time reported: in-process when the worker timed itself, else the wall time."""
        if not self.ok:
            return None
        in_process = self.details.get("in_process_s")
        return float(in_process) if self.name == "graph" and in_process is not None else self.wall_s

    @property
    def cpu_seconds(self) -> float | None:
        """CPU time, in-process for the graph as :attr:`seconds` is."""
        if not self.ok:
            return None
        in_process = self.details.get("in_process_cpu_s")
        return float(in_process) if self.name == "graph" and in_process is not None else self.cpu_s


def measure(
    name: str, cmd: list[str], log: Path, timeout: float, env: dict[str, str] | None = None
) -> Measurement:
    """Run ``cmd`` with its output in ``log``, once what was written before is on the disk;
    kill its process group after ``timeout`` s."""
    return measure_together([(name, cmd, log, env)], timeout)[0]


Run = tuple[str, list[str], Path, dict[str, str] | None]
"""A command to measure: its name, the command, its log and what its environment adds."""


def measure_together(runs: Sequence[Run], timeout: float) -> list[Measurement]:
    """Run the commands of ``runs`` at the same time (as :func:`measure` runs one), each
    measured on its own; all are killed after ``timeout`` s."""
    # What earlier runs wrote reaches the disk first: else the kernel writes it out (and slows
    # this run's own writing down) while this run is timed.
    os.sync()
    load_before = os.getloadavg()[0]
    timed_out = threading.Event()
    started = time.perf_counter()
    procs = []
    for _, cmd, log, env in runs:
        with log.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    cmd,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env={
                        **os.environ,
                        "NO_MKDOCS_2_WARNING": "1",
                        "PYTHONDONTWRITEBYTECODE": "1",
                        **(env or {}),
                    },
                    start_new_session=True,
                )
            )

    def kill() -> None:
        timed_out.set()
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

    ended: dict[int, tuple[int, Any, float]] = {}

    def wait(proc: subprocess.Popen[bytes]) -> None:
        # wait4 gives this child's own resource usage (Popen.wait would discard it).
        _, status, usage = os.wait4(proc.pid, 0)
        ended[proc.pid] = (status, usage, time.perf_counter() - started)

    timer = threading.Timer(timeout, kill)
    timer.start()
    waiters = [threading.Thread(target=wait, args=(proc,)) for proc in procs]
    try:
        for waiter in waiters:
            waiter.start()
        for waiter in waiters:
            waiter.join()
    finally:
        timer.cancel()
    return [
        _measurement(name, proc, log, *ended[proc.pid], timed_out.is_set(), load_before)
        for (name, _, log, _), proc in zip(runs, procs, strict=True)
    ]


def _measurement(
    name: str,
    proc: subprocess.Popen[bytes],
    log: Path,
    status: int,
    usage: Any,
    wall: float,
    killed: bool,
    load_before: float,
) -> Measurement:
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss_bytes = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return Measurement(
        name=name,
        wall_s=None if killed else wall,
        cpu_s=None if killed else usage.ru_utime + usage.ru_stime,
        peak_rss_mb=None if killed else rss_bytes / 1e6,
        returncode=proc.returncode,
        timed_out=killed,
        log=str(log.relative_to(BENCH.parent)),
        details={
            "load_average_before": load_before,
            "load_average_after": os.getloadavg()[0],
            **({"killed_after_s": round(wall, 1)} if killed else {}),
        },
    )


# -- the vault and the configurations -----------------------------------------------------------


def ensure_vault(n_notes: int, seed: int) -> tuple[Path, dict[str, Any]]:
    """``bench/out/vault-N``, generated unless a complete one of this version is there."""
    root = OUT / f"vault-{n_notes}"
    marker = read_marker(root)
    wanted = {"generator_version": GENERATOR_VERSION, "n_notes": n_notes, "seed": seed}
    if marker is not None and all(marker.get(k) == v for k, v in wanted.items()):
        log(f"[{n_notes}] reusing {root.relative_to(BENCH.parent)}")
        return root, marker
    discard(root)
    started = time.perf_counter()
    summary = generate(root, n_notes, seed)
    log(
        f"[{n_notes}] generated {root.relative_to(BENCH.parent)} in {time.perf_counter() - started:.1f} s"
    )
    return root, summary.to_json()


def _gitignore_path(path: str) -> str:
    return "/" + "".join("\\" + c if c in _GITIGNORE_SPECIAL else c for c in path)


def write_configs(n_notes: int, vault: Path, private: list[str]) -> dict[str, Path]:
    """The mkdocs.yml of each build: ``notesite``, ``theme-nav`` and ``bare``."""
    extensions = TOC_CONFIG + "".join(f"  - {e}\n" for e in EXTENSIONS if e != "toc")
    common = (
        f"docs_dir: {json.dumps(str(vault))}\n"
        "theme:\n  name: material\n  font: false\n"
        f"markdown_extensions:\n{extensions}"
    )
    notesite = OUT / f"mkdocs-{n_notes}-notesite.yml"
    notesite.write_text(
        f"site_name: notesite bench ({n_notes} notes)\n"
        f"site_dir: {json.dumps(str(OUT / f'site-{n_notes}'))}\n"
        + common
        + "plugins:\n  - search\n  - notesite\n",
        encoding="utf-8",
    )

    def variant(name: str, option: str) -> Path:
        """The notesite build's configuration with one option of notesite's set."""
        config = OUT / f"mkdocs-{n_notes}-{name}.yml"
        config.write_text(
            notesite.read_text(encoding="utf-8")
            .replace(f"site-{n_notes}", f"site-{n_notes}-{name}")
            .replace("  - notesite\n", f"  - notesite:\n      {option}\n"),
            encoding="utf-8",
        )
        return config

    # The same build in one process, without notesite's workers: its CPU time against bare
    # MkDocs', which always runs in one.
    one_process = variant("one-process", "workers: 1")
    # The same build with mkdocs-material's own navigation of every page rendered into every
    # page (notesite's `navigation: theme`): an optional measurement, see --only.
    theme_nav = variant("theme-nav", "navigation: theme")
    skipped = set(private)
    first = next(p for p in _note_paths(vault) if p not in skipped)  # the nav's one page
    bare = OUT / f"mkdocs-{n_notes}-bare.yml"
    bare.write_text(
        f"site_name: bare MkDocs bench ({n_notes} notes)\n"
        f"site_dir: {json.dumps(str(OUT / f'site-{n_notes}-bare'))}\n"
        + common
        + "plugins:\n  - search\n"
        + f"nav:\n  - Home: {json.dumps(first)}\n"
        # notesite does not publish private notes; neither does the bare build.
        + f"exclude_docs: {json.dumps(chr(10).join(_gitignore_path(p) for p in private))}\n",
        encoding="utf-8",
    )
    # The same notes, 200 of them ending in a Dataview query (bench/queries.py).
    queries = OUT / f"mkdocs-{n_notes}-queries.yml"
    queries.write_text(
        notesite.read_text(encoding="utf-8")
        .replace(f"site-{n_notes}", f"site-{n_notes}-queries")
        .replace(json.dumps(str(vault)), json.dumps(str(query_vault(vault, n_notes)))),
        encoding="utf-8",
    )
    # The build cache keeps its folder beside mkdocs.yml: a project folder of its own.
    cached = OUT / f"cache-{n_notes}" / "mkdocs.yml"
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(
        notesite.read_text(encoding="utf-8").replace(f"site-{n_notes}", f"site-{n_notes}-cache"),
        encoding="utf-8",
    )
    return {
        "notesite": notesite,
        "one-process": one_process,
        "theme-nav": theme_nav,
        "bare": bare,
        "queries": queries,
        "cache": cached,
    }


def query_vault(vault: Path, n_notes: int) -> Path:
    """``bench/out/vault-N-queries``: the vault with query blocks (see ``bench/queries.py``)."""
    return add_queries(vault, OUT / f"vault-{n_notes}-queries")


def _note_paths(vault: Path) -> list[str]:
    return sorted(
        p.relative_to(vault).as_posix()
        for p in vault.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(vault).parts)
    )


# -- sizes ----------------------------------------------------------------------------------------


def site_sizes(site: Path, notes: list[str]) -> dict[str, Any]:
    """Total output and the sizes of the notes' pages (``Note/index.html``) in a built site."""
    if not site.is_dir():
        return {}
    total = files = 0
    for dirpath, _, filenames in os.walk(site):
        for name in filenames:
            total += os.stat(os.path.join(dirpath, name)).st_size
            files += 1
    pages = []
    for path in notes:
        page = site / path[:-3] / "index.html"
        if page.is_file():
            pages.append(page.stat().st_size)
    search = site / "search" / "search_index.json"
    home = site / "index.html"
    return {
        "total_bytes": total,
        "files": files,
        "note_pages": len(pages),
        "median_page_bytes": statistics.median(pages) if pages else None,
        "max_page_bytes": max(pages) if pages else None,
        "note_pages_bytes": sum(pages),
        "search_index_bytes": search.stat().st_size if search.is_file() else None,
        "home_page_bytes": home.stat().st_size if home.is_file() else None,
    }


def log_counts(log_file: Path) -> dict[str, int]:
    """How many WARNING and INFO lines a build printed."""
    counts = {"warnings": 0, "infos": 0}
    with log_file.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("WARNING"):
                counts["warnings"] += 1
            elif line.startswith("INFO"):
                counts["infos"] += 1
    return counts


# -- machine -------------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """CPU, cores, memory, Python and the versions of what the builds use."""
    cpu = platform.processor() or platform.machine()
    memory = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), cpu
            )
        with open("/proc/meminfo", encoding="utf-8") as info:
            kib = next((int(ln.split()[1]) for ln in info if ln.startswith("MemTotal")), None)
            memory = round(kib / 1024**2, 1) if kib else None
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "mkdocs": _version("mkdocs"),
        "mkdocs-material": _version("mkdocs-material"),
        "markdown": _version("markdown"),
        "pymdown-extensions": _version("pymdown-extensions"),
        "notesite": _version("notesite"),
    }


# -- one size -------------------------------------------------------------------------------------

LABELS = {
    "notesite": "notesite (full `mkdocs build`)",
    "graph": "notesite graph only (walk + load + resolve, in-process)",
    "check": "`notesite check` (the whole lint, as CI runs it)",
    "bare": "bare MkDocs (material, same extensions, 1-entry nav)",
    "floor": "Python-Markdown floor (`markdown.markdown` per note)",
    "floor-pair": "two Python-Markdown floors at once (two processes)",
    "one-process": "notesite in one process (`workers: 1`)",
    "side-by-side": "notesite in one process beside bare MkDocs, both at once (notesite's row)",
    "theme-nav": "notesite, `navigation: theme` (every page in every page's nav)",
    "queries": f"notesite, the same vault with {BLOCKS} Dataview query blocks",
    "serve-edit": "`mkdocs serve`: one note edited, until Chromium shows it (once, not per size)",
    "cache-cold": "notesite, build cache empty (filling it)",
    "cache-body": "notesite, build cache warm: one note's body edited",
    "cache-link": "notesite, build cache warm: a link added to one note",
    "serve-warm": "`mkdocs serve`, build cache warm: seconds to the first page served",
}
#: The build cache's measurements: a cold build, then warm builds after one edit each.
CACHE = ("cache-cold", "cache-body", "cache-link")
#: What ``make bench`` runs; ``theme-nav`` only on request (``--only notesite theme-nav``).
DEFAULT_MEASUREMENTS = (
    "notesite",
    "one-process",
    "queries",
    "graph",
    "check",
    "bare",
    "floor",
    "floor-pair",
    "side-by-side",
    *CACHE,
    "serve-warm",
    "serve-edit",
)
#: The measurements run once, on a vault of their own size, rather than for each of ``--sizes``.
ONCE = ("serve-edit",)
SITES = {
    "notesite": "site-{n}",
    "one-process": "site-{n}-one-process",
    "theme-nav": "site-{n}-theme-nav",
    "bare": "site-{n}-bare",
    "queries": "site-{n}-queries",
}


def cache_edit(name: str, vault: Path, public: list[str]) -> tuple[Path, str] | None:
    """The edit before a warm build: the note edited and its text before (None: no edit)."""
    if name == "cache-cold":
        return None
    note = vault / public[len(public) // 2]
    before = note.read_text(encoding="utf-8")
    if name == "cache-body":
        added = "\nA sentence added to the note, and nothing else.\n"
    else:
        added = f"\nSee also [[{Path(public[len(public) // 3]).stem}]].\n"
    note.write_text(before + added, encoding="utf-8")
    return note, before


def cache_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _run_one(
    name: str,
    n_notes: int,
    vault: Path,
    configs: dict[str, Path],
    public: list[str],
    private: list[str],
    timeout: float,
) -> Measurement:
    """One run of the measurement ``name`` on the vault, in a fresh subprocess."""
    python = sys.executable
    log_file = OUT / "logs" / f"{name}-{n_notes}.log"
    if name == "serve-warm":
        return run_serve_warm(n_notes, configs["cache"], public, timeout)
    if name in CACHE:
        config = configs["cache"]
        if name == "cache-cold":
            discard(config.parent / ".cache")
        discard(OUT / f"site-{n_notes}-cache")  # as for the others
        edited = cache_edit(name, vault, public)
        try:
            cmd = [python, "-m", "mkdocs", "build", "-f", str(config)]
            m = measure(name, cmd, log_file, timeout)
        finally:
            if edited is not None:
                edited[0].write_text(edited[1], encoding="utf-8")
        m.details.update(log_counts(log_file))
        m.details["cache_bytes"] = cache_size(config.parent / ".cache")
        said = log_file.read_text(encoding="utf-8", errors="replace")
        if found := re.search(r"build cache: (\d+) of (\d+) pages reused", said):
            m.details["pages_reused"] = int(found[1])
            m.details["pages"] = int(found[2])
    elif name in SITES:
        site = OUT / SITES[name].format(n=n_notes)
        discard(site)  # not part of the build's time (see discard.py)
        cmd = [python, "-m", "mkdocs", "build", "-f", str(configs[name])]
        # The cold build as it always was: without the build cache (measured on its own).
        m = measure(name, cmd, log_file, timeout, env={"NOTESITE_CACHE": "off"})
        m.details.update(log_counts(log_file))
        if m.timed_out:
            # How far it got says roughly how long the whole build would take; the partial
            # site itself is of no use (and at 10,000 notes can be many GB), so it goes.
            m.details["pages_written"] = sum(
                1 for path in public if (site / path[:-3] / "index.html").is_file()
            )
            m.details["pages_total"] = len(public)
            discard(site)
    elif name == "side-by-side":
        m = run_side_by_side(n_notes, configs, timeout)
    elif name == "check":
        cmd = [python, "-m", "notesite.cli", "check", str(vault), "--fail-on", "never"]
        m = measure(name, cmd, log_file, timeout)
    else:
        result_file = OUT / f"{name}-{n_notes}.json"
        result_file.unlink(missing_ok=True)
        cmd = [python, str(WORKERS), name, str(vault), str(result_file)]
        if name in ("floor", "floor-pair"):
            cmd += ["--extensions", json.dumps(EXTENSIONS), "--private", json.dumps(private)]
        m = measure(name, cmd, log_file, timeout)
        if m.ok:
            m.details.update(json.loads(result_file.read_text(encoding="utf-8")))
    return m


def run_side_by_side(n_notes: int, configs: dict[str, Path], timeout: float) -> Measurement:
    """notesite in one process and bare MkDocs, started together, each in a process of its own
    (on a core of its own where there are two): both meet the machine as it is then, where
    runs one after the other meet it at different speeds. notesite's run, with bare MkDocs'
    CPU time and the ratio of the two in its details."""
    python = sys.executable
    runs: list[Run] = []
    for name in ("one-process", "bare"):
        site = OUT / f"{SITES[name].format(n=n_notes)}-beside"
        discard(site)
        cmd = [python, "-m", "mkdocs", "build", "-f", str(configs[name]), "--site-dir", str(site)]
        log_file = OUT / "logs" / f"side-by-side-{name}-{n_notes}.log"
        runs.append((name, cmd, log_file, {"NOTESITE_CACHE": "off"}))
    notesite, bare = measure_together(runs, timeout)
    m = Measurement(**{**asdict(notesite), "name": "side-by-side"})
    if not bare.ok:
        m.returncode, m.timed_out = bare.returncode or m.returncode, bare.timed_out or m.timed_out
    elif m.ok and bare.cpu_s and m.cpu_s:
        m.details |= {
            "bare_cpu_s": bare.cpu_s,
            "bare_wall_s": bare.wall_s,
            "cpu_ratio": m.cpu_s / bare.cpu_s,
        }
    return m


def run_serve_warm(n_notes: int, config: Path, public: list[str], timeout: float) -> Measurement:
    """``mkdocs serve`` of the cache's project, cold then warm (``serve_warm.py``): the warm
    server's seconds until a note's page is served, its CPU time and peak RSS by then."""
    log_file = OUT / "logs" / f"serve-warm-{n_notes}.log"
    load_before = os.getloadavg()[0]
    found = serve_warm(config, public[len(public) // 2], log_file, OUT / "serve-tmp", timeout)
    warm = found.get("warm", {})
    timed_out = (found["error"] or "").startswith("timeout")
    if found["error"]:
        log(f"[{n_notes}]   {found['error']} (see {log_file.parent.relative_to(BENCH.parent)})")
    return Measurement(
        name="serve-warm",
        wall_s=warm.get("first_page_s"),
        cpu_s=warm.get("cpu_s"),
        peak_rss_mb=warm.get("peak_rss_mb"),
        returncode=None if timed_out else 1 if found["error"] else 0,
        timed_out=timed_out,
        log=str(log_file.with_name(f"serve-warm-{n_notes}-warm.log").relative_to(BENCH.parent)),
        details=found
        | {"load_average_before": load_before, "load_average_after": os.getloadavg()[0]},
    )


def median_run(runs: list[Measurement]) -> Measurement:
    """The run of median time (the lower middle one of an even number); a failed run, if any.

    Every run's time is kept in its details, so the report can say how far they spread."""
    failed = [m for m in runs if not m.ok]
    if failed:
        return failed[0]
    ordered = sorted(runs, key=lambda m: m.seconds or 0.0)
    chosen = ordered[(len(ordered) - 1) // 2]
    chosen.details["runs_s"] = [round(m.seconds or 0.0, 3) for m in runs]
    chosen.details["runs_cpu_s"] = [round(m.cpu_seconds or 0.0, 3) for m in runs]
    if all("cpu_ratio" in m.details for m in runs):
        chosen.details["runs_cpu_ratio"] = [round(m.details["cpu_ratio"], 3) for m in runs]
    return chosen


#: The measurements that follow one another in this order, after the others: the cache's rows
#: (the warm builds edit what the cold one filled) and the warm serve (which serves the same
#: project, cache folder included).
IN_SEQUENCE = (*CACHE, "serve-warm")


def round_order(only: list[str], round_: int) -> list[str]:
    """The order of round ``round_``'s measurements: as asked in odd rounds, the other way in
    even ones (A B, B A), so that a machine slowing down through a round does not always fall
    on the same rows. The cache's rows and the warm serve come last, in their own order."""
    free = [name for name in only if name not in IN_SEQUENCE]
    return [*(free if round_ % 2 else free[::-1]), *(n for n in only if n in IN_SEQUENCE)]


def run_size(
    n_notes: int, seed: int, timeout: float, only: list[str], repeat: int = 1
) -> dict[str, Any]:
    """Generate (or reuse) the vault of ``n_notes`` notes and run every measurement on it."""
    vault, marker = ensure_vault(n_notes, seed)
    private = [str(p) for p in marker.get("private", [])]
    configs = write_configs(n_notes, vault, private)
    skipped = set(private)
    public = [p for p in _note_paths(vault) if p not in skipped]
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    runs: dict[str, list[Measurement]] = {name: [] for name in only}
    # Round after round of every measurement, so that a spell of load on the machine falls on
    # all of them rather than on all the runs of one (see round_order).
    for round_ in range(1, repeat + 1):
        for name in round_order(only, round_):
            if any(not m.ok for m in runs[name]):
                continue  # a failure or timeout is reported, not run again
            of = f" (run {round_} of {repeat})" if repeat > 1 else ""
            log(f"[{n_notes}] {LABELS[name]}{of} ...")
            m = _run_one(name, n_notes, vault, configs, public, private, timeout)
            runs[name].append(m)
            if m.timed_out:
                log(f"[{n_notes}]   timeout after {timeout:.0f} s (see {m.log})")
            elif not m.ok:
                log(f"[{n_notes}]   failed with exit code {m.returncode} (see {m.log})")
            else:
                log(
                    f"[{n_notes}]   {m.seconds:.2f} s (CPU {m.cpu_seconds:.2f} s), "
                    f"peak RSS {m.peak_rss_mb:.0f} MB"
                )
                if "cpu_ratio" in m.details:
                    log(
                        f"[{n_notes}]   bare MkDocs beside it: CPU {m.details['bare_cpu_s']:.2f} "
                        f"s; notesite ÷ bare {m.details['cpu_ratio']:.2f}×"
                    )
    results = {name: median_run(found) for name, found in runs.items() if found}

    graph_view: dict[str, Any] = {}
    built = OUT / SITES["notesite"].format(n=n_notes)
    if "notesite" in results and results["notesite"].ok and built.is_dir():
        log(f"[{n_notes}] global graph in headless Chromium ...")
        view = subprocess.run(
            [python, str(Path(__file__).with_name("graph_view.py")), str(built)],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        graph_view = (
            json.loads(view.stdout) if view.returncode == 0 else {"error": view.stderr[-500:]}
        )
        log(f"[{n_notes}]   {graph_view}")

    sizes = {
        name: site_sizes(OUT / SITES[name].format(n=n_notes), public)
        for name in SITES
        if name in results
    }
    ratios: dict[str, float | None] = {}
    cpu_ratios: dict[str, float | None] = {}
    build = results.get("notesite")
    for name in ("bare", "floor", "graph", "one-process", "theme-nav", "queries", *CACHE):
        other = results.get(name)
        if build and other and build.seconds and other.seconds:
            ratios[f"notesite/{name}"] = build.seconds / other.seconds
        if build and other and build.cpu_seconds and other.cpu_seconds:
            cpu_ratios[f"notesite/{name}"] = build.cpu_seconds / other.cpu_seconds
    vault_info = {k: v for k, v in marker.items() if k != "private"}
    vault_info["private"] = len(private)
    return {
        "notes": n_notes,
        "seed": seed,
        "repeat": repeat,
        "timeout_s": timeout,
        "vault": vault_info,
        "measurements": {
            name: asdict(m) | {"seconds": m.seconds, "cpu_seconds": m.cpu_seconds}
            for name, m in results.items()
        },
        "sizes": sizes,
        "graph_view": graph_view,
        "ratios": ratios,
        "cpu_ratios": cpu_ratios,
        "machine": machine(),
    }


# -- the live preview ----------------------------------------------------------------------------


def run_serve_edit(n_notes: int, seed: int, timeout: float, idle: float) -> dict[str, Any]:
    """The serve-edit measurement on the vault of ``n_notes`` notes (see ``serve_edit.py``)."""
    vault, marker = ensure_vault(n_notes, seed)
    private = [str(p) for p in marker.get("private", [])]
    config = write_configs(n_notes, vault, private)["notesite"]  # mkdocs serve: its own site_dir
    log_file = OUT / "logs" / f"serve-edit-{n_notes}.log"
    log(f"[{n_notes}] {LABELS['serve-edit']} ...")
    load_before = os.getloadavg()[0]
    found = serve_edit(vault, config, set(private), log_file, OUT / "serve-tmp", timeout, idle)
    found |= {
        "log": str(log_file.relative_to(BENCH.parent)),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
    }
    if found["error"]:
        log(f"[{n_notes}]   failed: {found['error']} (see {found['log']})")
    else:
        log(
            f"[{n_notes}]   edit -> page {found['edit_to_page_s']:.2f} s, "
            f"-> backlink {found['edit_to_backlink_s']:.2f} s, rebuild {found['rebuild_s']} s"
        )
    vault_info = {k: v for k, v in marker.items() if k != "private"}
    vault_info["private"] = len(private)
    return {
        "measurement": "serve-edit",
        "notes": n_notes,
        "seed": seed,
        "timeout_s": timeout,
        "vault": vault_info,
        "serve_edit": found,
        "machine": machine(),
    }


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:,.2f}"


def serve_edit_table(result: dict[str, Any]) -> str:
    """The Markdown report of the serve-edit measurement."""
    n, found = result["notes"], result["serve_edit"]
    lines = [f"### `mkdocs serve`: one note edited, {n:,} notes", ""]
    if "edited" in found:
        lines += [
            f"Edited `{found['edited']}` (appended a paragraph with a marker sentence and a "
            f"wikilink to `{found['linked']}`), both notes' pages open in headless Chromium "
            f"for {found.get('idle_s', 2):g} s before the save.",
            "",
        ]
    if found["error"]:
        lines += [f"Failed: {found['error']} (see {found['log']}).", ""]
    lines += [
        "| from the save of the note to | s |",
        "| --- | --: |",
        f"| the change detected (server log) | {_s(found.get('edit_to_detected_s'))} |",
        f"| the rebuild done (`Reloading browsers`) | {_s(found.get('edit_to_reloading_s'))} |",
        f"| the note's page showing the new paragraph | {_s(found.get('edit_to_page_s'))} |",
        f"| the linked note's backlinks panel listing it | {_s(found.get('edit_to_backlink_s'))} |",
        "",
        f"First build: {_s(found.get('first_build_s'))} s by the server's log, "
        f"{_s(found.get('first_serve_s'))} s until the server answered "
        f"(server CPU {_s(found.get('first_build_cpu_s'))} s).",
    ]
    if "rebuild_s" in found:
        lines.append(
            f"The rebuild after the save: {_s(found['rebuild_s'])} s by the server's log; "
            f"server CPU from the save until both pages showed it {_s(found['rebuild_cpu_s'])} s; "
            f"it rewrote {found['html_pages_rewritten']:,} of the site's "
            f"{found['html_pages']:,} HTML pages. Undoing the edit: a rebuild of "
            f"{_s(found.get('restore_rebuild_s'))} s (server CPU "
            f"{_s(found.get('restore_rebuild_cpu_s'))} s)."
        )
        reloads = " and ".join(_s(t) for t in found["edit_to_navigation_s"])
        lines.append(
            f"livereload reloaded both pages itself (their navigations started {reloads} s "
            f"after the save); the server's peak RSS was {found['peak_rss_mb']:,.0f} MB and, "
            f"idle, it used {found['idle_cpu_s_per_s']:.2f} CPU s per second watching the vault."
        )
    busy = found.get("load_average_before", 0.0)
    cores = result["machine"]["cores"] or 1
    if busy > 1 + 0.5 * cores:
        lines.append(
            f"The machine was busy (load average {busy:.1f} on {cores} cores at the start): "
            "wall times are inflated; the CPU times are the steadier guide."
        )
    return "\n".join(lines) + "\n"


# -- reporting ------------------------------------------------------------------------------------


def _mb(n: float | None) -> str:
    if n is None:
        return "—"
    return f"{n / 1e6:,.1f} MB" if n >= 1e6 else f"{n / 1e3:,.0f} kB"


def table(result: dict[str, Any]) -> str:
    """The Markdown report of one size."""
    n = result["notes"]
    vault = result["vault"]
    lines = [
        f"### {n:,} notes",
        "",
        f"Vault: {n:,} notes ({vault['private']} private), {vault['folders']} folders, "
        f"{vault['attachments']} attachments, {vault['links']:,} wikilinks, "
        f"{vault['words']:,} words (seed {result['seed']}).",
        "",
        "| measurement | notes | wall s | CPU s | peak RSS MB | notesite ÷ this (wall / CPU) "
        "| every run, wall s |",
        "| --- | --: | --: | --: | --: | --: | --: |",
    ]
    loads = []
    for name, m in result["measurements"].items():
        loads.append(m["details"].get("load_average_before", 0.0))
        if m["timed_out"]:
            wall, cpu, rss = f"timeout (> {result['timeout_s']:.0f})", "—", "—"
            if "pages_written" in m["details"]:
                done, total = m["details"]["pages_written"], m["details"]["pages_total"]
                wall = f"timeout (> {result['timeout_s']:.0f}; {done:,} of {total:,} note pages written)"
        elif m["returncode"] != 0:
            wall, cpu, rss = f"failed (exit {m['returncode']})", "—", "—"
        else:
            wall, cpu = f"{m['seconds']:.2f}", f"{m['cpu_seconds']:.2f}"
            rss = f"{m['peak_rss_mb']:.0f}"
        if name == "notesite":
            ratio = "1.00× / 1.00×" if m.get("seconds") else "—"
        else:
            by_wall = result["ratios"].get(f"notesite/{name}")
            by_cpu = result["cpu_ratios"].get(f"notesite/{name}")
            ratio = f"{by_wall:.2f}× / {by_cpu:.2f}×" if by_wall and by_cpu else "—"
        every = ", ".join(f"{s:.2f}" for s in m["details"].get("runs_s", ()))
        lines.append(f"| {LABELS[name]} | {n:,} | {wall} | {cpu} | {rss} | {ratio} | {every} |")
    with_queries = result["ratios"].get("notesite/queries")
    cpu_queries = result["cpu_ratios"].get("notesite/queries")
    if with_queries and cpu_queries:
        lines += [
            "",
            f"With {BLOCKS} Dataview query blocks the build takes {1 / with_queries:.2f}× "
            f"the time of the same vault without them ({1 / cpu_queries:.2f}× the CPU time).",
        ]
    repeat = result.get("repeat", 1)
    if repeat > 1:
        lines += [
            "",
            f"Each row is the run of median wall time of {repeat} (run one after another, round by round).",
        ]
    busy = max(loads, default=0.0)
    cores = result["machine"]["cores"] or 1
    if busy > 1 + 0.5 * cores:  # the benchmark's own previous measurement counts for about 1
        lines += [
            "",
            f"The machine was busy (load average up to {busy:.1f} on {cores} cores when a "
            "measurement started): wall times are inflated; CPU times are the steadier guide.",
        ]
    site = result["sizes"].get("notesite")
    bare = result["sizes"].get("bare")
    theme_nav = result["sizes"].get("theme-nav")
    if site:
        lines += [
            "",
            f"notesite site: median note page {_mb(site['median_page_bytes'])} "
            f"(largest {_mb(site['max_page_bytes'])}), total output {_mb(site['total_bytes'])} "
            f"in {site['files']:,} files (search index {_mb(site['search_index_bytes'])}, "
            f"home page {_mb(site['home_page_bytes'])}).",
        ]
    if bare:
        lines.append(
            f"bare MkDocs site: median note page {_mb(bare['median_page_bytes'])}, "
            f"total output {_mb(bare['total_bytes'])}."
        )
    lines += cache_lines(result)
    view = result.get("graph_view") or {}
    if "first_frame_ms" in view:
        lines.append(
            f"Global graph in headless Chromium: {view['nodes']:,} nodes drawn and taking input "
            f"{view['first_frame_ms']:,.0f} ms after its script started "
            f"({view['from_navigation_ms']:,.0f} ms after navigation, graph.json included)."
        )
    if theme_nav:
        lines.append(
            f"notesite site with `navigation: theme`: median note page "
            f"{_mb(theme_nav['median_page_bytes'])}, total output {_mb(theme_nav['total_bytes'])}."
        )
    return "\n".join(lines) + "\n"


def cache_lines(result: dict[str, Any]) -> list[str]:
    """What the report says of the build cache: warm against cold, CPU against bare MkDocs."""
    found = result["measurements"]
    cold, bare = found.get("notesite"), found.get("bare")
    lines: list[str] = []
    for name, what in (("cache-body", "one note's body edited"), ("cache-link", "a link added")):
        warm = found.get(name)
        if not (cold and warm and cold.get("seconds") and warm.get("seconds")):
            continue
        details = warm["details"]
        lines.append(
            f"Warm build, {what}: {100 * warm['seconds'] / cold['seconds']:.1f}% of the cold "
            f"build's wall time (CPU {100 * warm['cpu_seconds'] / cold['cpu_seconds']:.1f}%); "
            f"{details.get('pages_reused', 0):,} of {details.get('pages', 0):,} pages reused."
        )
    for name in ("notesite", "one-process", *CACHE):
        m = found.get(name)
        if bare and m and m.get("cpu_seconds") and bare.get("cpu_seconds"):
            lines.append(
                f"CPU of {LABELS[name]}: {m['cpu_seconds'] / bare['cpu_seconds']:.2f}× bare MkDocs'."
            )
    lines += pair_lines(found)
    lines += side_by_side_lines(found)
    filled = found.get("cache-cold")
    if filled and "cache_bytes" in filled["details"]:
        lines.append(f"The build cache on disk: {_mb(filled['details']['cache_bytes'])}.")
    served = found.get("serve-warm")
    if served and served.get("seconds"):
        lines += serve_warm_lines(served["details"])
    return ["", *lines] if lines else []


def pair_lines(found: dict[str, Any]) -> list[str]:
    """What the report says of two floors at once: the CPU this machine adds to parallel work."""
    alone, pair = found.get("floor"), found.get("floor-pair")
    if not (alone and pair and alone.get("cpu_seconds") and pair.get("cpu_seconds")):
        return []
    one = alone["details"].get("in_process_cpu_s")
    each = pair["details"].get("each_cpu_s") or []
    if not one or len(each) != 2:
        return []
    more = 100 * (sum(each) / (2 * one) - 1)
    return [
        f"Two Python-Markdown floors at once: {each[0]:.2f} and {each[1]:.2f} s CPU each for "
        f"the conversion that takes {one:.2f} s alone ({more:+.0f}%): what this machine adds "
        "to the CPU time of work done two at a time, which notesite's worker processes pay "
        "and bare MkDocs, in one process, does not."
    ]


def side_by_side_lines(found: dict[str, Any]) -> list[str]:
    """What the report says of notesite in one process and bare MkDocs run at once."""
    beside = found.get("side-by-side")
    # (kept only when every round ran to its end: see median_run)
    ratios = beside["details"].get("runs_cpu_ratio") if beside else None
    if not ratios:
        return []
    each = ", ".join(f"{r:.2f}×" for r in ratios)
    return [
        f"notesite in one process and bare MkDocs run at once: CPU "
        f"{statistics.median(ratios):.2f}× bare MkDocs' (median; each round {each}). Both "
        "meet the machine at the same speed, where runs one after the other may not."
    ]


#: The steps of a server's first build, in the words of the report (see ``serve_warm.STEPS``).
STEP_WORDS = {
    "building": "building started",
    "vault_read": "vault read",
    "cache_read": "cache read",
    "pages_done": "pages written",
    "built": "built",
    "serving": "serving",
}


def serve_warm_lines(details: dict[str, Any]) -> list[str]:
    """What the report says of ``mkdocs serve``'s first page, cold and warm."""
    cold, warm = details["cold"], details["warm"]
    steps = [f"{STEP_WORDS[step]} {at:.2f}" for step, at in warm["steps_s"].items()]
    return [
        f"`mkdocs serve` with a warm build cache: `{details['url_path']}` served "
        f"{warm['first_page_s']:.2f} s after the command ({warm.get('pages_reused', 0):,} of "
        f"{warm.get('pages', 0):,} pages reused; first build {_s(warm.get('first_build_s'))} s "
        f"by the server's log); with no cache, the serve that filled it: "
        f"{cold['first_page_s']:.2f} s (server CPU {_s(cold.get('cpu_s'))} s, peak RSS "
        f"{cold.get('peak_rss_mb') or 0:,.0f} MB). The serve's cache on disk: "
        f"{_mb(details.get('cache_bytes'))}.",
        f"Seconds from the warm serve's command: {', '.join(steps)}, "
        f"first page {warm['first_page_s']:.2f}.",
    ]


def machine_line(info: dict[str, Any]) -> str:
    """One line naming the machine and the versions."""
    return (
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB RAM; "
        f"{info['os']}; Python {info['python']}, MkDocs {info['mkdocs']}, "
        f"mkdocs-material {info['mkdocs-material']}, Markdown {info['markdown']}, "
        f"pymdown-extensions {info['pymdown-extensions']}, notesite {info['notesite']}."
    )


def log(message: str) -> None:
    """Progress, on stderr (the report goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    """Run the benchmark for every requested size, one after the other."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per measurement (default 1800)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(LABELS),
        default=list(DEFAULT_MEASUREMENTS),
        help="the measurements to run (default: %(default)s; 'theme-nav' is extra)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each measurement; the median is reported (default %(default)s)",
    )
    parser.add_argument(
        "--edit-notes", type=int, default=5000, help="serve-edit's vault size (default 5000)"
    )
    parser.add_argument(
        "--edit-idle",
        type=float,
        default=IDLE_S,
        help="seconds the pages stay open before serve-edit's edit (default %(default)s)",
    )
    parser.add_argument(
        "--edit-timeout",
        type=float,
        default=600,
        help="seconds for each wait of serve-edit: first build, edit shown (default 600)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    discarded.empty()  # what an interrupted run set aside
    try:
        run_all(args)
    finally:
        discarded.empty()


def run_all(args: argparse.Namespace) -> None:
    """Every measurement ``args`` asks for, with its report."""
    per_size = [name for name in args.only if name not in ONCE]
    for n_notes in args.sizes if per_size else []:
        result = run_size(n_notes, args.seed, args.timeout, per_size, max(args.repeat, 1))
        (OUT / f"results-{n_notes}.json").write_text(
            json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        report = table(result) + "\n" + machine_line(result["machine"]) + "\n"
        (OUT / f"report-{n_notes}.md").write_text(report, encoding="utf-8")
        print(table(result), flush=True)
    if "serve-edit" in args.only:
        result = run_serve_edit(args.edit_notes, args.seed, args.edit_timeout, args.edit_idle)
        name = f"serve-edit-{args.edit_notes}"
        (OUT / f"results-{name}.json").write_text(
            json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        report = serve_edit_table(result) + "\n" + machine_line(result["machine"]) + "\n"
        (OUT / f"report-{name}.md").write_text(report, encoding="utf-8")
        print(serve_edit_table(result), flush=True)
    print(machine_line(machine()))


if __name__ == "__main__":
    main()
