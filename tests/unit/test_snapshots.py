"""Snapshots restore every aggregate exactly as its events built it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization
from shuniu.aggregates.hub_organization import DutyReport, HubOrganization
from shuniu.aggregates.joint_meeting import AgendaItem
from shuniu.aggregates.money import yuan
from shuniu.application import Shuniu
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from shuniu.application.snapshots import Snapshot, encode
from shuniu.commands.affiliations import EstablishAffiliation, InspectAffiliate
from shuniu.commands.designation import (
    DecideApplication,
    RequestSupplement,
    ReviewApplication,
    SubmitApplication,
    SupplementApplication,
)
from shuniu.commands.funding import CommitFunding, Disburse
from shuniu.commands.hubs import AssignResponsibilities, EvaluateHub, ReportDuty
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
    organization = AffiliatedOrganization(name="Club", uscc=credit_code(5), type="foundation")
    affiliation = app.handle(
        EstablishAffiliation(hub_id=hub_id, organization=organization), ctx("hub")
    ).aggregate.id
    app.handle(
        InspectAffiliate(affiliation_id=affiliation, year=2026, result="qualified", notes=""),
        ctx("hub"),
    )
    notice = app.handle(IssueNotice(title="T", body="B", jurisdiction="110000"), ctx()).aggregate.id
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
    assert current.state["class_version"] == 2

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
    v1 = current.model_copy(update={"state": v1_state})

    restored = v1.mutate(None)
    assert isinstance(restored, HubOrganization)
    assert restored.duty_report_count == 2
    assert restored.last_duty_report == hub.last_duty_report
    assert not hasattr(restored, "duty_reports")
    assert vars(restored) == vars(hub)
