"""Saving commands: concurrent commands in one transaction (group commit), each exactly once.

Why not ``Application.save``: it writes one command per transaction, so on a
busy API every command waits for its own commit (its own fsync on SQLite, its
own ``LOCK TABLE`` and round trips on PostgreSQL); and its recorder retries a
save whose connection broke after COMMIT was sent, as if nothing had been
written, so a command whose first COMMIT did succeed was recorded twice. The
save path here keeps everything the library's does (the same tables and
columns, the same ``LOCK TABLE ... IN EXCLUSIVE MODE`` and ``NOTIFY`` on
PostgreSQL, so positions commit in order and subscribers never skip one; the
chain link of every event in the same transaction; the library's mapper and
snapshots) and changes two things:

- **Group commit** (``GroupCommit``): a command that finds no save under way
  leads: it writes every command queued by then, and its own, in one
  transaction, then hands each its positions. Commands that touch the same
  stream never share a transaction (the later waits for the next one). If a
  transaction is refused (a command lost a race), each of its commands is
  written again on its own, so none fails because of another's conflict.
- **Exactly once** (``find_committed``): when the outcome of a commit is
  unknown (the connection broke after COMMIT was sent), the command's first
  event is looked up by stream and version and recognised by the command's
  id in its ``actor``: if it is there, the command is answered from it, and
  it is never run again.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

import structlog
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.sql import SQL, Identifier

from shuniu.application.chain import GENESIS, links
from shuniu.application.deadline import StoreUnavailable, remaining

log = structlog.get_logger("shuniu.saving")

MAX_EVENTS_PER_TRANSACTION = 5_000
MAX_BYTES_PER_TRANSACTION = 4 * 1_048_576
"""A group commit stops adding commands past this many events or bytes of stored state,
so that no transaction sends much while it holds the events table's lock (a command is
at most a 1 MiB request: it goes alone if it is bigger than what is left)."""
LINK_CACHE_SIZE = 100_000
"""Streams whose last link a writer remembers (a save then needs no read of it)."""


class UnknownOutcome(Exception):
    """The store failed while a commit was under way: it may or may not have committed."""


@dataclass
class Submission:
    """One command's events, waiting for a transaction."""

    stored: Sequence[StoredEvent]
    command_id: UUID
    streams: frozenset[UUID] = field(init=False)
    done: threading.Event = field(default_factory=threading.Event)
    positions: list[int] | None = None
    error: BaseException | None = None

    def __post_init__(self) -> None:
        self.streams = frozenset(UUID(str(e.originator_id)) for e in self.stored)


class Writer(Protocol):
    on_lock_held: Callable[[float], object]

    def write(self, submissions: Sequence[Submission]) -> list[list[int]]:
        """Every submission's events in one transaction; each one's positions.

        IntegrityError when a stream already has one of the versions (a lost
        race); ``UnknownOutcome`` when the store failed during COMMIT; any
        other store error when nothing was committed.
        """
        ...

    def find_committed(self, submission: Submission) -> list[int] | None:
        """The positions of the submission's events if this command committed them."""
        ...


