"""Where caches go: the environment override, then the platform's user cache folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from copylint.cachedir import user_cache_dir

xdg_only = pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin", reason="XDG rules apply on Linux")


def test_override_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "mine"


@xdg_only
def test_xdg_cache_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COPYLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "copylint"


@xdg_only
def test_blank_xdg_falls_back_to_home_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COPYLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "  ")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_cache_dir() == tmp_path / ".cache" / "copylint"


@xdg_only
def test_same_folder_as_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    platformdirs = pytest.importorskip("platformdirs")
    monkeypatch.delenv("COPYLINT_CACHE_DIR", raising=False)
    assert user_cache_dir() == Path(platformdirs.user_cache_dir("copylint", appauthor=False))


def test_prune_stale_removes_only_old_other_files(tmp_path: Path) -> None:
    import os
    import time

    from copylint.cachedir import STALE_AFTER, prune_stale

    keep, fresh, old, other = (tmp_path / n for n in ("t-new.marshal", "t-b.marshal", "t-old.marshal", "u-old.marshal"))
    for path in (keep, fresh, old, other):
        path.write_bytes(b"x")
    long_ago = time.time() - STALE_AFTER - 60
    for path in (keep, old, other):
        os.utime(path, (long_ago, long_ago))
    prune_stale(tmp_path, "t-*.marshal", keep)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t-b.marshal", "t-new.marshal", "u-old.marshal"]
