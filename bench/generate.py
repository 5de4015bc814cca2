"""A deterministic generator of Obsidian-style research vaults, for the benchmark.

``generate(root, n_notes, seed)`` writes ``n_notes`` notes (plus a few PNG attachments) into
``root``: nested folders, YAML front matter on most notes (titles, tags, aliases, YouTube
``videoId`` on video notes, ``publish: false`` on a few private ones), prose built from a fixed
word list, ``## headings``, lists, callouts, code blocks, tables, footnotes, ``==highlights==``,
``%%comments%%``, ``#tags``, Dataview fields and 5-15 wikilinks per note in every form Obsidian
writes (aliased, to a heading, to a block id that exists, by path, embeds, attachments, and about
5% to notes that do not exist).

Everything comes from one seeded :class:`random.Random` and is written in a fixed order with
``\\n`` line endings, so the same ``(n_notes, seed)`` gives byte-identical vaults on every run and
machine. A marker file, :data:`MARKER` (a dot-file, which notesite and MkDocs both skip), records
the generator version and the private notes; it is written last, so a vault with a marker is
complete.

Run as a script to write one vault: ``python bench/generate.py OUT_DIR --notes 1000``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

#: Bump whenever the output for a given ``(n_notes, seed)`` changes: ``bench/run.py`` then
#: regenerates vaults it would otherwise reuse.
GENERATOR_VERSION = 2

#: The marker file written into the vault's root once every note is written.
MARKER = ".bench-vault.json"


def _split(words: str) -> tuple[str, ...]:
    """A word list written as one comma-separated string (which the formatter leaves alone)."""
    return tuple(w.strip() for w in words.split(",") if w.strip())


# -- word lists ----------------------------------------------------------------------------------

NOUNS = _split(
    """
    model, dataset, gradient, protein, sequence, network, signal, hypothesis, experiment,
    measurement, estimate, parameter, feature, representation, embedding, attention,
    transformer, kernel, matrix, tensor, graph, node, edge, cluster, distribution, prior,
    posterior, likelihood, sample, variance, bias, baseline, benchmark, metric, loss,
    optimizer, scheduler, pipeline, architecture, layer, neuron, circuit, mechanism, pathway,
    enzyme, cell, membrane, receptor, gene, genome, mutation, population, species, ecosystem,
    climate, carbon, emission, market, price, incentive, policy, institution, government,
    startup, investor, innovation, infrastructure, supply, demand, contract, protocol,
    compiler, runtime, cache, database, index, query, schema, transaction, memory, processor,
    interface, abstraction, theorem, proof, conjecture, lemma, axiom, argument, framework,
    theory, paradigm, principle, constraint, trade-off, feedback, signal, noise, entropy,
    information, language, grammar, corpus, token, vocabulary, reader, author, chapter, essay,
    lecture, interview, conversation, habit, attention span, workflow, note, archive, library,
    idea
    """
)
IRREGULAR_PLURALS = {
    "hypothesis": "hypotheses",
    "index": "indices",
    "matrix": "matrices",
    "species": "species",
    "attention span": "attention spans",
}
UNCOUNTABLE = frozenset(
    _split(
        """
        attention, information, feedback, infrastructure, noise, entropy, carbon, supply, demand,
        memory, vocabulary, innovation, evidence
        """
    )
)
ADJECTIVES = _split(
    """
    sparse, dense, robust, noisy, latent, hidden, stable, unstable, linear, nonlinear, convex,
    stochastic, deterministic, recurrent, causal, empirical, theoretical, practical, naïve,
    careful, surprising, subtle, common, rare, local, global, early, late, shallow, deep,
    small, large, efficient, costly, scalable, fragile, adaptive, static, dynamic, implicit,
    explicit, formal, informal, structural, functional, biological, economic, social,
    political, historical, modern, classical, quantum, statistical, probabilistic, symbolic,
    distributed, parallel, sequential, hierarchical, modular, emergent, open, closed, general,
    specific, key, central, marginal, long-term, short-term
    """
)
ADVERBS = _split(
    """
    quickly, slowly, reliably, rarely, often, usually, barely, largely, gradually, sharply,
    consistently, surprisingly, implicitly, explicitly, dramatically, modestly, partly,
    mostly, roughly, precisely
    """
)
VERBS = _split(
    """
    explain, predict, improve, reduce, increase, shape, limit, drive, support, challenge,
    extend, replace, combine, separate, encode, decode, compress, approximate, measure,
    estimate, constrain, enable, prevent, reflect, mirror, amplify, dampen, stabilize,
    disrupt, transform, organize, connect, isolate, summarize, generalize, overfit,
    outperform, underestimate, reveal, obscure
    """
)
GERUNDS = _split(
    """
    changing, measuring, ignoring, rewriting, scaling, tuning, sampling, revisiting,
    simplifying, testing, breaking, retraining, questioning
    """
)
FIRST_NAMES = _split(
    """
    Ada, Alan, Grace, Claude, Emmy, Kurt, Paul, Rosalind, Richard, Barbara, John, Marie,
    Niels, Lise, Henri, Srinivasa, Sofia, Hedy, Edsger, Donald, Leslie, Frances, Shafi,
    Yoshua, Fei-Fei, Daphne, Judea, Herbert, Elinor, Amartya, Esther, Tim, Katalin, Jennifer,
    Demis, Andrej, Lex, Tyler
    """
)
LAST_NAMES = _split(
    """
    Lovelace, Turing, Hopper, Shannon, Noether, Gödel, Erdős, Franklin, Feynman, Liskov,
    McCarthy, Curie, Bohr, Meitner, Poincaré, Ramanujan, Kovalevskaya, Lamarr, Dijkstra,
    Knuth, Lamport, Allen, Goldwasser, Bengio, Li, Koller, Pearl, Simon, Ostrom, Sen, Duflo,
    Berners-Lee, Karikó, Doudna, Hassabis, Karpathy, Fridman, Cowen
    """
)
SECTION_HEADINGS = _split(
    """
    Overview, Background, Key ideas, Method, Results, Open questions, Related work, Critique,
    Summary, Examples, Definitions, Implications, Notes, Timeline, Evidence, Counterarguments,
    Applications, Limitations, Further reading, Takeaways, Quotes, Questions for later,
    Context, Motivation, Next steps
    """
)
TOP_FOLDERS = _split(
    """
    Research, Videos, Reading, Concepts, People, Projects, Meetings, Courses, Archive, Inbox
    """
)
DATED_FOLDERS = frozenset({"Meetings", "Archive"})
CALLOUT_TYPES = _split(
    """
    info, note, tip, warning, question, quote, example, abstract, important, todo
    """
)
TAG_ROOTS = _split(
    """
    ml, biology, economics, policy, systems, math, reading, video, idea, project, status,
    method, history, writing
    """
)
TAG_LEAVES = _split(
    """
    transformers, optimization, proteins, genomics, markets, institutions, databases,
    compilers, probability, topology, books, papers, lectures, draft, done, todo, evergreen,
    seedling, review, open-question
    """
)
CODE_SNIPPETS = (
    (
        "python",
        "def loss(y, y_hat):\n    return ((y - y_hat) ** 2).mean()\n\nprint(loss(ys, preds))",
    ),
    ("python", "import numpy as np\n\nx = np.linspace(0, 1, 100)\ny = np.sin(2 * np.pi * x)"),
    ("bash", "pip install --upgrade torch\npython train.py --epochs 10 --lr 3e-4"),
    ("sql", "SELECT author, count(*) AS n\nFROM notes\nGROUP BY author\nORDER BY n DESC;"),
    ("js", "const total = items.reduce((sum, item) => sum + item.weight, 0);"),
    ("", "step 1: collect the samples\nstep 2: fit the model\nstep 3: compare with baseline"),
)
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BLOCK_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_PLAIN_YAML = re.compile(r"[A-Za-z][\w .\-/()'À-ɏ]*")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


def plural(noun: str) -> str:
    """The plural of a noun from :data:`NOUNS`."""
    if noun in UNCOUNTABLE:
        return noun
    if noun in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[noun]
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def third_person(verb: str) -> str:
    """``explain`` -> ``explains``."""
    if verb.endswith(("s", "x", "ch", "sh")):
        return verb + "es"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _yaml_scalar(text: str) -> str:
    """A YAML scalar for ``text``: plain when that is unambiguous, else double-quoted."""
    if _PLAIN_YAML.fullmatch(text) and text.casefold() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _basename(path: str) -> str:
    """``attachments/a.png`` -> ``a.png``: attachments are linked by name, as Obsidian does."""
    return path.rsplit("/", 1)[-1]


def _png(index: int) -> bytes:
    """A valid 1x1 RGB PNG whose colour depends on ``index`` (69 bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    pixel = bytes([(index * 37) % 256, (index * 91) % 256, (index * 53) % 256])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" + pixel, 9))
        + chunk(b"IEND", b"")
    )


