"""YouTube video notes: a player at the top of the page and timestamps that seek in it.

A *video note* names its video in the front matter (``videoId``, or a YouTube link in ``video``,
``youtube`` or ``url``). Such a note gets:

* a player as the first element of the page. It is a *facade*: a dark 16:9 panel with a play
  button and the title, which is a plain link to the video. Nothing is requested from YouTube
  (not even a thumbnail) until the reader clicks; then ``youtube.js`` swaps in a
  ``youtube-nocookie.com`` iframe. Without JavaScript the link simply opens the video.
* timestamps that are links to that second of the video (``…watch?v=ID&t=2161s``), with class
  ``ns-timestamp`` and ``data-t-seconds``, which ``youtube.js`` turns into seeks in the player.
  Two forms are recognised: the raw HTML ``<a class="yt-timestamp" data-t="00:36:01">…</a>``
  of imported notes and a bare ``[00:36:01]`` / ``[36:01]``.

In every note, image syntax with a YouTube address (``![](https://youtu.be/ID?t=90)``) becomes
such a facade too, starting where the address says. Plain links are left alone.

Priorities (Python-Markdown's inline patterns run from the highest down):

* ``notesite-yt-anchor`` at 177: the whole raw ``<a class="yt-timestamp">…</a>``. Raw inline
  HTML is otherwise handled by ``html`` (90), which stashes ``<a …>`` and ``</a>`` separately
  and leaves the ``[00:36:01]`` between them as text; so this must run before the bare-timestamp
  pattern below, or that would link the anchor's text and nest a link in a link. Below code
  spans (190) so examples in code stay code.
* ``notesite-yt-timestamp`` at 175: a bare ``[36:01]``. Above ``reference`` (170) and ``link``
  (160), which would otherwise take the brackets; its pattern refuses ``[36:01](url)``,
  ``[36:01][ref]``, ``![36:01]…`` and ``[[36:01]]``, and a ``[36:01]`` that has a reference
  definition stays a reference link. Wikilinks (185) have already been replaced by then.
* the treeprocessor at 15: after ``inline`` (20), so image elements exist and the player it
  inserts is never parsed as Markdown; before ``prettify`` (10).
* the preprocessor at 35 only decides, once per conversion, which video the note is about (and
  reports an unusable id once per page); it changes no text.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from notesite.markdown.context import RenderContext
from notesite.markdown.inline import use_fast_inline

__all__ = [
    "VideoRef",
    "YoutubeExtension",
    "facade",
    "is_video_id",
    "makeExtension",
    "parse_start",
    "parse_timestamp",
    "parse_video_url",
    "video_from_meta",
    "watch_url",
]

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_TIMESTAMP = re.compile(r"(?:(?P<h>\d{1,2}):(?P<hm>\d{2})|(?P<m>\d{1,2})):(?P<s>\d{2})")
_DURATION = re.compile(r"(?=\d)(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?")
_ID_KEYS = ("videoid", "video_id")
_URL_KEYS = ("video", "youtube", "url")
_SHORT_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
_LONG_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)
_PATH_KINDS = frozenset({"embed", "shorts", "live", "v"})

# The whole raw anchor, only when its class attribute holds the ``yt-timestamp`` class.
_ANCHOR_RE = (
    r"<[aA](?=\s)(?=[^>]*?\s(?i:class)\s*=\s*(?:\"[^\"]*|'[^']*|)\byt-timestamp\b)"
    r"(?P<attrs>[^>]*)>(?P<text>[^<]*)</[aA]\s*>"
)
_ATTR = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# A bare ``[36:01]``: not an image, a wikilink, an escaped bracket, a link or a reference link.
# (The look-behind stands after the ``[`` so that the pattern starts with a literal character,
# which lets the regex engine skip straight to each ``[`` instead of trying every position.)
_BARE_RE = r"\[(?<![!\[\\]\[)(?P<ts>\d{1,2}(?::\d{2}){1,2})\](?![\[(\]])"

_PLAY_PATH = "M27 14.5v19l17-9.5z"


def parse_timestamp(text: str) -> int | None:
    """Seconds of ``h:mm:ss`` or ``m:ss`` (``"00:36:01"`` and ``"36:01"`` are 2161), else None.

    Minutes and seconds must be below 60: ``"75:00"`` is not a timestamp.
    """
    match = _TIMESTAMP.fullmatch(text.strip())
    if match is None:
        return None
    hours = int(match["h"] or 0)
    minutes = int(match["hm"] or match["m"])
    seconds = int(match["s"])
    if minutes >= 60 or seconds >= 60:
        return None
    return hours * 3600 + minutes * 60 + seconds


def parse_start(value: str) -> int | None:
    """Seconds of a YouTube ``t``/``start`` value: ``90``, ``90s``, ``1m30s``, ``1h2m3s``.

    ``1:30`` is accepted too. Anything else, and zero, is None (start at the beginning).
    """
    value = value.strip().lower()
    if ":" in value:
        seconds = parse_timestamp(value)
    else:
        match = _DURATION.fullmatch(value)
        if match is None:
            return None
        seconds = int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)
    return seconds or None


def is_video_id(value: str) -> bool:
    """Whether ``value`` is exactly a YouTube video id: 11 characters of ``[A-Za-z0-9_-]``."""
    return _VIDEO_ID.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class VideoRef:
    """A video and the second to start it at (None: the beginning)."""

    video_id: str
    start: int | None = None


def _is_youtube_host(host: str) -> bool:
    return host in _SHORT_HOSTS or host in _LONG_HOSTS


def _split(url: str) -> tuple[str, str, str, str]:
    """``(host, path, query, fragment)``; a scheme-less ``youtu.be/ID`` is read as https."""
    url = url.strip()
    if "://" not in url and not url.startswith("//"):
        url = "//" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. an invalid port or IPv6 literal
        return "", "", "", ""
    if parts.scheme not in ("", "http", "https"):
        return "", "", "", ""
    return host, parts.path, parts.query, parts.fragment


def parse_video_url(url: str) -> VideoRef | None:
    """The video a YouTube address shows, and its start time; None for any other address.

    Understands ``youtube.com/watch?v=ID`` (also ``m.``/``music.``), ``youtu.be/ID``,
    ``youtube.com/{embed,shorts,live,v}/ID`` and ``youtube-nocookie.com/embed/ID``; the start
    comes from ``t`` or ``start`` in the query, or ``#t=`` in the fragment.
    """
    host, path, query, fragment = _split(url)
    segments = [s for s in path.split("/") if s]
    video_id: str | None = None
    params = parse_qs(query)
    if host in _SHORT_HOSTS:
        video_id = segments[0] if segments else None
    elif host in _LONG_HOSTS:
        if segments == ["watch"]:
            video_id = next(iter(params.get("v", [])), None)
        elif len(segments) >= 2 and segments[0] in _PATH_KINDS:
            video_id = segments[1]
    if video_id is None or not is_video_id(video_id):
        return None
    values = params.get("t", []) + params.get("start", []) + parse_qs(fragment).get("t", [])
    start = next((s for s in map(parse_start, values) if s is not None), None)
    return VideoRef(video_id, start)


def watch_url(video_id: str, seconds: int | None = None) -> str:
    """The address of the video on youtube.com, at ``seconds`` if given."""
    url = f"https://www.youtube.com/watch?v={video_id}"
    return f"{url}&t={seconds}s" if seconds else url


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def video_from_meta(meta: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``(video id, problem)`` of a note's front matter; both None for a note with no video.

    ``videoId`` (any case, or ``video_id``) wins; it may hold a bare id or a YouTube address.
    Else the first of ``video``, ``youtube``, ``url`` that is a YouTube address. A ``url`` or
    ``video`` that is not a YouTube address at all is some other property (an article, a file)
    and not a problem; a YouTube address without a usable id is. Empty values are ignored, as
    templates often leave ``videoId:`` blank.
    """
    by_key = {str(k).casefold(): k for k in meta}
    for folded in _ID_KEYS:
        key = by_key.get(folded)
        if key is None or _blank(meta[key]):
            continue
        value = str(meta[key]).strip()
        if is_video_id(value):
            return value, None
        ref = parse_video_url(value)
        if ref is not None:
            return ref.video_id, None
        return (
            None,
            f"front matter '{key}' is not a YouTube video id: {value!r}; no player is shown",
        )
    for folded in _URL_KEYS:
        key = by_key.get(folded)
        if key is None or not isinstance(meta[key], str) or _blank(meta[key]):
            continue
        value = meta[key].strip()
        ref = parse_video_url(value)
        if ref is not None:
            return ref.video_id, None
        if _is_youtube_host(_split(value)[0]):
            return None, (
                f"front matter '{key}' is not a link to a YouTube video: {value!r}; "
                "no player is shown"
            )
    return None, None


