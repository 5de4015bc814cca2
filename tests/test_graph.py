"""The resolver, rule by rule, without MkDocs: one row per Obsidian resolution rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymdownx.slugs import slugify

from notesite.graph import LinkGraph
from notesite.loader import Note, load_note
from notesite.paths import VaultPath
from notesite.problems import Level
from notesite.syntax.wikilinks import parse_inner

VAULT: dict[str, str] = {
    "Home.md": "# Home\n",
    "Note.md": "root note",
    "a/Note.md": "a's note",
    "a/b/Note.md": "deep note",
    "zzzz/deep/Source.md": "[[Note]]",
    "Archive/Only.md": "only one",
    "Projects/Alpha plan.md": "---\naliases: [Alpha, 'Project A']\n---\n",
    "People/Ada Lovelace.md": "---\naliases: Ada, Countess\n---\n",
    "dup/x/Same.md": "",
    "dup/y/Same.md": "",
    "dup/Twin.md": "",
    "dupe/Twin.md": "",
    "Headings.md": (
        "# Top\n\n## Setup\n\n### Install\n\n## Usage\n\n### Install\n\n"
        "## Setup\n\n## 中文 标题\n\n## Ends: with colon?\n\n## Custom {#my-id}\n\n"
        "A paragraph ^para-1\n\n- an item ^Item2\n"
    ),
    "Private.md": "---\npublish: false\n---\nsecret",
    "Drafty.md": "---\ndraft: true\n---\n",
}
ATTACHMENTS = ["paper.pdf", "img/diagram.png", "img/deep/diagram.png", "Note.pdf"]


def make_graph(vault: dict[str, str] = VAULT, **kwargs: object) -> LinkGraph:
    notes: list[Note] = []
    for path, text in vault.items():
        note = load_note(VaultPath(path), text.encode()).note
        assert note is not None
        notes.append(note)
    kwargs.setdefault("slugify", slugify(case="lower"))
    return LinkGraph(notes, [VaultPath(a) for a in ATTACHMENTS], **kwargs)  # type: ignore[arg-type]


GRAPH = make_graph()

CASES = [
    # (rule, source, link, expected path, expected anchor)
    ("bare name at the root is an exact path", "zzzz/deep/Source.md", "Note", "Note.md", None),
    ("case-insensitive", "Home.md", "nOTE", "Note.md", None),
    ("the .md suffix may be written", "Home.md", "Note.md", "Note.md", None),
    ("vault path", "Home.md", "a/Note", "a/Note.md", None),
    ("vault path, other case", "Home.md", "A/b/NOTE", "a/b/Note.md", None),
    ("exact path beats same folder", "a/b/Note.md", "Note", "Note.md", None),
    ("unique name anywhere", "Home.md", "only", "Archive/Only.md", None),
    ("path suffix", "Home.md", "b/Note", "a/b/Note.md", None),
    ("same folder wins among candidates", "dup/y/Other.md", "Same", "dup/y/Same.md", None),
    ("else shortest path", "Home.md", "Twin", "dup/Twin.md", None),
    ("relative ./ path", "a/Other.md", "./Note", "a/Note.md", None),
    ("relative ../ path", "a/b/Other.md", "../Note", "a/Note.md", None),
    ("alias", "Home.md", "alpha", "Projects/Alpha plan.md", None),
    ("alias with a space", "Home.md", "Project A", "Projects/Alpha plan.md", None),
    ("alias from a comma-separated string", "Home.md", "countess", "People/Ada Lovelace.md", None),
    ("attachment by file name", "a/b/Note.md", "paper.pdf", "paper.pdf", None),
    ("attachment by path", "Home.md", "img/deep/diagram.png", "img/deep/diagram.png", None),
    ("attachment, shortest path", "Home.md", "diagram.png", "img/diagram.png", None),
    ("a name with an extension is that file", "Home.md", "Note.pdf", "Note.pdf", None),
    ("heading", "Home.md", "Headings#Usage", "Headings.md", "usage"),
    ("heading, case and spaces folded", "Home.md", "headings#  usage ", "Headings.md", "usage"),
    ("nested heading path", "Home.md", "Headings#Usage#Install", "Headings.md", "install_1"),
    ("first of duplicate headings", "Home.md", "Headings#Install", "Headings.md", "install"),
    (
        "repeated heading gets the toc's suffix",
        "Home.md",
        "Headings#Setup#Install",
        "Headings.md",
        "install",
    ),
    ("unicode heading", "Home.md", "Headings#中文 标题", "Headings.md", "中文-标题"),
    (
        "heading whose colon Obsidian drops",
        "Home.md",
        "Headings#Ends with colon?",
        "Headings.md",
        "ends-with-colon",
    ),
    ("explicit heading id", "Home.md", "Headings#Custom", "Headings.md", "my-id"),
    ("block id", "Home.md", "Headings#^para-1", "Headings.md", "^para-1"),
    ("block id, other case", "Home.md", "Headings#^item2", "Headings.md", "^Item2"),
    ("same-note heading", "Headings.md", "#Usage", "Headings.md", "usage"),
]


@pytest.mark.parametrize(
    ("rule", "source", "written", "path", "anchor"), CASES, ids=[c[0] for c in CASES]
)
def test_resolution(rule: str, source: str, written: str, path: str, anchor: str | None) -> None:
    resolution = GRAPH.resolve(parse_inner(written), VaultPath(source))
    assert (resolution.status, resolution.path, resolution.anchor) == ("ok", path, anchor)


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Nothing here", "unresolved"),
        ("a/Nothing", "unresolved"),
        ("../../etc/passwd", "unresolved"),
        ("./Only", "unresolved"),  # an explicit relative path is only that path
        ("Private", "private"),
        ("drafty", "private"),
    ],
)
def test_links_that_lead_nowhere(written: str, status: str) -> None:
    assert GRAPH.resolve(parse_inner(written), VaultPath("Home.md")).status == status


def vault_problems(vault: dict[str, str], **kwargs: object) -> list[str]:
    return [f"{p.kind} {p.level.name} {p}" for p in make_graph(vault, **kwargs).problems]


def test_ambiguous_link_is_reported_with_its_candidates() -> None:
    assert vault_problems(
        {"dup/Twin.md": "", "dupe/Twin.md": "", "Home.md": "x\n\nsee [[Twin]]"}
    ) == [
        "ambiguous WARNING Home.md:3: links to '[[Twin]]', which could be 'dup/Twin.md', "
        "'dupe/Twin.md'; 'dup/Twin.md' was chosen"
    ]


def test_unresolved_links_are_info_unless_asked_otherwise() -> None:
    vault = {"Home.md": "---\ntitle: Home\n---\n[[Missing]]"}
    assert vault_problems(vault) == [
        "unresolved INFO Home.md:4: links to '[[Missing]]', but no note or file in the vault is named 'Missing'"
    ]
    assert vault_problems(vault, unresolved_level=Level.WARNING)[0].startswith("unresolved WARNING")


def test_missing_heading_and_block_are_warnings() -> None:
    problems = vault_problems({"A.md": "# A\n", "Home.md": "[[A#Nope]] [[A#^gone]]"})
    assert problems == [
        "anchor WARNING Home.md:1: links to '[[A#Nope]]', but 'A.md' has no heading 'Nope'",
        "anchor WARNING Home.md:1: links to '[[A#^gone]]', but 'A.md' has no block '^gone'",
    ]


def test_backlinks_carry_the_sentence_around_the_link() -> None:
    graph = make_graph(
        {
            "Target.md": "",
            "Long.md": (
                "First sentence here is long enough to be cut away from the rest. "
                "Second sentence holds the **link** to [[Target|the target]] right here. "
                "Third sentence is also long and has nothing to do with it at all, really."
            ),
            "List.md": "- one\n- item with [[target]] inside\n- three",
            "Field.md": "up:: [[Target]]\n",
            "Prop.md": "---\nup: '[[Target]]'\n---\n",
            "Self.md": "[[Self]]",
            "Hidden.md": "---\npublish: false\n---\n[[Target]]",
            # No comment is quoted, whether on the link's line or ending on it.
            "Same.md": "Before %%a secret%% then [[Target]] after %%another%%.\nNext line.",
            "Multi.md": "%%\nhidden\nlines%% See [[Target]] here.\n\nlast [[Target|end]]",
        }
    )
    backlinks = {b.source: b.contexts for b in graph.backlinks["Target.md"]}
    assert backlinks == {
        "Field.md": ("up: Target",),
        "List.md": ("item with target inside",),
        "Long.md": ("Second sentence holds the link to the target right here.",),
        "Multi.md": ("See Target here.", "last end"),
        "Prop.md": (),
        "Same.md": ("Before then Target after .",),
    }
    assert "Self.md" not in graph.backlinks
    [multi, last] = graph.notes["Multi.md"].links
    assert (multi.line, multi.source_line, last.line) == (3, " See [[Target]] here.", 5)


def test_links_in_code_math_and_comments_do_not_count() -> None:
    graph = make_graph(
        {
            "T.md": "",
            "S.md": "`[[T]]`\n\n```\n[[T]]\n```\n\n$[[T]]$\n\n$$\n[[T]]\n$$\n\n%%[[T]]%%\n",
        }
    )
    assert graph.backlinks == {}
    assert graph.outgoing["S.md"] == []


def test_unresolved_targets_are_known_per_note() -> None:
    graph = make_graph({"A.md": "[[X]] and [[Y]]", "B.md": "[[X]]"})
    assert {path: [r.link.target for r in refs] for path, refs in graph.unresolved.items()} == {
        "A.md": ["X", "Y"],
        "B.md": ["X"],
    }


# -- after an edit -------------------------------------------------------------------------------

EDIT_VAULT: dict[str, str] = {
    "Hub.md": "# Hub\n\n## Part\n\ntext ^blk\n\n[[Leaf]] and [[Leaf#Section]]\n",
    "Leaf.md": "# Leaf\n\n## Section\n\n![[Hub#Part]] [[Hub#^blk]]\n",
    "a/Same.md": "[[Hub]]",
    "b/Same.md": "[[Same]] [[Missing]]",
    "Quiet.md": "---\naliases: [Calm]\n---\nno links",
    "Secret.md": "---\npublish: false\n---\n[[Hub]]",
}
SNIPPETS = st.sampled_from(
    [
        "[[Hub]]", "[[Leaf#Section]]", "[[Hub#Part]]", "[[Hub#^blk]]", "![[Leaf]]",
        "[[Calm]]", "[[Same]]", "[[Missing]]", "[[Secret]]", "[[paper.pdf]]", "![[gone.png]]",
        "## Section", "## Part", "para ^blk", "plain words", "---\ntitle: Zed\n---\n",
        "---\naliases: [Calm]\n---\n", "---\npublish: false\n---\n", "#tag", "[x](Leaf.md#section)",
    ]
)  # fmt: skip


def graph_state(graph: LinkGraph) -> object:
    """Everything a graph tells the site, in its order."""
    return (
        list(graph.outgoing.items()),
        sorted((t, [(b.source, b.refs) for b in bs]) for t, bs in graph.backlinks.items()),
        list(graph.unresolved.items()),
        sorted(graph.used_attachments),
        [str(p) for p in graph.problems],
        graph.resolved_links,
        {p: graph.note_targets(p) for p in graph.outgoing},
    )


@settings(max_examples=150, deadline=None)
@given(
    edits=st.dictionaries(
        st.sampled_from(sorted(EDIT_VAULT)),
        st.lists(SNIPPETS, max_size=4).map("\n\n".join),
        min_size=1,
        max_size=3,
    )
)
def test_an_updated_graph_is_the_graph_of_the_edited_vault(edits: dict[str, str]) -> None:
    before = make_graph(EDIT_VAULT)
    state = graph_state(before)  # counts and targets worked out before, carried through
    changed = {VaultPath(p): load_note(VaultPath(p), t.encode()).note for p, t in edits.items()}
    updated = before.updated(changed)  # type: ignore[arg-type]
    assert graph_state(updated) == graph_state(make_graph({**EDIT_VAULT, **edits}))
    assert graph_state(before) == state == graph_state(make_graph(EDIT_VAULT))  # left as it was
