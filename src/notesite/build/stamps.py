"""What the files a site is made from looked like when a build read them."""

from __future__ import annotations

import os
from collections.abc import Iterable

from mkdocs.config.defaults import MkDocsConfig

from notesite.vault import Stamp


def tree_stamps(paths: Iterable[str]) -> dict[str, Stamp]:
    """The stamps of files, and of every file under folders (absolute paths)."""
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for dirpath, _, names in os.walk(path):
                files += (os.path.join(dirpath, name) for name in names)
        else:
            files.append(path)
    found: dict[str, Stamp] = {}
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            continue
        found[path] = (st.st_mtime_ns, st.st_size)
    return found


def watched_files(config: MkDocsConfig) -> list[str]:
    """The files besides the vault that change what a page looks like."""
    paths = [config.config_file_path] if config.config_file_path else []
    if config.theme.custom_dir:
        paths.append(config.theme.custom_dir)
    return paths + list(config.watch)
