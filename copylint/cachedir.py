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
