"""The embedded SQLite store, made followable by projection runners.

eventsourcing 9.5's ``SQLiteApplicationRecorder.subscribe()`` raises
NotImplementedError, so the library's ``ProjectionRunner`` cannot follow a
SQLite application. SQLite has no LISTEN/NOTIFY; the subscription below is
the library's own ``ListenNotifySubscription`` with its "something was
recorded" signal raised by a timer instead of by a NOTIFY: every poll reads
``select_notifications`` after the last position it passed, exactly as the
PostgreSQL subscription does when notified.

9.5's SQLite tracking recorder also names its table ``tracking`` whatever the
projection, so two projections in one database file would share one row per
application. The recorder below names the table after the projection, as the
PostgreSQL factory does (``<projection>_tracking``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from threading import Event, Lock, Thread
from typing import Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    OperationalError,
    Subscription,
)
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
    SQLiteTrackingRecorder,
)

POLL_INTERVAL_SECONDS = 0.02


class PollingSubscription(ListenNotifySubscription[SQLiteApplicationRecorder]):
    def __init__(
        self,
        recorder: SQLiteApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
    ) -> None:
        self._stop_requested = Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._timer_thread = Thread(target=self._tick, daemon=True)
        self._timer_thread.start()

    def __exit__(self, *args: object, **kwargs: Any) -> None:
        try:
            super().__exit__(*args, **kwargs)
        finally:
            self._timer_thread.join()

    def _tick(self) -> None:
        while not self._stop_requested.wait(POLL_INTERVAL_SECONDS):
            self._has_been_notified.set()

    def stop(self) -> None:
        self._stop_requested.set()
        super().stop()


class FollowableSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(recorder=self, gt=gt, topics=topics)


class NamedSQLiteTrackingRecorder(SQLiteTrackingRecorder):
    """A tracking table per projection: ``<name>_tracking``, one row per application."""

    def __init__(
        self,
        datastore: SQLiteDatastore,
        *,
        tracking_table_name: str = "tracking",
        **kwargs: Any,
    ) -> None:
        self.tracking_table_name = tracking_table_name
        super().__init__(datastore, **kwargs)
        table = tracking_table_name
        self.insert_tracking_statement = (
            f"INSERT INTO {table} "  # noqa: S608 - the name is ours, not input
            "VALUES (:application_name, :notification_id) "
            "ON CONFLICT (application_name) DO UPDATE "
            "SET notification_id = :notification_id "
            f"WHERE {table}.notification_id < :notification_id "
            "RETURNING notification_id"
        )
        self.select_max_tracking_id_statement = (
            f"SELECT MAX(notification_id) FROM {table} WHERE application_name=?"  # noqa: S608
        )

    def construct_create_table_statements(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.tracking_table_name} ("
            "application_name TEXT, notification_id INTEGER, "
            "PRIMARY KEY (application_name)) WITHOUT ROWID"
        ]

    def _create_table(self, c: SQLiteCursor) -> None:
        for statement in self.construct_create_table_statements():
            c.execute(statement)
        if not self.tracking_table_exists:
            self._insert_tracking_row(c, self.table_migration_identifier, 1)

    def _insert_tracking_row(self, c: SQLiteCursor, name: str, notification_id: int) -> None:
        c.execute(
            self.insert_tracking_statement,
            {"application_name": name, "notification_id": notification_id},
        )


_WRITE_LOCKS: dict[str, Lock] = {}
_WRITE_LOCKS_GUARD = Lock()


def _write_lock(db_name: str) -> Lock:
    key = os.path.realpath(db_name)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, Lock())


class SerializedWritesSQLiteDatastore(SQLiteDatastore):
    """Write transactions on one database file queue on a lock of this process.

    The log and each read model open their own datastore (their own pool) on
    the same file, and the pool's reader-writer interlock only spans one
    pool. Writers of different pools would otherwise meet in SQLite's busy
    handler, which sleeps 1, 2, 5, 10 ... ms between attempts: under load a
    command then waits milliseconds for a projection's batch that has long
    committed. A lock hands the file over at once. Another process on the
    same file (a separate ``shuniu project``) still meets the busy handler.
    """

    def __init__(self, db_name: str, *, lock_timeout: int | None = None, **kwargs: Any) -> None:
        super().__init__(db_name, lock_timeout=lock_timeout, **kwargs)
        self._write_lock = _write_lock(db_name)
        self._lock_timeout = lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        if not commit:
            with super().transaction(commit=False) as cursor:
                yield cursor
            return
        # As long as SQLite itself would wait for the file, then the same error.
        if not self._write_lock.acquire(timeout=self._lock_timeout):
            msg = f"database is locked: no write turn within {self._lock_timeout} s"
            raise OperationalError(msg)
        try:
            with super().transaction(commit=True) as cursor:
                yield cursor
        finally:
            self._write_lock.release()


class ShuniuSQLiteFactory(SQLiteFactory):
    """SQLite with the fixes above.

    Selected with ``PERSISTENCE_MODULE=shuniu.application.sqlite:ShuniuSQLiteFactory``.
    """

    application_recorder_class = FollowableSQLiteApplicationRecorder

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        # The library builds a plain SQLiteDatastore from the environment; the
        # same settings, with writes serialized (9.5 has no datastore_class).
        built = self.datastore
        self.datastore = SerializedWritesSQLiteDatastore(
            db_name=built.pool.db_name,
            lock_timeout=built.pool.lock_timeout,
            single_row_tracking=built.single_row_tracking,
            originator_id_type=built.originator_id_type,
        )
        built.close()

    def tracking_recorder(
        self, tracking_recorder_class: type[SQLiteTrackingRecorder] | None = None
    ) -> SQLiteTrackingRecorder:
        cls = tracking_recorder_class or NamedSQLiteTrackingRecorder
        if not issubclass(cls, NamedSQLiteTrackingRecorder):
            return super().tracking_recorder(cls)
        recorder = cls(
            datastore=self.datastore,
            tracking_table_name=(self.env.name.lower() or "notification") + "_tracking",
        )
        if self.env_create_table():
            recorder.create_table()
        return recorder
