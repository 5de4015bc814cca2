"""The Atom feed and the sitemap: recent notes by front matter date, else git, else the file;
never a private note."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import xml.etree.ElementTree as etree
from pathlib import Path

from notesite.site.feed import note_dates
from notesite.vault import load_vault, walk_vault
from tests.conftest import BuildSite, write_vault

ATOM = "{http://www.w3.org/2005/Atom}"
VAULT: dict[str, str | bytes] = {
    "Old.md": "---\ndate: 2020-01-01\n---\nAn old note.",
    "New.md": "---\nupdated: 2026-11-01T10:00:00\n---\n%%not this%%\n# New\n\nFresh thinking about [[Old]].",
    "Committed.md": "No date in front matter: git knows it.",
    "Secret.md": "---\npublish: false\ndate: 2030-01-01\n---\nsecret-canary",
}


def test_feed_lists_recent_public_notes_with_absolute_links(build_site: BuildSite) -> None:
    site = build_site(VAULT, config={"site_url": "https://notes.example/"}, strict=True)
    assert site.returncode == 0, site.log
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2025-06-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2025-06-01T12:00:00Z",
    }
    git = ["git", "-C", str(site.vault), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "notes"], check=True, env=env)
    site = build_site(VAULT, config={"site_url": "https://notes.example/"}, strict=True)
    feed = etree.parse(site.site / "feed.xml").getroot()
    entries = [
        (
            e.findtext(f"{ATOM}title"),
            e.findtext(f"{ATOM}updated"),
            e.find(f"{ATOM}link").get("href"),
        )  # type: ignore[union-attr]
        for e in feed.findall(f"{ATOM}entry")
    ]
    assert entries == [
        ("New", "2026-11-01T10:00:00+00:00", "https://notes.example/New/"),
        ("Committed", "2025-06-01T12:00:00+00:00", "https://notes.example/Committed/"),
        ("Old", "2020-01-01T00:00:00+00:00", "https://notes.example/Old/"),
    ]
    summaries = [e.findtext(f"{ATOM}summary") for e in feed.findall(f"{ATOM}entry")]
    assert summaries[0] == "Fresh thinking about Old."
    for name in ("feed.xml", "sitemap.xml"):
        text = (site.site / name).read_text(encoding="utf-8")
        assert "Secret" not in text and "secret-canary" not in text and "not this" not in text
    assert "https://notes.example/Old/" in (site.site / "sitemap.xml").read_text(encoding="utf-8")
    head = site.page("New.md").css_first('link[type="application/atom+xml"]')
    assert head is not None and head.attributes["href"] == "../feed.xml"


def test_no_site_url_no_feed(build_site: BuildSite) -> None:
    site = build_site(VAULT)
    assert site.returncode == 0, site.log
    assert not (site.site / "feed.xml").exists()
    assert "set site_url in mkdocs.yml to publish a feed" in site.log


def test_a_note_dated_by_its_file_gets_the_time_the_vault_walk_saw(tmp_path: Path) -> None:
    # The walk's stamps (st_mtime_ns) give the very datetime os.stat's float does.
    write_vault(tmp_path, {f"Note {i}.md": "No date." for i in range(50)})
    for i in range(50):
        ns = 1_700_000_000_123_456_789 + i * 1_234_567_891
        os.utime(tmp_path / f"Note {i}.md", ns=(ns, ns))
    found = walk_vault(tmp_path)
    notes, _ = load_vault(found)
    walked = note_dates(notes, tmp_path, {}, found.stamps)
    assert walked == note_dates(notes, tmp_path, {}) and len(walked) == 50
    assert walked["Note 0.md"] == dt.datetime(2023, 11, 14, 22, 13, 20, 123457, dt.timezone.utc)
