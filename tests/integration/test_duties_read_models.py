"""The seed's remaining duties in the read models, on SQLite and PostgreSQL: Party coverage
as affiliates join, end, move and lose their hub; founding, registration and referral
outcomes on the affiliates' rows; duty reports with their content; upward reports open and
replied; notice categories in the inbox. A rebuild gives the same rows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shuniu.aggregates.affiliate_relationship import PartyOrganization
from shuniu.application import Shuniu
from shuniu.commands.affiliations import (
    AffiliatedOrganizationInput,
    EndAffiliation,
    EstablishAffiliation,
    RecordPartyBuilding,
    RecordReferralOutcome,
    ReferViolation,
    RegisterAffiliate,
    ReviewRegistration,
    TransferAffiliation,
)
from shuniu.commands.hubs import (
    DecideAdjustment,
    ProposeAdjustment,
    ReplyToUpwardReport,
    ReportDuty,
    ReportUpward,
)
from shuniu.commands.notices import IssueNotice
from shuniu.projections.inbox import InboxView
from shuniu.projections.registry import RegistryView, party_coverage
from shuniu.projections.reports import ReportsView
from shuniu.settings import Settings
from tests.factories import credit_code, ctx
from tests.integration.support import all_rows, designate, rebuild, run_projections_to


def affiliate(app: Shuniu, hub: UUID, seed: int, party: PartyOrganization | None) -> UUID:
    organization = AffiliatedOrganizationInput(
        name=f"Club {seed}", uscc=credit_code(seed), type="social_group"
    )
    affiliation = app.handle(
        EstablishAffiliation(hub_id=hub, organization=organization), ctx("hub")
    ).aggregate.id
    if party is not None:
        app.handle(
            RecordPartyBuilding(
                affiliation_id=affiliation, year=2026, organization=party, members=3
            ),
            ctx("hub"),
        )
    return affiliation


def coverage(views: dict[str, Any], settings: Settings, app: Shuniu, hub: UUID) -> str | None:
    run_projections_to(settings, views, app.last_position())
    registry: RegistryView = views["registry"]
    row = registry.hub(str(hub))
    assert row is not None
    found: str | None = row["party_coverage"]
    return found


def test_party_coverage_follows_affiliates_as_they_join_end_move_and_lose_their_hub(
    app: Shuniu, views: dict[str, Any], settings: Settings
) -> None:
    science, culture = designate(app, 1, "science"), designate(app, 2, "culture")
    assert coverage(views, settings, app, science) is None  # no active affiliate: no share
    branch = affiliate(app, science, 10, "branch")
    affiliate(app, science, 11, "none")
    unrecorded = affiliate(app, science, 12, None)
    assert coverage(views, settings, app, science) == "0.33"

    app.handle(  # a later year's record stands; an earlier year's recorded late does not
        RecordPartyBuilding(
            affiliation_id=unrecorded, year=2027, organization="joint_branch", members=2
        ),
        ctx("hub"),
    )
    app.handle(
        RecordPartyBuilding(affiliation_id=unrecorded, year=2025, organization="none", members=0),
        ctx("hub"),
    )
    assert coverage(views, settings, app, science) == "0.67"

    app.handle(
        TransferAffiliation(affiliation_id=branch, to_hub_id=culture, reason="Fits better."),
        ctx(),
    )
    assert coverage(views, settings, app, science) == "0.50"
    assert coverage(views, settings, app, culture) == "1.00"

    app.handle(EndAffiliation(affiliation_id=unrecorded, reason="Dissolved."), ctx())
    assert coverage(views, settings, app, science) == "0.00"

    proposal = app.handle(ProposeAdjustment(hub_id=culture, action="revoke", reasons="r"), ctx())
    app.handle(
        DecideAdjustment(
            hub_id=culture,
            adjustment_id=proposal.aggregate.adjustments[-1].id,  # type: ignore[attr-defined]
            decision="approve",
            decision_ref="LG",
        ),
        ctx("leading_group"),
    )
    assert coverage(views, settings, app, culture) is None  # lost its only affiliate
    app.handle(  # the orphan comes back to science with its branch
        TransferAffiliation(affiliation_id=branch, to_hub_id=science, reason="New home."), ctx()
    )
    assert coverage(views, settings, app, science) == "0.50"

    before = all_rows(views)
    rebuild(settings, views, app.last_position())
    assert all_rows(views) == before


def test_the_duties_on_the_registry_reports_and_inbox(
    app: Shuniu, views: dict[str, Any], settings: Settings
) -> None:
    hub = designate(app, 1, "science")
    organization = AffiliatedOrganizationInput(name="Go Club", type="social_group")
    club = app.handle(
        EstablishAffiliation(hub_id=hub, organization=organization, stage="preparing"),
        ctx("hub"),
    ).aggregate.id
    app.handle(
        ReviewRegistration(
            affiliation_id=club, matter="establishment", opinion="approve", notes="ok"
        ),
        ctx("hub"),
    )
    run_projections_to(settings, views, app.last_position())
    registry: RegistryView = views["registry"]
    (founding,) = registry.affiliates(None, hub_id=str(hub))
    assert (founding["stage"], founding["uscc"], founding["status"]) == (
        "preparing",
        None,
        "active",
    )
    assert registry.affiliates(None, stage="preparing") == [founding]

    app.handle(RegisterAffiliate(affiliation_id=club, uscc=credit_code(20)), ctx("hub"))
    referred = app.handle(
        ReferViolation(affiliation_id=club, description="d", referred_to="Bureau"), ctx("hub")
    ).aggregate
    referral_id = referred.violation_referrals[-1].id  # type: ignore[attr-defined]
    app.handle(
        RecordReferralOutcome(
            affiliation_id=club, referral_id=referral_id, outcome="rectified", notes="Fixed."
        ),
        ctx("hub"),
    )
    for n in range(3):
        app.handle(
            ReportDuty(
                hub_id=hub,
                period=f"2026-0{n + 1}",
                kind="information" if n else "party_building",
                content=f"News {n}.",
                figures={"events": n},
            ),
            ctx("hub"),
        )
    reported = app.handle(ReportUpward(hub_id=hub, subject="Venues", content="c"), ctx("hub"))
    report_id = reported.aggregate.upward_reports[-1].id  # type: ignore[attr-defined]
    app.handle(ReportUpward(hub_id=hub, subject="Staff", content="c"), ctx("hub"))
    app.handle(ReplyToUpwardReport(hub_id=hub, report_id=report_id, text="Two venues."), ctx())
    for category in ("plan", "news"):
        app.handle(
            IssueNotice(title=category, body="b", jurisdiction="110000", category=category), ctx()
        )
    app.handle(IssueNotice(title="plain", body="b", jurisdiction="110000"), ctx())
    run_projections_to(settings, views, app.last_position())

    (row,) = registry.affiliates(None, uscc=credit_code(20))
    assert (row["stage"], row["id"]) == ("registered", str(club))
    (referral,) = row["violation_referrals"]
    assert (referral["id"], referral["outcome"], referral["outcome_notes"]) == (
        str(referral_id),
        "rectified",
        "Fixed.",
    )

    reports = registry.duty_reports(str(hub))
    assert [(r["content"], r["figures"]) for r in reports] == [
        ("News 0.", {"events": 0}),
        ("News 1.", {"events": 1}),
        ("News 2.", {"events": 2}),
    ]
    first, *rest = registry.duty_reports(str(hub), limit=1)
    assert (first["content"], rest) == ("News 0.", [])
    after = registry.duty_reports(str(hub), after=first["position"], kind="information")
    assert [r["content"] for r in after] == ["News 1.", "News 2."]

    upward: ReportsView = views["reports"]
    states = [(r["subject"], r["state"]) for r in upward.upward_reports(["110000"])]
    assert states == [("Venues", "replied"), ("Staff", "open")]
    (replied,) = upward.upward_reports(None, hub_id=str(hub), state="replied")
    assert (replied["id"], replied["hub_name"]) == (str(report_id), "Organization 1")
    assert [(r["text"], r["role"]) for r in replied["replies"]] == [("Two venues.", "office")]
    assert upward.upward_reports(["110105"]) == []

    inbox: InboxView = views["inbox"]
    assert [n["title"] for n in inbox.inbox(str(hub), category="plan")] == ["plan"]
    assert [n["category"] for n in inbox.inbox(str(hub))] == ["plan", "news", "other"]

    before = all_rows(views)
    rebuild(settings, views, app.last_position())
    assert all_rows(views) == before


def test_party_coverage_is_two_decimals_rounded_half_up() -> None:
    assert [party_coverage(3, n) for n in range(4)] == ["0.00", "0.33", "0.67", "1.00"]
    assert party_coverage(8, 1) == "0.13"  # 0.125
    assert party_coverage(0, 0) is None
