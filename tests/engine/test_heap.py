"""Memory a process lets go of goes back to the system, without starting another process;
the collector is held off while the app starts, and only then."""

from __future__ import annotations

import gc
import os
import platform
import subprocess

import pytest

from micrograd import heap


def test_giving_memory_back_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding the C library by name runs ``ldconfig``: a fork of a worker that holds a
    10^5-node graph, doubling what it seems to hold while the copy lives."""

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    heap._trimmer.cache_clear()
    monkeypatch.setattr(subprocess, "Popen", no_process)
    monkeypatch.setattr(os, "fork", no_process)
    try:
        heap.give_back()
        if platform.libc_ver()[0] == "glibc":
            assert heap._trimmer() is not None, "glibc's malloc_trim is found"
    finally:
        heap._trimmer.cache_clear()


@pytest.mark.usefixtures("collector_restored")
def test_the_collector_is_held_from_the_launch_until_the_first_screen() -> None:
    heap.hold_for_launch()
    assert not gc.isenabled()
    heap.launched()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0, "what the start made is left out of collections"
    heap.launched()
    assert gc.isenabled(), "a second call changes nothing"


@pytest.mark.usefixtures("collector_restored")
def test_launched_leaves_alone_a_collector_the_launch_did_not_turn_off() -> None:
    """A program that turned the collector off itself, and then calls ``debug()``, keeps
    it off once the app has drawn its first screen."""
    gc.disable()
    heap.hold_for_launch()
    heap.launched()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
