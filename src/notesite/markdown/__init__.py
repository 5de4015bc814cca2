"""One Python-Markdown extension per Obsidian syntax.

The extensions know nothing of MkDocs: they read the note being rendered and the link graph from
a shared :class:`~notesite.markdown.context.RenderContext`, so they run wherever
Python-Markdown runs.
"""