# -- the plan: every note's name, place, headings and block ids, decided before any body -------


@dataclass
class NotePlan:
    """What other notes may rely on about a note: where it is and what can be linked in it."""

    name: str
    folder: str
    title: str | None = None
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)
    video_id: str | None = None
    front_matter: bool = True
    private: bool = False

    @property
    def path(self) -> str:
        """The vault path, ``folder/Name.md``."""
        return f"{self.folder}/{self.name}.md" if self.folder else f"{self.name}.md"

    @property
    def link_path(self) -> str:
        """The path form of a link to the note, ``folder/Name``."""
        return self.path[:-3]


@dataclass(frozen=True)
class VaultSummary:
    """What :func:`generate` wrote."""

    n_notes: int
    seed: int
    folders: int
    attachments: int
    links: int
    words: int
    private: tuple[str, ...]
    video_notes: int
    without_front_matter: int

    def to_json(self) -> dict[str, object]:
        """The summary as the marker file stores it."""
        return {
            "generator_version": GENERATOR_VERSION,
            "n_notes": self.n_notes,
            "seed": self.seed,
            "folders": self.folders,
            "attachments": self.attachments,
            "links": self.links,
            "words": self.words,
            "private": list(self.private),
            "video_notes": self.video_notes,
            "without_front_matter": self.without_front_matter,
        }


