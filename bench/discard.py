"""What a measurement leaves behind is set aside, not deleted, until the benchmark ends.

Deleting a site of tens of thousands of files frees as many inodes at once, and for minutes
afterwards ext4 looks at each recently freed inode, and skips it, whenever a file or folder is
created (``recently_deleted`` in the kernel's inode allocator). That is system time charged to
whatever creates files next: a warm build of 10,000 notes that followed the deletion of the last
run's site spent 3 to 5 s more in the kernel, and the same copy of its kept pages took from 0.9
to 5.9 s depending on what had been deleted just before. A CI runner's build, or a writer's
first build, does not pay that, and one measurement's clean-up must not be timed as part of the
next. So a folder to be cleared is renamed into ``bench/out/discarded/`` (one rename, nothing
freed) and that folder is deleted once, when the benchmark is done.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

DISCARDED = Path(__file__).resolve().parent / "out" / "discarded"
_numbers = itertools.count()


def discard(path: Path) -> None:
    """Move ``path`` (a folder, or nothing) out of the way, into :data:`DISCARDED`."""
    if not path.exists():
        return
    DISCARDED.mkdir(parents=True, exist_ok=True)
    path.rename(DISCARDED / f"{os.getpid()}-{next(_numbers)}-{path.name}")


def empty() -> None:
    """Delete everything discarded (at the end of a run, or what an interrupted run left)."""
    shutil.rmtree(DISCARDED, ignore_errors=True)