class _Page:
    """What the processors of one conversion share: the current note's video, if any."""

    def __init__(self) -> None:
        self.video_id: str | None = None


def _title(value: Any) -> str:
    if _blank(value) or isinstance(value, (dict, list)):
        return "Video"
    return str(value).strip()


def facade(ref: VideoRef, title: str, tag: str = "div") -> etree.Element:
    """The click-to-play player: a link to the video that ``youtube.js`` swaps for an iframe.

    ``tag`` is ``span`` where the player stands inside a paragraph (CSS makes it a block).
    """
    box = etree.Element(tag, {"class": "ns-video", "data-video-id": ref.video_id})
    if ref.start:
        box.set("data-start", str(ref.start))
    link = etree.SubElement(
        box,
        "a",
        {
            "class": "ns-video__facade",
            "href": watch_url(ref.video_id, ref.start),
            "aria-label": f"Play video: {title}",
        },
    )
    play = etree.SubElement(link, "span", {"class": "ns-video__play", "aria-hidden": "true"})
    svg = etree.SubElement(
        play, "svg", {"viewBox": "0 0 68 48", "width": "68", "height": "48", "focusable": "false"}
    )
    etree.SubElement(
        svg, "rect", {"class": "ns-video__button", "width": "68", "height": "48", "rx": "12"}
    )
    etree.SubElement(svg, "path", {"d": _PLAY_PATH, "fill": "#fff"})
    label = etree.SubElement(link, "span", {"class": "ns-video__title"})
    label.text = AtomicString(title)
    return box


