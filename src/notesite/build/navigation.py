"""The site's navigation: a few entries (the home, graph and tags pages), not every page.

The theme renders the navigation into every page, so it must not grow with the vault; readers
find the folder tree in the explorer (``explorer.json``, loaded on demand). Unless ``mkdocs.yml``
has a ``nav`` or the ``navigation`` option asks for the theme's own, MkDocs is told which pages
the navigation holds before it makes it (:func:`keep_out_of_nav`), and the navigation it made is
then cut to those entries (:func:`short_navigation`).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation

from notesite.config import NotesiteConfig
from notesite.site.graph_data import GRAPH_PAGE
from notesite.site.home import HOME
from notesite.site.tags import TAGS_INDEX

#: The pages the navigation shows, in its order.
ENTRIES = (HOME, GRAPH_PAGE, TAGS_INDEX)


def explorer_navigation(options: NotesiteConfig, config: MkDocsConfig) -> bool:
    """Whether the navigation is notesite's few entries."""
    return not config.nav and options.navigation == "explorer"


def keep_out_of_nav(files: Files, options: NotesiteConfig, config: MkDocsConfig) -> None:
    """Mark every page but the navigation's entries as not in the navigation.

    Else MkDocs nests every page of the vault into sections by folder for a navigation that is
    then cut to a few entries (at 10,000 notes that took more than half a second). Not when the
    theme shows the sections above a page (its ``navigation.path`` feature): they come from that
    nesting. Which pages the site leaves out (``exclude_docs``) MkDocs works out as ever.
    """
    if not explorer_navigation(options, config):
        return
    if "navigation.path" in (config.theme.get("features") or ()):
        return
    set_exclusions(files, config)
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_nav):
        if file.src_uri not in ENTRIES:
            file.inclusion = InclusionLevel.NOT_IN_NAV


def short_navigation(
    nav: Navigation, files: Files, options: NotesiteConfig, config: MkDocsConfig
) -> Navigation:
    """The navigation of the site: MkDocs' own, or its few entries."""
    if not explorer_navigation(options, config):
        return nav
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    # A vault is a web of notes, not a book: no page has a "next" one (which would be the next
    # file by name, and would change whenever a note is added beside it).
    for page in pages:
        page.previous_page = page.next_page = None
    items = [
        file.page
        for file in map(files.get_file_from_path, ENTRIES)
        if file is not None and file.page is not None
    ]
    return Navigation(items, pages)
