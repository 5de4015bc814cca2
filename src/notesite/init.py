"""``notesite init``: a ready ``mkdocs.yml`` for an existing vault, without moving a note.

The common layout is a git repository whose root is the vault. MkDocs refuses a ``docs_dir``
equal to the config file's folder and a ``site_dir`` inside ``docs_dir``; notesite reads the
vault itself (the plugin's ``vault`` option), so ``docs_dir`` only has to be *some* folder apart
from it: ``init`` makes ``.notesite/`` (a dot-folder, which the vault walk skips) with a README
saying so, and the site goes to ``site/``, which the walk skips too and ``.gitignore`` lists.

The workflow installs notesite as ``--install`` says (any pip requirement: ``notesite==0.1.0``,
``git+https://github.com/you/notesite@v0.1.0``); by default, the notesite that runs ``init``:
from the git repository it was installed from (a ``git+`` URL, or a checkout whose ``origin`` is
one), at the same commit, else the same version from the package index.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, distribution
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from notesite import __version__

PLACEHOLDER_DOCS = ".notesite"
WORKFLOW = Path(".github/workflows/publish.yml")


@dataclass
class InitResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Files that exist already and were left alone (no ``--force``)."""
    install: str | None = None
    """The command the workflow installs notesite with, when a workflow was written."""