def _timestamp_link(video_id: str, seconds: int, text: str) -> etree.Element:
    link = etree.Element(
        "a",
        {
            "class": "ns-timestamp",
            "href": watch_url(video_id, seconds),
            "data-t-seconds": str(seconds),
        },
    )
    link.text = AtomicString(text)
    return link


class VideoPreprocessor(Preprocessor):
    """Decides once per conversion which video the note is about; reports an unusable id."""

    def __init__(self, md: Markdown, context: RenderContext, page: _Page) -> None:
        super().__init__(md)
        self.context = context
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        self.page.video_id, problem = video_from_meta(self.context.meta)
        if problem is not None:
            self.context.report(problem, "youtube")
        return lines


class _VideoInlineProcessor(InlineProcessor):
    """An inline processor that reads the page's video."""

    def __init__(self, pattern: str, md: Markdown, page: _Page) -> None:
        super().__init__(pattern, md)
        self.page = page


class AnchorTimestampProcessor(_VideoInlineProcessor):
    """``<a class="yt-timestamp" data-t="00:36:01">[00:36:01]</a>`` as a link into the video.

    Keeps the anchor's attributes (so ``yt-timestamp`` and ``data-t`` stay) and its text; the
    time comes from ``data-t``, else from the text. In a note without a video, or when neither
    is a time, the anchor is left to the ordinary raw-HTML path.
    """

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if self.page.video_id is None:
            return None, None, None
        attrs: dict[str, str] = {}
        for am in _ATTR.finditer(m["attrs"]):
            value = am[2] if am[2] is not None else am[3] if am[3] is not None else am[4] or ""
            attrs.setdefault(am[1].lower(), html.unescape(value))
        if "yt-timestamp" not in attrs.get("class", "").split():
            return None, None, None
        text = html.unescape(m["text"])
        seconds = parse_timestamp(attrs.get("data-t", ""))
        if seconds is None:
            seconds = parse_timestamp(text.strip().strip("[]"))
        if seconds is None:
            return None, None, None
        link = _timestamp_link(self.page.video_id, seconds, text)
        classes = attrs.pop("class", "").split()
        link.set("class", " ".join(dict.fromkeys([*classes, "ns-timestamp"])))
        for name, value in attrs.items():
            if name not in ("href", "data-t-seconds"):
                link.set(name, value)
        return link, m.start(0), m.end(0)


