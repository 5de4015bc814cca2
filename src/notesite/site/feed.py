"""An Atom feed of the notes that changed last, and when each note changed.

A note's date is its front matter's (``updated``, ``modified``, ``date``, ``created``), else
the last commit that touched it (when the vault is in a git repository), else the file's
modification time. Private notes are never in the feed: it is made from the published ones.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import xml.etree.ElementTree as etree
from collections.abc import Iterable, Mapping
from pathlib import Path

from notesite.canvas.load import is_canvas
from notesite.loader import Note, plain_context
from notesite.paths import VaultPath
from notesite.site.home import note_date
from notesite.syntax.mask import strip_comments

FEED = VaultPath("feed.xml")
FEED_LENGTH = 30
_ATOM = "http://www.w3.org/2005/Atom"


def git_dates(vault: Path) -> dict[VaultPath, dt.datetime]:
    """When each file of the vault was last committed; empty outside a git repository."""
    try:
        prefix = subprocess.run(
            ["git", "-C", str(vault), "rev-parse", "--show-prefix"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.strip()  # fmt: skip
        log = subprocess.run(
            ["git", "-C", str(vault), "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", "."],
            capture_output=True, text=True, check=True, timeout=300,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[VaultPath, dt.datetime] = {}
    when = None
    for line in log.splitlines():
        if line.startswith("\0"):
            when = dt.datetime.fromtimestamp(int(line[1:]), tz=dt.timezone.utc)
        elif line and when is not None and line.startswith(prefix):
            dates.setdefault(VaultPath(line[len(prefix) :]), when)  # newest commit first
    return dates


def note_dates(
    notes: Iterable[Note],
    vault: Path,
    from_git: Mapping[VaultPath, dt.datetime] | None = None,
    stamps: Mapping[str, tuple[int, int]] | None = None,
) -> dict[VaultPath, dt.datetime]:
    """Every note's date: front matter, else git (``from_git``, else asked of git), else the
    file's modification time (from ``stamps``, the vault's walk, where it has the note's)."""
    if from_git is None:
        from_git = git_dates(vault)
    stamps = stamps or {}
    dates = {}
    for note in notes:
        fallback = from_git.get(note.path)
        if fallback is None:
            fallback = _modified(vault, note.path, stamps.get(note.path))
        found = note_date(note) or fallback
        if found is not None:
            dates[note.path] = found
    return dates


def _modified(vault: Path, path: VaultPath, stamp: tuple[int, int] | None) -> dt.datetime | None:
    """A file's modification time: its stamp's (``st_mtime_ns``, size), else the file's."""
    if stamp is None:
        try:
            mtime = (vault / path).stat().st_mtime
        except OSError:
            return None
    else:  # (the float os.stat makes of the same time, to the last bit)
        seconds, nanoseconds = divmod(stamp[0], 1_000_000_000)
        mtime = seconds + nanoseconds * 1e-9
    return dt.datetime.fromtimestamp(mtime, tz=dt.timezone.utc)


def atom_feed(
    title: str,
    site_url: str,
    notes: Iterable[Note],
    dates: Mapping[VaultPath, dt.datetime],
    urls: Mapping[str, str],
) -> str:
    """The feed's XML: the :data:`FEED_LENGTH` most recently changed notes."""
    base = site_url.rstrip("/") + "/"
    recent = sorted(
        (n for n in notes if n.path in dates and n.path in urls),
        key=lambda n: dates[n.path],
        reverse=True,
    )
    recent = recent[:FEED_LENGTH]
    feed = etree.Element("feed", {"xmlns": _ATOM})
    etree.SubElement(feed, "title").text = title
    etree.SubElement(feed, "id").text = base
    etree.SubElement(feed, "link", {"href": base})
    etree.SubElement(feed, "link", {"href": base + FEED, "rel": "self"})
    newest = dates[recent[0].path] if recent else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    etree.SubElement(feed, "updated").text = newest.isoformat()
    for note in recent:
        entry = etree.SubElement(feed, "entry")
        url = base + urls[note.path]
        etree.SubElement(entry, "title").text = note.title
        etree.SubElement(entry, "id").text = url
        etree.SubElement(entry, "link", {"href": url})
        etree.SubElement(entry, "updated").text = dates[note.path].isoformat()
        if text := summary(note):
            etree.SubElement(entry, "summary").text = text
        author = etree.SubElement(entry, "author")
        etree.SubElement(author, "name").text = title
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + etree.tostring(feed, encoding="unicode") + "\n"
    )


def summary(note: Note) -> str:
    """The opening words of a note, as plain text: its first line of prose (a canvas has
    none: its text is JSON)."""
    if is_canvas(note.path):
        return ""
    for line in strip_comments(note.body).split("\n"):
        text = line.strip()
        if text and not text.startswith(_NOT_PROSE) and "::" not in text:
            return plain_context(text)[:300]
    return ""


_NOT_PROSE = ("#", "---", "```", "~~~", "|", "<", "![[", "> [!", "$$", "^")
