"""Commands on one aggregate take turns, in the order they arrived (in one process).

Without turns, commands on one aggregate race: each loads it, the first save
wins, the others find their version taken and run again. Under a burst
(a hub sending reports from four threads) a slower command, such as the
Leading Group's revocation of that hub, can lose every race and be refused.
With turns, a command waits for the commands that arrived before it on the
same aggregate, then loads and saves with no one to race in this process,
so every command makes progress, and none is run twice for nothing.

``threading.Lock`` promises no order to its waiters, so the turns are a queue
of our own: each waiter has an event, set by the one before it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from shuniu.application.deadline import StoreUnavailable, remaining


class Turns:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[UUID, deque[threading.Event]] = {}

    @contextmanager
    def turn(self, aggregate_id: UUID | None) -> Iterator[None]:
        """Hold the aggregate's turn for the block: after every earlier arrival, before
        every later one. None (a command that creates its aggregate) waits for no one."""
        if aggregate_id is None:
            yield
            return
        mine = threading.Event()
        with self._lock:
            queue = self._queues.setdefault(aggregate_id, deque())
            queue.append(mine)
            first = len(queue) == 1
        if first:
            mine.set()
        if not mine.wait(remaining()):
            self._leave(aggregate_id, mine)
            msg = "the commands before this one on its aggregate are waiting for the store"
            raise StoreUnavailable(msg)
        try:
            yield
        finally:
            with self._lock:
                queue.popleft()
                if queue:
                    queue[0].set()
                else:
                    del self._queues[aggregate_id]

    def _leave(self, aggregate_id: UUID, mine: threading.Event) -> None:
        """Give up a place before its turn came (the request's time is up)."""
        with self._lock:
            queue = self._queues[aggregate_id]
            if queue[0] is mine:  # the turn came just now: pass it on
                queue.popleft()
                if queue:
                    queue[0].set()
            else:
                queue.remove(mine)
            if not queue:
                del self._queues[aggregate_id]

    def waiting(self, aggregate_id: UUID) -> int:
        """Commands holding or awaiting the aggregate's turn (for tests and metrics)."""
        with self._lock:
            return len(self._queues.get(aggregate_id, ()))
