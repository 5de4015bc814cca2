"""notesite: publish an Obsidian-style Markdown vault as a static site with MkDocs."""

__version__ = "0.1.0"
