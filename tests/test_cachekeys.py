"""Page hashes worked out from the last build's are the hashes worked out afresh, edit after
edit; and an edit that leaves every link where it led works out only the pages it can alter."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.structure.files import Files

from notesite.build.affected import PageInputs
from notesite.build.cachekeys import KeyRecord, page_keys
from notesite.graph import LinkGraph
from notesite.vault import load_vault, walk_vault
from tests.conftest import write_vault

VAULT = {
    "Target.md": "# Target\n\nThe target's own words.\n\n## Part\n\nA part. ^block\n",
    "Embeds target.md": "It shows the target:\n\n![[Target]]\n",
    "Embeds that.md": "And that one, in turn:\n\n![[Embeds target]]\n",
    "Linker.md": "The linker names [[Target]] and [[First]].\n\nAnd [[Target#Part]].\n",
    # Quoted in Target's panel by Linker, and it embeds Linker: both, for Linker's edits.
    "First.md": "First, showing the linker:\n\n![[Linker]]\n",
    "Shows first.md": "![[First]]\n",
    "Second.md": "Second, which links [[Nowhere yet]].\n",
    "Secret.md": "---\npublish: false\n---\nSecret words.\n",
    "Embeds secret.md": "![[Secret]] and [[Secret]].\n",
    "Quiet.md": "Nothing to do with it.\n",
}

#: An edit of the vault, and whether every link still leads where it led (only the pages that
#: can differ are worked out again).
EDITS: list[tuple[str, dict[str, str], bool]] = [
    ("nothing", {}, True),
    ("words at the end of a chain of embeds", {"Target.md": VAULT["Target.md"] + "More.\n"}, True),
    (
        "lines moved in a note quoted in a panel and embedded",
        {"Linker.md": "Lines first.\n\n" + VAULT["Linker.md"]},
        True,
    ),
    ("words of a note both quoted and embedding", {"First.md": VAULT["First.md"] + "Yes.\n"}, True),
    ("a link added", {"Quiet.md": "Now [[Second]].\n"}, False),
    ("a title", {"Second.md": "---\ntitle: Two\n---\n" + VAULT["Second.md"]}, False),
    ("a heading renamed", {"Target.md": VAULT["Target.md"].replace("Part", "Portion")}, False),
    ("a block id removed", {"Target.md": VAULT["Target.md"].replace(" ^block", "")}, False),
    ("an alias", {"Quiet.md": "---\naliases: [Calm]\n---\nNothing.\n"}, False),
    ("a private note", {"Secret.md": VAULT["Secret.md"] + "More secrets.\n"}, False),
    ("a note made private", {"Quiet.md": "---\npublish: false\n---\nNothing.\n"}, False),
    ("a note added", {"Nowhere yet.md": "Written now.\n"}, False),
]


def keys_of(vault: Path, earlier: KeyRecord | None) -> tuple[dict[str, str], str, KeyRecord]:
    notes, _ = load_vault(walk_vault(vault), workers=1)
    graph = LinkGraph(notes)
    public = {n.path: n for n in graph.public_notes()}
    pages = sorted(public)
    return page_keys(
        graph,
        public,
        Files([]),
        list(pages),
        ghosts={"nowhere yet": "Nowhere yet.md"} if "Nowhere yet.md" not in public else {},
        taken={p.casefold() for p in pages},
        shown=100,
        whole_nav=True,
        earlier=earlier,
    )


@pytest.fixture
def worked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The notes whose page hash is worked out from here on, one after the other."""
    found: list[str] = []
    page = PageInputs.page

    def counted(self: PageInputs, path: str) -> str:
        found.append(path)
        return page(self, path)  # type: ignore[arg-type]

    monkeypatch.setattr(PageInputs, "page", counted)
    return found


def test_hashes_from_the_last_builds_are_the_hashes_worked_out_afresh(
    tmp_path: Path, worked: list[str]
) -> None:
    vault = tmp_path / "vault"
    write_vault(vault, VAULT)
    _, _, record = keys_of(vault, None)
    for name, change, kept in EDITS:
        write_vault(vault, change)
        worked.clear()
        keys, whole, next_record = keys_of(vault, record)
        if kept:  # (the edited notes, the panels that quote them, what embeds them)
            assert len(worked) < len(keys) / 2, (name, worked)
        else:
            assert len(worked) == len(keys), (name, worked)
        assert (keys, whole, next_record) == keys_of(vault, None), name
        record = next_record


def test_what_pages_an_edit_works_out_again(tmp_path: Path, worked: list[str]) -> None:
    vault = tmp_path / "vault"
    write_vault(vault, VAULT)
    _, _, record = keys_of(vault, None)
    write_vault(vault, {"Linker.md": "Lines first.\n\n" + VAULT["Linker.md"]})
    worked.clear()
    keys, _, _ = keys_of(vault, record)
    # Its page; Target's panel and First's (which quote it); First, and what shows First (which
    # embed it).
    assert sorted(worked) == ["First.md", "Linker.md", "Shows first.md", "Target.md"]
    assert keys == keys_of(vault, None)[0]
