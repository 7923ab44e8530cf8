"""Helpers of the integration tests: run the projections, read every read-model row."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shuniu.application import Shuniu
from shuniu.commands.designation import DecideApplication, ReviewApplication, SubmitApplication
from shuniu.projections.runner import PROJECTIONS, ProjectionWorker
from shuniu.settings import APPLICATION_NAME, Settings
from tests.factories import application_fields, ctx


def run_projections_to(settings: Settings, views: dict[str, Any], position: int) -> None:
    """Run every projection until each has processed ``position``, then stop them."""
    worker = ProjectionWorker(list(PROJECTIONS.values()), settings).start()
    try:
        for view in views.values():
            view.wait(APPLICATION_NAME, position, timeout=30)
    finally:
        worker.stop()


def all_rows(views: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every read model, in a stable order."""
    return {
        table: views[name].query(f"SELECT * FROM {table} ORDER BY position, 1")
        for name, spec in PROJECTIONS.items()
        for table in spec.tables
    }


def rebuild(settings: Settings, views: dict[str, Any], position: int) -> None:
    """Drop every read model's rows and position, and build them again from the log."""
    for name, spec in PROJECTIONS.items():
        views[name].reset(spec.tables)
    run_projections_to(settings, views, position)


def designate(app: Shuniu, seed: int, field: str) -> UUID:
    submitted = app.handle(
        SubmitApplication(**application_fields(seed=seed, field=field)), ctx("applicant")
    )
    app.handle(
        ReviewApplication(application_id=submitted.aggregate.id, opinion="recommend", notes="ok"),
        ctx(),
    )
    decided = app.handle(
        DecideApplication(
            application_id=submitted.aggregate.id, decision="approve", decision_ref="D", reasons="r"
        ),
        ctx("leading_group"),
    )
    hub_id = decided.aggregate.hub_id  # type: ignore[attr-defined]
    assert isinstance(hub_id, UUID)
    return hub_id
