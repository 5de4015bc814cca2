"""Obsidian Bases: ``.base`` files (YAML) read into a :class:`~.spec.BaseSpec`, their expression
language parsed (:mod:`.expr`) and evaluated (:mod:`.evaluate`) over the vault's public notes,
and each view run (:mod:`.run`) into rows, groups and summaries ready to render.

Nothing here imports MkDocs or Python-Markdown.
"""
