"""The generated home page: its lists, in their order."""

from __future__ import annotations

import datetime as dt

from notesite.loader import Note, load_note
from notesite.paths import VaultPath
from notesite.site.home import LIST_LENGTH, home_markdown


def note(path: str, tags: str = "") -> Note:
    loaded = load_note(VaultPath(path), f"Text {tags}\n".encode())
    assert loaded.note is not None
    return loaded.note


def section(markdown: str, heading: str) -> list[str]:
    lines = markdown.split("\n")
    start = lines.index(f"## {heading}") + 2
    end = lines.index("", start)
    return lines[start:end]


def test_lists_newest_and_most_linked_first_ties_by_title() -> None:
    notes = [note(f"f{i % 3}/N{i:02}.md", "#t") for i in range(LIST_LENGTH + 5)]
    notes += [note("Root b.md", "#u"), note("Root a.md")]
    day = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    dates = {n.path: day + dt.timedelta(days=i // 2) for i, n in enumerate(notes)}
    counts = {n.path: i % 4 for i, n in enumerate(notes)}
    text = home_markdown("Site", notes, backlink_counts=counts, dates=dates, links=7)
    assert '<p class="ns-stats">' + f"{len(notes)} notes · 7 links · 2 tags</p>" in text
    by_title = sorted(notes, key=lambda n: n.title.casefold())
    # Newest first, most linked first; ties (several a day, equal counts) in title order.
    newest = sorted(by_title, key=lambda n: dates[n.path], reverse=True)[:LIST_LENGTH]
    assert section(text, "Recently changed") == [
        f"- [{n.title}]({n.path.replace(' ', '%20')}) · {dates[n.path]:%Y-%m-%d}" for n in newest
    ]
    most = sorted((n for n in by_title if counts[n.path]), key=lambda n: -counts[n.path])
    assert section(text, "Most linked") == [
        f"- [{n.title}]({n.path.replace(' ', '%20')}) · {counts[n.path]}"
        for n in most[:LIST_LENGTH]
    ]
    assert section(text, "Most linked")[:2] == ["- [N03](f0/N03.md) · 3", "- [N07](f1/N07.md) · 3"]
    assert section(text, "Notes") == ["- [Root a](Root%20a.md)", "- [Root b](Root%20b.md)"]