class _Words:
    """Phrases and sentences drawn from the fixed word lists with one random source."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng

    def noun(self) -> str:
        return self.rng.choice(NOUNS)

    def nouns(self) -> str:
        return plural(self.rng.choice(NOUNS))

    def adj(self) -> str:
        return self.rng.choice(ADJECTIVES)

    def ascii_adj(self) -> str:
        """An adjective usable in a block id (``^id`` allows only ASCII letters, digits, ``-``)."""
        return next(a for a in iter(self.adj, None) if a.isascii())

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def phrase(self) -> str:
        """A short noun phrase, sometimes highlighted."""
        text = f"{self.adj()} {self.nouns()}" if self.rng.random() < 0.6 else self.nouns()
        return f"=={text}==" if self.rng.random() < 0.04 else text

    def title(self) -> str:
        """A note title such as 'Sparse representations in protein folding'."""
        r = self.rng
        form = r.randrange(9)
        if form == 0:
            return _cap(f"{self.adj()} {self.nouns()}")
        if form == 1:
            return _cap(f"{self.noun()} {self.noun()}")
        if form == 2:
            return _cap(f"{self.adj()} {self.noun()} in {self.nouns()}")
        if form == 3:
            return f"The role of {self.nouns()} in {self.noun()} {self.nouns()}"
        if form == 4:
            return f"On {self.adj()} {self.nouns()}"
        if form == 5:
            return f"Why {self.nouns()} {r.choice(VERBS)} {self.nouns()}"
        if form == 6:
            return _cap(f"{self.noun()} vs {self.noun()}")
        if form == 7:
            stamp = f"20{r.randint(19, 24)}{r.randint(1, 12):02}{r.randint(1, 28):02}"
            return _cap(
                f"{self.adj()} {self.noun()} {stamp}{r.randint(0, 23):02}{r.randint(0, 59):02}"
            )
        return _cap(f"{self.adj()} {self.noun()} and {self.nouns()}")

    def heading(self) -> str:
        r = self.rng
        form = r.randrange(5)
        if form <= 1:
            return r.choice(SECTION_HEADINGS)
        if form == 2:
            return _cap(f"{self.adj()} {self.nouns()}")
        if form == 3:
            return f"The {self.noun()} problem"
        return f"How {self.nouns()} {r.choice(VERBS)} {self.nouns()}"

    def tag(self) -> str:
        root = self.rng.choice(TAG_ROOTS)
        return f"{root}/{self.rng.choice(TAG_LEAVES)}" if self.rng.random() < 0.45 else root

    def sentence(self) -> str:
        """One sentence of plausible research prose (10-20 words), ending in a full stop."""
        r = self.rng
        form = r.randrange(10)
        v, v3 = r.choice(VERBS), third_person(r.choice(VERBS))
        if form == 0:
            s = f"The {self.adj()} {self.noun()} {v3} the {self.noun()} of {self.phrase()}"
        elif form == 1:
            s = f"In practice, {self.phrase()} {v} {r.choice(ADVERBS)} when the {self.noun()} is {self.adj()}"
        elif form == 2:
            s = f"This suggests that {self.phrase()} can {v} {self.nouns()} without {r.choice(GERUNDS)} the {self.noun()}"
        elif form == 3:
            s = f"One open question is whether {self.nouns()} {v} the {self.noun()} or merely {r.choice(VERBS)} it"
        elif form == 4:
            s = f"{self.person()} argues that the {self.noun()} {v3} {self.phrase()} {r.choice(ADVERBS)}"
        elif form == 5:
            s = f"Compared with {self.phrase()}, the {self.adj()} {self.noun()} {v3} {r.choice(ADVERBS)}"
        elif form == 6:
            s = f"A key point is that {self.noun()} and {self.noun()} are {self.adj()} in most {self.nouns()}"
        elif form == 7:
            s = f"We still do not know how the {self.noun()} {v3} {self.phrase()} over time"
        elif form == 8:
            s = f"Most {self.nouns()} {v} the {self.adj()} {self.noun()}, but a few {r.choice(VERBS)} it {r.choice(ADVERBS)}"
        else:
            s = f"The evidence for {self.phrase()} is {self.adj()}, and the {self.noun()} remains {self.adj()}"
        if r.random() < 0.05:
            s = s.replace(" the ", " the **", 1) + "**" if " the " in s else s
        return _cap(s) + "."


# -- the vault -----------------------------------------------------------------------------------


def _folders(rng: Random, words: _Words, n_notes: int) -> list[str]:
    """The note folders: a few top-level areas with sub-folders 2-3 levels deep."""
    count = max(3, min(100, round(0.95 * math.sqrt(n_notes))))
    n_top = max(2, min(len(TOP_FOLDERS), count // 6))
    tops = list(TOP_FOLDERS[:n_top])
    level2: list[str] = []
    level3: list[str] = []
    seen = {f.casefold() for f in tops}
    while len(tops) + len(level2) + len(level3) < count:
        if level2 and rng.random() < 0.35:
            parent, into = rng.choice(level2), level3
        else:
            parent, into = rng.choice(tops), level2
        top = parent.split("/", 1)[0]
        if top in DATED_FOLDERS and parent == top:
            name = str(rng.randint(2016, 2025))
        elif top in DATED_FOLDERS:
            name = f"{rng.randint(1, 12):02} {rng.choice(('Jan', 'Apr', 'Jul', 'Oct'))}"
        elif top == "People" and parent == top:
            name = rng.choice(("Researchers", "Authors", "Founders", "Podcasters", "Colleagues"))
        elif top == "People":
            name = rng.choice(("A-F", "G-L", "M-R", "S-Z"))
        else:
            name = _cap(f"{words.adj()} {words.nouns()}" if rng.random() < 0.5 else words.nouns())
        path = f"{parent}/{name}"
        if path.casefold() not in seen:
            seen.add(path.casefold())
            into.append(path)
    return tops + level2 + level3


def _plan(rng: Random, words: _Words, n_notes: int, folders: list[str]) -> list[NotePlan]:
    weights = [rng.uniform(0.5, 2.0) for _ in folders]
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    taken: set[str] = set()
    plans: list[NotePlan] = []
    for _ in range(n_notes):
        where = "" if rng.random() < 0.02 else folders[bisect.bisect(cum, rng.uniform(0, total))]
        top = where.split("/", 1)[0]
        for attempt in range(50):
            name = words.person() if top == "People" else words.title()
            if attempt >= 20:
                name = f"{name} {attempt}"
            if name.casefold() not in taken:
                break
        taken.add(name.casefold())
        plan = NotePlan(name=name, folder=where)
        plan.private = rng.random() < 0.03
        is_video = rng.random() < (0.7 if top == "Videos" else 0.04)
        if is_video:
            plan.video_id = "".join(rng.choice(_ID_ALPHABET) for _ in range(11))
        plan.front_matter = plan.private or is_video or rng.random() >= 1 / 6
        if plan.front_matter:
            if rng.random() < 0.3 or is_video:
                plan.title = _cap(
                    f"{words.adj()} {words.nouns()} and {words.noun()} {words.nouns()}"
                )
            plan.tags = list(dict.fromkeys(words.tag() for _ in range(rng.randint(0, 4))))
        seen_headings: set[str] = set()
        for _ in range(rng.randint(2, 5)):
            for level in (2, 3) if rng.random() < 0.3 else (2,):
                text = words.heading()
                if text.casefold() not in seen_headings:
                    seen_headings.add(text.casefold())
                    plan.headings.append((level, text))
        if rng.random() < 0.5:
            plan.block_ids = list(
                dict.fromkeys(
                    "".join(rng.choice(_BLOCK_ALPHABET) for _ in range(6))
                    if rng.random() < 0.7
                    else f"{words.ascii_adj()}-{words.noun().replace(' ', '-')}"
                    for _ in range(rng.randint(1, 3))
                )
            )
        plans.append(plan)
    # Aliases last: they must not clash with any note name.
    for plan in plans:
        if plan.front_matter and rng.random() < 0.2:
            for _ in range(rng.randint(1, 2)):
                base = plan.title or plan.name
                initials = "".join(w[0] for w in base.split() if w[0].isalpha()).upper()
                alias = initials if len(initials) >= 3 and rng.random() < 0.5 else words.title()
                if alias.casefold() not in taken:
                    taken.add(alias.casefold())
                    plan.aliases.append(alias)
    return plans


@dataclass
class _Block:
    """One block of a note body while it is written.

    ``items`` are lists of sentences: a paragraph, quote or callout has one, a list one per item;
    links and block ids are put into them before the block is rendered.
    """

    kind: str
    head: str = ""
    items: list[list[str]] = field(default_factory=list)

    def words(self) -> int:
        return len(self.head.split()) + sum(len(s.split()) for item in self.items for s in item)

    def render(self, rng: Random, words: _Words) -> str:
        if self.kind == "raw":
            return self.head
        if self.kind == "para":
            return " ".join(self.items[0])
        if self.kind == "quote":
            return "> " + " ".join(self.items[0])
        if self.kind == "callout":
            return "\n".join([self.head, *(f"> {s}" for s in self.items[0])])
        lines = []
        for n, item in enumerate(self.items, start=1):
            bullet = f"{n}." if self.head == "1." else self.head
            if self.head == "- [ ]" and rng.random() < 0.4:
                bullet = "- [x]"
            lines.append(f"{bullet} {' '.join(item)}")
            if rng.random() < 0.1:
                lines.append(f"    - {words.sentence()}")
        return "\n".join(lines)


class _Writer:
    """Writes the bodies, choosing link targets among the planned notes."""

    def __init__(self, rng: Random, words: _Words, plans: list[NotePlan], images: list[str]):
        self.rng = rng
        self.words = words
        self.plans = plans
        self.images = images
        self.by_folder: dict[str, list[int]] = {}
        for i, plan in enumerate(plans):
            self.by_folder.setdefault(plan.folder, []).append(i)
        # Hubs: a Zipf-like popularity over a shuffled order, so a few notes get many backlinks.
        order = list(range(len(plans)))
        rng.shuffle(order)
        self.popular = order
        self.popularity: list[float] = []
        total = 0.0
        for rank in range(len(order)):
            total += 1 / (rank + 1) ** 0.9
            self.popularity.append(total)
        self.with_headings = [i for i, p in enumerate(plans) if p.headings]
        self.with_blocks = [i for i, p in enumerate(plans) if p.block_ids]
        self.with_aliases = [i for i, p in enumerate(plans) if p.aliases]
        self.people = [i for i, p in enumerate(plans) if p.folder.startswith("People")]
        self.unwritten = list(dict.fromkeys(words.title() for _ in range(max(5, len(plans) // 10))))
        names = {p.name.casefold() for p in plans} | {
            a.casefold() for p in plans for a in p.aliases
        }
        self.unwritten = [t for t in self.unwritten if t.casefold() not in names]

    def target(self, source: int) -> int:
        peers = self.by_folder[self.plans[source].folder]
        if len(peers) > 1 and self.rng.random() < 0.35:
            choice = self.rng.choice(peers)
        else:
            at = self.rng.uniform(0, self.popularity[-1])
            choice = self.popular[min(bisect.bisect(self.popularity, at), len(self.popular) - 1)]
        return choice if choice != source else self.popular[0]

    def link(self, source: int) -> tuple[str, bool]:
        """One wikilink written in note ``source``, and whether it must stand on its own line."""
        r = self.rng
        roll = r.random()
        if roll < 0.05 and self.unwritten:
            return f"[[{r.choice(self.unwritten)}]]", False
        if roll < 0.09 and self.images:
            image = r.choice(self.images)
            size = f"|{r.choice((200, 300, 400, 640))}" if r.random() < 0.4 else ""
            return f"![[{image}{size}]]", True
        if roll < 0.115:
            return f"![[{self.plans[self.target(source)].name}]]", True
        if roll < 0.145 and self.with_aliases:
            plan = self.plans[r.choice(self.with_aliases)]
            return f"[[{r.choice(plan.aliases)}]]", False
        if roll < 0.245 and self.with_headings:
            plan = self.plans[r.choice(self.with_headings)]
            return f"[[{plan.name}#{r.choice(plan.headings)[1]}]]", False
        if roll < 0.31 and self.with_blocks:
            plan = self.plans[r.choice(self.with_blocks)]
            return f"[[{plan.name}#^{r.choice(plan.block_ids)}]]", False
        plan = self.plans[self.target(source)]
        if roll < 0.45:
            return f"[[{plan.link_path}]]", False
        if roll < 0.62:
            return f"[[{plan.name}|{self.words.phrase().replace('==', '')}]]", False
        return f"[[{plan.name}]]", False

    def body(self, index: int) -> tuple[str, int, int]:
        """The note's Markdown body, its word count and its number of wikilinks."""
        r, w, plan = self.rng, self.words, self.plans[index]
        target_words = r.randint(150, 720)  # what blocks overshoot by brings it to 200-800
        clock = [r.randint(0, 120)]

        def timestamp() -> str:
            clock[0] += r.randint(20, 240)
            t = clock[0]
            hms = f"{t // 3600:02}:{t % 3600 // 60:02}:{t % 60:02}"
            return f' <a class="yt-timestamp" data-t="{hms}">[{hms}]</a>'

        def sentence() -> str:
            s = w.sentence()
            if plan.video_id and r.random() < 0.3:
                s = s[:-1] + timestamp() + "."
            if r.random() < 0.03:
                s += f" #{w.tag()}"
            if r.random() < 0.02:
                s += f" %%{w.sentence()[:-1].lower()}%%"
            return s

        def prose(low: int, high: int) -> list[list[str]]:
            return [[sentence() for _ in range(r.randint(low, high))]]

        fields: list[str] = []
        if r.random() < 0.3:
            fields.append("source:: LINK")
            if r.random() < 0.5:
                fields.append(f"status:: {r.choice(('reading', 'draft', 'done', 'to review'))}")
            if r.random() < 0.3:
                fields.append(f"rating:: {r.randint(1, 5)}")
        blocks: list[_Block] = []
        if plan.video_id and self.people:
            blocks.append(
                _Block("raw", f"From: [[{self.plans[r.choice(self.people)].name}]] <br/>")
            )
        blocks.append(_Block("para", items=prose(2, 4)))
        written = sum(b.words() for b in blocks)
        for n, (level, text) in enumerate(plan.headings):
            blocks.append(_Block("raw", f"{'#' * level} {text}"))
            # Share what is left of the word budget among the remaining sections; every section
            # gets at least one block (other notes link to its heading).
            budget = (target_words - written) / (len(plan.headings) - n) * 0.8
            section_words = 0
            while section_words == 0 or section_words < budget:
                roll = r.random()
                if roll < 0.55:
                    block = _Block("para", items=prose(2, 5))
                elif roll < 0.75:
                    marker = r.choice(("-", "-", "*", "1.", "- [ ]"))
                    entries = [[sentence()] for _ in range(r.randint(3, 6))]
                    block = _Block("list", marker, entries)
                elif roll < 0.83:
                    kind = r.choice(CALLOUT_TYPES)
                    fold = r.choice(("", "", "", "-", "+"))
                    title = f" {_cap(w.phrase().replace('==', ''))}" if r.random() < 0.7 else ""
                    block = _Block("callout", f"> [!{kind}]{fold}{title}", prose(1, 3))
                elif roll < 0.87:
                    lang, code = r.choice(CODE_SNIPPETS)
                    block = _Block("raw", f"```{lang}\n{code}\n```")
                elif roll < 0.90:
                    rows = [
                        f"| {_cap(w.noun())} | {w.adj()} | {r.randint(1, 99)} |"
                        for _ in range(r.randint(2, 4))
                    ]
                    block = _Block(
                        "raw", "| Item | Kind | Score |\n| --- | --- | --: |\n" + "\n".join(rows)
                    )
                elif roll < 0.93:
                    block = _Block("raw", f"%% {w.sentence()} %%")
                elif roll < 0.96:
                    block = _Block("quote", items=prose(1, 2))
                else:
                    block = _Block("raw", " ".join(f"#{w.tag()}" for _ in range(r.randint(1, 3))))
                blocks.append(block)
                section_words += block.words()
            written += section_words

        # Links: each in a prose sentence, or (embeds) on a line of its own between blocks.
        sentences = [
            (s, i) for b in blocks if b.kind != "raw" for s in b.items for i in range(len(s))
        ]
        n_links = r.randint(5, 15)
        standalone: list[str] = []
        for i in range(n_links):
            text, alone = self.link(index)
            if i == 0 and fields:
                fields[0] = fields[0].replace("LINK", text.lstrip("!"))
            elif alone:
                standalone.append(text)
            else:
                group, at = r.choice(sentences)
                s = group[at]
                stop = s.rindex(".")
                form = r.randrange(5)
                if form == 0:
                    group[at] = f"{s[:stop]}, as in {text}{s[stop:]}"
                elif form == 1:
                    group[at] = f"{s[:stop]} (see {text}){s[stop:]}"
                elif form == 2:
                    group[at] = f"{text} makes a similar point: {s[0].lower()}{s[1:]}"
                elif form == 3:
                    group[at] = f"{s[:stop]}; compare {text}{s[stop:]}"
                else:
                    group[at] = f"{s} More in {text}."
        for text in standalone:
            blocks.insert(r.randint(1, len(blocks)), _Block("raw", text))

        footnote = r.random() < 0.05
        if footnote:
            group, at = r.choice(sentences)
            stop = group[at].rindex(".")
            group[at] = f"{group[at][:stop]}[^1]{group[at][stop:]}"

        # Block ids: at the end of distinct paragraphs or list items.
        spots = [b.items[-1] for b in blocks if b.kind == "para"]
        spots += [item for b in blocks if b.kind == "list" for item in b.items]
        while len(spots) < len(plan.block_ids):  # a short note with many ids gets more prose
            blocks.append(_Block("para", items=prose(2, 4)))
            spots.append(blocks[-1].items[-1])
        for block_id, group in zip(
            plan.block_ids, r.sample(spots, len(plan.block_ids)), strict=True
        ):
            group[-1] = f"{group[-1]} ^{block_id}"

        out = ["\n".join(fields)] if fields else []
        out += [block.render(r, w) for block in blocks]
        if footnote:
            out.append(f"[^1]: {w.sentence()}")
        text = "\n\n".join(out) + "\n"
        return text, len(text.split()), n_links

    def front_matter(self, plan: NotePlan) -> str:
        r = self.rng
        lines = ["---"]
        if plan.title:
            lines.append(f"title: {_yaml_scalar(plan.title)}")
        if plan.aliases:
            lines.append("aliases:")
            lines += [f"  - {_yaml_scalar(a)}" for a in plan.aliases]
        if plan.tags:
            if r.random() < 0.5:
                lines.append(f"tags: [{', '.join(plan.tags)}]")
            else:
                lines.append("tags:")
                lines += [f"  - {t}" for t in plan.tags]
        if r.random() < 0.6:
            lines.append(
                f"created: 20{r.randint(19, 24)}-{r.randint(1, 12):02}-{r.randint(1, 28):02}"
            )
        if plan.video_id:
            lines.append(f"videoId: {plan.video_id}")
        elif r.random() < 0.1:
            lines.append(f"source: https://example.org/papers/{r.randint(1000, 9999)}")
        if plan.private:
            lines.append("publish: false")
        lines.append("---")
        return "\n".join(lines) + "\n"


