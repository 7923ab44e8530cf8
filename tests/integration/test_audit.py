"""Auditors' guarantees on SQLite and PostgreSQL: time travel, tamper evidence,
export and import byte for byte, and rebuilds equal to incremental processing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.application import Shuniu
from shuniu.application.audit import AuditLog
from shuniu.application.transfer import export_lines, import_file
from shuniu.commands.hubs import ReportDuty
from shuniu.projections.rebuild import rebuild
from shuniu.projections.runner import PROJECTIONS, open_view
from shuniu.settings import APPLICATION_NAME, Settings
from tests.factories import ctx
from tests.integration.random_commands import play
from tests.integration.support import all_rows, designate, run_projections_to
from tests.integration.test_supervision_read_models import a_year

ANY_EXAMPLES = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_the_state_at_every_version_is_the_state_right_after_that_event(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    for quarter in range(1, 110):  # past the snapshot at version 100
        app.handle(
            ReportDuty(
                hub_id=hub,
                period=f"20{quarter // 4 + 10}-Q{quarter % 4 + 1}",
                kind="work",
                content="c",
                figures={},
            ),
            ctx("hub"),
        )
    states: dict[int, dict[str, Any]] = {}
    replayed = None
    for event in app.events.get(hub):
        replayed = event.mutate(replayed)
        states[event.originator_version] = copy.deepcopy(vars(replayed))  # apply appends in place
    assert app.snapshots is not None
    assert [s.originator_version for s in app.snapshots.get(hub)] == [100]
    for version, state in states.items():
        assert vars(app.find_version(hub, version)) == state, version


def test_the_state_at_an_instant(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    log = AuditLog(app)
    app.handle(
        ReportDuty(hub_id=hub, period="2026-Q1", kind="work", content="first", figures={}),
        ctx("hub"),
    )
    (first,) = [e for e in log.stream(hub) if e.version == 2]
    app.handle(
        ReportDuty(hub_id=hub, period="2026-Q2", kind="work", content="second", figures={}),
        ctx("hub"),
    )
    at = json.loads(first.state)["timestamp"]
    assert log.version_at(hub, datetime.fromisoformat(at)) == 2
    assert log.version_at(hub, datetime.fromisoformat("2000-01-01T00:00:00+00:00")) == 0


def _flip(settings: Settings, app: Shuniu, aggregate_id: UUID, version: int, offset: int) -> None:
    """Change one byte of one stored event's state, behind the application's back."""
    recorder: Any = app.recorder
    (event,) = [e for e in AuditLog(app).stream(aggregate_id) if e.version == version]
    state = bytearray(event.state)
    state[offset % len(state)] ^= 0x01
    if settings.is_postgres:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute(
                f"UPDATE {recorder.events_table_name} SET state = %s "
                "WHERE originator_id = %s AND originator_version = %s",
                (bytes(state), aggregate_id, version),
            )
    else:
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"UPDATE {recorder.events_table_name} SET state = ? "
                "WHERE originator_id = ? AND originator_version = ?",
                (bytes(state), aggregate_id.hex, version),
            )


@ANY_EXAMPLES
@given(pick=st.integers(min_value=0, max_value=10**6), offset=st.integers(min_value=0))
def test_flipping_any_byte_of_a_stored_event_is_caught_and_named(
    app: Shuniu, settings: Settings, pick: int, offset: int
) -> None:
    if not app.last_position():
        a_year(app)
    log = AuditLog(app)
    assert log.verify().ok
    events = list(log.all_events())
    victim = events[pick % len(events)]
    _flip(settings, app, victim.aggregate_id, victim.version, offset)
    try:
        result = log.verify()
        assert not result.ok
        assert result.first_bad is not None
        assert (result.first_bad["aggregate_id"], result.first_bad["version"]) == (
            str(victim.aggregate_id),
            victim.version,
        )
        assert result.first_bad["position"] == victim.position
    finally:
        _flip(settings, app, victim.aggregate_id, victim.version, offset)  # flip it back
    assert log.verify().ok


def test_export_import_export_gives_the_same_bytes(
    app: Shuniu, tmp_path: Path, new_postgres_database: Callable[[], str]
) -> None:
    """Into an empty store of either kind, from either kind; never into a store with events."""
    a_year(app)
    exported = tmp_path / "log.ndjson"
    exported.write_text("".join(export_lines(app)), encoding="utf-8")
    with pytest.raises(StateConflict, match="empty store"):
        import_file(app, exported)
    for target_url in (f"sqlite:///{tmp_path / 'copy.db'}", new_postgres_database()):
        target = Shuniu(env=Settings(database_url=target_url).eventsourcing_env())
        try:
            assert import_file(target, exported) == app.last_position()
            again = "".join(export_lines(target))
            assert again == exported.read_text(encoding="utf-8")
            assert AuditLog(target).verify().anchor == AuditLog(app).verify().anchor
        finally:
            target.close()


def test_an_export_changed_on_the_way_is_refused_whole(app: Shuniu, tmp_path: Path) -> None:
    a_year(app)
    lines = list(export_lines(app))
    record = json.loads(lines[5])
    record["state"] = record["state"].replace('"actor"', '"actor" ', 1)
    lines[5] = json.dumps(record, ensure_ascii=False) + "\n"
    changed = tmp_path / "changed.ndjson"
    changed.write_text("".join(lines), encoding="utf-8")
    target = Shuniu(
        env=Settings(database_url=f"sqlite:///{tmp_path / 'copy.db'}").eventsourcing_env()
    )
    try:
        with pytest.raises(InvalidCommand, match="does not match its link"):
            import_file(target, changed)
        assert target.last_position() == 0
    finally:
        target.close()


def test_read_models_after_an_import_equal_the_sources(
    app: Shuniu,
    settings: Settings,
    views: dict[str, Any],
    tmp_path: Path,
    new_postgres_database: Callable[[], str],
) -> None:
    a_year(app)
    run_projections_to(settings, views, app.last_position())
    exported = tmp_path / "log.ndjson"
    exported.write_text("".join(export_lines(app)), encoding="utf-8")
    same_kind = (
        new_postgres_database() if settings.is_postgres else f"sqlite:///{tmp_path / 'c.db'}"
    )
    copy = Settings(database_url=same_kind, min_position_timeout=10)
    target = Shuniu(env=copy.eventsourcing_env())
    copy_views = {name: open_view(spec, copy) for name, spec in PROJECTIONS.items()}
    try:
        import_file(target, exported)
        run_projections_to(copy, copy_views, target.last_position())
        assert all_rows(copy_views) == all_rows(views)
    finally:
        target.close()
        for view in copy_views.values():
            view.datastore.close()


commands = st.lists(
    st.sampled_from(
        ["designate", "duty", "affiliate", "found", "upward", "notice", "meeting", "fund", "revoke"]
    ),
    min_size=1,
    max_size=8,
)


@ANY_EXAMPLES
@given(steps=commands)
def test_read_models_after_rebuild_equal_those_after_incremental_processing(
    app: Shuniu, settings: Settings, views: dict[str, Any], steps: list[str]
) -> None:
    play(app, steps)
    run_projections_to(settings, views, app.last_position())
    incremental = all_rows(views)
    for name, spec in PROJECTIONS.items():
        # A rebuild reads only the events the projection handles, yet stands for the whole log.
        assert rebuild(spec, settings) == app.last_position()
        assert views[name].max_tracking_id(APPLICATION_NAME) == app.last_position()
    assert all_rows(views) == incremental
