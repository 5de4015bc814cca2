"""The memo of a build's steps: what a step made is given again for an equal key, in the same
process (``mkdocs serve``) and, by the key's digest, in a later one (the build cache)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest
from mkdocs.config.defaults import MkDocsConfig

from notesite.build.memo import Memo, key_digest
from notesite.build.pages import GeneratedPages
from notesite.config import NotesiteConfig
from notesite.graph import LinkGraph
from notesite.paths import VaultPath
from notesite.site.ghosts import ghost_pages
from tests.test_graph import make_graph


def test_equal_keys_have_one_digest_however_their_objects_are_shared() -> None:
    def made(*parts: str) -> str:  # (a string object of its own)
        return "".join(parts)

    path = made("Folder/", "a note.md")
    shared = ((path, "Title", ("tag",)), (path, "Title", ("tag",)))
    apart = ((made("Folder/a", " note.md"), "Title", ("tag",)), (path, "Title", ("tag",)))
    assert shared[0][0] is shared[1][0] and apart[0][0] is not apart[1][0]
    assert key_digest(shared) == key_digest(apart)
    assert key_digest((VaultPath("a.md"), 1)) == key_digest((VaultPath("a.md"), 1))


def test_keys_that_differ_have_digests_that_differ() -> None:
    key = (("a.md", "A", ("x",)), ("b.md", "B", ()))
    for other in (
        (("a.md", "A", ("y",)), ("b.md", "B", ())),
        (("a.md", "A", ("x",)),),
        (("a.md", "A", ("x",)), ("b.md", "B", ()), ("c.md", "C", ())),
        (("a.md", "A", "x"), ("b.md", "B", ())),
        [("a.md", "A", ("x",)), ("b.md", "B", ())],
    ):
        assert key_digest(other) != key_digest(key), other


def made_by(memo: Memo, name: str, key: object, value: str) -> tuple[str, list[str]]:
    calls: list[str] = []

    def make() -> str:
        calls.append(name)
        return value

    return memo.get(name, key, make), calls


def test_a_later_build_takes_what_an_earlier_one_made_from_an_equal_key() -> None:
    earlier = Memo(keep=False)
    earlier.recall({})
    assert made_by(earlier, "tags", ("a", "b"), "tag pages") == ("tag pages", ["tags"])
    assert made_by(earlier, "folders", ("a",), "folder pages") == ("folder pages", ["folders"])
    assert earlier.lasting is not None and set(earlier.lasting) == {"tags", "folders"}

    later = Memo(keep=False)
    later.recall(earlier.lasting)
    assert made_by(later, "tags", ("a", "b"), "new tag pages") == ("tag pages", [])
    assert made_by(later, "folders", ("a", "c"), "new folders") == ("new folders", ["folders"])
    assert later.lasting is not None
    assert later.lasting["tags"] == earlier.lasting["tags"]
    assert later.lasting["folders"] == (key_digest(("a", "c")), "new folders")


def test_a_build_given_nothing_earlier_makes_every_step_and_keeps_nothing() -> None:
    memo = Memo(keep=False)
    assert made_by(memo, "tags", ("a",), "made") == ("made", ["tags"])
    assert made_by(memo, "tags", ("a",), "made") == ("made", ["tags"])
    assert memo.lasting is None


def test_a_serving_memo_keeps_what_it_gave_from_memory_for_the_next_process() -> None:
    memo = Memo(keep=True)
    memo.recall({})
    assert made_by(memo, "tags", ("a",), "made") == ("made", ["tags"])
    memo.recall({})  # (the next rebuild: nothing on disk yet)
    assert made_by(memo, "tags", ("a",), "again") == ("made", [])
    assert memo.lasting == {"tags": (key_digest(("a",)), "made")}


def test_pages_of_notes_not_written_yet_are_made_again_only_when_a_mention_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[int] = []

    def counted(
        graph: LinkGraph, taken: set[str]
    ) -> tuple[dict[VaultPath, str], dict[str, VaultPath]]:
        made.append(1)
        return ghost_pages(graph, taken)

    monkeypatch.setattr("notesite.build.pages.ghost_pages", counted)
    generator = GeneratedPages(NotesiteConfig(), Memo(keep=True))
    config = cast(MkDocsConfig, SimpleNamespace(site_name="Vault"))

    def ghost_page(**vault: str) -> str:
        graph = make_graph({f"{name}.md": text for name, text in vault.items()})
        public = list(graph.notes.values())
        pages, _ = generator.pages(config, graph, public, set(), {})
        return pages[VaultPath("China.md")]

    first = ghost_page(A="Intro.\n\nOn [[China]] and trade.\n\nMore text.\n", B="See [[A]].\n")
    assert "On China and trade" in first and made == [1]
    # The note's other lines changed: what the page shows of the mention did not.
    again = ghost_page(A="New intro.\n\nOn [[China]] and trade.\n\nMore.\n", B="See [[A]].\n")
    assert again == first and made == [1]
    # The mention's own line changed: the page is made again, and shows it.
    changed = ghost_page(A="New intro.\n\nOn [[China]] and tea.\n\nMore.\n", B="See [[A]].\n")
    assert "On China and tea" in changed and made == [1, 1]
