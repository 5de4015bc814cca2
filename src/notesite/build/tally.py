"""The problems of a build: logged as they are found, counted for its closing line."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable

from mkdocs.plugins import get_plugin_logger

from notesite.graph import LinkGraph
from notesite.problems import Level, Problem

log = get_plugin_logger(__name__)


class Tally:
    """Counts the problems a build reports, by kind and level, for its closing line."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, Level]] = Counter()

    def clear(self) -> None:
        self.counts.clear()

    def report(self, problems: Iterable[Problem], *, say: bool = True) -> None:
        """Count the problems, and log them through MkDocs' logger (unless not ``say``)."""
        for problem in problems:
            self.counts[problem.kind, problem.level] += 1
            if say:
                level = logging.WARNING if problem.level >= Level.WARNING else logging.INFO
                log.log(level, str(problem))

    def summarize(self, graph: LinkGraph, public: int) -> None:
        """The closing line of a build: what was published and what was found."""
        private = len(graph.notes) - public
        warnings = sorted(
            (kind, n) for (kind, level), n in self.counts.items() if level >= Level.WARNING
        )
        infos = sum(n for (_, level), n in self.counts.items() if level < Level.WARNING)
        said = ", ".join(f"{n} {kind}" for kind, n in warnings) or "none"
        log.info(
            "published %s and %s; %s left out; warnings: %s; %s",
            count(public, "note"),
            count(len(graph.used_attachments), "attachment"),
            count(private, "private note"),
            said,
            count(infos, "notice"),
        )


def group_problems(problems: Iterable[Problem], paths: Iterable[str]) -> dict[str, list[Problem]]:
    """Problems by the vault path they name, for the notes at ``paths``."""
    wanted = set(paths)
    grouped: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.path in wanted:
            grouped.setdefault(problem.path, []).append(problem)
    return grouped


def count(n: int, noun: str) -> str:
    """``n`` and the noun, in the plural unless one."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
