"""How long a request may still wait for the store: one deadline per request.

A command can wait at several places: for its turn on its aggregate, for a
place in a group commit, for a connection. Each wait alone is bounded, but
waits in a row would add up (three commands queued on one hub during an
outage each waited for the one before it). The API sets one deadline per
request (``SHUNIU_STORE_TIMEOUT`` from its start); every wait takes what is
left of it, and a request whose time is up answers 503 (``StoreUnavailable``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from eventsourcing.persistence import PersistenceError

_deadline: ContextVar[float | None] = ContextVar("store_deadline", default=None)


class StoreUnavailable(PersistenceError):
    """The store could not be reached, or not in time: try again shortly (503)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within the block, waits for the store end ``seconds`` from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining(default: float | None = None) -> float | None:
    """Seconds left before the deadline (at least 0); ``default`` where none is set."""
    at = _deadline.get()
    return default if at is None else max(at - time.monotonic(), 0.0)
