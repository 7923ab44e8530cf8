"""Rebuilding a read model from the events, without taking the API down.

The new rows are built apart (a scratch SQLite file beside the store, or a
scratch PostgreSQL schema) while the API keeps reading the old ones; then one
short transaction swaps them in: it locks the live position, and if the live
projection has not gone past the scratch's position, replaces the live rows
and position with the scratch's. If it has, the scratch catches up and the
swap is tried again. A live projection that was mid-event when the swap
committed fails its next tracking insert (its position is no longer ahead),
and its supervisor restarts it from the swapped position: nothing is applied
twice or skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.utils import Environment
from psycopg import sql

from shuniu.application import Shuniu
from shuniu.projections import stalls
from shuniu.projections.runner import ProjectionSpec, handled_topics, open_view
from shuniu.settings import APPLICATION_NAME, Settings

Progress = Callable[[int, int], None]
"""Called with (position reached, last position of the log)."""

BATCH = 500


class SwapLost(Exception):
    """The live projection went past the scratch's position: catch up and try again."""


def rebuild(spec: ProjectionSpec, settings: Settings, progress: Progress | None = None) -> int:
    """Rebuild one read model; the log position its rows now reflect."""
    app = Shuniu(env=settings.eventsourcing_env("projection"))
    live = open_view(spec, settings)  # the live tables exist, to swap into
    try:
        skips = stalls.skipped_positions(live, spec.name)
    finally:
        live.datastore.close()
    scratch_env, scratch_place = _scratch(spec, settings)
    factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(scratch_env)
    view = factory.tracking_recorder(spec.view_class(settings))
    projection = spec.projection_class(view=view)
    position = 0
    try:
        while True:
            position = _catch_up(app, projection, position, progress, skips)
            try:
                _swap(spec, settings, scratch_place, view.tracking_table_name, position)
            except SwapLost:
                continue
            return position
    finally:
        view.datastore.close()
        app.close()
        _drop_scratch(settings, scratch_place)


def _catch_up(
    app: Shuniu,
    projection: Any,
    position: int,
    progress: Progress | None,
    skips: frozenset[int] = frozenset(),
) -> int:
    """Apply every event after ``position`` that the projection handles; the position reached.

    Only the events the projection has a handler for are read and decoded
    (the library's topic filter on ``select_notifications``): the registry,
    for one, shows fewer than half of a year's events. The position recorded
    at the end is the log's head as it was before the last, empty, read, so
    the rebuilt rows stand for every event up to it.
    """
    topics = handled_topics(type(projection))
    while True:
        reached = app.last_position()
        notifications = app.recorder.select_notifications(position + 1, BATCH, topics=topics)
        if not notifications:
            break
        with projection.view.batch():  # a page of events, one transaction
            for notification in notifications:
                if notification.id in skips:
                    continue  # a person decided this read model passes over it
                event = app.mapper.to_domain_event(notification)
                projection.process_event(event, Tracking(APPLICATION_NAME, notification.id))
        position = notifications[-1].id
        if progress is not None:
            progress(position, max(reached, position))
    if reached > position:
        with projection.view.transaction(Tracking(APPLICATION_NAME, reached)):
            position = reached
    return position


def _scratch(spec: ProjectionSpec, settings: Settings) -> tuple[Environment, str]:
    """Where the new rows are built: a fresh SQLite file, or a fresh PostgreSQL schema."""
    env = settings.eventsourcing_env("projection")
    if settings.is_postgres:
        schema = f"rebuild_{spec.name}"
        _drop_scratch(settings, schema)
        env["POSTGRES_SCHEMA"] = schema
        return Environment(spec.name, env), schema
    path = Path(f"{env['SQLITE_DBNAME']}.rebuild-{spec.name}")
    _drop_scratch(settings, str(path))
    env["SQLITE_DBNAME"] = str(path)
    return Environment(spec.name, env), str(path)


def _drop_scratch(settings: Settings, place: str) -> None:
    if settings.is_postgres:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {0} CASCADE").format(sql.Identifier(place)))
        return
    for suffix in ("", "-wal", "-shm"):
        Path(place + suffix).unlink(missing_ok=True)


def _swap(
    spec: ProjectionSpec, settings: Settings, scratch: str, tracking: str, position: int
) -> None:
    if settings.is_postgres:
        _swap_postgres(spec, settings, scratch, tracking, position)
    else:
        _swap_sqlite(spec, settings, scratch, tracking, position)


def _swap_sqlite(
    spec: ProjectionSpec, settings: Settings, scratch: str, tracking: str, position: int
) -> None:
    live = settings.eventsourcing_env()["SQLITE_DBNAME"]
    with closing(sqlite3.connect(live, isolation_level=None, timeout=30)) as conn:
        conn.execute("ATTACH DATABASE ? AS scratch", (scratch,))
        try:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute(
                f"SELECT notification_id FROM main.{tracking} WHERE application_name = ?",
                (APPLICATION_NAME,),
            ).fetchone()
            if row is not None and row[0] > position:
                conn.execute("ROLLBACK")
                raise SwapLost
            for table in (*spec.tables, tracking):
                conn.execute(f"DELETE FROM main.{table}")
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM scratch.{table}")
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE scratch")


def _swap_postgres(
    spec: ProjectionSpec, settings: Settings, scratch: str, tracking: str, position: int
) -> None:
    live = sql.Identifier("public")
    apart = sql.Identifier(scratch)
    with psycopg.connect(settings.database_url, autocommit=True) as conn, conn.transaction():
        track = sql.Identifier(tracking)
        conn.execute(sql.SQL("LOCK TABLE {0}.{1} IN EXCLUSIVE MODE").format(live, track))
        row = conn.execute(
            sql.SQL("SELECT notification_id FROM {0}.{1} WHERE application_name = %s").format(
                live, track
            ),
            (APPLICATION_NAME,),
        ).fetchone()
        if row is not None and row[0] > position:
            raise SwapLost  # leaves the transaction, rolled back
        for name in (*spec.tables, tracking):
            table = sql.Identifier(name)
            conn.execute(sql.SQL("DELETE FROM {0}.{1}").format(live, table))
            conn.execute(
                sql.SQL("INSERT INTO {0}.{1} SELECT * FROM {2}.{1}").format(live, table, apart)
            )