def obsidian_settings(vault: Path) -> dict[str, str]:
    """What ``.obsidian/`` says about attachments, link format and templates, when present."""
    found: dict[str, str] = {}
    for name, keys in (
        ("app.json", ("attachmentFolderPath", "newLinkFormat", "strictLineBreaks")),
        ("templates.json", ("folder",)),
    ):
        try:
            data = json.loads((vault / ".obsidian" / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            found.update({key: str(data[key]) for key in keys if key in data})
    return found


def config_text(config_dir: Path, vault: Path) -> str:
    """The ``mkdocs.yml`` for a vault, to be written in ``config_dir``."""
    settings = obsidian_settings(vault)
    at_root = vault.resolve() == config_dir.resolve()
    docs_dir = PLACEHOLDER_DOCS if at_root else os.path.relpath(vault, config_dir)
    ignore = [settings["folder"].strip("/")] if settings.get("folder") else ["templates"]
    strict_breaks = settings.get("strictLineBreaks", "False").lower() == "true"
    q = json.dumps  # JSON strings are YAML strings: any name is safe
    lines = [
        f"# Written by `notesite init` for the vault {q(vault.resolve().name)}.",
        f"site_name: {q(vault.resolve().name)}",
        f"docs_dir: {q(docs_dir)}"
        + ("  # a placeholder: notesite reads the vault (below) itself" if at_root else ""),
        "site_dir: site",
        "",
        "theme:",
        "  name: material",
        "  font: false  # no Google Fonts: no third-party request on any page",
        "  features: [search.suggest, search.highlight]",
        "",
        "plugins:",
        "  - search",
        "  - notesite:",
    ]
    if at_root:
        lines.append('      vault: "."')
    lines += [
        f"      ignore: {q(ignore)}  # Obsidian's templates folder",
        "      # private: []  # globs of notes never published, as if they said publish: false",
        "      # publish: all  # or opt-in: only notes whose front matter says publish: true",
        "      # unresolved_links: info  # or warn: links to notes not written yet fail --strict",
        f"      strict_line_breaks: {'true' if strict_breaks else 'false'}  # as in Obsidian's settings",
        "      # backlinks: true",
        "      # navigation: explorer  # or theme: material's own (its cost grows with the vault)",
        "      # sanitize: true  # clean raw HTML in notes as Obsidian does",
    ]
    if "attachmentFolderPath" in settings:
        lines.append(
            f"      # Attachments live in {q(settings['attachmentFolderPath'])}; links find them by name."
        )
    if "newLinkFormat" in settings:
        lines.append(
            f"      # Obsidian writes {q(settings['newLinkFormat'])} links; notesite resolves every format."
        )
    return "\n".join(lines) + "\n"


def workflow_text(
    install: str = "pip install notesite", cache_dependency_path: str = "mkdocs.yml"
) -> str:
    """The GitHub Actions workflow that checks, builds and deploys the notes."""
    template = files("notesite").joinpath("scaffold/publish.yml").read_text(encoding="utf-8")
    # The build cache is kept per notesite (what installs it) and mkdocs.yml: a commit of notes
    # restores the last one saved (the restore key), and saves its own.
    notesite = f"{__version__}-{hashlib.sha256(install.encode()).hexdigest()[:12]}"
    return (
        template.replace("{install}", install)
        .replace("{cache_dependency_path}", cache_dependency_path)
        .replace("{notesite}", notesite)
    )


def this_notesite() -> str:
    """The notesite running now, as a pip requirement a CI runner can install: from the git
    repository it was installed from, at the same commit; else its version from the index."""
    try:
        text = distribution("notesite").read_text("direct_url.json")
    except PackageNotFoundError:
        text = None
    found = json.loads(text) if text else {}
    vcs = found.get("vcs_info", {})
    url = str(found.get("url", ""))
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"git+{url}@{vcs['commit_id']}"
    if "dir_info" in found and url.startswith("file://"):
        checkout = _git_checkout(Path(unquote(urlsplit(url).path)))
        if checkout is not None:
            return checkout
    return f"notesite=={__version__}"


def _git_checkout(folder: Path) -> str | None:
    """``git+<origin>@<commit>`` for a checkout whose ``origin`` a runner can fetch (https;
    GitHub's ``git@github.com:`` form becomes https), else None."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30
            )
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    origin, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    if not origin or not commit:
        return None
    scp = re.fullmatch(r"git@([\w.-]+):(.+)", origin)
    if scp:
        origin = f"https://{scp[1]}/{scp[2]}"
    if not origin.startswith("https://"):
        return None
    return f"git+{origin}@{commit}"


def install_command(requirement: str | None = None) -> str:
    """The workflow's command installing notesite (``requirement``, else :func:`this_notesite`)."""
    return "pip install " + shlex.quote(requirement or this_notesite())


def init(
    vault: Path,
    config_dir: Path,
    *,
    force: bool = False,
    workflow: bool | None = None,
    install: str | None = None,
) -> InitResult:
    """Write ``mkdocs.yml`` (and, in a git repository, the publishing workflow installing
    notesite as ``install`` says: see :func:`install_command`) for ``vault``."""
    result = InitResult()

    def write(path: Path, text: str) -> None:
        if path.exists() and not force:
            result.skipped.append(path)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result.written.append(path)

    write(config_dir / "mkdocs.yml", config_text(config_dir, vault))
    if vault.resolve() == config_dir.resolve():
        write(
            config_dir / PLACEHOLDER_DOCS / "README.md",
            "notesite reads the vault itself; MkDocs only needs a docs_dir apart from mkdocs.yml's\n"
            "folder. This folder is that placeholder: keep it (and commit it).\n",
        )
        _ignore(config_dir / ".gitignore", "/site/", result)
    # The build cache (see notesite.build.cache) lives beside mkdocs.yml, never committed.
    _ignore(config_dir / ".gitignore", ".cache/", result)
    if workflow if workflow is not None else (config_dir / ".git").exists():
        result.install = install_command(install)
        write(config_dir / WORKFLOW, workflow_text(result.install))
    return result


def _ignore(gitignore: Path, folder: str, result: InitResult) -> None:
    """List a folder (``/site/``, ``.cache/``) in ``.gitignore`` (added to, never overwritten)."""
    existing = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    name = folder.strip("/")
    if any(line.strip().strip("/") == name for line in existing.splitlines()):
        return
    gitignore.write_text(
        existing + ("" if not existing or existing.endswith("\n") else "\n") + folder + "\n",
        encoding="utf-8",
    )
    if gitignore not in result.written:
        result.written.append(gitignore)
