"""A hub's year on SQLite and PostgreSQL: every read model shows it, and rebuilds the same."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization
from shuniu.application import Shuniu
from shuniu.commands.affiliations import (
    EstablishAffiliation,
    InspectAffiliate,
    ReviewRegistration,
    TransferAffiliation,
)
from shuniu.commands.hubs import (
    AssignResponsibilities,
    DecideAdjustment,
    EvaluateHub,
    ProposeAdjustment,
    ReportDuty,
)
from shuniu.commands.notices import AcknowledgeNotice, IssueNotice, RelayNotice
from shuniu.projections.inbox import InboxView
from shuniu.projections.registry import RegistryView
from shuniu.settings import Settings
from tests.factories import credit_code, ctx
from tests.integration.support import all_rows, designate, rebuild, run_projections_to


def a_year(app: Shuniu) -> dict[str, UUID]:
    """Designation, duties, an affiliate, a notice, an evaluation, a revocation, a transfer."""
    hub = designate(app, 1, "science")
    other = designate(app, 2, "culture")
    app.handle(
        AssignResponsibilities(
            hub_id=hub, leader="Wang Fang", department="Social Work Dept.", staff=["Li", "Zhao"]
        ),
        ctx("hub"),
    )
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        app.handle(
            ReportDuty(
                hub_id=hub,
                period=quarter,
                kind="work",
                content=f"Work of {quarter}.",
                figures={"events": 3},
            ),
            ctx("hub"),
        )
    club = AffiliatedOrganization(name="Chess Club", uscc=credit_code(10), type="social_group")
    affiliation = app.handle(
        EstablishAffiliation(hub_id=hub, organization=club), ctx("hub")
    ).aggregate.id
    app.handle(
        ReviewRegistration(
            affiliation_id=affiliation, matter="establishment", opinion="approve", notes="In order."
        ),
        ctx("hub"),
    )
    app.handle(
        InspectAffiliate(
            affiliation_id=affiliation,
            year=2026,
            result="basically_qualified",
            notes="Late filing.",
        ),
        ctx("hub"),
    )
    notice = app.handle(
        IssueNotice(title="2026 plan", body="The plan.", jurisdiction="110000"), ctx()
    ).aggregate.id
    app.handle(AcknowledgeNotice(notice_id=notice, hub_id=hub), ctx("hub"))
    app.handle(RelayNotice(notice_id=notice, hub_id=hub, note="Please read."), ctx("hub"))
    app.handle(EvaluateHub(hub_id=hub, year=2026, score=72, grade="pass", notes="Adequate."), ctx())
    proposed = app.handle(
        ProposeAdjustment(hub_id=hub, action="revoke", reasons="Lost its standing."), ctx()
    )
    adjustment = proposed.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    app.handle(
        DecideAdjustment(
            hub_id=hub, adjustment_id=adjustment, decision="approve", decision_ref="LG-2026-40"
        ),
        ctx("leading_group"),
    )
    successor = designate(app, 3, "science")
    app.handle(
        TransferAffiliation(
            affiliation_id=affiliation, to_hub_id=successor, reason="New supervisor."
        ),
        ctx(),
    )
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