class GroupCommit:
    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.on_foreign_write: Callable[[int, int], object] = lambda expected, found: None
        """Told when a transaction's first position is not the one after this process's
        last: another process wrote in between (or, on PostgreSQL, a transaction of its
        own failed and left a gap in the sequence)."""
        self._lock = threading.Lock()
        self._queue: deque[Submission] = deque()
        self._leading = False
        self._last: int | None = None

    def save(self, stored: Sequence[StoredEvent], command_id: UUID) -> list[int]:
        """Write one command's events, with whatever else is waiting; their positions."""
        submission = Submission(stored, command_id)
        with self._lock:
            self._queue.append(submission)
            lead = not self._leading
            self._leading = True
        if lead:
            self._lead()
        elif not submission.done.wait(remaining()):
            with self._lock:
                queued = submission in self._queue
                if queued:  # not taken into a transaction yet: give up its place
                    self._queue.remove(submission)
            if queued:
                msg = "the saves before this one are waiting for the store"
                raise StoreUnavailable(msg)
            submission.done.wait()  # in a transaction under way, which ends on its own
        if submission.error is not None:
            raise submission.error
        assert submission.positions is not None
        return submission.positions

    def _lead(self) -> None:
        while True:
            with self._lock:
                batch = self._next_batch()
                if not batch:
                    self._leading = False
                    return
            self._write(batch)

    def _next_batch(self) -> list[Submission]:
        """The queued submissions that fit one transaction, in order, none sharing a stream."""
        batch: list[Submission] = []
        streams: set[UUID] = set()
        later: list[Submission] = []
        events = size = 0
        while self._queue and events < MAX_EVENTS_PER_TRANSACTION:
            submission = self._queue.popleft()
            bytes_of = sum(len(e.state) for e in submission.stored)
            if batch and size + bytes_of > MAX_BYTES_PER_TRANSACTION:
                later.append(submission)
                break
            if submission.streams & streams:
                later.append(submission)
                continue
            batch.append(submission)
            streams |= submission.streams
            events += len(submission.stored)
            size += bytes_of
        self._queue.extendleft(reversed(later))
        return batch

    def _write(self, batch: list[Submission]) -> None:
        try:
            try:
                results = self.writer.write(batch)
            except IntegrityError:
                self._last = None
                if len(batch) == 1:
                    raise
                for submission in batch:  # each on its own: only the loser of a race fails
                    self._write([submission])
                return
            for submission, positions in zip(batch, results, strict=True):
                submission.positions = positions
            self._follow(results[0][0], results[-1][-1])
        except UnknownOutcome as e:
            self._last = None
            for submission in batch:
                self._settle_unknown(submission, e)
        except BaseException as e:  # every waiter learns of the failure; none waits for ever
            self._last = None
            for submission in batch:
                if submission.positions is None and submission.error is None:
                    submission.error = e
        finally:
            for submission in batch:
                submission.done.set()

    def _follow(self, first: int, last: int) -> None:
        if self._last is not None and first != self._last + 1:
            self.on_foreign_write(self._last + 1, first)
        self._last = last

    def _settle_unknown(self, submission: Submission, unknown: UnknownOutcome) -> None:
        """After a commit of unknown outcome: the positions if it did commit, else its error."""
        try:
            submission.positions = self.writer.find_committed(submission)
        except Exception as e:  # the store is still away: the caller answers 503
            submission.error = e
            return
        log.warning(
            "commit_outcome_unknown",
            command_id=str(submission.command_id),
            committed=submission.positions is not None,
            error=str(unknown),
        )
        if submission.positions is None:
            cause = unknown.__cause__
            submission.error = cause if isinstance(cause, Exception) else unknown


