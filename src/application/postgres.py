"""PostgreSQL whose failures are answered at once, within the request's deadline.

The library's PostgreSQL recorders retry every read and write that fails
with ``OperationalError`` or ``InterfaceError`` ten times, 0.2 s apart; each
attempt may wait ``POSTGRES_CONNECT_TIMEOUT`` for a connection from the pool.
During an outage a request was so held near 50 s, and answered 503 after the
server was already back; and a save whose COMMIT had gone through before the
connection broke was run again. Here:

- the datastore turns those failures into ``StoreUnavailable``, which no
  recorder retries: the API answers it 503 at once, and the save path
  settles a commit of unknown outcome itself (``saving.py``);
- a checkout from the pool waits no longer than what is left of the
  request's deadline (``deadline.py``), however many waits came before it;
- a failed connection has the pool check its idle connections at once, so
  that the connections PostgreSQL dropped when it restarted are discarded
  before the next requests take them.

Selected with ``PERSISTENCE_MODULE=shuniu.application.postgres:ShuniuPostgresFactory``.
This module and ``sqlite.py`` hold what leans on the library's insides.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import ConnectionPool, PostgresDatastore, PostgresFactory
from psycopg_pool.base import AttemptWithBackoff

from shuniu.application.deadline import StoreUnavailable, remaining

MAX_RECONNECT_DELAY = 0.5
"""Seconds between the pool's attempts to reconnect, at most."""


class QuickReconnect(AttemptWithBackoff):
    """psycopg_pool's backoff doubles from 1 s: after a 12 s outage its next attempt came
    at 15 s, and the first command after recovery waited for it. Here attempts stay
    close together, so a connection is made within half a second of PostgreSQL's return."""

    INITIAL_DELAY = 0.1

    def update_delay(self, now: float) -> None:
        super().update_delay(now)
        self.delay = min(self.delay, MAX_RECONNECT_DELAY)


class DeadlinePool(ConnectionPool[Any]):
    """A checkout waits for a connection at most what the request has left; a lost
    connection is made again soon after the server is back."""

    def _add_connection(self, attempt: AttemptWithBackoff | None, growing: bool = False) -> None:
        # psycopg_pool's private hook for making a connection, with its attempt's backoff.
        super()._add_connection(attempt or QuickReconnect(timeout=self.reconnect_timeout), growing)

    def getconn(self, timeout: float | None = None) -> Any:
        if timeout is None:
            timeout = remaining(self.timeout)
            if timeout is not None and timeout <= 0:
                msg = "the request's time for the store is up"
                raise StoreUnavailable(msg)
        return super().getconn(timeout=timeout)


class BoundedPostgresDatastore(PostgresDatastore):
    _checking = threading.Lock()

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        try:
            with super().get_connection() as conn:
                yield conn
        except (OperationalError, InterfaceError) as e:
            self._check_pool()
            raise StoreUnavailable(str(e)) from e

    def _check_pool(self) -> None:
        """Drop the pool's broken idle connections, in the background, one check at a time."""
        if not self._checking.acquire(blocking=False):
            return

        def check() -> None:
            try:
                self.pool.check()
            except Exception:  # noqa: S110 - the store is away: the next failure checks again
                pass
            finally:
                self._checking.release()

        threading.Thread(target=check, name="postgres-pool-check", daemon=True).start()


class ShuniuPostgresFactory(PostgresFactory):
    def __init__(self, env: Any) -> None:
        super().__init__(env)
        # The library builds its PostgresDatastore and its pool by name (9.5 has no
        # datastore_class); the subclasses add no state, only how waits and failures end.
        self.datastore.__class__ = BoundedPostgresDatastore
        self.datastore.pool.__class__ = DeadlinePool
