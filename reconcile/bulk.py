"""Building millions of long-lived objects (the rows of a long sheet) without the garbage collector."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The cyclic garbage collector rests meanwhile: a long sheet makes a million small objects
    that all live on, and each collection would only walk them again. The collector's previous
    state is restored (it stays off if the caller had turned it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
