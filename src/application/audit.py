"""What auditors read: the whole log with positions and links, its verification, its export.

The library's recorders select by position or by aggregate but do not return
an event's position with its aggregate's events, nor the chain links; this
module owns the few SELECTs that do, for SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from shuniu.aggregates.base import event_id_for
from shuniu.application.chain import GENESIS, link
from shuniu.application.service import Shuniu

BATCH = 1000


@dataclass(frozen=True)
class LoggedEvent:
    """One stored event as the store holds it, with its position and its chain link."""

    position: int
    aggregate_id: UUID
    version: int
    topic: str
    state: bytes
    link: str | None

    @property
    def stored(self) -> StoredEvent:
        return StoredEvent(
            originator_id=self.aggregate_id,
            originator_version=self.version,
            topic=self.topic,
            state=self.state,
        )

    def as_json(self) -> dict[str, Any]:
        """The event for auditors: who, when, what, and the exact stored state."""
        module_and_class = self.topic.split(":", 1)[-1]
        aggregate_type, _, event_type = module_and_class.rpartition(".")
        state = json.loads(self.state)
        data = {k: v for k, v in state.items() if k not in ("timestamp", "actor")}
        return {
            "position": self.position,
            "id": str(event_id_for(self.aggregate_id, self.version)),
            "aggregate_id": str(self.aggregate_id),
            "aggregate_type": aggregate_type,
            "version": self.version,
            "type": event_type,
            "topic": self.topic,
            "occurred_at": state.get("timestamp"),
            "actor": state.get("actor"),
            "data": data,
            "state": self.state.decode(),
            "link": self.link,
        }


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad: dict[str, Any] | None
    anchor: str
    streams: int


def _bytes(value: Any) -> bytes:
    """A stored state; one rewritten by hand in SQLite may come back as text."""
    return value.encode() if isinstance(value, str) else bytes(value)


TIMESTAMP = re.compile(rb'"timestamp":"([^"]+)"')


def _recorded_at(state: bytes) -> datetime:
    """An event's time, read from its canonical JSON without decoding the rest."""
    found = TIMESTAMP.search(state)
    if found is None:
        msg = "a stored event without a timestamp"
        raise ValueError(msg)
    return datetime.fromisoformat(found.group(1).decode())


