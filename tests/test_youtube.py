"""YouTube video notes: ids, start times, the player facade and timestamps that link into it."""

from __future__ import annotations

import re

import markdown
import pytest

from notesite.loader import load_note
from notesite.markdown.context import RenderContext
from notesite.markdown.youtube import (
    VideoRef,
    YoutubeExtension,
    is_video_id,
    parse_start,
    parse_timestamp,
    parse_video_url,
    video_from_meta,
)
from notesite.paths import VaultPath
from tests.conftest import SEEDS

VID = "cQ48rP_Rs4g"
WATCH = f"https://www.youtube.com/watch?v={VID}"
SEED = SEEDS / "000_ffa97317a3ed214f.txt"


def render(text: str) -> tuple[str, RenderContext]:
    loaded = load_note(VaultPath("v.md"), text.encode())
    assert loaded.note is not None
    ctx = RenderContext()
    ctx.note = loaded.note
    md = markdown.Markdown(extensions=[YoutubeExtension(context=ctx)])
    return md.convert(loaded.note.body), ctx


def video_note(body: str, front: str = f"videoId: {VID}") -> str:
    return f"---\n{front}\n---\n\n{body}\n"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("00:36:01", 2161),
        ("36:01", 2161),
        ("1:02:03", 3723),
        ("0:00", 0),
        ("00:00:59", 59),
        ("10:00:00", 36000),
        (" 5:07 ", 307),
        ("75:00", None),
        ("1:60:00", None),
        ("36:60", None),
        ("36:1", None),
        ("1:2:03", None),
        ("36", None),
        ("", None),
        ("[36:01]", None),
        ("a:bc", None),
    ],
)
def test_parse_timestamp(text: str, seconds: int | None) -> None:
    assert parse_timestamp(text) == seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("90", 90),
        ("90s", 90),
        ("1m30s", 90),
        ("1h2m3s", 3723),
        ("2m", 120),
        ("1h", 3600),
        ("1:30", 90),
        ("0", None),
        ("", None),
        ("s", None),
        ("abc", None),
        ("1m30x", None),
    ],
)
def test_parse_start(value: str, seconds: int | None) -> None:
    assert parse_start(value) == seconds


@pytest.mark.parametrize(
    ("url", "ref"),
    [
        (WATCH, VideoRef(VID)),
        (f"https://youtube.com/watch?v={VID}&t=90", VideoRef(VID, 90)),
        (f"https://m.youtube.com/watch?feature=share&v={VID}", VideoRef(VID)),
        (f"https://youtu.be/{VID}?t=1m30s", VideoRef(VID, 90)),
        (f"youtu.be/{VID}", VideoRef(VID)),
        (f"https://www.youtube.com/embed/{VID}?start=42", VideoRef(VID, 42)),
        (f"https://www.youtube.com/shorts/{VID}", VideoRef(VID)),
        (f"https://www.youtube-nocookie.com/embed/{VID}", VideoRef(VID)),
        (f"https://www.youtube.com/watch?v={VID}#t=1h2m3s", VideoRef(VID, 3723)),
        ("https://www.youtube.com/watch?v=tooshort", None),
        (f"https://www.youtube.com/watch?v={VID}x", None),
        ("https://www.youtube.com/@somechannel", None),
        (f"https://example.com/watch?v={VID}", None),
        (f"ftp://youtu.be/{VID}", None),
        ("not a url", None),
    ],
)
def test_parse_video_url(url: str, ref: VideoRef | None) -> None:
    assert parse_video_url(url) == ref


@pytest.mark.parametrize(
    ("value", "ok"),
    [(VID, True), ("-_aZ09-_aZ0", True), ("cQ48rP_Rs4", False), ("cQ48rP_Rs4g!", False)],
)
def test_is_video_id(value: str, ok: bool) -> None:
    assert is_video_id(value) is ok


