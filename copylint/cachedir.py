"""Where copylint keeps what it builds once and reads on every run (model tables, compiled patterns).

``$COPYLINT_CACHE_DIR`` if set, else the platform's user cache folder as platformdirs names it. On Linux and
other XDG systems the folder is worked out here, because importing platformdirs costs a cold start ~15 ms.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_ENV = "COPYLINT_CACHE_DIR"
APP_NAME = "copylint"


def user_cache_dir() -> Path:
    """The folder for copylint's caches (not created here)."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    if os.name == "posix" and sys.platform != "darwin":
        # The XDG rule platformdirs applies: $XDG_CACHE_HOME if set (and not blank), else ~/.cache.
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / APP_NAME
    from platformdirs import user_cache_dir as platform_cache_dir

    return Path(platform_cache_dir(APP_NAME, appauthor=False))


STALE_AFTER = 7 * 24 * 3600  # seconds since a cache file was written after which another may remove it


def prune_stale(folder: Path, pattern: str, keep: Path, now: float | None = None) -> None:
    """Remove the files of ``folder`` matching ``pattern``, other than ``keep``, written over a week ago.

    They are tables built from other package data: an older install, or another copy of copylint (a second
    virtual environment) sharing the folder. A fresher one may still be in use: removing it would make the two
    rebuild their tables by turns, so it is left for a later run to clear.
    """
    import time  # only when a cache has just been written

    cutoff = (time.time() if now is None else now) - STALE_AFTER
    for stale in folder.glob(pattern):
        try:
            if stale != keep and stale.stat().st_mtime < cutoff:
                stale.unlink(missing_ok=True)
        except OSError:
            continue  # removed by another process meanwhile, or not ours to remove
