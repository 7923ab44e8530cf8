"""Tamper evidence: every stored event is chained to the one before it in its stream.

No event-sourcing library ships this, so it is ours: a recorder of each store
(below) writes, in the same transaction as the events, one row per event in
``<events table>_chain``: ``sha256(previous link, aggregate id, version,
topic, stored state bytes)``. The state bytes are the event's canonical JSON,
which holds its time, actor and data; so any changed byte, removed event or
reordered version breaks the chain from that event on.

What the chain proves, and what it does not, is in the README ("Tamper
evidence"): someone who can rewrite a whole stream and its links together is
caught only by comparing the anchor (a digest of every stream's head link)
with one published earlier.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteCursor
from psycopg.sql import SQL, Composed, Identifier

from shuniu.application.sqlite import FollowableSQLiteApplicationRecorder

GENESIS = "0" * 64


def link(previous: str, event: StoredEvent) -> str:
    """The link of one stored event, given its predecessor's (GENESIS at version 1)."""
    digest = hashlib.sha256()
    for part in (
        previous.encode(),
        str(event.originator_id).encode(),
        str(event.originator_version).encode(),
        event.topic.encode(),
    ):
        digest.update(part)
        digest.update(b"\x1f")
    digest.update(event.state)
    return digest.hexdigest()


def links(
    events: Sequence[StoredEvent], previous: dict[UUID, str]
) -> list[tuple[StoredEvent, str]]:
    """The links of a save's events; ``previous`` holds each stream's last stored link."""
    heads = dict(previous)
    chained = []
    for event in events:
        originator = UUID(str(event.originator_id))
        before = GENESIS if event.originator_version == 1 else heads.get(originator, "")
        heads[originator] = link(before, event)
        chained.append((event, heads[originator]))
    return chained


def _continuing(events: Sequence[StoredEvent]) -> list[tuple[UUID, int]]:
    """Streams whose first event in this save is not their first: their previous links."""
    first: dict[UUID, int] = {}
    for e in events:
        first.setdefault(UUID(str(e.originator_id)), e.originator_version)
    return [(originator, version - 1) for originator, version in first.items() if version > 1]


class ChainedSQLiteApplicationRecorder(FollowableSQLiteApplicationRecorder):
    def __init__(self, datastore: Any, events_table_name: str = "stored_events") -> None:
        self.chain_table_name = f"{events_table_name}_chain"
        super().__init__(datastore, events_table_name)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {self.chain_table_name} ("
            "originator_id TEXT, originator_version INTEGER, link TEXT NOT NULL, "
            "PRIMARY KEY (originator_id, originator_version)) WITHOUT ROWID",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        previous: dict[UUID, str] = {}
        for originator, version in _continuing(stored_events):
            c.execute(
                f"SELECT link FROM {self.chain_table_name} "  # noqa: S608 - our table
                "WHERE originator_id = ? AND originator_version = ?",
                (originator.hex, version),
            )
            row = c.fetchone()
            previous[originator] = row[0] if row else ""
        c.executemany(
            f"INSERT INTO {self.chain_table_name} VALUES (?, ?, ?)",  # noqa: S608 - our table
            [
                (UUID(str(e.originator_id)).hex, e.originator_version, chained)
                for e, chained in links(stored_events, previous)
            ],
        )
        return notification_ids


class ChainedPostgresApplicationRecorder(PostgresApplicationRecorder):
    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.chain_table_name = f"{events_table_name}_chain"
        self.check_identifier_length(self.chain_table_name)
        table = Identifier(self.datastore.schema), Identifier(self.chain_table_name)
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0}.{1} (originator_id uuid NOT NULL, "
                "originator_version bigint NOT NULL, link text NOT NULL, "
                "PRIMARY KEY (originator_id, originator_version))"
            ).format(*table)
        )
        self._select_link: Composed = SQL(
            "SELECT link FROM {0}.{1} WHERE originator_id = %s AND originator_version = %s"
        ).format(*table)
        self._insert_links: Composed = SQL("INSERT INTO {0}.{1} VALUES ").format(*table)
        # psycopg prepares a statement run five times; in a pipeline that a lost race
        # aborts, the preparation is lost while psycopg believes it done, and the
        # connection's next save fails with 'prepared statement "_pg3_n" does not
        # exist'. Saves here never prepare implicitly.
        connect_kwargs = datastore.pool.kwargs
        assert isinstance(connect_kwargs, dict)
        connect_kwargs["prepare_threshold"] = None
        self._statements: dict[tuple[Any, ...], bytes] = {}

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """As the library's, with the statement of each shape rendered once.

        The library composes the statement anew at each call, and psycopg
        renders a composed statement to bytes at each execution; every load of
        an aggregate paid for both (a quarter of a small command's time).
        """
        statement = self._rendered(("events", gt is not None, lte is not None, desc, limit))
        params = [originator_id, *(v for v in (gt, lte, limit) if v is not None)]
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """As the library's, with the statement of each shape rendered once."""
        shape = ("notifications", start is not None, inclusive_of_start, stop is not None,
                 bool(topics))  # fmt: skip
        params: list[Any] = [v for v in (start, stop) if v is not None]
        if topics:
            params.append(list(topics))
        params.append(limit)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._rendered(shape), params, prepare=True)
            return [
                Notification(
                    id=row["notification_id"],
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def _rendered(self, shape: tuple[Any, ...]) -> bytes:
        found = self._statements.get(shape)
        if found is None:
            found = self._statements[shape] = self._render(shape)
        return found

    def _render(self, shape: tuple[Any, ...]) -> bytes:
        table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name)
        )
        if shape[0] == "events":
            _, gt, lte, desc, limit = shape
            parts = ["SELECT * FROM {0} WHERE originator_id = %s"]
            parts += [" AND originator_version > %s"] if gt else []
            parts += [" AND originator_version <= %s"] if lte else []
            parts += [
                " ORDER BY originator_version DESC" if desc else " ORDER BY originator_version ASC"
            ]
            parts += [" LIMIT %s"] if limit is not None else []
        else:
            _, start, inclusive, stop, topics = shape
            where = []
            where += [f"notification_id {'>=' if inclusive else '>'} %s"] if start else []
            where += ["notification_id <= %s"] if stop else []
            where += ["topic = ANY(%s)"] if topics else []
            parts = ["SELECT * FROM {0}"]
            parts += [" WHERE " + " AND ".join(where)] if where else []
            parts += [" ORDER BY notification_id LIMIT %s"]
        return SQL("".join(parts)).format(table).as_bytes(None)

    def _insert_stored_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Runs in the save's (pipelined) transaction, once its events are inserted.

        The events go first so that a lost race fails on the events' own primary
        key, which the library turns into IntegrityError; the links use a cursor
        of their own, since the library reads the new positions from ``curs``.
        A stream's previous event was committed before any command could append
        to it, so its link is there to read.
        """
        super()._insert_stored_events(curs, stored_events, **kwargs)
        with curs.connection.cursor() as links_curs:
            previous: dict[UUID, str] = {}
            for originator, version in _continuing(stored_events):
                links_curs.execute(self._select_link, (originator, version), prepare=False)
                row = links_curs.fetchone()
                previous[originator] = row["link"] if row else ""
            rows = [
                (e.originator_id, e.originator_version, chained)
                for e, chained in links(stored_events, previous)
            ]
            values = SQL(", ").join(SQL("(%s, %s, %s)") for _ in rows)
            links_curs.execute(
                self._insert_links + values, [v for row in rows for v in row], prepare=False
            )
