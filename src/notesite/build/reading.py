"""Phase one of a build: the vault read into notes and their link graph, before any page.

MkDocs runs ``on_files`` and ``on_nav`` before it renders a page; the whole graph is built here,
once, so that each page is then rendered knowing every note (Quartz collects "all slugs ahead of
time" for the same reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from notesite.build.page_files import page_file
from notesite.config import NotesiteConfig
from notesite.graph import LinkGraph
from notesite.loader import Note
from notesite.problems import Level, Problem
from notesite.vault import (
    Remembered,
    VaultFiles,
    apply_publish_rules,
    load_vault,
    walk_vault,
)


@dataclass
class Reading:
    """The vault as one build read it."""

    found: VaultFiles
    """The vault's files (their stamps too), as they were listed."""
    graph: LinkGraph
    problems: list[Problem]
    """What reading the notes found (the graph's own problems are in the graph)."""


def find_vault(root: Path, options: NotesiteConfig, config: MkDocsConfig) -> VaultFiles:
    """The vault's note and attachment files (never the site being written)."""
    return walk_vault(
        root,
        note_extensions=options.note_extensions,
        ignore=options.ignore,
        exclude_dirs=[Path(config.site_dir)],
    )


def publish(notes: list[Note], options: NotesiteConfig) -> list[Note]:
    """The notes, each marked published or private by the options and its front matter."""
    return apply_publish_rules(notes, private=options.private, opt_in=options.publish == "opt-in")


def read_vault(
    found: VaultFiles,
    options: NotesiteConfig,
    config: MkDocsConfig,
    *,
    workers: int,
    remembered: Remembered | None = None,
) -> Reading:
    """Every note of the vault read (in ``workers`` processes) and its link graph built; with
    ``remembered``, notes read before and not changed since are not parsed again (see
    :func:`~notesite.vault.load_vault`)."""
    toc_config = config.mdx_configs.get("toc", {})
    level = Level.WARNING if options.unresolved_links == "warn" else Level.INFO
    # (Out of the collector's way, and frozen with the rest, by SiteBuild.read, which calls this.)
    notes, problems = load_vault(found, workers=workers, remembered=remembered)
    graph = LinkGraph(
        publish(notes, options),
        found.attachments,
        slugify=toc_config["slugify"],
        separator=toc_config.get("separator", "-"),
        unresolved_level=level,
        site_bibliography=bool(options.bibliography),
    )
    return Reading(found, graph, problems)


def vault_files(config: MkDocsConfig, files: Files, reading: Reading, public: list[Note]) -> Files:
    """The site's files with the vault's in place of docs_dir's: the public notes, and only the
    attachments a public note uses (nothing else of the vault reaches the site)."""
    docs_dir = Path(config.docs_dir).resolve()
    # (Every file of docs_dir has the same src_dir: each folder is resolved once.)
    outside = {
        d: Path(d).resolve() != docs_dir for d in {f.src_dir for f in files} if d is not None
    }
    kept = Files([f for f in files if f.src_dir is None or outside[f.src_dir]])
    graph, root = reading.graph, reading.found.root
    for note in public:
        kept.append(page_file(config, note.path, note.body))
    for path in sorted(graph.used_attachments):
        kept.append(File.generated(config, path, abs_src_path=str(root / path)))
    return kept
