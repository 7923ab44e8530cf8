"""A hub's year on SQLite and PostgreSQL: every read model shows it, and rebuilds the same."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization
from shuniu.application import Shuniu
from shuniu.projections.inbox import InboxView
from shuniu.projections.registry import RegistryView
from shuniu.settings import Settings
from tests.factories import credit_code, ctx
from tests.integration.support import all_rows, designate, rebuild, run_projections_to


def a_year(app: Shuniu) -> dict[str, UUID]:
    """Designation, duties, an affiliate, a notice, an evaluation, a revocation, a transfer."""
    hub = designate(app, 1, "science")
    other = designate(app, 2, "culture")
    app.assign_responsibilities(ctx("hub"), hub, "Wang Fang", "Social Work Dept.", ["Li", "Zhao"])
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        app.report_duty(ctx("hub"), hub, quarter, "work", f"Work of {quarter}.", {"events": 3})
    club = AffiliatedOrganization(name="Chess Club", uscc=credit_code(10), type="social_group")
    affiliation = app.establish_affiliation(ctx("hub"), hub, club).aggregate.id
    app.review_registration(ctx("hub"), affiliation, "establishment", "approve", "In order.")
    app.inspect_affiliate(ctx("hub"), affiliation, 2026, "basically_qualified", "Late filing.")
    notice = app.issue_notice(ctx(), "2026 plan", "The plan.", "110000", None).aggregate.id
    app.acknowledge_notice(ctx("hub"), notice, hub)
    app.relay_notice(ctx("hub"), notice, hub, "Please read.")
    app.evaluate_hub(ctx(), hub, 2026, 72, "pass", "Adequate.")
    proposed = app.propose_adjustment(ctx(), hub, "revoke", "Lost its standing.", None)
    adjustment = proposed.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    app.decide_adjustment(ctx("leading_group"), hub, adjustment, "approve", "LG-2026-40")
    successor = designate(app, 3, "science")
    app.transfer_affiliation(ctx(), affiliation, successor, "New supervisor.")
    return {
        "hub": hub,
        "other": other,
        "successor": successor,
        "affiliation": affiliation,
        "notice": notice,
    }


def test_a_hubs_year_shows_in_every_read_model_and_rebuilds_the_same(
    app: Shuniu, settings: Settings, views: dict[str, Any]
) -> None:
    ids = a_year(app)
    run_projections_to(settings, views, app.last_position())
    registry: RegistryView = views["registry"]
    inbox: InboxView = views["inbox"]

    hub = registry.hub(str(ids["hub"]))
    assert hub is not None
    assert hub["status"] == "revoked"
    assert hub["affiliate_count"] == 0
    assert hub["last_duty_report_period"] == "2026-Q3"
    reports = registry.duty_reports(str(ids["hub"]), hub["version"])
    assert [r["period"] for r in reports] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert hub["responsibilities"][-1]["leader"] == "Wang Fang"
    assert [(e["year"], e["score"], e["grade"]) for e in hub["evaluations"]] == [(2026, 72, "pass")]
    successor = registry.hub(str(ids["successor"]))
    assert successor is not None
    assert (successor["status"], successor["affiliate_count"]) == ("active", 1)

    (affiliate,) = registry.affiliates(None, uscc=credit_code(10))
    assert (affiliate["status"], affiliate["hub_id"]) == ("active", str(ids["successor"]))
    assert [i["result"] for i in affiliate["inspections"]] == ["basically_qualified"]
    assert registry.affiliates(None, hub_id=str(ids["hub"])) == []

    assert inbox.inbox(str(ids["hub"])) == []  # acknowledged
    (waiting,) = inbox.inbox(str(ids["other"]))
    assert (waiting["id"], waiting["title"]) == (str(ids["notice"]), "2026 plan")

    incremental = all_rows(views)
    rebuild(settings, views, app.last_position())
    assert all_rows(views) == incremental
    assert incremental["registry_hubs"] != []
