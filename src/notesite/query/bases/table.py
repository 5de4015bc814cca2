"""The :class:`~.record.Table` a build's bases run over, made from the shared
:class:`~notesite.query.index.QueryIndex` (public notes only: a private note is in no base)."""

from __future__ import annotations

import datetime as dt

from notesite.paths import VaultPath
from notesite.query.bases.record import FileRecord, Table
from notesite.query.index import QueryIndex
from notesite.query.values import Link


def table_from_index(index: QueryIndex, now: dt.datetime | None = None) -> Table:
    records: dict[VaultPath, FileRecord] = {}
    graph = index.graph
    for row in index.rows:
        note, path = row.note, row.path
        file, props = row.file(), row.properties()
        written = [str(k) for k in note.meta] + [f.key for f in note.fields]
        embeds = [
            resolution.path
            for ref, resolution in graph.outgoing.get(path, ())
            if ref.link.embed
            and resolution.ok
            and resolution.path is not None
            and (resolution.kind == "attachment" or index.row(resolution.path) is not None)
        ]
        links = [VaultPath(link.path) for link in index.outlinks(path) if link.resolved]
        records[path] = FileRecord(
            path,
            {key: props[key] for key in dict.fromkeys(written) if key in props},
            tags=tuple(dict.fromkeys(t.lstrip("#") for t in note.tags)),
            links=tuple(links),
            embeds=tuple(dict.fromkeys(embeds)),
            backlinks=tuple(index.linking_to(path)),
            ctime=file["ctime"],
            mtime=file["mtime"],
            size=file["size"],
            title=note.title,
        )
    anywhere = index.rows[0].path if index.rows else VaultPath("index.md")

    def link(written: str, source: FileRecord | None) -> Link:
        text = written if written.startswith(("[[", "![[")) else f"[[{written}]]"
        # (from a .base file's page, resolved as from any note: a base file is no note)
        public = source is not None and source.path in records
        return index.link(text, source.path if public and source is not None else anywhere)

    return Table(records, link, now or dt.datetime.now(dt.timezone.utc))
