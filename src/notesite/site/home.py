"""A home page for a vault that has no ``index.md``: where to start reading.

Its size does not grow with the vault: the most recent and most linked notes, the busiest
tags, the top folders and a line of statistics.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
from collections import Counter
from collections.abc import Iterable, Mapping

from notesite.loader import Note
from notesite.markdown.escape import escape_markdown
from notesite.paths import VaultPath, relative_href

HOME = VaultPath("index.md")
LIST_LENGTH = 10
_DATE_KEYS = ("updated", "modified", "date", "created")


def note_date(note: Note, mtime: float | None = None) -> dt.datetime | None:
    """When a note last changed: front matter ``updated``/``modified``/``date``/``created``,
    else the file's modification time."""
    for key in _DATE_KEYS:
        value = note.meta.get(key)
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
    if mtime is not None:
        return dt.datetime.fromtimestamp(mtime, tz=dt.timezone.utc)
    return None


def home_markdown(
    site_name: str,
    notes: Iterable[Note],
    *,
    backlink_counts: Mapping[VaultPath, int] | None = None,
    dates: Mapping[VaultPath, dt.datetime] | None = None,
    tag_page: Mapping[str, VaultPath] | None = None,
    folder_page: Mapping[str, VaultPath] | None = None,
    links: int = 0,
) -> str:
    """Markdown for the generated home page (links are relative to ``index.md``)."""
    notes = sorted(notes, key=lambda n: n.title.casefold())
    backlink_counts = backlink_counts or {}
    dates = dates or {}
    tags = Counter(t.casefold() for n in notes for t in n.tags)
    lines = [f"---\ntitle: {json.dumps(site_name, ensure_ascii=False)}\n---\n"]
    stats = f"{len(notes)} notes · {links} links · {len(tags)} tags"
    lines += [f'<p class="ns-stats">{stats}</p>', ""]

    def item(note: Note, extra: str = "") -> str:
        return f"- [{escape_markdown(note.title)}]({relative_href(HOME, note.path)}){extra}"

    # The newest and the most linked: a heap, not a sort of every note.
    dated = heapq.nlargest(
        LIST_LENGTH, (n for n in notes if n.path in dates), key=lambda n: dates[n.path]
    )
    if dated:
        lines += ["## Recently changed", ""]
        lines += [item(n, f" · {dates[n.path]:%Y-%m-%d}") for n in dated[:LIST_LENGTH]]
        lines.append("")
    linked = heapq.nsmallest(
        LIST_LENGTH,
        (n for n in notes if backlink_counts.get(n.path)),
        key=lambda n: -backlink_counts[n.path],
    )
    if linked:
        lines += ["## Most linked", ""]
        lines += [item(n, f" · {backlink_counts[n.path]}") for n in linked[:LIST_LENGTH]]
        lines.append("")
    if tags and tag_page:
        lines += ["## Tags", ""]
        shown = [
            f"[#{escape_markdown(t)}]({relative_href(HOME, tag_page[t])}) ({count})"
            for t, count in tags.most_common(2 * LIST_LENGTH)
            if t in tag_page
        ]
        lines += [" · ".join(shown), ""]
    top_folders = sorted(
        {n.path.split("/", 1)[0] for n in notes if "/" in n.path}, key=str.casefold
    )
    if top_folders and folder_page:
        lines += ["## Folders", ""]
        lines += [
            f"- [{escape_markdown(f)}/]({relative_href(HOME, folder_page[f])})"
            for f in top_folders
            if f in folder_page
        ]
        lines.append("")
    root_notes = [n for n in notes if "/" not in n.path]
    if root_notes:
        lines += ["## Notes", ""]
        lines += [item(n) for n in root_notes[: 5 * LIST_LENGTH]]
        if len(root_notes) > 5 * LIST_LENGTH:
            lines.append(f"- … and {len(root_notes) - 5 * LIST_LENGTH} more in the explorer")
    return "\n".join(lines) + "\n"
