"""The bench vault with Dataview queries: the same notes, 200 of them ending in a query block.

``add_queries(vault, root)`` copies a generated vault to ``root`` and appends a ```` ```dataview
```` block (and an inline query) to 200 of its public notes, spread evenly over the vault: the
kinds of query research index notes hold (papers on a tag, a folder's notes by date, what links
here, open tasks, counts by status). The queries read the generator's tags, folders and inline
fields (``status::``, ``rating::``), so they have results. The same vault and count give the same
bytes; the copy is reused while its marker matches.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from discard import discard
from generate import MARKER, TAG_LEAVES, TAG_ROOTS, read_marker

QUERIES_VERSION = 1
BLOCKS = 200


def _query(i: int, folder: str) -> str:
    root = TAG_ROOTS[i % len(TAG_ROOTS)]
    leaf = TAG_LEAVES[i % len(TAG_LEAVES)]
    kinds = [
        f'TABLE status, rating, file.mtime AS "Modified"\nFROM #{root}\nWHERE status\nSORT file.mtime DESC\nLIMIT 20',
        f'LIST FROM "{folder}"\nSORT file.name\nLIMIT 25',
        "LIST FROM [[]]\nSORT file.name",
        f"TASK FROM #{root}/{leaf}\nWHERE !completed\nLIMIT 10",
        f'TABLE length(rows) AS "Notes"\nFROM #{root}\nGROUP BY status',
        f'TABLE WITHOUT ID file.link AS "Note", rating\nFROM #{root} OR #{leaf}\nWHERE rating >= {i % 5 + 1}\nSORT rating DESC, file.name\nLIMIT 15',
        "LIST\nFROM outgoing([[]])\nWHERE length(file.inlinks) > 2",
        f'LIST WITHOUT ID upper(file.name)\nFROM #{root}\nWHERE contains(file.tags, "#{root}")\nLIMIT 10',
    ]
    return kinds[i % len(kinds)]


def add_queries(vault: Path, root: Path, blocks: int = BLOCKS) -> Path:
    """``root``: the vault with ``blocks`` query blocks added (made unless it is up to date)."""
    marker = read_marker(vault) or {}
    wanted = {"source": marker, "queries_version": QUERIES_VERSION, "blocks": blocks}
    kept = root / ".queries.json"
    if kept.is_file() and json.loads(kept.read_text(encoding="utf-8")) == wanted:
        return root
    discard(root)
    shutil.copytree(vault, root)
    private = set(marker.get("private", []))  # type: ignore[arg-type]
    notes = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.md")
        if not p.relative_to(root).as_posix().startswith(".")
    )
    public = [p for p in notes if p not in private]
    step = max(1, len(public) // blocks)
    for i, path in enumerate(public[::step][:blocks]):
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        block = _query(i, folder)
        with (root / path).open("a", encoding="utf-8") as note:
            note.write(
                f"\n\nLinked from `= length(this.file.inlinks)` notes.\n\n```dataview\n{block}\n```\n"
            )
    (root / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    kept.write_text(json.dumps(wanted), encoding="utf-8")
    return root
