"""Queries over the vault's public notes: a shared index and value model (:mod:`.index`,
:mod:`.values`), and the query languages built on them (Dataview's DQL in :mod:`.dql`).

Pure Python: nothing here imports MkDocs; rendering lives in :mod:`notesite.markdown`.
"""
