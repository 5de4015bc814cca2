"""The MkDocs file of each page of the vault: a note's, or a canvas's.

MkDocs makes a page only of a Markdown file (by its ending), and names its output after the
file's name without its ending. A canvas (``Map.canvas``) is a page too, kept at its vault
path, so that links to it (``relative_href`` to the vault path) are turned into its URL like
links to notes: its output is named after the whole file name (``Map.canvas/``, beside a note
``Map.md``'s ``Map/``). Any file of :data:`~notesite.paths.PAGE_FILE_ENDINGS` is such a page.
"""

from __future__ import annotations

from functools import cached_property

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from notesite.paths import PAGE_FILE_ENDINGS


class VaultPageFile(File):
    """A vault file that is a page though MkDocs does not read its ending as Markdown."""

    def is_documentation_page(self) -> bool:
        return True

    @cached_property
    def name(self) -> str:  # type: ignore[override]
        # The output's name: 'Map.canvas' (MkDocs would take 'Map', a note's name).
        return self.src_uri.rsplit("/", 1)[-1]


def page_file(config: MkDocsConfig, path: str, content: str) -> File:
    """The file of a page of the vault (a note or a canvas) holding ``content``."""
    if path.casefold().endswith(PAGE_FILE_ENDINGS):
        return VaultPageFile.generated(config, path, content=content)
    return File.generated(config, path, content=content)