@pytest.mark.parametrize(
    ("meta", "video_id", "problem"),
    [
        ({"videoId": VID}, VID, None),
        ({"videoid": VID}, VID, None),
        ({"video_id": VID}, VID, None),
        ({"videoId": f"https://youtu.be/{VID}"}, VID, None),
        ({"video": f"https://youtu.be/{VID}"}, VID, None),
        ({"youtube": f"https://www.youtube.com/watch?v={VID}"}, VID, None),
        ({"url": f"https://m.youtube.com/watch?v={VID}"}, VID, None),
        ({"url": "https://example.com/article"}, None, None),
        ({"videoId": None}, None, None),
        ({"videoId": ""}, None, None),
        ({}, None, None),
        (
            {"videoId": "xyz"},
            None,
            "front matter 'videoId' is not a YouTube video id: 'xyz'; no player is shown",
        ),
        ({"video": "https://youtu.be/"}, None, "front matter 'video' is not a link"),
    ],
)
def test_video_from_meta(
    meta: dict[str, object], video_id: str | None, problem: str | None
) -> None:
    found, message = video_from_meta(meta)
    assert found == video_id
    if problem is None:
        assert message is None
    else:
        assert message is not None and message.startswith(problem)


def test_player_is_the_first_element() -> None:
    html, ctx = render(video_note("# Heading\n\nSome text.", f"title: A <talk>\nvideoId: {VID}"))
    assert html.startswith(f'<div class="ns-video" data-video-id="{VID}"><a ')
    first = html.split("</div>", 1)[0]
    assert 'class="ns-video__facade"' in first
    assert f'href="{WATCH}"' in first
    assert 'aria-label="Play video: A &lt;talk&gt;"' in first
    assert '<span class="ns-video__title">A &lt;talk&gt;</span>' in first
    assert "<img" not in first and "ytimg" not in first  # nothing is loaded from YouTube
    assert ctx.problems == []


def test_player_title_defaults_to_video() -> None:
    html, _ = render(video_note("Text."))
    assert 'aria-label="Play video: Video"' in html


def test_seed_form_timestamp() -> None:
    html, _ = render(video_note('Infra <a class="yt-timestamp" data-t="00:36:01">[00:36:01]</a>.'))
    assert (
        '<a class="yt-timestamp ns-timestamp" data-t="00:36:01" data-t-seconds="2161" '
        f'href="{WATCH}&amp;t=2161s">[00:36:01]</a>.'
    ) in html


def test_seed_form_variants() -> None:
    html, _ = render(
        video_note(
            "<a data-t='1:02:03' class='note yt-timestamp'>[1:02:03]</a> "
            '<a class="yt-timestamp">[36:01]</a>'
        )
    )
    assert 'class="note yt-timestamp ns-timestamp"' in html
    assert f'href="{WATCH}&amp;t=3723s">[1:02:03]</a>' in html
    assert f'data-t-seconds="2161" href="{WATCH}&amp;t=2161s">[36:01]</a>' in html


def test_bare_timestamps() -> None:
    html, _ = render(video_note("At [36:01] and [1:02:03], not [75:00]."))
    assert (
        f'<a class="ns-timestamp" data-t-seconds="2161" href="{WATCH}&amp;t=2161s">[36:01]</a>'
        in html
    )
    assert f'data-t-seconds="3723" href="{WATCH}&amp;t=3723s">[1:02:03]</a>' in html
    assert "not [75:00]." in html


def test_timestamps_in_code_are_untouched() -> None:
    html, _ = render(
        video_note('`[36:01]` and `<a class="yt-timestamp" data-t="00:36:01">[00:36:01]</a>`')
    )
    assert "<code>[36:01]</code>" in html
    assert (
        '<code>&lt;a class="yt-timestamp" data-t="00:36:01"&gt;[00:36:01]&lt;/a&gt;</code>' in html
    )
    assert "ns-timestamp" not in html


