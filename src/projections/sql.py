"""The SQL a read model shares between SQLite and PostgreSQL.

A view is a tracking recorder of the library (``SQLiteTrackingRecorder`` or
``PostgresTrackingRecorder``) that also owns its read tables: its rows and its
tracking position are written in one transaction, so each event is applied
exactly once. Statements are written once with ``%s`` placeholders and a few
column types that differ (``{ts}``, ``{json}``, ``{bigint}``, ``{date}``); this module
adapts them to the dialect.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from threading import Event
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from eventsourcing.persistence import (
    IntegrityError,
    Tracking,
    TrackingRecorder,
    WaitInterruptedError,
)
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL, Composed, Identifier

from shuniu.application.sqlite import NamedSQLiteTrackingRecorder

Dialect = Literal["sqlite", "postgres"]

COLUMN_TYPES: dict[Dialect, dict[str, str]] = {
    "sqlite": {"ts": "TEXT", "json": "TEXT", "bigint": "INTEGER", "date": "TEXT"},
    "postgres": {"ts": "TIMESTAMPTZ", "json": "JSONB", "bigint": "BIGINT", "date": "DATE"},
}

Row = dict[str, Any]

APPEND_TO_JSON_LIST: dict[Dialect, str] = {
    "sqlite": "json_insert({column}, '$[#]', json(%s))",
    "postgres": "{column} || jsonb_build_array(%s::jsonb)",
}


class SQLView(TrackingRecorder):
    """Read tables, their DDL and their statements, for either dialect."""

    dialect: ClassVar[Dialect]
    positions_first: ClassVar[bool] = True
    """Whether a batch writes its positions before its rows: on SQLite that takes the
    write lock at once; on PostgreSQL, last, they join the rows' round trip."""
    tables: ClassVar[Sequence[str]] = ()
    """CREATE TABLE/INDEX statements, with ``{ts}``, ``{json}``, ``{bigint}``, ``{date}`` types."""
    schema_version: ClassVar[int] = 1
    """Raised whenever ``tables`` change: a store whose tables are of another version gets
    new, empty ones, which the projection fills from the log (``runner.create_tables``)."""

    # Provided by the library's tracking recorder this is mixed into.
    datastore: Any
    tracking_table_name: str
    if TYPE_CHECKING:

        def _insert_tracking(self, c: Any, tracking: Tracking) -> None: ...

    def wait(
        self,
        application_name: str,
        notification_id: int | None,
        timeout: float = 1.0,
        interrupt: Event | None = None,
    ) -> None:
        """Block until this view has processed ``notification_id`` (TimeoutError after timeout).

        The library's ``TrackingRecorder.wait`` first sleeps 100 ms, which would
        add 100 ms to every read that waits for its own write (X-Min-Position);
        a projection usually catches up within a few milliseconds, so this polls
        from 2 ms, doubling up to 50 ms.
        """
        deadline = monotonic() + timeout
        interval = 0.002
        while not self.has_tracking_id(application_name, notification_id):
            remaining = deadline - monotonic()
            if remaining <= 0:
                msg = f"{application_name} position {notification_id} not yet processed"
                raise TimeoutError(msg)
            if interrupt is not None and interrupt.wait(min(interval, remaining)):
                raise WaitInterruptedError
            if interrupt is None:
                sleep(min(interval, remaining))
            interval = min(interval * 2, 0.05)

    def create_statements(self) -> list[str]:
        """The view's tables, and the tables of stalled read models every view shares."""
        from shuniu.projections.stalls import TABLES as STALL_TABLES  # noqa: PLC0415

        types = COLUMN_TYPES[self.dialect]
        return [statement.format(**types) for statement in (*self.tables, *STALL_TABLES)]

    def _sql(self, statement: str) -> str:
        return statement.replace("%s", "?") if self.dialect == "sqlite" else statement

    @contextmanager
    def transaction(self, tracking: Tracking) -> Iterator[Any]:
        """A write transaction that records ``tracking`` with the rows it writes.

        The tracking row is written first: on SQLite that takes the write lock
        at once, so two writers queue on the busy timeout instead of failing
        when a read lock cannot be upgraded. Inside ``shared_batch()``, the
        batch's transaction serves, and its positions move when it commits.
        """
        batch: _Batch | None = getattr(_batches, "current", None)
        if batch is not None and self in batch.views:
            batch.last[self] = tracking
            yield batch.cursor
            return
        with self.cursor(commit=True) as cursor:
            self._insert_tracking(cursor, tracking)
            yield cursor

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Apply many events in one transaction (a catch-up, a rebuild): rows and
        the last position commit together, or none of them."""
        with shared_batch([self]):
            yield

    @contextmanager
    def cursor(self, *, commit: bool) -> Iterator[Any]:
        """A transaction of the view's store, in the view's schema."""
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    @contextmanager
    def pipelined(self, cursor: Any) -> Iterator[None]:
        """Statements of a batch sent without waiting for each answer, where the
        driver can (PostgreSQL); a statement whose rows are read waits as usual."""
        yield

    def move_positions(self, cursor: Any, views: Sequence[SQLView], tracking: Tracking) -> None:
        """Every view's position to ``tracking`` (IntegrityError if one is not behind it)."""
        for view in views:
            view._insert_tracking(cursor, tracking)

    def execute(self, cursor: Any, statement: str, params: Sequence[Any] = ()) -> None:
        cursor.execute(self._sql(statement), [_param(p) for p in params])

    def update(self, cursor: Any, table: str, row_id: object, **columns: Any) -> None:
        """Set columns of one row (by ``id``)."""
        names = ", ".join(f"{name} = %s" for name in columns)
        self.execute(
            cursor,
            f"UPDATE {table} SET {names} WHERE id = %s",
            [*columns.values(), str(row_id)],
        )

    def read_json(self, cursor: Any, table: str, row_id: object, column: str) -> Any:
        """A JSON column of one row, inside a write transaction."""
        self.execute(cursor, f"SELECT {column} FROM {table} WHERE id = %s", [str(row_id)])
        row = cursor.fetchone()
        return json_value(row[column]) if row else None

    def append(
        self, cursor: Any, table: str, row_id: object, column: str, item: Any, **columns: Any
    ) -> None:
        """Append ``item`` to a JSON list column of one row, and set ``columns`` with it.

        The database appends: nothing is read back first, so inside a batch on
        PostgreSQL the statement joins the pipeline instead of waiting for a
        round trip.
        """
        appended = APPEND_TO_JSON_LIST[self.dialect].format(column=column)
        names = "".join(f", {name} = %s" for name in columns)
        self.execute(
            cursor,
            f"UPDATE {table} SET {column} = {appended}{names} WHERE id = %s",
            [item, *columns.values(), str(row_id)],
        )

    def add_later(self, cursor: Any, table: str, row_id: object, column: str, delta: int) -> None:
        """``add_to``, summed per row over a batch and written once at its end.

        Only for a column the projection never reads while it applies events
        (sums in any order are the same; a reader sees the batch committed
        whole). In a live burst or a rebuild a hub gains hundreds of
        affiliates per batch: one statement instead of one per affiliate.
        """
        batch: _Batch | None = getattr(_batches, "current", None)
        if batch is None or self not in batch.views:
            self.add_to(cursor, table, row_id, column, delta)
            return
        deferred = batch.deferred.setdefault(self, {})
        key = (table, column, str(row_id))
        deferred[key] = deferred.get(key, 0) + delta

    def _add_deferred(self, cursor: Any, deferred: dict[tuple[str, str, str], int]) -> None:
        by_column: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for (table, column, row_id), delta in deferred.items():
            if delta:
                by_column.setdefault((table, column), []).append((delta, row_id))
        for (table, column), rows in by_column.items():
            statement = f"UPDATE {table} SET {column} = {column} + %s WHERE id = %s"
            cursor.executemany(self._sql(statement), rows)

    def add_to(self, cursor: Any, table: str, row_id: object, column: str, delta: int) -> None:
        self.execute(
            cursor,
            f"UPDATE {table} SET {column} = {column} + %s WHERE id = %s",
            [delta, str(row_id)],
        )

    def query_in(self, cursor: Any, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        """Rows read inside a write transaction."""
        self.execute(cursor, statement, params)
        return [dict(row) for row in cursor.fetchall()]

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.cursor(commit=False) as cursor:
            cursor.execute(self._sql(statement), [_param(p) for p in params])
            return [dict(row) for row in cursor.fetchall()]

    def reset(self, table_names: Sequence[str]) -> None:
        """Empty the read tables and forget the position, in one transaction.

        Started again, the projection then rebuilds every row from the log.
        """
        with self.cursor(commit=True) as cursor:
            for name in table_names:
                cursor.execute(f"DELETE FROM {name}")
            cursor.execute(
                self._sql(f"DELETE FROM {self.tracking_table_name} WHERE application_name <> %s"),
                ["__migration__"],
            )


class Where:
    """The WHERE of a read: jurisdictions, the equalities given, a position to start after."""

    def __init__(
        self,
        jurisdictions: list[str] | None,
        equal: dict[str, Any] | None = None,
        after: int | None = None,
    ) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []
        if after is not None:
            self.add("position > %s", after)
        if jurisdictions is not None:
            self.add(f"jurisdiction IN ({', '.join(['%s'] * len(jurisdictions))})", *jurisdictions)
        for column, value in (equal or {}).items():
            if value is not None:
                self.add(f"{column} = %s", value)

    def add(self, clause: str, *params: Any) -> Where:
        self.clauses.append(clause)
        self.params.extend(params)
        return self

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "1 = 1"


class _Batch:
    """The open transaction of ``shared_batch()`` in this thread, and its views."""

    def __init__(self, cursor: Any, views: Sequence[SQLView]) -> None:
        self.cursor = cursor
        self.views = frozenset(views)
        self.last: dict[SQLView, Tracking] = {}
        self.deferred: dict[SQLView, dict[tuple[str, str, str], int]] = {}


@contextmanager
def shared_batch(views: Sequence[SQLView], position: Tracking | None = None) -> Iterator[None]:
    """One transaction for many events of several views on one datastore.

    With ``position``, every view's position moves there first (which on
    SQLite takes the write lock at once); otherwise each view's moves to the
    last tracking its events were applied with. Rows and positions commit
    together, or none of them (a position that is not ahead of the stored one
    raises IntegrityError: a rebuild has swapped the view under us).
    """
    first = views[0]
    with first.cursor(commit=True) as cursor, first.pipelined(cursor):
        if position is not None and first.positions_first:
            first.move_positions(cursor, views, position)
        batch = _Batch(cursor, views)
        _batches.current = batch
        try:
            yield
        finally:
            _batches.current = None
        for view in views:
            view._add_deferred(cursor, batch.deferred.get(view, {}))
            last = batch.last.get(view)
            if position is None and last is not None:
                view._insert_tracking(cursor, last)
        if position is not None and not first.positions_first:
            first.move_positions(cursor, views, position)


_batches = threading.local()


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _param(value: Any) -> Any:
    if type(value) in _PLAIN:  # most parameters: a rebuild converts hundreds of thousands
        return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime):
        # One offset for every stored time, so SQLite's text comparisons order them.
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def json_value(value: Any) -> Any:
    """A JSON column's value: PostgreSQL decodes JSONB, SQLite hands back text."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def time_value(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def date_value(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class SQLiteSQLView(SQLView, NamedSQLiteTrackingRecorder):
    dialect: ClassVar[Dialect] = "sqlite"

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.create_statements()]


class PostgresSQLView(SQLView, PostgresTrackingRecorder):
    dialect: ClassVar[Dialect] = "postgres"
    positions_first: ClassVar[bool] = False

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        # As for the log's saves (application/chain.py): a batch's pipeline that
        # aborts loses the statements psycopg prepared in it while psycopg
        # believes them prepared; the next batch would fail on them.
        connect_kwargs = datastore.pool.kwargs
        assert isinstance(connect_kwargs, dict)
        connect_kwargs["prepare_threshold"] = None
        schema = Identifier(datastore.schema)
        self._in_schema: Composed | None = None
        if datastore.schema != "public":  # a view built apart, e.g. by a rebuild
            self._in_schema = SQL("SET LOCAL search_path TO {0}").format(schema)
            self.sql_create_statements.insert(
                0, SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(schema)
            )
            self.sql_create_statements.append(self._in_schema)
        self.sql_create_statements.extend(
            Composed([SQL(statement)]) for statement in self.create_statements()
        )

    def move_positions(self, cursor: Any, views: Sequence[SQLView], tracking: Tracking) -> None:
        """One statement for every view's position, so a batch waits for one answer, not
        one per view (the library's tracking insert reads its answer back each time)."""
        if len(views) == 1:
            views[0]._insert_tracking(cursor, tracking)
            return
        parts, counts = [], []
        for n, view in enumerate(views):
            table = view.tracking_table_name
            parts.append(
                f"t{n} AS (INSERT INTO {table} VALUES (%(name)s, %(position)s) "
                f"ON CONFLICT (application_name) DO UPDATE SET notification_id = %(position)s "
                f"WHERE {table}.notification_id < %(position)s RETURNING 1)"
            )
            counts.append(f"(SELECT count(*) FROM t{n})")
        statement = f"WITH {', '.join(parts)} SELECT {' + '.join(counts)} AS moved"
        cursor.execute(
            statement, {"name": tracking.application_name, "position": tracking.notification_id}
        )
        row = cursor.fetchone()
        if row is None or row["moved"] != len(views):
            msg = f"a read model is not behind position {tracking.notification_id}"
            raise IntegrityError(msg)

    @contextmanager
    def pipelined(self, cursor: Any) -> Iterator[None]:
        """psycopg's pipeline mode: one round trip for many statements. An error
        surfaces at the latest when the pipeline syncs, inside the transaction,
        which then rolls back with every row of the batch and its position."""
        with cursor.connection.pipeline():
            yield

    @contextmanager
    def cursor(self, *, commit: bool) -> Iterator[Any]:
        """Unqualified table names resolve in the datastore's schema (``POSTGRES_SCHEMA``)."""
        with self.datastore.transaction(commit=commit) as cursor:
            if self._in_schema is not None:
                cursor.execute(self._in_schema)
            yield cursor
