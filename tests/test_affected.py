"""Which pages an edit alters (what the live preview renders again): every page that shows what
changed, and not the pages that embed a note whose backlinks panel alone changed."""

from __future__ import annotations

from pathlib import Path

from notesite.build.affected import affected_pages
from notesite.graph import LinkGraph
from notesite.paths import VaultPath
from notesite.vault import VaultFiles, load_vault, walk_vault
from tests.conftest import write_vault

VAULT = {
    "Target.md": "# Target\n\nThe target's own words.\n",
    "Embeds target.md": "It shows the target:\n\n![[Target]]\n",
    "Embeds that.md": "And that one, in turn:\n\n![[Embeds target]]\n",
    "Linker.md": "The linker names [[Target]] and [[First]].\n",
    "First.md": "First.\n",
    "Second.md": "Second.\n",
    "Quiet.md": "Nothing to do with it.\n",
}


def edited(tmp_path: Path, path: str, text: str) -> set[VaultPath]:
    """The pages that differ once the note at ``path`` says ``text``."""
    write_vault(tmp_path / "vault", VAULT)
    notes, _ = load_vault(walk_vault(tmp_path / "vault"), workers=1)
    before = LinkGraph(notes)
    write_vault(tmp_path / "vault", {path: text})
    read, _ = load_vault(VaultFiles(tmp_path / "vault", (VaultPath(path),), ()), workers=1)
    after = before.updated({n.path: n for n in read})
    fresh, _ = load_vault(walk_vault(tmp_path / "vault"), workers=1)
    assert after.outgoing == LinkGraph(fresh).outgoing  # (the graph as a fresh build has it)
    return affected_pages(before, after, [VaultPath(path)], shown=100)


def test_a_relinked_note_alters_the_panels_it_is_quoted_in_and_not_their_embedders(
    tmp_path: Path,
) -> None:
    hit = edited(tmp_path, "Linker.md", "The linker names [[Target]] and [[Second]].\n")
    # Its own page; the panels that quote it (Target's, Second's) or lost it (First's).
    assert hit == {"Linker.md", "Target.md", "First.md", "Second.md"}


def test_an_edited_note_alters_every_page_up_its_chain_of_embeds(tmp_path: Path) -> None:
    hit = edited(tmp_path, "Target.md", "# Target\n\nThe target's new words.\n")
    # (Linker's panel entry quotes Linker's words, not Target's: it stays.)
    assert hit == {"Target.md", "Embeds target.md", "Embeds that.md"}


def test_a_relinked_note_alters_the_notes_that_embed_it(tmp_path: Path) -> None:
    hit = edited(
        tmp_path, "Embeds target.md", "It shows the target:\n\n![[Target]] and [[Quiet]]\n"
    )
    assert {"Embeds target.md", "Embeds that.md", "Quiet.md", "Target.md"} <= hit
    assert "Linker.md" not in hit and "First.md" not in hit