class BareTimestampProcessor(_VideoInlineProcessor):
    """``[36:01]`` in a video note as a link into the video; text stays as written."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        if self.page.video_id is None or m["ts"].lower() in self.md.references:
            return None, None, None
        seconds = parse_timestamp(m["ts"])
        if seconds is None:
            return None, None, None
        return _timestamp_link(self.page.video_id, seconds, m[0]), m.start(0), m.end(0)


class PlayerTreeprocessor(Treeprocessor):
    """Puts the note's player first; turns images of YouTube addresses into players."""

    def __init__(self, md: Markdown, context: RenderContext, page: _Page) -> None:
        super().__init__(md)
        self.context = context
        self.page = page

    def run(self, root: etree.Element) -> None:
        self.embed_images(root)
        if self.page.video_id is not None:
            root.insert(
                0, facade(VideoRef(self.page.video_id), _title(self.context.meta.get("title")))
            )

    def embed_images(self, root: etree.Element) -> None:
        """``![title](youtube address)``: a paragraph of just that becomes a block player;
        inside other text the player is a ``span``. Images inside links are left alone."""
        images = list(root.iter("img"))
        if not images:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in images:
            ref = parse_video_url(img.get("src", ""))
            if ref is None:
                continue
            parent, ancestor = parents[img], parents.get(img)
            while ancestor is not None and ancestor.tag != "a":
                ancestor = parents.get(ancestor)
            if ancestor is not None:
                continue
            title = _title(img.get("title") or img.get("alt"))
            grandparent = parents.get(parent)
            alone = (
                parent.tag == "p"
                and len(parent) == 1
                and not (parent.text or "").strip()
                and not (img.tail or "").strip()
            )
            if alone and grandparent is not None:
                player = facade(ref, title)
                player.tail = parent.tail
                grandparent[list(grandparent).index(parent)] = player
            else:
                player = facade(ref, title, tag="span")
                player.tail = img.tail
                parent[list(parent).index(img)] = player


class YoutubeExtension(Extension):
    """YouTube players and timestamps; see the module's docstring."""

    def __init__(self, **kwargs: Any) -> None:
        # The default is a RenderContext, not None: Python-Markdown passes the value of an
        # option whose default is None (or a bool) through parseBoolValue, which turns any
        # object into True.
        self.config = {"context": [RenderContext(), "the RenderContext shared with the host"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        context: RenderContext = self.getConfig("context") or RenderContext()
        use_fast_inline(md)
        page = _Page()
        md.preprocessors.register(VideoPreprocessor(md, context, page), "notesite-yt-video", 35)
        md.inlinePatterns.register(
            AnchorTimestampProcessor(_ANCHOR_RE, md, page), "notesite-yt-anchor", 177
        )
        md.inlinePatterns.register(
            BareTimestampProcessor(_BARE_RE, md, page), "notesite-yt-timestamp", 175
        )
        md.treeprocessors.register(PlayerTreeprocessor(md, context, page), "notesite-yt-player", 15)


def makeExtension(**kwargs: Any) -> YoutubeExtension:
    return YoutubeExtension(**kwargs)