@pytest.mark.parametrize(
    "text",
    ["[36:01](https://example.com)", "[36:01][ref]", "![36:01](a.png)", "[[36:01]]", r"\[36:01]"],
)
def test_bracket_syntax_that_is_not_a_timestamp(text: str) -> None:
    html, _ = render(video_note(f"{text}\n\n[ref]: https://example.com"))
    assert "ns-timestamp" not in html


def test_reference_link_named_like_a_timestamp_stays_a_link() -> None:
    html, _ = render(video_note("See [36:01].\n\n[36:01]: https://example.com"))
    assert '<a href="https://example.com">36:01</a>' in html


def test_invalid_id_is_reported_once_and_shows_no_player() -> None:
    body = 'At [36:01] <a class="yt-timestamp" data-t="00:36:01">[00:36:01]</a>.'
    html, ctx = render(video_note(body, "videoId: xyz"))
    assert [(p.kind, p.message) for p in ctx.problems] == [
        ("youtube", "front matter 'videoId' is not a YouTube video id: 'xyz'; no player is shown")
    ]
    assert "ns-video" not in html and "ns-timestamp" not in html
    assert html == f"<p>{body}</p>"


def test_note_without_video_is_unchanged() -> None:
    body = 'At [36:01] <a class="yt-timestamp" data-t="00:36:01">[00:36:01]</a>.'
    html, ctx = render(f"---\ntitle: Plain\n---\n\n{body}\n")
    assert html == f"<p>{body}</p>"
    assert ctx.problems == []


def test_a_reused_markdown_instance_follows_the_current_note() -> None:
    ctx = RenderContext()
    md = markdown.Markdown(extensions=[YoutubeExtension(context=ctx)])
    for text, has_player in [(video_note("[1:00]"), True), ("[1:00]\n", False)]:
        note = load_note(VaultPath("v.md"), text.encode()).note
        assert note is not None
        ctx.note = note
        md.reset()
        assert ("ns-video" in md.convert(note.body)) is has_player


def test_youtube_image_becomes_a_player_with_its_start() -> None:
    html, _ = render(
        "Intro\n\n"
        f"![The talk](https://www.youtube.com/watch?v={VID}&t=90)\n\n"
        f"Inline ![](https://youtu.be/{VID}?t=1m30s) here.\n"
    )
    assert (
        f'<div class="ns-video" data-start="90" data-video-id="{VID}">'
        f'<a aria-label="Play video: The talk" class="ns-video__facade" href="{WATCH}&amp;t=90s">'
    ) in html
    assert f'<p>Inline <span class="ns-video" data-start="90" data-video-id="{VID}">' in html
    assert "</span></a></span> here.</p>" in html
    assert "<img" not in html
    assert not html.startswith("<div")  # not a video note: no player at the top


def test_plain_youtube_links_and_other_images_are_unchanged() -> None:
    html, _ = render(f"[x](https://youtu.be/{VID}?t=90) ![pic](pic.png)\n")
    assert html == (
        f'<p><a href="https://youtu.be/{VID}?t=90">x</a> <img alt="pic" src="pic.png" /></p>'
    )


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed notes are not here")
def test_seed_note() -> None:
    html, ctx = render(SEED.read_text(encoding="utf-8"))
    assert html.startswith(f'<div class="ns-video" data-video-id="{VID}">')
    assert "Play video: Role of governments in supporting technology" in html
    found = re.findall(r'data-t="([\d:]+)" data-t-seconds="(\d+)" href="([^"]+)"', html)
    assert found == [
        (t, str(s), f"{WATCH}&amp;t={s}s")
        for t, s in [
            ("00:36:01", 2161),
            ("00:31:00", 1860),
            ("00:32:29", 1949),
            ("00:34:22", 2062),
            ("00:25:01", 1501),
            ("00:32:51", 1971),
            ("00:33:30", 2010),
        ]
    ]
    assert 'class="yt-timestamp"' not in html  # every one became a link into the video
    assert ctx.problems == []