def generate(root: Path, n_notes: int, seed: int = 0) -> VaultSummary:
    """Write a vault of ``n_notes`` notes into ``root`` (which must not exist or be empty)."""
    if n_notes < 1:
        raise ValueError("n_notes must be at least 1")
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    rng = Random(f"notesite-bench/{n_notes}/{seed}")
    words = _Words(rng)
    folders = _folders(rng, words, n_notes)
    plans = _plan(rng, words, n_notes, folders)
    images = [
        f"attachments/Pasted image 20{rng.randint(19, 24)}{rng.randint(1, 12):02}{rng.randint(1, 28):02}{i:06}.png"
        if rng.random() < 0.6
        else f"attachments/figure-{rng.choice(NOUNS).replace(' ', '-')}-{i}.png"
        for i in range(max(3, n_notes // 100))
    ]
    writer = _Writer(rng, words, plans, [_basename(p) for p in images])

    root.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(images):
        target = root / image
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_png(i))
    n_links = n_words = 0
    for i, plan in enumerate(plans):
        body, body_words, links = writer.body(i)
        text = (writer.front_matter(plan) if plan.front_matter else "") + body
        (root / plan.path).write_bytes(text.encode("utf-8"))
        n_links += links
        n_words += body_words
    summary = VaultSummary(
        n_notes=n_notes,
        seed=seed,
        folders=len(folders) + 1,
        attachments=len(images),
        links=n_links,
        words=n_words,
        private=tuple(p.path for p in plans if p.private),
        video_notes=sum(1 for p in plans if p.video_id),
        without_front_matter=sum(1 for p in plans if not p.front_matter),
    )
    (root / MARKER).write_text(json.dumps(summary.to_json(), indent=1) + "\n", encoding="utf-8")
    return summary


def read_marker(root: Path) -> dict[str, object] | None:
    """The marker of a complete generated vault, or ``None``."""
    try:
        data = json.loads((root / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def main() -> None:
    """Write one vault from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    summary = generate(args.root, args.notes, args.seed)
    print(json.dumps({k: v for k, v in summary.to_json().items() if k != "private"}))


if __name__ == "__main__":
    main()
