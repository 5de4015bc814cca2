"""Pure parsers for Obsidian-flavoured Markdown: no I/O, no MkDocs.

Every parser here works on plain strings and returns plain values, so the same code serves the
link graph, the Markdown extensions and ``notesite check``.
"""
