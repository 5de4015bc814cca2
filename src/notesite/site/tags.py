"""Tag pages: an index of every tag, and one page per tag (nested tags grouped under parents)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from notesite.loader import Note
from notesite.markdown.escape import escape_markdown
from notesite.markdown.tags import tag_page
from notesite.paths import VaultPath, relative_href

TAGS_INDEX = VaultPath("tags/index.md")


def _key(tag: str) -> str:
    return tag.casefold()


def _front_matter(title: str) -> str:
    # JSON strings are valid YAML scalars: any title is safe there.
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n"


def tag_pages(notes: Iterable[Note], folder: str = "tags") -> dict[VaultPath, str]:
    """Markdown for ``folder/index.md`` and for each tag and each parent of a nested tag."""
    tagged: dict[str, list[Note]] = defaultdict(list)
    shown: dict[str, str] = {}
    for note in notes:
        for tag in note.tags:
            tagged[_key(tag)].append(note)
            shown.setdefault(_key(tag), tag)
    # Every prefix of a nested tag has a page too: #on lists what #on/china holds.
    all_tags: set[str] = set()
    for key in tagged:
        parts = key.split("/")
        all_tags.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    for key in all_tags:
        if key not in shown:
            parent_of = min(k for k in shown if k.startswith(key + "/"))
            shown[key] = shown[parent_of][: len(key)]

    under = _notes_under(tagged)
    pages: dict[VaultPath, str] = {}
    index = VaultPath(f"{folder}/index.md")  # TAGS_INDEX for the default folder
    lines = [_front_matter("Tags")]
    for key in sorted(all_tags):
        depth = key.count("/")
        count = len(under[key])
        link = relative_href(index, tag_page(key, folder))
        name = escape_markdown("#" + shown[key].rsplit("/", 1)[-1] if depth else "#" + shown[key])
        lines.append(f"{'    ' * depth}- [{name}]({link}) ({count})")
    pages[index] = "\n".join(lines) + "\n"

    for key in sorted(all_tags):
        page = tag_page(key, folder)
        lines = [_front_matter("#" + shown[key])]
        direct = sorted(tagged.get(key, []), key=lambda n: n.title.casefold())
        lines += [f"- [{escape_markdown(n.title)}]({relative_href(page, n.path)})" for n in direct]
        children = sorted(
            k for k in all_tags if k.startswith(key + "/") and k.count("/") == key.count("/") + 1
        )
        for child in children:
            lines += [
                "",
                f"## [{escape_markdown('#' + shown[child])}]({relative_href(page, tag_page(child, folder))})",
                "",
            ]
            members = sorted(under[child].values(), key=lambda n: n.title.casefold())
            lines += [
                f"- [{escape_markdown(n.title)}]({relative_href(page, n.path)})" for n in members
            ]
        lines += ["", f"[All tags]({relative_href(page, index)})"]
        pages[page] = "\n".join(lines) + "\n"
    return pages


def _notes_under(tagged: dict[str, list[Note]]) -> dict[str, dict[VaultPath, Note]]:
    """For every tag and every parent of a nested tag, the notes tagged with it or below it."""
    under: dict[str, dict[VaultPath, Note]] = defaultdict(dict)
    for tag, notes in tagged.items():
        parts = tag.split("/")
        for depth in range(1, len(parts) + 1):
            under["/".join(parts[:depth])].update((n.path, n) for n in notes)
    return under
