"""The registry projection on SQLite and PostgreSQL: exactly once, also across a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from shuniu.aggregates.designation_application import DesignationApplication, hub_id_for
from shuniu.aggregates.principal import Principal
from shuniu.application import Shuniu
from shuniu.commands.designation import (
    DecideApplication,
    RequestSupplement,
    ReviewApplication,
    SubmitApplication,
)
from shuniu.commands.hubs import ReportDuty
from shuniu.projections.registry import RegistryView, hub_flags
from shuniu.projections.runner import PROJECTIONS, ProjectionWorker, open_view
from shuniu.settings import APPLICATION_NAME, Settings
from tests.factories import actor, application_fields, ctx
from tests.integration.support import designate

SHUNIU = Path(sys.executable).with_name("shuniu")


@pytest.fixture
def view(settings: Settings) -> Iterator[RegistryView]:
    registry: RegistryView = open_view(PROJECTIONS["registry"], settings)
    yield registry
    registry.datastore.close()


@pytest.fixture
def worker(settings: Settings) -> Iterator[ProjectionWorker]:
    running = ProjectionWorker(PROJECTIONS["registry"], settings).start()
    yield running
    running.stop()


def caught_up(view: RegistryView, app: Shuniu, timeout: float = 20) -> None:
    view.wait(APPLICATION_NAME, app.last_position(), timeout=timeout)


def test_the_registry_shows_the_procedure(
    app: Shuniu, view: RegistryView, worker: ProjectionWorker
) -> None:
    approved = app.handle(SubmitApplication(**application_fields(seed=1)), ctx("applicant"))
    pending = app.handle(
        SubmitApplication(**application_fields(seed=2, field="culture", jurisdiction="110105")),
        ctx("applicant"),
    )
    app.handle(RequestSupplement(application_id=pending.aggregate.id, reason="More detail."), ctx())
    app.handle(
        ReviewApplication(application_id=approved.aggregate.id, opinion="recommend", notes="ok"),
        ctx(),
    )
    decision = app.handle(
        DecideApplication(
            application_id=approved.aggregate.id,
            decision="approve",
            decision_ref="LG-7",
            reasons="ok",
        ),
        ctx("leading_group"),
    )
    view.wait(APPLICATION_NAME, decision.position, timeout=20)

    applications = {row["id"]: row for row in view.applications(None)}
    assert applications[str(approved.aggregate.id)]["status"] == "approved"
    assert applications[str(approved.aggregate.id)]["opinion"] == "recommend"
    assert applications[str(approved.aggregate.id)]["decided_at"] is not None
    assert applications[str(pending.aggregate.id)]["status"] == "supplement_requested"
    assert [row["id"] for row in view.applications(["110105"])] == [str(pending.aggregate.id)]

    (hub,) = view.hubs(None)
    assert hub["id"] == str(hub_id_for(approved.aggregate.id))
    assert (hub["status"], hub["field"], hub["decision_ref"]) == (
        "active",
        "science and technology",
        "LG-7",
    )
    assert hub["pending_adjustment"] is None
    assert hub["affiliate_count"] == 0
    assert view.hub(hub["id"]) == hub
    assert view.hubs(["110105"]) == []


def test_events_the_registry_does_not_show_still_move_its_position(
    app: Shuniu, view: RegistryView, worker: ProjectionWorker
) -> None:
    principal = Principal(
        name="office", role="office", jurisdiction="110000", hub_id=None,
        token_sha256="0" * 64, actor=actor("admin"),
    )  # fmt: skip
    (recording,) = app.save(principal)
    view.wait(APPLICATION_NAME, recording.notification.id, timeout=20)
    assert view.max_tracking_id(APPLICATION_NAME) == recording.notification.id


def test_pages_follow_the_log_order(
    app: Shuniu, view: RegistryView, worker: ProjectionWorker
) -> None:
    ids = [
        str(
            app.handle(
                SubmitApplication(**application_fields(seed=i)), ctx("applicant")
            ).aggregate.id
        )
        for i in range(7)
    ]
    caught_up(view, app)
    seen: list[str] = []
    after = 0
    while True:
        rows = view.applications(None, after=after, limit=3)
        seen += [row["id"] for row in rows]
        if len(rows) < 3:
            break
        after = rows[-1]["position"]
    assert seen == ids


def _submit_many(app: Shuniu, count: int) -> list[Any]:
    """Many applications, saved 100 to a transaction so that setting up is quick."""
    created = []
    for start in range(0, count, 100):
        batch = [
            DesignationApplication(**application_fields(seed=i), actor=actor("applicant"))
            for i in range(start, min(start + 100, count))
        ]
        app.save(*batch)
        created += batch
    return created


def test_a_projection_killed_mid_batch_resumes_with_no_row_twice_and_none_missing(
    app: Shuniu, view: RegistryView, settings: Settings
) -> None:
    created = _submit_many(app, 1500)
    head = app.last_position()
    env = {**os.environ, "SHUNIU_DATABASE_URL": settings.database_url, "SHUNIU_LOG_FORMAT": "json"}

    worker = subprocess.Popen([SHUNIU, "project"], env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while (view.max_tracking_id(APPLICATION_NAME) or 0) < 50 and time.monotonic() < deadline:
        time.sleep(0.005)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    killed_at = view.max_tracking_id(APPLICATION_NAME) or 0
    assert 0 < killed_at < head, "the kill should land in the middle of the log"

    restarted = subprocess.Popen([SHUNIU, "project"], env=env, stderr=subprocess.DEVNULL)
    try:
        view.wait(APPLICATION_NAME, head, timeout=60)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(20)

    rows = view.applications(None, limit=2000)
    assert len(rows) == len(created)
    assert sorted(row["id"] for row in rows) == sorted(str(a.id) for a in created)
    assert all(row["status"] == "submitted" and row["version"] == 1 for row in rows)
    assert view.max_tracking_id(APPLICATION_NAME) == head


def test_hubs_without_a_recent_duty_report_are_flagged_for_the_office(
    app: Shuniu, view: RegistryView, worker: ProjectionWorker
) -> None:
    quiet, reporting = designate(app, 1, "science"), designate(app, 2, "sport")
    app.handle(
        ReportDuty(hub_id=reporting, period="2026-Q3", kind="work", content="c", figures={}),
        ctx("hub"),
    )
    caught_up(view, app)
    now = datetime.now(UTC)

    assert view.hubs(None, reported_before=now - timedelta(days=120)) == []
    # Once the configured period has passed (here: from an instant in the future),
    # a hub that reported before it is overdue like one that never reported.
    later = now + timedelta(days=1)
    assert {row["id"] for row in view.hubs(None, reported_before=later)} == {
        str(quiet),
        str(reporting),
    }
    reported = view.hub(str(reporting))
    assert reported is not None
    silent = view.hub(str(quiet))
    assert silent is not None
    assert hub_flags(silent, later) == ["overdue_duty_report"]
    assert hub_flags(reported, now - timedelta(days=120)) == []
    reported_at = reported["last_duty_report_at"]
    assert hub_flags(reported, reported_at) == []
    assert hub_flags(reported, reported_at + timedelta(microseconds=1)) == ["overdue_duty_report"]
