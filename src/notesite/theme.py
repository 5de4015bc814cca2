"""Where notesite's mkdocs-material overrides (``templates/``) are."""

from __future__ import annotations

from pathlib import Path


def templates_dir() -> Path:
    """The ``templates`` folder: inside the installed package, or at the top of a checkout.

    A wheel carries it as ``notesite/templates``; an editable install of a checkout uses the
    checkout's own top-level ``templates/``.
    """
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"
