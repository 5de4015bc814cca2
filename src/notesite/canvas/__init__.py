"""JSON Canvas (``.canvas`` files, jsoncanvas.org): read into typed nodes and edges, laid out.

Pure Python, no MkDocs: :mod:`notesite.canvas.model` holds the types, :mod:`.parse` reads a file
into them (reporting what it cannot use, keeping the rest), :mod:`.load` makes the canvas a
note-like record for the link graph, and :mod:`.layout` works out where edges run.
"""
