"""Running projections: every read model of a process on one pull of the log.

The library's ``ProjectionRunner`` runs one projection over a subscription of
its own, and commits once per event. A process that runs the five read
models would so pull each event four times and commit four times, also for
the read models that have no handler for it. ``ProjectionWorker`` runs them
as one ``ProjectionGroup`` instead: one subscription, one decoding of each
event, one transaction per batch for every view's rows and positions (the
views share one datastore), and no commit for a batch no view handles. The
library's pieces stay: its subscriptions (LISTEN/NOTIFY on PostgreSQL,
``application.sqlite.PollingSubscription`` on SQLite), its ``Projection``
classes with their ``singledispatchmethod``, its tracking recorders.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from eventsourcing.persistence import (
    InfrastructureFactory,
    IntegrityError,
    InterfaceError,
    OperationalError,
    Tracking,
)
from eventsourcing.projection import Projection
from eventsourcing.utils import Environment, get_topic

import shuniu.aggregates  # noqa: F401 - every event class is defined, for handled_topics
from shuniu.aggregates.base import Aggregate
from shuniu.application import Shuniu
from shuniu.application.deadline import StoreUnavailable
from shuniu.projections import inbox, ledger, minutes, registry, reports, stalls
from shuniu.projections.registry import RegistryView
from shuniu.projections.sql import SQLView, shared_batch
from shuniu.projections.stalls import Stall
from shuniu.settings import APPLICATION_NAME, Settings

log = structlog.get_logger("shuniu.projections")

RESTART_DELAY_SECONDS = (0.5, 1.0, 2.0, 5.0)


@dataclass(frozen=True)
class ProjectionSpec:
    projection_class: type[Projection[Any]]
    sqlite_view: type[SQLView]
    postgres_view: type[SQLView]
    tables: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.projection_class.name

    def view_class(self, settings: Settings) -> type[SQLView]:
        return self.postgres_view if settings.is_postgres else self.sqlite_view


PROJECTIONS: dict[str, ProjectionSpec] = {
    spec.name: spec
    for spec in (
        ProjectionSpec(
            registry.RegistryProjection,
            registry.SQLiteRegistryView,
            registry.PostgresRegistryView,
            registry.TABLES,
        ),
        ProjectionSpec(
            inbox.InboxProjection,
            inbox.SQLiteInboxView,
            inbox.PostgresInboxView,
            inbox.TABLES,
        ),
        ProjectionSpec(
            minutes.MinutesProjection,
            minutes.SQLiteMinutesView,
            minutes.PostgresMinutesView,
            minutes.TABLES,
        ),
        ProjectionSpec(
            ledger.LedgerProjection,
            ledger.SQLiteLedgerView,
            ledger.PostgresLedgerView,
            ledger.TABLES,
        ),
        ProjectionSpec(
            reports.ReportsProjection,
            reports.SQLiteReportsView,
            reports.PostgresReportsView,
            reports.TABLES,
        ),
    )
}


BATCH_LIMIT = 500
"""Most events one transaction of the live projections applies (the subscription's page)."""

FLUSH_AFTER_SECONDS = 0.05
"""A run of events no read model handles moves the positions at most this late."""


def _has_ready(subscription: Any) -> bool:
    """Whether the subscription can yield another notification without waiting.

    It reads two private fields of the library's ``ListenNotifySubscription``
    (the page being handed out, and the queue of pages pulled): 9.5 has no
    public way to ask, and the version is pinned. Anything unexpected answers
    False, which only makes batches smaller.
    """
    try:
        in_page = subscription._notifications_index < len(subscription._notifications)
        queued = subscription._notifications_queue.qsize() > 0
    except AttributeError:
        return False
    return bool(in_page or queued) and not subscription._has_been_stopped


TRANSIENT = (OperationalError, InterfaceError, StoreUnavailable, IntegrityError)
"""Failures of the store, not of an event: the whole group starts again after a delay
(IntegrityError: a position not ahead of the stored one, after a rebuild's swap)."""


class ResumeAfterSkip(Exception):
    """A person skipped a stalled read model's event: start the group again."""


class Progress:
    """How far this process's projections have come through the log; wakes waiters.

    ``position`` is the last position the projections have passed: every event
    up to it that a read model handles is committed in its tables (events no
    read model handles move it without a commit). Readers in this process
    wait on it (``reached``) without polling the store or holding a thread.
    """

    def __init__(self) -> None:
        self.position = 0
        self.stalled: dict[str, Stall] = {}
        """Read models stopped at an event they cannot apply: they have not passed it."""
        self._lock = threading.Lock()
        self._waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    def stall_before(self, names: Sequence[str], position: int) -> Stall | None:
        """A read model of ``names`` stopped before ``position``, if one is."""
        return next(
            (s for n in names if (s := self.stalled.get(n)) is not None and s.position <= position),
            None,
        )

    def advance(self, position: int) -> None:
        with self._lock:
            if position <= self.position:
                return
            self.position = position
            due = [w for w in self._waiters if w[0] <= position]
            self._waiters = [w for w in self._waiters if w[0] > position]
        for _, loop, future in due:
            loop.call_soon_threadsafe(_settle, future)

    async def reached(self, position: int, timeout: float) -> bool:
        """Whether ``position`` was passed within ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if position <= self.position:
                return True
            future: asyncio.Future[None] = loop.create_future()
            waiter = (position, loop, future)
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            return position <= self.position
        return True


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


@dataclass
class _Member:
    """One projection of a group: its view, its handlers' topics, its position."""

    spec: ProjectionSpec
    projection: Projection[Any]
    handled: frozenset[str]
    position: int
    stalled: Stall | None = None

    @property
    def view(self) -> SQLView:
        view: SQLView = self.projection.view
        return view


class ProjectionGroup:
    """Several projections fed by one pull of the log, applied in one transaction.

    Every view of the group is a tracking recorder on one datastore (one
    SQLite file, or one PostgreSQL database), so a batch of events is one
    transaction for all of them: their rows and their positions commit
    together, or none does. A notification is decoded once, for the
    projections that handle its topic; the others only see their position
    move. A batch that no projection handles is not committed at all: the
    positions move with the next batch that is, or at the latest
    ``FLUSH_AFTER_SECONDS`` later (``flush_if_idle``), and readers of this
    process learn of them at once from ``progress``.
    """

    def __init__(
        self,
        specs: Sequence[ProjectionSpec],
        settings: Settings,
        app: Shuniu,
        progress: Progress,
    ) -> None:
        self.app = app
        self.progress = progress
        env = Environment("projections", settings.eventsourcing_env("projection") | NO_DDL)
        self.factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(env)
        datastore = self.factory.datastore  # type: ignore[attr-defined]
        self.members = []
        for spec in specs:
            view_class: Any = spec.view_class(settings)
            view = view_class(datastore=datastore, tracking_table_name=f"{spec.name}_tracking")
            self.members.append(
                _Member(
                    spec,
                    spec.projection_class(view=view),
                    frozenset(handled_topics(spec.projection_class)),
                    view.max_tracking_id(APPLICATION_NAME) or 0,
                )
            )
        # A read model stalled before this start tries its event again (the code may have
        # been mended since): it stalls again, or its stall is cleared once it passes it.
        for stall in stalls.stalls(self.members[0].view):
            self.progress.stalled[stall.name] = stall
        self.passed = min(m.position for m in self.members)
        self.committed = self.passed
        self.last_seen = time.monotonic()
        self._lock = threading.Lock()
        self.progress.advance(self.passed)

    def close(self) -> None:
        self.factory.close()

    def apply(self, batch: Sequence[Any]) -> None:
        """Apply a batch of notifications (in log order) to every projection that is behind."""
        with self._lock:
            self.last_seen = time.monotonic()
            last = batch[-1].id
            active = [m for m in self.members if m.stalled is None]
            if any(n.topic in m.handled for n in batch for m in active if n.id > m.position):
                try:
                    self._commit(batch, last, active)
                except TRANSIENT:
                    raise
                except Exception:  # an event one of them cannot apply: find which
                    self._isolate(batch, last, active)
            self.passed = last
            self._take_up_skips()
        self.progress.advance(last)

    def flush_if_idle(self) -> None:
        """Commit the positions of events no projection handled, once no more come."""
        with self._lock:
            idle = time.monotonic() - self.last_seen >= FLUSH_AFTER_SECONDS
            if idle and self.passed > self.committed:
                self._commit((), self.passed, [m for m in self.members if m.stalled is None])
            if idle:
                self._take_up_skips()

    def _isolate(self, batch: Sequence[Any], last: int, active: list[_Member]) -> None:
        """Each read model on its own; one that fails is stopped at the event it cannot apply."""
        for member in active:
            try:
                self._commit(batch, last, [member])
            except TRANSIENT:
                raise
            except Exception:
                self._stall_at_failing_event(member, batch)
        self.committed = min(m.position for m in self.members)

    def _stall_at_failing_event(self, member: _Member, batch: Sequence[Any]) -> None:
        for notification in batch:
            if notification.id <= member.position:
                continue
            try:
                self._commit([notification], notification.id, [member])
            except TRANSIENT:
                raise
            except Exception as e:
                member.stalled = stalls.record(member.view, member.spec.name, notification.id, e)
                self.progress.stalled[member.spec.name] = member.stalled
                log.exception(
                    "projection_stalled",
                    projection=member.spec.name,
                    position=notification.id,
                    topic=notification.topic,
                    error=member.stalled.error,
                    decide="shuniu projections skip NAME POSITION --reason ...",
                )
                return

    def _take_up_skips(self) -> None:
        """A stalled read model whose event a person has skipped: restart the group, which
        resumes every read model from its own position, that one past the event."""
        for member in self.members:
            stall = member.stalled
            if stall is None or not stalls.skipped(member.view, member.spec.name, stall.position):
                continue
            with member.view.cursor(commit=True) as c:
                member.view._insert_tracking(c, Tracking(APPLICATION_NAME, stall.position))
            stalls.clear(member.view, member.spec.name)
            self.progress.stalled.pop(member.spec.name, None)
            log.warning("projection_skipped", projection=member.spec.name, position=stall.position)
            raise ResumeAfterSkip(member.spec.name)

    def _commit(self, batch: Sequence[Any], last: int, members: list[_Member]) -> None:
        behind = [m for m in members if m.position < last]
        if not behind:
            return
        views = [m.view for m in behind]
        with shared_batch(views, Tracking(APPLICATION_NAME, last)):
            for notification in batch:
                event = None
                for member in behind:
                    if (
                        notification.id <= member.position
                        or notification.topic not in member.handled
                    ):
                        continue
                    if event is None:
                        event = self.app.mapper.to_domain_event(notification)
                    member.projection.process_event(
                        event, Tracking(APPLICATION_NAME, notification.id)
                    )
        for member in behind:
            member.position = last
        self.committed = (
            min(m.position for m in self.members if m.stalled is None)
            if any(m.stalled is None for m in self.members)
            else last
        )


def handled_topics(projection_class: type[Any]) -> list[str]:
    """Topics of every event class the projection's ``process_event`` has a handler for
    (by singledispatch, so a handler of a base class covers its subclasses)."""
    dispatcher = projection_class.__dict__["process_event"].dispatcher
    fallback = dispatcher.registry[object]
    return sorted(
        get_topic(cls) for cls in _event_classes() if dispatcher.dispatch(cls) is not fallback
    )


def _event_classes() -> set[type[Any]]:
    found: set[type[Any]] = set()
    pending: list[type[Any]] = [Aggregate.Event]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return found


NO_DDL = {"CREATE_TABLE": "n"}
"""Workers create no tables: ``create_tables`` does it once before they start, since
concurrent CREATE ... IF NOT EXISTS on PostgreSQL can fail ("tuple concurrently updated")."""


SCHEMA_VERSIONS = "read_model_versions"
"""One row per read model: the ``schema_version`` of its tables in this store."""


def create_tables(settings: Settings) -> None:
    """Every table of the log and of every read model, created one after another.

    A read model whose tables are of an older (or newer) ``schema_version``
    than this code's is renewed first: its tables dropped and its position
    forgotten, in one transaction, so that its projection fills the new
    tables from the log. Read models are derived data; the log is untouched.
    """
    Shuniu(env=settings.eventsourcing_env("projection")).close()
    for spec in PROJECTIONS.values():
        view = open_view(spec, settings)
        try:
            renewed = _renew_if_outdated(spec, view)
            if renewed:  # a stall of the old tables says nothing of the new ones
                stalls.clear(view, spec.name)
        finally:
            view.datastore.close()
        if renewed:
            open_view(spec, settings).datastore.close()  # the new tables


def _renew_if_outdated(spec: ProjectionSpec, view: Any) -> bool:
    current: int = view.schema_version
    with view.cursor(commit=True) as c:
        view.execute(
            c,
            f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSIONS} "
            "(name TEXT PRIMARY KEY, version INTEGER NOT NULL)",
        )
        rows = view.query_in(
            c, f"SELECT version FROM {SCHEMA_VERSIONS} WHERE name = %s", [spec.name]
        )
        if rows:
            stored = int(rows[0]["version"])
        else:  # before versions were recorded: 1 if it ever applied an event
            applied = view.query_in(
                c,
                f"SELECT notification_id FROM {view.tracking_table_name} "
                "WHERE application_name = %s",
                [APPLICATION_NAME],
            )
            stored = 1 if applied else current
        if stored == current and rows:
            return False
        renew = stored != current
        if renew:
            for table in spec.tables:
                view.execute(c, f"DROP TABLE IF EXISTS {table}")
            view.execute(
                c,
                f"DELETE FROM {view.tracking_table_name} WHERE application_name = %s",
                [APPLICATION_NAME],
            )
        view.execute(c, f"DELETE FROM {SCHEMA_VERSIONS} WHERE name = %s", [spec.name])
        view.execute(c, f"INSERT INTO {SCHEMA_VERSIONS} VALUES (%s, %s)", [spec.name, current])
    if renew:
        log.warning(
            "read_model_renewed", projection=spec.name, from_version=stored, to_version=current
        )
    return renew


