"""Snapshots restore every aggregate exactly as its events built it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization
from shuniu.aggregates.hub_organization import DutyReport, HubOrganization
from shuniu.aggregates.joint_meeting import AgendaItem
from shuniu.application import Shuniu
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from shuniu.application.snapshots import Snapshot, encode
from tests.factories import application_fields, credit_code, ctx


@pytest.fixture
def app() -> Iterator[Shuniu]:
    application = Shuniu(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def busy_aggregates(app: Shuniu) -> list[UUID]:
    """One aggregate of each kind, with every kind of value in its state."""
    application = app.submit_application(ctx("applicant"), **application_fields()).aggregate.id
    app.request_supplement(ctx(), application, "More.")
    app.supplement_application(ctx("applicant"), application, "Done.", None)
    app.review_application(ctx(), application, "recommend", "ok")
    hub = app.decide_application(ctx("leading_group"), application, "approve", "D", "r", None)
    hub_id = hub.aggregate.hub_id  # type: ignore[attr-defined]
    app.assign_responsibilities(ctx("hub"), hub_id, "Wang", "Dept", ["Li"])
    app.report_duty(ctx("hub"), hub_id, "2026-Q1", "work", "c", {"n": 1.5})
    app.evaluate_hub(ctx(), hub_id, 2026, 90, "excellent", "n")
    organization = AffiliatedOrganization(name="Club", uscc=credit_code(5), type="foundation")
    affiliation = app.establish_affiliation(ctx("hub"), hub_id, organization).aggregate.id
    app.inspect_affiliate(ctx("hub"), affiliation, 2026, "qualified", "")
    notice = app.issue_notice(ctx(), "T", "B", "110000", None).aggregate.id
    app.relay_notice(ctx("hub"), notice, hub_id, "fyi")
    when = datetime.now(UTC) + timedelta(days=1)
    meeting = app.convene_meeting(ctx(), "M", when, "110000", [AgendaItem(title="a")]).aggregate.id
    app.assign_action_item(ctx(), meeting, hub_id, "d", date(2027, 1, 1))
    funding = app.commit_funding(ctx(), hub_id, "special_fund", 2026, 100_00, "F", "p")
    app.disburse(ctx(), funding.aggregate.id, 10_00, "V", date(2026, 2, 1))
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
    app.report_duty(ctx("hub"), hub_id, "2026-Q2", "information", "more", {})
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
