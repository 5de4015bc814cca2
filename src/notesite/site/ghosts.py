"""Pages for notes not written yet.

A research vault links ahead on purpose: ``[[China]]`` before there is a note on China. Each such
target gets a page at the place Obsidian would create the note (``China.md`` at the vault's root,
``folder/x.md`` for ``[[folder/x]]``), so the link leads somewhere, never to a 404, and the URL
stays the same once the note is written. The page says the note is not written yet and lists the
notes that mention it, with the text around each mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from notesite.graph import LinkGraph, looks_like_file
from notesite.markdown.escape import escape_markdown
from notesite.paths import VaultPath, display_name, relative_href


def ghost_path(target: str) -> VaultPath | None:
    """Where the note a link names would be created; None for files and paths out of the vault."""
    target = target.replace("\\", "/").strip().strip("/")
    if target.casefold().endswith(".md"):
        target = target[:-3]
    parts = target.split("/")
    if not target or looks_like_file(target) or any(p in ("", ".", "..") for p in parts):
        return None
    return VaultPath(target + ".md")


def ghost_pages(
    graph: LinkGraph, taken: set[str]
) -> tuple[dict[VaultPath, str], dict[str, VaultPath]]:
    """The pages, and the link target (casefolded) -> page map the renderer links with."""
    mentions: dict[str, tuple[str, dict[VaultPath, list[str]]]] = {}
    for source, refs in sorted(graph.unresolved.items()):
        for ref in refs:
            key = ref.link.target.strip().casefold()
            name, sources = mentions.setdefault(key, (ref.link.target.strip(), {}))
            contexts = sources.setdefault(source, [])
            if len(contexts) < 3 and (context := ref.context) and context not in contexts:
                contexts.append(context)
    pages: dict[VaultPath, str] = {}
    targets: dict[str, VaultPath] = {}
    for key, (name, sources) in sorted(mentions.items()):
        path = ghost_path(name)
        if path is None or path.casefold() in taken or path in pages:
            continue
        pages[path] = _page(path, name, sources, graph)
        targets[key] = path
    return pages, targets


def _page(
    path: VaultPath, name: str, sources: Mapping[VaultPath, Iterable[str]], graph: LinkGraph
) -> str:
    title = display_name(path)
    count = len(sources)
    lines = [
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsearch:\n  exclude: true\n---\n",
        '<div class="ns-ghost" markdown="1">',
        "",
        f"*Not written yet.* Mentioned in {count} note{'s' if count != 1 else ''}:",
        "",
    ]
    for source, contexts in sorted(
        sources.items(), key=lambda item: graph.notes[item[0]].title.casefold()
    ):
        title_link = (
            f"[{escape_markdown(graph.notes[source].title)}]({relative_href(path, source)})"
        )
        lines.append("- " + " — ".join([title_link, *(escape_markdown(c) for c in contexts)]))
    lines += ["", "</div>", ""]
    return "\n".join(lines)
