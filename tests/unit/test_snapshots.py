"""Snapshots restore every aggregate exactly as its events built it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from shuniu.aggregates.affiliate_relationship import (
    AffiliatedOrganization,
    AffiliateRelationship,
    ViolationReferral,
    referral_id_for,
)
from shuniu.aggregates.hub_organization import (
    DutyReport,
    HubOrganization,
    UpwardReport,
    upward_report_id_for,
)
from shuniu.aggregates.joint_meeting import AgendaItem
from shuniu.aggregates.money import yuan
from shuniu.aggregates.notice import Notice
from shuniu.application import Shuniu
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from shuniu.application.snapshots import Snapshot, encode
from shuniu.commands.affiliations import (
    EstablishAffiliation,
    InspectAffiliate,
    RecordPartyBuilding,
    RecordReferralOutcome,
    ReferViolation,
)
from shuniu.commands.designation import (
    DecideApplication,
    RequestSupplement,
    ReviewApplication,
    SubmitApplication,
    SupplementApplication,
)
from shuniu.commands.funding import CommitFunding, Disburse
from shuniu.commands.hubs import (
    AssignResponsibilities,
    EvaluateHub,
    ReplyToUpwardReport,
    ReportDuty,
    ReportUpward,
)
from shuniu.commands.meetings import AssignActionItem, ConveneMeeting
from shuniu.commands.notices import IssueNotice, RelayNotice
from tests.factories import application_fields, credit_code, ctx


@pytest.fixture
def app() -> Iterator[Shuniu]:
    application = Shuniu(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def busy_aggregates(app: Shuniu) -> list[UUID]:
    """One aggregate of each kind, with every kind of value in its state."""
    application = app.handle(
        SubmitApplication(**application_fields()), ctx("applicant")
    ).aggregate.id
    app.handle(RequestSupplement(application_id=application, reason="More."), ctx())
    app.handle(SupplementApplication(application_id=application, note="Done."), ctx("applicant"))
    app.handle(
        ReviewApplication(application_id=application, opinion="recommend", notes="ok"), ctx()
    )
    hub = app.handle(
        DecideApplication(
            application_id=application, decision="approve", decision_ref="D", reasons="r"
        ),
        ctx("leading_group"),
    )
    hub_id = hub.aggregate.hub_id  # type: ignore[attr-defined]
    app.handle(
        AssignResponsibilities(hub_id=hub_id, leader="Wang", department="Dept", staff=["Li"]),
        ctx("hub"),
    )
    app.handle(
        ReportDuty(hub_id=hub_id, period="2026-Q1", kind="work", content="c", figures={"n": 1.5}),
        ctx("hub"),
    )
    app.handle(EvaluateHub(hub_id=hub_id, year=2026, score=90, grade="excellent", notes="n"), ctx())
    reported = app.handle(ReportUpward(hub_id=hub_id, subject="S", content="C"), ctx("hub"))
    report_id = reported.aggregate.upward_reports[-1].id  # type: ignore[attr-defined]
    app.handle(ReplyToUpwardReport(hub_id=hub_id, report_id=report_id, text="Noted."), ctx())
    organization = AffiliatedOrganization(name="Club", uscc=credit_code(5), type="foundation")
    affiliation = app.handle(
        EstablishAffiliation(hub_id=hub_id, organization=organization), ctx("hub")
    ).aggregate.id
    app.handle(
        InspectAffiliate(affiliation_id=affiliation, year=2026, result="qualified", notes=""),
        ctx("hub"),
    )
    app.handle(
        RecordPartyBuilding(
            affiliation_id=affiliation, year=2026, organization="branch", members=5
        ),
        ctx("hub"),
    )
    referred = app.handle(
        ReferViolation(affiliation_id=affiliation, description="D", referred_to="Bureau"),
        ctx("hub"),
    )
    referral_id = referred.aggregate.violation_referrals[-1].id  # type: ignore[attr-defined]
    app.handle(
        RecordReferralOutcome(
            affiliation_id=affiliation, referral_id=referral_id, outcome="rectified", notes="n"
        ),
        ctx("hub"),
    )
    notice = app.handle(
        IssueNotice(title="T", body="B", jurisdiction="110000", category="policy"), ctx()
    ).aggregate.id
    app.handle(RelayNotice(notice_id=notice, hub_id=hub_id, note="fyi"), ctx("hub"))
    when = datetime.now(UTC) + timedelta(days=1)
    meeting = app.handle(
        ConveneMeeting(
            title="M", scheduled_at=when, jurisdiction="110000", agenda=[AgendaItem(title="a")]
        ),
        ctx(),
    ).aggregate.id
    app.handle(
        AssignActionItem(
            meeting_id=meeting, owner_hub_id=hub_id, description="d", due=date(2027, 1, 1)
        ),
        ctx(),
    )
    funding = app.handle(
        CommitFunding(
            hub_id=hub_id,
            program="special_fund",
            fiscal_year=2026,
            amount=yuan(100_00),
            decision_ref="F",
            purpose="p",
        ),
        ctx(),
    )
    app.handle(
        Disburse(
            funding_id=funding.aggregate.id,
            amount=yuan(10_00),
            voucher_ref="V",
            paid_on=date(2026, 2, 1),
        ),
        ctx(),
    )
    return [application, hub_id, affiliation, notice, meeting, funding.aggregate.id]


def test_every_aggregate_survives_a_snapshot_through_the_store_format(app: Shuniu) -> None:
    mapper = PydanticMapper(transcoder=CanonicalJSONTranscoder())
    for aggregate_id in busy_aggregates(app):
        aggregate = app.repository.get(aggregate_id)
        stored = mapper.to_stored_event(Snapshot.take(aggregate))  # type: ignore[arg-type]
        restored = mapper.to_domain_event(stored).mutate(None)  # type: ignore[attr-defined]
        assert type(restored) is type(aggregate)
        assert vars(restored) == vars(aggregate), type(aggregate).__name__


def test_a_hub_snapshot_of_class_version_1_is_upcast_to_the_current_state(app: Shuniu) -> None:
    """Snapshots taken before a hub kept only its last duty report still restore."""
    hub_id = busy_aggregates(app)[1]
    app.handle(
        ReportDuty(hub_id=hub_id, period="2026-Q2", kind="information", content="more", figures={}),
        ctx("hub"),
    )
    hub = app.repository.get(hub_id)
    current = Snapshot.take(hub)
    assert current.state["class_version"] == 3

    reports = [
        DutyReport(period="2026-Q1", kind="work", content="c", figures={"n": 1.5},
                   reported_at=datetime(2026, 4, 1, tzinfo=UTC)),
        hub.last_duty_report,
    ]  # fmt: skip
    v1_state = {
        k: v
        for k, v in current.state.items()
        if k not in ("class_version", "duty_report_count", "last_duty_report")
    }
    v1_state["duty_reports"] = encode(reports)
    v1_state["upward_reports"] = encode(
        [UpwardReport(subject=r.subject, content=r.content, reported_at=r.reported_at)
         for r in hub.upward_reports]
    )  # fmt: skip
    v1 = current.model_copy(update={"state": v1_state})

    restored = v1.mutate(None)
    assert isinstance(restored, HubOrganization)
    assert restored.duty_report_count == 2
    assert restored.last_duty_report == hub.last_duty_report
    assert not hasattr(restored, "duty_reports")
    unreplied = [r.model_copy(update={"replies": []}) for r in hub.upward_reports]
    assert vars(restored) == {**vars(hub), "upward_reports": unreplied}


def test_snapshots_of_the_earlier_class_versions_get_ids_derived_from_order(app: Shuniu) -> None:
    """Snapshots taken before upward reports and referrals had ids (and notices a
    category, affiliations a stage) restore with the ids their events would give."""
    _, hub_id, affiliation_id, notice_id, *_ = busy_aggregates(app)
    when = datetime(2026, 4, 1, tzinfo=UTC)

    hub = app.repository.get(hub_id)
    v2 = Snapshot.take(hub)
    old_reports = [UpwardReport(subject="S", content="C", reported_at=when)] * 2
    v2 = v2.model_copy(
        update={"state": {**v2.state, "class_version": 2, "upward_reports": encode(old_reports)}}
    )
    restored_hub = v2.mutate(None)
    assert isinstance(restored_hub, HubOrganization)
    assert [r.id for r in restored_hub.upward_reports] == [
        upward_report_id_for(hub_id, 1),
        upward_report_id_for(hub_id, 2),
    ]
    assert [r.replies for r in restored_hub.upward_reports] == [[], []]

    affiliation = app.repository.get(affiliation_id)
    v1 = Snapshot.take(affiliation)
    old_referrals = [ViolationReferral(description="D", referred_to="B", referred_at=when)]
    v1_state = {
        k: v
        for k, v in v1.state.items()
        if k not in ("class_version", "stage", "party_building", "violation_referrals")
    }
    v1_state["violation_referrals"] = encode(old_referrals)
    restored = v1.model_copy(update={"state": v1_state}).mutate(None)
    assert isinstance(restored, AffiliateRelationship)
    assert restored.stage == "registered"
    assert restored.party_building == []
    (referral,) = restored.violation_referrals
    assert (referral.id, referral.outcome) == (referral_id_for(affiliation_id, 1), None)

    notice = app.repository.get(notice_id)
    v1 = Snapshot.take(notice)
    v1_state = {k: v for k, v in v1.state.items() if k not in ("class_version", "category")}
    restored_notice = v1.model_copy(update={"state": v1_state}).mutate(None)
    assert isinstance(restored_notice, Notice)
    assert restored_notice.category == "other"