class AuditLog:
    def __init__(self, app: Shuniu) -> None:
        recorder: Any = app.recorder
        self.recorder = recorder
        self.postgres = isinstance(recorder, PostgresApplicationRecorder)
        if self.postgres:
            schema = recorder.datastore.schema
            events = f'"{schema}"."{recorder.events_table_name}"'
            chain = f'"{schema}"."{recorder.chain_table_name}"'
            position = "e.notification_id"
        else:
            events, chain, position = (
                recorder.events_table_name,
                recorder.chain_table_name,
                "e.rowid",
            )
        self._select = (
            f"SELECT {position} AS position, e.originator_id, e.originator_version, e.topic, "  # noqa: S608
            f"e.state, c.link FROM {events} e LEFT JOIN {chain} c "
            "ON c.originator_id = e.originator_id AND c.originator_version = e.originator_version "
        )
        self._orphans = (
            f"SELECT c.originator_id, c.originator_version FROM {chain} c LEFT JOIN {events} e "  # noqa: S608
            "ON c.originator_id = e.originator_id AND c.originator_version = e.originator_version "
            "WHERE e.originator_id IS NULL LIMIT 1"
        )

    def _query(self, sql: str, params: list[Any]) -> list[LoggedEvent]:
        statement = sql if self.postgres else sql.replace("%s", "?")
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
        return [
            LoggedEvent(
                position=int(row["position"]),
                aggregate_id=UUID(str(row["originator_id"])),
                version=int(row["originator_version"]),
                topic=row["topic"],
                state=_bytes(row["state"]),
                link=row["link"],
            )
            for row in rows
        ]

    def _id(self, aggregate_id: UUID) -> Any:
        return aggregate_id if self.postgres else aggregate_id.hex

    def events(self, after: int = 0, limit: int = 100) -> list[LoggedEvent]:
        """The global log in order, after a position."""
        column = "e.notification_id" if self.postgres else "e.rowid"
        return self._query(
            self._select + f"WHERE {column} > %s ORDER BY {column} LIMIT %s", [after, limit]
        )

    def stream(
        self, aggregate_id: UUID, after_version: int = 0, limit: int = 10_000
    ) -> list[LoggedEvent]:
        """One aggregate's events, in version order."""
        return self._query(
            self._select + "WHERE e.originator_id = %s AND e.originator_version > %s "
            "ORDER BY e.originator_version LIMIT %s",
            [self._id(aggregate_id), after_version, limit],
        )

    def version_at(self, aggregate_id: UUID, at: datetime) -> int:
        """The version the aggregate had at that instant (0 if it did not exist yet)."""
        version = 0
        after = 0
        while page := self.stream(aggregate_id, after, BATCH):
            for event in page:
                if _recorded_at(event.state) > at:
                    return version
                version = event.version
            after = page[-1].version
        return version

    def all_events(self, batch: int = BATCH) -> Iterator[LoggedEvent]:
        """The whole log in order, a batch at a time (never all in memory)."""
        after = 0
        while page := self.events(after, batch):
            yield from page
            after = page[-1].position

    def _by_stream(self, batch: int = BATCH) -> Iterator[LoggedEvent]:
        last: tuple[Any, int] | None = None
        while True:
            where = "WHERE (e.originator_id, e.originator_version) > (%s, %s) " if last else ""
            page = self._query(
                self._select + where + "ORDER BY e.originator_id, e.originator_version LIMIT %s",
                [*(last or ()), batch],
            )
            if not page:
                return
            yield from page
            last = (self._id(page[-1].aggregate_id), page[-1].version)

    def verify(self) -> Verification:
        """Check every stream's chain; name the first event that does not match."""
        checked, streams = 0, 0
        anchor = hashlib.sha256()
        current: UUID | None = None
        previous, expected_version = GENESIS, 1
        first_bad: dict[str, Any] | None = None
        head: tuple[UUID, int, str] | None = None
        for event in self._by_stream():
            if event.aggregate_id != current:
                if head is not None:
                    anchor.update(f"{head[0]}:{head[1]}:{head[2]}\n".encode())
                current, previous, expected_version = event.aggregate_id, GENESIS, 1
                streams += 1
            checked += 1
            recomputed = link(previous, event.stored)
            problem = None
            if event.version != expected_version:
                problem = (
                    f"version {event.version} follows {expected_version - 1}: an event is missing"
                )
            elif event.link is None:
                problem = "the event has no chain link"
            elif event.link != recomputed:
                problem = "the stored event does not match its chain link"
            if problem is not None and first_bad is None:
                first_bad = {
                    "position": event.position,
                    "id": str(event_id_for(event.aggregate_id, event.version)),
                    "aggregate_id": str(event.aggregate_id),
                    "version": event.version,
                    "reason": problem,
                }
            previous, expected_version = event.link or recomputed, event.version + 1
            head = (event.aggregate_id, event.version, previous)
        if head is not None:
            anchor.update(f"{head[0]}:{head[1]}:{head[2]}\n".encode())
        if first_bad is None:
            first_bad = self._orphaned_link()
        return Verification(first_bad is None, checked, first_bad, anchor.hexdigest(), streams)

    def _orphaned_link(self) -> dict[str, Any] | None:
        with self.recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._orphans)
            row = cursor.fetchone()
        if row is None:
            return None
        aggregate_id = UUID(str(row["originator_id"]))
        version = int(row["originator_version"])
        return {
            "position": None,
            "id": str(event_id_for(aggregate_id, version)),
            "aggregate_id": str(aggregate_id),
            "version": version,
            "reason": "a chain link whose event is gone: an event was deleted",
        }
