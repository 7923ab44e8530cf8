"""Snapshots restore every aggregate exactly as its events built it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization
from shuniu.aggregates.joint_meeting import AgendaItem
from shuniu.application import Shuniu
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from shuniu.application.snapshots import Snapshot
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
