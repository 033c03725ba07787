"""Checks shared by the explorers that train in a background thread (07's and 08's).

Both use ``kit.runner.RunsInBackground``; one procedure tests its promise for each: a new
plan is refused while runs are under way, and Cancel keeps the runs that finished.
"""

from __future__ import annotations

import threading

import pytest


def cancel_after_first_run(explorer, **change):
    """Start ``explorer``, cancel once one run has finished, and return how many were kept.

    ``change`` is a valid ``set_state`` change: it must be refused while running and accepted
    after the cancel.
    """
    first_done = threading.Event()
    original = explorer._redraw

    def redraw_and_signal():
        original()
        if explorer.view.runs:
            first_done.set()

    explorer._redraw = redraw_and_signal
    explorer.run(wait=False)
    assert first_done.wait(60), "no run finished within 60 s"
    with pytest.raises(ValueError, match="running"):
        explorer.set_state(**change)
    explorer.cancel()
    explorer.wait(60)
    assert not explorer.running and "Cancelled" in explorer.status.value
    kept = len(explorer.view.runs)
    explorer.set_state(**change)  # allowed again
    return kept