def open_view(spec: ProjectionSpec, settings: Settings) -> Any:
    """A view over the projection's tables, for reading (and waiting on positions)."""
    env = Environment(spec.name, settings.eventsourcing_env("reads"))
    factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(env)
    return factory.tracking_recorder(spec.view_class(settings))


class ProjectionWorker:
    """Projections of this process, kept running in a background thread until ``stop()``.

    One ``ProjectionGroup`` for all of them, over one subscription to the log.
    A subscription stops (and re-raises) when it fails, for example when
    PostgreSQL restarts under it; the worker then opens a new group and
    subscription after a delay, and the group resumes from its tracked
    positions: no event is applied twice, none is skipped.
    """

    def __init__(
        self,
        specs: ProjectionSpec | Sequence[ProjectionSpec],
        settings: Settings,
        progress: Progress | None = None,
    ) -> None:
        self.specs = [specs] if isinstance(specs, ProjectionSpec) else list(specs)
        self.settings = settings
        self.progress = progress or Progress()
        self._stopping = threading.Event()
        self._subscription: Any = None
        names = "+".join(spec.name for spec in self.specs)
        self._thread = threading.Thread(target=self._run, name=f"projections-{names}", daemon=True)
        self._flusher = threading.Thread(target=self._flush, name="projections-flush", daemon=True)
        self._group: ProjectionGroup | None = None
        self.restarts = 0

    def start(self) -> ProjectionWorker:
        self._thread.start()
        self._flusher.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        subscription = self._subscription
        if subscription is not None:
            subscription.stop()
        self._thread.join(timeout)
        self._flusher.join(timeout)

    def _flush(self) -> None:
        while not self._stopping.wait(FLUSH_AFTER_SECONDS):
            group = self._group
            if group is None:
                continue
            try:
                group.flush_if_idle()
            except Exception:  # the main loop sees the same store failing and restarts
                log.warning("projection_flush_failed", exc_info=True)

    def _run(self) -> None:
        failures = 0
        names = [spec.name for spec in self.specs]
        while not self._stopping.is_set():
            app = Shuniu(env=self.settings.eventsourcing_env("projection") | NO_DDL)
            group: ProjectionGroup | None = None
            try:
                group = ProjectionGroup(self.specs, self.settings, app, self.progress)
                with app.recorder.subscribe(gt=group.passed) as subscription:
                    self._subscription = subscription
                    self._group = group
                    if self._stopping.is_set():
                        subscription.stop()
                    for member in group.members:
                        log.info(
                            "projection_started",
                            projection=member.spec.name,
                            position=member.position,
                        )
                    failures = 0
                    for first in subscription:
                        batch = [first]
                        while len(batch) < BATCH_LIMIT and _has_ready(subscription):
                            batch.append(next(subscription))
                        group.apply(batch)
            except ResumeAfterSkip:
                continue
            except Exception:
                if self._stopping.is_set():
                    break
                failures += 1
                self.restarts += 1
                delay = RESTART_DELAY_SECONDS[min(failures, len(RESTART_DELAY_SECONDS)) - 1]
                for name in names:
                    log.exception("projection_failed", projection=name, retry_in=delay)
                self._stopping.wait(delay)
            finally:
                self._group = None
                self._subscription = None
                if group is not None:
                    group.close()
                app.close()
        for name in names:
            log.info("projection_stopped", projection=name)


__all__ = [
    "PROJECTIONS",
    "Progress",
    "ProjectionSpec",
    "ProjectionWorker",
    "RegistryView",
    "handled_topics",
    "open_view",
]
