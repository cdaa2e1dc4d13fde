"""The engine's collector settings for long runs."""

from __future__ import annotations

import gc

import pytest

from copylint.engine import BATCH_GC_THRESHOLDS, batch_collection


@pytest.fixture(autouse=True)
def _nothing_frozen() -> None:
    gc.unfreeze()  # earlier tests may have run batch mode in this process, which freezes before forking


def test_batch_collection_spaces_out_collections_and_restores_the_settings() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with batch_collection():
        assert gc.get_threshold() == BATCH_GC_THRESHOLDS
        assert gc.get_freeze_count() > 0  # what was loaded before is out of the collector's scans
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_batch_collection_restores_the_settings_when_linting_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), batch_collection():
        raise RuntimeError("a rule crashed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_batch_collection_leaves_a_callers_own_freeze_alone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with batch_collection():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
