"""Running projections: the library's ProjectionRunner, supervised.

A ``ProjectionRunner`` stops (and re-raises) when its subscription fails, for
example when PostgreSQL restarts under it. ``ProjectionWorker`` runs one
projection in a thread and starts a new runner after such a failure, so the
projection resumes from its tracked position: no event is applied twice, none
is skipped.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

import structlog
from eventsourcing.persistence import InfrastructureFactory, Tracking, TrackingRecorder
from eventsourcing.projection import ApplicationSubscription, Projection, ProjectionRunner
from eventsourcing.utils import Environment, get_topic

import shuniu.aggregates  # noqa: F401 - every event class is defined, for handled_topics
from shuniu.aggregates.base import Aggregate
from shuniu.application import Shuniu
from shuniu.projections import inbox, ledger, minutes, registry
from shuniu.projections.registry import RegistryView
from shuniu.projections.sql import SQLView
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
    )
}


BATCH_LIMIT = 500
"""Most events one transaction of a live projection applies (the subscription's page size)."""


def _has_ready(subscription: ApplicationSubscription[Any]) -> bool:
    """Whether the subscription can yield another event without waiting.

    It reads two private fields of the library's ``ListenNotifySubscription``
    (the page being handed out, and the queue of pages pulled): 9.5 has no
    public way to ask, and the version is pinned. Anything unexpected answers
    False, which only makes batches smaller.
    """
    inner = subscription.subscription
    try:
        in_page = inner._notifications_index < len(inner._notifications)  # type: ignore[attr-defined]
        queued = inner._notifications_queue.qsize() > 0  # type: ignore[attr-defined]
    except AttributeError:
        return False
    return bool(in_page or queued) and not inner._has_been_stopped


class BatchingProjectionRunner(ProjectionRunner[Shuniu, TrackingRecorder]):
    """The library's runner, applying every event already pulled in one transaction.

    The library's loop commits once per event (rows and tracking position),
    so a projection that keeps up with a busy API spends most of its time
    committing: with four projections, four commits for each command's one.
    This loop takes the first event as the library does (blocking), then every
    further event the subscription holds without waiting, up to
    ``BATCH_LIMIT``, inside ``SQLView.batch()``: the rows and the last
    position commit together or not at all, so a crash still resumes exactly
    after the last committed event.
    """

    @staticmethod
    def _process_events_loop(  # type: ignore[override]
        subscription: ApplicationSubscription[Any],
        projection: Projection[Any],
        is_stopping: threading.Event,
        runner: weakref.ReferenceType[ProjectionRunner[Any, TrackingRecorder]],
    ) -> None:
        """As the library's loop, over the recorder's notifications rather than the
        decoded events: an event of a type the projection has no handler for only
        moves its position, so it is not decoded (the registry, for one, handles
        fewer than half of the log's events)."""
        view: SQLView = projection.view
        notifications = subscription.subscription
        handled = frozenset(handled_topics(type(projection)))

        def apply(notification: Any) -> None:
            tracking = Tracking(subscription.name, notification.id)
            if notification.topic in handled:
                projection.process_event(
                    subscription.mapper.to_domain_event(notification), tracking
                )
            else:
                with view.transaction(tracking):
                    pass

        try:
            for notification in notifications:
                with view.batch():
                    apply(notification)
                    for _ in range(BATCH_LIMIT - 1):
                        if not _has_ready(subscription):
                            break
                        following = next(notifications, None)
                        if following is None:
                            break
                        apply(following)
        except BaseException as e:  # as the library's loop: the runner re-raises it
            _runner = runner()
            if _runner is not None:
                _runner._thread_error = e
        finally:
            is_stopping.set()


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
    """One projection, kept running in a background thread until ``stop()``."""

    def __init__(self, spec: ProjectionSpec, settings: Settings) -> None:
        self.spec = spec
        self.settings = settings
        self._stopping = threading.Event()
        self._runner: BatchingProjectionRunner | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"projection-{spec.name}", daemon=True
        )
        self.restarts = 0

    def start(self) -> ProjectionWorker:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        runner = self._runner
        if runner is not None:
            runner.stop()
        self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                with BatchingProjectionRunner(
                    application_class=Shuniu,
                    projection_class=self.spec.projection_class,
                    view_class=self.spec.view_class(self.settings),
                    env=self.settings.eventsourcing_env("projection") | NO_DDL,
                ) as runner:
                    self._runner = runner
                    log.info("projection_started", projection=self.spec.name)
                    while not self._stopping.is_set():
                        runner.run_forever(timeout=0.5)
                        if runner.is_interrupted.is_set():
                            break
                    failures = 0
            except Exception:
                failures += 1
                self.restarts += 1
                delay = RESTART_DELAY_SECONDS[min(failures, len(RESTART_DELAY_SECONDS)) - 1]
                log.exception("projection_failed", projection=self.spec.name, retry_in=delay)
                self._stopping.wait(delay)
            finally:
                self._runner = None
        log.info("projection_stopped", projection=self.spec.name)


__all__ = [
    "PROJECTIONS",
    "ProjectionSpec",
    "ProjectionWorker",
    "RegistryView",
    "handled_topics",
    "open_view",
]