class LinkCache:
    """The last chain link of recently written streams, by stream: (version, link).

    A link never changes once committed (that is what the chain checks), so a
    remembered link is right for as long as the stream's next event is the
    version after it; any other version is a miss, read from the store.
    """

    def __init__(self, size: int = LINK_CACHE_SIZE) -> None:
        self.size = size
        self._links: OrderedDict[UUID, tuple[int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, stream: UUID, version: int) -> str | None:
        with self._lock:
            found = self._links.get(stream)
        return found[1] if found is not None and found[0] == version else None

    def put(self, chained: list[tuple[StoredEvent, str]]) -> None:
        with self._lock:
            for event, link in chained:
                stream = UUID(str(event.originator_id))
                self._links[stream] = (event.originator_version, link)
                self._links.move_to_end(stream)
            while len(self._links) > self.size:
                self._links.popitem(last=False)


def chain(
    events: Sequence[StoredEvent], cache: LinkCache, read: Any
) -> list[tuple[StoredEvent, str]]:
    """The links of events of several streams: each stream's previous link from the cache,
    or (for those it misses) from ``read(pairs) -> {stream: link}`` in one query."""
    first: dict[UUID, int] = {}
    for e in events:
        first.setdefault(UUID(str(e.originator_id)), e.originator_version)
    previous: dict[UUID, str] = {}
    missing: list[tuple[UUID, int]] = []
    for stream, version in first.items():
        if version == 1:
            continue
        link = cache.get(stream, version - 1)
        if link is None:
            missing.append((stream, version - 1))
        else:
            previous[stream] = link
    if missing:
        previous.update(read(missing))
    return links(events, previous)


def _command_id_in(state: bytes, command_id: UUID) -> bool:
    """Whether a stored event's canonical JSON names this command in its actor."""
    return f'"command_id":"{command_id}"'.encode() in state


class SQLiteWriter:
    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.links = LinkCache()
        self.on_lock_held: Callable[[float], object] = lambda seconds: None
        """Told how long each transaction held the database's write lock."""
        events, chained = recorder.events_table_name, recorder.chain_table_name
        self._insert = (
            f"INSERT INTO {events} (originator_id, originator_version, topic, state) "  # noqa: S608
            "VALUES (?, ?, ?, ?)"
        )
        self._insert_link = f"INSERT INTO {chained} VALUES (?, ?, ?)"  # noqa: S608
        self._select_link = (
            f"SELECT link FROM {chained} WHERE originator_id = ? AND originator_version = ?"  # noqa: S608
        )
        self._select = (
            f"SELECT rowid, state FROM {events} "  # noqa: S608
            "WHERE originator_id = ? AND originator_version = ?"
        )

    def write(self, submissions: Sequence[Submission]) -> list[list[int]]:
        stored = [e for s in submissions for e in s.stored]
        started: list[float] = []
        with self.recorder.datastore.transaction(commit=True) as c:
            started.append(time.perf_counter())  # the write lock is held from here
            positions: list[int] = []
            for event in stored:
                c.execute(
                    self._insert,
                    (UUID(str(event.originator_id)).hex, event.originator_version, event.topic,
                     event.state),
                )  # fmt: skip
                positions.append(int(c.lastrowid))

            def read(pairs: list[tuple[UUID, int]]) -> dict[UUID, str]:
                found = {}
                for stream, version in pairs:
                    c.execute(self._select_link, (stream.hex, version))
                    row = c.fetchone()
                    found[stream] = row[0] if row else ""
                return found

            chained = chain(stored, self.links, read)
            c.executemany(
                self._insert_link,
                [
                    (UUID(str(e.originator_id)).hex, e.originator_version, link)
                    for e, link in chained
                ],
            )
        self.on_lock_held(time.perf_counter() - started[0])
        self.links.put(chained)
        return _split(positions, submissions)

    def find_committed(self, submission: Submission) -> list[int] | None:
        positions: list[int] = []
        with self.recorder.datastore.transaction(commit=False) as c:
            for event in submission.stored:
                c.execute(self._select, (UUID(str(event.originator_id)).hex,
                                         event.originator_version))  # fmt: skip
                row = c.fetchone()
                if row is None:
                    return None
                if not positions and not _command_id_in(bytes(row[1]), submission.command_id):
                    raise IntegrityError("another command took these versions")
                positions.append(int(row[0]))
        return positions


class PostgresWriter:
    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self.recorder = recorder
        self.links = LinkCache()
        self.on_lock_held: Callable[[float], object] = lambda seconds: None
        """Told how long each transaction held the events table's lock (from sending
        LOCK to COMMIT's answer, so a little more than the server held it)."""
        schema = Identifier(recorder.datastore.schema)
        events = Identifier(recorder.events_table_name)
        chained = Identifier(recorder.chain_table_name)  # type: ignore[attr-defined]

        def render(statement: SQL, *args: Any) -> bytes:
            return statement.format(*args).as_bytes(None)

        # Rendered once: psycopg then caches their conversion, as it cannot for SQL objects.
        self._lock_timeout = render(
            SQL("SET LOCAL lock_timeout = '{0}s'"), SQL(str(recorder.datastore.lock_timeout))
        )
        self._lock = render(SQL("LOCK TABLE {0}.{1} IN EXCLUSIVE MODE"), schema, events)
        self._notify = render(SQL("NOTIFY {0}"), Identifier(recorder.channel_name))
        self._insert_events = render(
            SQL(
                "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
                "SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::text[], %s::bytea[]) "
                "RETURNING notification_id"
            ),
            schema,
            events,
        )
        self._insert_links = render(
            SQL("INSERT INTO {0}.{1} SELECT * FROM unnest(%s::uuid[], %s::bigint[], %s::text[])"),
            schema,
            chained,
        )
        self._select_links = render(
            SQL(
                "SELECT c.originator_id, c.link FROM {0}.{1} c "
                "JOIN unnest(%s::uuid[], %s::bigint[]) AS w(originator_id, originator_version) "
                "USING (originator_id, originator_version)"
            ),
            schema,
            chained,
        )
        self._select = render(
            SQL(
                "SELECT e.notification_id, e.state FROM {0}.{1} e "
                "JOIN unnest(%s::uuid[], %s::bigint[]) WITH ORDINALITY "
                "AS w(originator_id, originator_version, n) "
                "USING (originator_id, originator_version) ORDER BY w.n"
            ),
            schema,
            events,
        )

    def write(self, submissions: Sequence[Submission]) -> list[list[int]]:
        """One transaction, two round trips: BEGIN, the lock, the NOTIFY and the events go
        in one pipeline, synced to read the positions; the links and COMMIT in a second."""
        stored = [e for s in submissions for e in s.stored]
        columns = (
            [e.originator_id for e in stored],
            [e.originator_version for e in stored],
            [e.topic for e in stored],
            [e.state for e in stored],
        )
        sent: list[bool] = []
        try:
            with self.recorder.datastore.get_connection() as conn, conn.cursor() as curs:

                def read(pairs: list[tuple[UUID, int]]) -> dict[UUID, str]:
                    ids, versions = zip(*pairs, strict=True)
                    curs.execute(self._select_links, (list(ids), list(versions)))
                    return {UUID(str(r["originator_id"])): r["link"] for r in curs.fetchall()}

                chained = chain(stored, self.links, read)  # links never change: read outside
                positions = self._insert(conn, curs, columns, [link for _, link in chained], sent)
        except IntegrityError:
            raise
        except Exception as e:
            if sent:
                raise UnknownOutcome(str(e)) from e
            raise
        self.links.put(chained)
        return _split(positions, submissions)

    def _insert(
        self,
        conn: Any,
        curs: Any,
        columns: tuple[list[Any], ...],
        links: list[str],
        sent: list[bool],
    ) -> list[int]:
        """The events and their links in one transaction; ``sent`` gets True once COMMIT is."""
        failed: Exception | None = None
        positions: list[int] = []
        started = time.perf_counter()
        with conn.pipeline() as pipeline:
            try:
                with conn.transaction():
                    curs.execute(self._lock_timeout)
                    curs.execute(self._lock)
                    curs.execute(self._notify)
                    curs.execute(self._insert_events, columns)
                    pipeline.sync()  # a lost race fails here, as a unique violation
                    positions = [row["notification_id"] for row in curs.fetchall()]
                    curs.execute(self._insert_links, (columns[0], columns[1], links))
                    sent.append(True)  # leaving the block sends COMMIT
            except Exception as e:  # raised once the pipeline is closed, as the library
                failed = e  # does, so that psycopg does not warn of it
        if failed is not None:
            raise failed
        self.on_lock_held(time.perf_counter() - started)
        return positions

    def find_committed(self, submission: Submission) -> list[int] | None:
        ids = [e.originator_id for e in submission.stored]
        versions = [e.originator_version for e in submission.stored]
        with self.recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._select, (ids, versions))
            rows = curs.fetchall()
        if not rows:
            return None
        if not _command_id_in(bytes(rows[0]["state"]), submission.command_id):
            raise IntegrityError("another command took these versions")
        return [int(row["notification_id"]) for row in rows]


def _split(positions: list[int], submissions: Sequence[Submission]) -> list[list[int]]:
    result, start = [], 0
    for submission in submissions:
        result.append(positions[start : start + len(submission.stored)])
        start += len(submission.stored)
    return result


__all__ = ["GENESIS", "GroupCommit", "PostgresWriter", "SQLiteWriter", "UnknownOutcome"]
