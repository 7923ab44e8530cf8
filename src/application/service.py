"""The Shuniu application: one event log, its commands and its queries.

Every command goes through ``handle``: it waits for its turn on the aggregate
its path names (``turns.py``), then, in a unit of work that checks who may
issue it (``unit_of_work.Guard``), its handler calls the aggregate's methods,
the policies react, and everything is saved in one transaction, perhaps with
other commands' (``saving.py``). The event store's uniqueness of (aggregate
id, version) is the only concurrency control: a save that lost a race raises
IntegrityError and the command is tried again from fresh state (so a rule
checked against the state is checked against the winner's state, never
overwritten), up to a bound; a command that names a version with If-Match
then gets 412.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from uuid import UUID

import structlog
from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    LRUCache,
    ProcessingEvent,
)
from eventsourcing.persistence import IntegrityError, Mapper, PersistenceError, Transcoder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from shuniu.aggregates.base import Aggregate
from shuniu.aggregates.command_receipt import CommandReceipt, receipt_id_for
from shuniu.aggregates.errors import (
    IdempotencyKeyReused,
    NotFound,
    ShuniuError,
    StateConflict,
)
from shuniu.aggregates.principal import Principal
from shuniu.application.chain import (
    ChainedPostgresApplicationRecorder,
    ChainedSQLiteApplicationRecorder,
)
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from shuniu.application.saving import GroupCommit, PostgresWriter, SQLiteWriter
from shuniu.application.snapshots import Snapshot
from shuniu.application.turns import Turns
from shuniu.application.unit_of_work import Guard, UnitOfWork
from shuniu.commands import Command, handler_for
from shuniu.settings import APPLICATION_NAME

A = TypeVar("A", bound=Aggregate)
log = structlog.get_logger("shuniu.application")
Run = Callable[[UnitOfWork], Aggregate]
"""What a command does in its unit of work; the aggregate its answer shows."""

MAX_ATTEMPTS = 10


class ConcurrentModification(StateConflict):
    """Other commands kept winning the race for the same aggregates."""


SNAPSHOT_INTERVAL = 100
"""Every 100th version of a stream is snapshotted: no replay reads more than 99 events."""


class Shuniu(Application[UUID]):
    """Every command of Shuniu (``handle``), over the one ordered log ``shuniu``: its
    global positions are what readers wait on and page through."""

    name = APPLICATION_NAME
    snapshot_class = Snapshot
    on_saved: Callable[[list[Any]], object] = staticmethod(lambda events: None)
    """Told the events of each command's save (the API counts them, and forgets
    the principals they revoke)."""
    is_snapshotting_enabled = True

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshot each aggregate whose save passed a multiple of SNAPSHOT_INTERVAL.

        The library snapshots only the classes listed in ``snapshotting_intervals``;
        every Shuniu aggregate qualifies, so this looks at the versions alone, and
        takes one snapshot per aggregate per save however many multiples it passed.
        The events are committed already: a snapshot that cannot be written is
        logged, never the command's failure (snapshots are caches).
        """
        self._snapshot(processing_event.events, processing_event.aggregates)

    def _snapshot(self, events: Sequence[Any], aggregates: Mapping[UUID, Any]) -> None:
        assert self.snapshots is not None
        due = {
            event.originator_id
            for event in events
            if event.originator_version % SNAPSHOT_INTERVAL == 0
        }
        for aggregate_id in due:
            aggregate = aggregates.get(aggregate_id)
            if aggregate is None:
                continue
            try:
                self.snapshots.put([Snapshot.take(aggregate)])
            except PersistenceError:
                log.warning("snapshot_not_written", aggregate_id=str(aggregate_id), exc_info=True)

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        recorder: Any = self.recorder
        writer: Any = None
        if isinstance(recorder, ChainedPostgresApplicationRecorder):
            writer = PostgresWriter(recorder)
        elif isinstance(recorder, ChainedSQLiteApplicationRecorder):
            writer = SQLiteWriter(recorder)
        self.turns = Turns()
        self.take_turns = True
        """Commands on one aggregate wait for each other (``Turns``) rather than race."""
        self.group_commit = GroupCommit(writer) if writer is not None else None
        """Commands' saves (``_save``); None on the in-memory store of the unit tests."""
        self.on_foreign_write: Callable[[], object] = lambda: None
        """Told when another process is seen writing to the store (the API forgets the
        principals it remembers)."""
        if self.group_commit is not None and not self.repository.fastforward:
            self.group_commit.on_foreign_write = self._foreign_write

    def _foreign_write(self, expected: int, found: int) -> None:
        """This process trusts its cache as the store's only writer, and another wrote: warn,
        and forget every cached aggregate (the next loads read the store)."""
        log.warning(
            "another_writer",
            detail="another process writes to this store: set SHUNIU_API_PROCESSES to the "
            "number of API processes sharing it",
            expected_position=expected,
            found_position=found,
        )
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            self.repository.cache = LRUCache(maxsize=cache.maxsize)
        self.on_foreign_write()

    def _save(self, aggregates: list[Aggregate]) -> list[int]:
        """Save one command's aggregates in one transaction (with other commands' saves
        that wait at the same moment); the positions of its events, in order.

        Then, as ``Application.save`` would: snapshots where due, and the saved
        aggregates in the library's cache (so the next command on them finds
        them current and fast-forwards over nothing).
        """
        if self.group_commit is None:
            return [r.notification.id for r in self.save(*aggregates)]
        events = [e for a in aggregates for e in a.collect_events()]
        if not events:
            return []
        stored = [self.mapper.to_stored_event(e) for e in events]
        command_id = events[0].actor.command_id  # type: ignore[attr-defined]
        positions = self.group_commit.save(stored, command_id)
        self._snapshot(events, {a.id: a for a in aggregates})
        cache = self.repository.cache
        if cache is not None:
            for aggregate in aggregates:
                cache.put(aggregate.id, aggregate)
        return positions

    def _forget(self, aggregates: list[Aggregate]) -> None:
        """Drop aggregates from the cache after a lost race: the next load reads the store."""
        cache = self.repository.cache
        if cache is None:
            return
        for aggregate in aggregates:
            with contextlib.suppress(KeyError):
                cache.get(aggregate.id, evict=True)

    def construct_transcoder(self) -> Transcoder:
        return CanonicalJSONTranscoder()

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper(
            transcoder=self.construct_transcoder(),
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )

    # Commands.

    def handle(self, command: Command, ctx: CommandContext) -> Outcome:
        """The one entry point of every command: its handler, in a unit of work that checks
        who may issue it, runs the policies, and is saved in one transaction."""
        handler = handler_for(command)
        guard = Guard(command, ctx.caller, ctx.if_match)
        with self.turns.turn(command.target_id if self.take_turns else None):
            return self.execute(
                ctx, lambda work: handler(command, work), creates=command.creates, guard=guard
            )

    def execute(
        self,
        ctx: CommandContext,
        command: Run,
        *,
        creates: bool = False,
        guard: Guard | None = None,
    ) -> Outcome:
        if (earlier := self._replay(ctx)) is not None:
            return earlier
        for attempt in range(1, MAX_ATTEMPTS + 1):
            attempt_guard = replace(guard, checked=[]) if guard is not None else None
            try:
                work = UnitOfWork(self, ctx.actor, attempt_guard)
                target = command(work)
                if attempt_guard is not None:
                    attempt_guard.require_checked()
                work.react()
            except ShuniuError:
                # A twin request with the same key may have committed since we looked:
                # then its answer is ours, whatever this run of the command thinks.
                if (earlier := self._replay(ctx)) is not None:
                    return earlier
                raise
            if ctx.idempotency_key is not None:
                work.add(self._receipt(ctx, target.id, target.version, creates))
            aggregates = work.aggregates()
            events = [e for a in aggregates for e in a.pending_events]
            try:
                positions = self._save(aggregates)
            except IntegrityError:
                self._forget(aggregates)
                if (earlier := self._replay(ctx)) is not None:
                    return earlier
                if attempt == MAX_ATTEMPTS:
                    raise ConcurrentModification(
                        "the aggregates this command changes kept changing; try again"
                    ) from None
                # Racing commands retried in lockstep would collide again: spread them.
                time.sleep(random.uniform(0, 0.005 * attempt))  # noqa: S311 - not a secret
                continue
            self.on_saved(events)
            position = positions[-1] if positions else self.last_position()
            return Outcome(target, position, created=creates, revealed=work.revealed)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _receipt(ctx: CommandContext, target_id: UUID, version: int, creates: bool) -> Aggregate:
        assert ctx.idempotency_key is not None
        return CommandReceipt(
            principal_id=ctx.actor.principal_id,
            idempotency_key=ctx.idempotency_key,
            fingerprint=ctx.fingerprint,
            target_id=target_id,
            target_version=version,
            created=creates,
            actor=ctx.actor,
        )

    def _replay(self, ctx: CommandContext) -> Outcome | None:
        """The first answer to this command's Idempotency-Key, if it has one and there was one."""
        if ctx.idempotency_key is None:
            return None
        receipt_id = receipt_id_for(ctx.actor.principal_id, ctx.idempotency_key)
        try:
            receipt: object = self.repository.get(receipt_id)
        except AggregateNotFoundError:
            return None
        assert isinstance(receipt, CommandReceipt)
        if receipt.fingerprint != ctx.fingerprint:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used for a different request; use a new key"
            )
        target: Aggregate = self.repository.get(receipt.target_id, version=receipt.target_version)
        return Outcome(
            target,
            self.position_of(receipt_id, 1),
            created=receipt.created,
            replayed=True,
        )

    # Queries of aggregates' own state.

    def get(self, aggregate_id: UUID, cls: type[A], version: int | None = None) -> A:
        try:
            aggregate: object = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {cls.__name__} with id {aggregate_id}")
        return aggregate

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        try:
            return self.get(aggregate_id, cls)
        except NotFound:
            return None

    def find_version(self, aggregate_id: UUID, version: int | None) -> Aggregate | None:
        """Any aggregate, at a version (from the nearest snapshot); None if there is none."""
        try:
            aggregate: object = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, Aggregate) or (version and aggregate.version != version):
            return None
        return aggregate

    def position_of(self, aggregate_id: UUID, version: int) -> int:
        """The global position of one stored event.

        The library's recorders select notifications by position, not by
        aggregate, so this one lookup is SQL of our own.
        """
        recorder: Any = self.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            sql = (
                f"SELECT notification_id FROM {recorder.events_table_name} "  # noqa: S608
                "WHERE originator_id = %s AND originator_version = %s"
            )
            with recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(sql, (aggregate_id, version))
                row = cursor.fetchone()
            return int(row["notification_id"]) if row else 0
        assert isinstance(recorder, SQLiteApplicationRecorder)
        sql = (
            f"SELECT rowid FROM {recorder.events_table_name} "  # noqa: S608
            "WHERE originator_id = ? AND originator_version = ?"
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, (aggregate_id.hex, version))
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def last_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def authenticate(self, token_sha256: str) -> Principal | None:
        """The active principal whose token has this SHA-256 digest, if any."""
        principal = self.find(Principal.create_id(token_sha256), Principal)
        return None if principal is None or principal.revoked else principal
