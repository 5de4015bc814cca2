"""Pandoc citations: the syntax (:mod:`.parse`), bibliographies (:mod:`.sources`), formatting
with a CSL style (:mod:`.style`) and literature notes (:mod:`.literature`).

Pure Python, no MkDocs. :mod:`.parse` and :mod:`.literature` are light enough for the loader
and the graph; the formatter (citeproc-py) is imported only where a bibliography is used.
"""
