"""The data generator writes what the real commands would, on both stores."""

from __future__ import annotations

from typing import Any

from shuniu.application import Shuniu
from shuniu.application.audit import AuditLog
from shuniu.generate import Scale, generate
from shuniu.projections.ledger import ENTRIES
from shuniu.settings import Settings
from tests.integration.support import all_rows, rebuild, run_projections_to


def test_generated_data_is_consistent_and_rebuilds_the_same(
    app: Shuniu, settings: Settings, views: dict[str, Any]
) -> None:
    scale = Scale(jurisdictions=2, fields=3, affiliates_per_hub=4, meetings_per_jurisdiction=2)
    events = generate(app, scale)
    assert events == app.last_position()
    assert AuditLog(app).verify().ok
    run_projections_to(settings, views, app.last_position())
    hubs = views["registry"].hubs(None, limit=500)
    assert len(hubs) == 2 * 3
    assert all(hub["affiliate_count"] == 4 for hub in hubs)
    reports = views["registry"].duty_reports(hubs[0]["id"], hubs[0]["version"])
    assert [r["period"] for r in reports] == [f"2026-Q{q}" for q in range(1, 5)]
    assert len(views["registry"].affiliates(None, limit=500)) == 24
    assert len(views["minutes"].meetings(None, None, None)) == 4
    unbalanced = views["ledger"].query(
        f"SELECT event_id FROM {ENTRIES} GROUP BY event_id HAVING SUM(debit) <> SUM(credit)"
    )
    assert unbalanced == []
    incremental = all_rows(views)
    rebuild(settings, views, app.last_position())
    assert all_rows(views) == incremental
