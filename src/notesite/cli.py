"""The ``notesite`` command: ``notesite check`` lints a vault without building a site.

``check`` runs the same core as the MkDocs plugin (walk the vault, load the notes, build the link
graph) and reports what the core reports, plus what only a linter cares about: public notes that link to
private ones, notes that nothing links to and that link to nothing, Dataview queries that cannot
be parsed, and where DataviewJS views are (which only Obsidian can run).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from notesite import __version__
from notesite.cite.bibliographies import for_site, unknown_key_message
from notesite.cite.style import DEFAULT_STYLE
from notesite.graph import LinkGraph
from notesite.heap import collector_paused
from notesite.init import WORKFLOW, init
from notesite.init import __doc__ as init_doc
from notesite.paths import VaultPath
from notesite.problems import Level, Problem
from notesite.query.bases.spec import read_base
from notesite.query.dql import DqlError, parse_query
from notesite.syntax.queries import find_inline_js, find_query_fences
from notesite.vault import DEFAULT_NOTE_EXTENSIONS, apply_publish_rules, load_vault, walk_vault

FAIL_ON = {"info": Level.INFO, "warning": Level.WARNING, "never": None}


@dataclass(frozen=True)
class CheckOptions:
    """The plugin options ``check`` honours (see :class:`notesite.config.NotesiteConfig`)."""

    note_extensions: tuple[str, ...] = DEFAULT_NOTE_EXTENSIONS
    ignore: tuple[str, ...] = ()
    unresolved_links: str = "info"
    exclude_dirs: tuple[Path, ...] = ()
    """Folders never walked (the site's output folder)."""
    private: tuple[str, ...] = ()
    """Globs of notes never published, as the plugin's ``private`` option."""
    opt_in: bool = False
    """Only notes whose front matter says ``publish: true`` are published (``publish: opt-in``)."""
    bibliography: tuple[str, ...] = ()
    """The site's bibliographies (the plugin's ``bibliography``), relative to ``config_dir``."""
    config_dir: Path | None = None
    """The folder of ``mkdocs.yml``."""


@dataclass(frozen=True)
class CheckResult:
    """What checking a vault found: how many notes it read and every problem, sorted."""

    notes: int
    problems: tuple[Problem, ...] = field(default=())

    def counts(self) -> dict[str, int]:
        """Problems per level name: ``{"warning": 3, "info": 12}``."""
        found = Counter(p.level for p in self.problems)
        return {level.name.lower(): found[level] for level in sorted(Level, reverse=True)}

    def fails(self, threshold: Level | None) -> bool:
        """Whether a problem at or above ``threshold`` exists (never, for ``None``)."""
        return threshold is not None and any(p.level >= threshold for p in self.problems)


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return problem.path, problem.line or 0, problem.kind, problem.message


def private_links(graph: LinkGraph) -> list[Problem]:
    """Public notes that link to or embed a note that is not published."""
    problems = []
    for source, resolved in graph.outgoing.items():
        for ref, resolution in resolved:
            if resolution.status != "private" or resolution.path is None:
                continue
            meta = graph.notes[resolution.path].meta
            if meta.get("draft") is True:
                why = "draft: true"
            elif meta.get("publish") is False:
                why = "publish: false"
            else:  # the configuration's rules made it private
                why = "private in mkdocs.yml"
            verb = "embeds" if ref.link.embed else "links to"
            message = f"{verb} '{ref.link}', which is not published ({why})"
            problems.append(Problem(source, ref.line, message, "private-link", Level.WARNING))
    return problems


def orphans(graph: LinkGraph) -> list[Problem]:
    """Public notes with no backlinks that link to no other note either."""
    problems = []
    for path, resolved in graph.outgoing.items():
        if graph.backlinks.get(path):
            continue
        if any(r.ok and r.kind == "note" and r.path != path for _, r in resolved):
            continue
        message = "is an orphan: no note links to it and it links to no other note"
        problems.append(Problem(path, None, message, "orphan", Level.INFO))
    return problems


def queries(graph: LinkGraph) -> list[Problem]:
    """Where public notes hold DataviewJS (only Obsidian runs it: the site shows a placeholder)
    and Dataview queries that cannot be parsed (the site shows an error box)."""
    problems = []
    for path in graph.outgoing:
        note = graph.notes[path]
        if "dataview" not in note.body and "`$=" not in note.body:
            continue
        lines = note.body.split("\n")
        for start, _, language, text in find_query_fences(lines):
            line = note.body_line + start
            if language == "dataviewjs":
                message = "holds a DataviewJS view, which only Obsidian runs: the site shows a placeholder"
                problems.append(Problem(path, line, message, "dataviewjs", Level.INFO))
                continue
            try:
                parse_query(text)
            except DqlError as error:
                at = line + error.line if error.line else line
                message = f"Dataview query: {error.message}"
                problems.append(Problem(path, at, message, "query", Level.WARNING))
        for at in find_inline_js(note.body):
            message = "holds an inline DataviewJS query, which only Obsidian runs: the site shows a placeholder"
            problems.append(
                Problem(path, note.body_line + at - 1, message, "dataviewjs", Level.INFO)
            )
    return problems


def base_problems(root: Path, paths: Iterable[VaultPath]) -> list[Problem]:
    """What makes a ``.base`` file of the vault unreadable (and what it leaves out)."""
    problems = []
    for path in paths:
        if not path.lower().endswith(".base"):
            continue
        try:
            text = (root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(path, None, f"could not be read ({error})", "io"))
            continue
        spec, found = read_base(text)
        level = Level.INFO if spec is not None else Level.WARNING
        problems += [Problem(path, p.line, f"base {p.message}", "base", level) for p in found]
    return problems


def uncited(graph: LinkGraph, root: Path, options: CheckOptions) -> list[Problem]:
    """What reading the bibliographies found, and citations of keys none of them holds."""
    public = [(n.path, n.meta) for n in graph.public_notes()]
    base = options.config_dir or Path.cwd()
    found = for_site(root, base, list(options.bibliography), DEFAULT_STYLE, public)
    if found is None:
        return []
    problems = list(found.problems)
    for note in graph.public_notes():
        library = found.library(note.meta) if note.citations and graph.cites(note) else None
        if library is None:
            continue
        for ref in note.citations:
            if ref.link.target not in library:
                message = unknown_key_message(ref.link.target)
                problems.append(Problem(note.path, ref.line, message, "cite"))
    return problems


def check_vault(root: Path, options: CheckOptions | None = None) -> CheckResult:
    """Lint the vault at ``root`` with the core alone (no MkDocs build)."""
    options = options or CheckOptions()
    files = walk_vault(
        root,
        note_extensions=options.note_extensions,
        ignore=options.ignore,
        exclude_dirs=options.exclude_dirs,
    )
    level = Level.WARNING if options.unresolved_links == "warn" else Level.INFO
    # One pause for all of it: the collector would walk the notes after each stage otherwise.
    with collector_paused():
        # One parsing process per core.
        notes, problems = load_vault(files, workers=os.cpu_count() or 1)
        notes = apply_publish_rules(notes, private=options.private, opt_in=options.opt_in)
        graph = LinkGraph(
            notes,
            files.attachments,
            unresolved_level=level,
            site_bibliography=bool(options.bibliography),
        )
        problems += graph.problems + private_links(graph) + orphans(graph) + queries(graph)
        problems += base_problems(root, files.attachments)
        problems += uncited(graph, root, options)
        return CheckResult(len(notes), tuple(sorted(problems, key=_sort_key)))


# -- mkdocs.yml ------------------------------------------------------------------------------------


class ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads ``mkdocs.yml``: ``!!python/...`` tags load as ``None``,
    ``!ENV`` reads the environment and any other tag loads as its untagged value."""


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(loader.construct_scalar(node)))
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    for name in names[:-1]:
        if str(name) in os.environ:
            return os.environ[str(name)]
    return names[-1] if names else None


def _other_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)
ConfigLoader.add_constructor("!ENV", _env_tag)
ConfigLoader.add_multi_constructor("!", _other_tag)


def read_config(config_file: Path) -> tuple[Path, CheckOptions]:
    """The vault folder and the notesite options a ``mkdocs.yml`` sets (paths made absolute)."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader) or {}
    if not isinstance(data, dict):
        raise ValueError("it is not a mapping of settings")
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    else:
        entries = [next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins]
    plugin: dict[str, Any] = next((dict(o or {}) for n, o in entries if n == "notesite"), {})
    unresolved = str(plugin.get("unresolved_links") or "info")
    if unresolved not in ("info", "warn"):
        raise ValueError(f"unresolved_links must be 'info' or 'warn', not {unresolved!r}")
    publish = str(plugin.get("publish") or "all")
    if publish not in ("all", "opt-in"):
        raise ValueError(f"publish must be 'all' or 'opt-in', not {publish!r}")
    base = config_file.resolve().parent
    options = CheckOptions(
        note_extensions=_str_list(plugin.get("note_extensions")) or DEFAULT_NOTE_EXTENSIONS,
        ignore=_str_list(plugin.get("ignore")),
        unresolved_links=unresolved,
        exclude_dirs=(base / str(data.get("site_dir") or "site"),),
        private=_str_list(plugin.get("private")),
        opt_in=publish == "opt-in",
        bibliography=_str_list(plugin.get("bibliography")),
        config_dir=base,
    )
    return base / str(plugin.get("vault") or data.get("docs_dir") or "docs"), options


def _str_list(value: object) -> tuple[str, ...]:
    """A YAML list of strings (or one string) as a tuple."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(str(item) for item in items if item is not None)


# -- output ----------------------------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_text(result: CheckResult) -> str:
    """One ``path:line: LEVEL kind: message`` line per problem, then a summary line."""
    lines = []
    for p in result.problems:
        where = f"{p.path}:{p.line}" if p.line else p.path
        lines.append(f"{where}: {p.level.name} {p.kind}: {p.message}")
    counts = result.counts()
    summary = [_plural(result.notes, "note")] + [_plural(n, k) for k, n in counts.items()]
    return "\n".join([*lines, ", ".join(summary)])


def format_json(result: CheckResult) -> str:
    """``{"notes": N, "problems": [...], "counts": {...}}``."""
    problems = [
        {
            "path": p.path,
            "line": p.line,
            "level": p.level.name.lower(),
            "kind": p.kind,
            "message": p.message,
        }
        for p in result.problems
    ]
    payload = {"notes": result.notes, "problems": problems, "counts": result.counts()}
    return json.dumps(payload, indent=2, ensure_ascii=False)


# -- the command line ------------------------------------------------------------------------------


def _run_check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    config_file: Path | None = args.config
    if config_file is None and args.vault is None and Path("mkdocs.yml").is_file():
        config_file = Path("mkdocs.yml")
    vault, options = Path("."), CheckOptions()
    if config_file is not None:
        try:
            vault, options = read_config(config_file)
        except (OSError, yaml.YAMLError, ValueError, TypeError) as error:
            parser.error(f"cannot read {config_file}: {error}")
    if args.vault is not None:
        vault = args.vault
    if not vault.is_dir():
        parser.error(f"{vault} is not a folder")
    options = dataclasses.replace(options, ignore=options.ignore + tuple(args.ignore))
    result = check_vault(vault, options)
    print(format_json(result) if args.format == "json" else format_text(result))
    return 1 if result.fails(FAIL_ON[args.fail_on]) else 0


def _add_check(commands: Any) -> None:
    check = commands.add_parser(
        "check", help="lint a vault without building it", description=__doc__
    )
    check.add_argument("vault", nargs="?", type=Path, help="the vault folder (default: .)")
    check.add_argument("--config", type=Path, help="read the notesite options from this mkdocs.yml")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--fail-on",
        choices=tuple(FAIL_ON),
        default="warning",
        help="exit with 1 when a problem at this level or above is found (default: warning)",
    )
    check.add_argument(
        "--ignore",
        action="extend",
        nargs="+",
        default=[],
        metavar="GLOB",
        help="vault paths never read, as the plugin's 'ignore' option (added to it)",
    )
    check.set_defaults(run=_run_check, parser=check)


def _run_init(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    vault: Path = args.vault
    if not vault.is_dir():
        parser.error(f"{vault} is not a folder")
    result = init(vault, Path.cwd(), force=args.force, workflow=args.workflow, install=args.install)
    for path in result.written:
        print(f"wrote {path}")
        if path.name == WORKFLOW.name and result.install:
            print(f"  it installs notesite with: {result.install} (--install to change it)")
    for path in result.skipped:
        print(f"kept {path}: it exists (--force replaces it)")
    if result.written:
        print("next: `mkdocs serve` to read the vault as a site, `mkdocs build` to publish it")
    return 0


def _add_init(commands: Any) -> None:
    command = commands.add_parser(
        "init",
        help="write a mkdocs.yml that publishes an existing vault",
        description=init_doc,
    )
    command.add_argument("vault", type=Path, help="the vault folder (. for this one)")
    command.add_argument("--force", action="store_true", help="replace files that exist")
    command.add_argument(
        "--workflow",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write .github/workflows/publish.yml (default: when this folder is a git repository)",
    )
    command.add_argument(
        "--install",
        metavar="REQUIREMENT",
        help="what the workflow installs notesite from, as pip takes it (notesite==0.1.0, "
        "git+https://github.com/you/notesite@v0.1.0); default: this notesite's git repository "
        "and commit when it was installed from one, else its version",
    )
    command.set_defaults(run=_run_init, parser=command)


def build_parser() -> argparse.ArgumentParser:
    """The ``notesite`` parser: one subparser per command."""
    parser = argparse.ArgumentParser(prog="notesite", description="Obsidian vaults as sites.")
    parser.add_argument("--version", action="version", version=f"notesite {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_check(commands)
    _add_init(commands)
    # More commands go here: an ``_add_<name>(commands)`` that adds a subparser and sets
    # ``run=<function(args, parser) -> int>`` and ``parser=<the subparser>``.
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``notesite``; returns the exit status (argparse exits with 2 on usage errors)."""
    args = build_parser().parse_args(argv)
    status: int = args.run(args, args.parser)
    return status


if __name__ == "__main__":
    sys.exit(main())
