"""graphsvc.collector.settle: what a process loaded at its start is frozen out of the cyclic
collector's sight, and what it makes afterwards is still collected."""

from __future__ import annotations

import gc
import sys
import weakref

from graphsvc.collector import SELDOM, collect_seldom, settle


class _Cycle:
    """An object that refers to itself: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_settle_imports_what_it_is_given_and_freezes_what_is_alive() -> None:
    sys.modules.pop("colorsys", None)
    kept = _Cycle()
    try:
        frozen = settle("colorsys")
        assert "colorsys" in sys.modules
        # Not compared with a later count for equality: a frozen object that reference
        # counting frees (another thread's finished frame, say) leaves the frozen set at once,
        # and a search index that another thread builds freezes more.
        assert frozen > 1000
        assert gc.get_freeze_count() > 1000
        assert all(obj is not kept for obj in gc.get_objects())  # out of the collector's sight
    finally:
        gc.unfreeze()


def test_a_cycle_made_after_settling_is_still_collected() -> None:
    enabled = gc.isenabled()
    try:
        settle()
        gc.disable()  # no automatic collection between the two looks below
        made = _Cycle()
        gone = weakref.ref(made)
        del made
        assert gone() is not None  # reference counting alone cannot free a cycle
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def test_collect_seldom_raises_the_young_threshold_and_keeps_collecting() -> None:
    before = gc.get_threshold()
    try:
        collect_seldom()
        assert gc.get_threshold() == SELDOM
        assert SELDOM[0] > before[0]  # fewer young collections than Python's default
        assert gc.isenabled()  # the collector still runs, less often
    finally:
        gc.set_threshold(*before)
