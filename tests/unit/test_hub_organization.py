"""HubOrganization: duties, evaluations and adjustments, given/when/then."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import TypeAdapter, ValidationError

from shuniu.aggregates.errors import InvalidCommand, NotFound, StateConflict
from shuniu.aggregates.hub_organization import HubOrganization, ReportPeriod
from tests.factories import actor

periods = TypeAdapter(ReportPeriod)


def designated() -> HubOrganization:
    hub = HubOrganization(
        application_id=uuid4(), name="Science Association", uscc="91350100M000100Y43",
        kind="people_organization", field="science", jurisdiction="110000",
        decision_ref="LG-1", seat_id=uuid4(), actor=actor("leading_group"),
    )  # fmt: skip
    hub.collect_events()
    return hub


def adjusted(hub: HubOrganization, action: str, new_field: str | None = None) -> None:
    adjustment_id = hub.propose_adjustment(action, "reasons", new_field, actor())  # type: ignore[arg-type]
    hub.decide_adjustment(adjustment_id, "approve", "LG-9", actor("leading_group"))


def new_events(hub: HubOrganization) -> list[str]:
    return [type(e).__name__ for e in hub.collect_events()]


@pytest.mark.parametrize("period", ["2026", "2026-Q1", "2026-Q4", "2026-01", "2026-12"])
def test_duty_report_periods_that_are_accepted(period: str) -> None:
    assert periods.validate_python(period) == period


@pytest.mark.parametrize(
    "period", ["26", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-7", "Q3"]
)
def test_duty_report_periods_that_are_refused(period: str) -> None:
    with pytest.raises(ValidationError):
        periods.validate_python(period)


def test_an_active_hub_records_its_duties() -> None:
    hub = designated()
    hub.assign_responsibilities("Wang Fang", "Social Work Dept.", ["Li", "Zhao"], actor("hub"))
    hub.report_duty("2026-Q3", "work", "Quarterly work.", {"members": 42}, actor("hub"))
    hub.report_upward("Flood relief", "Mobilised 12 organizations.", actor("hub"))
    assert new_events(hub) == ["ResponsibilitiesAssigned", "DutyReported", "UpwardReported"]
    assert hub.responsibilities[-1].leader == "Wang Fang"
    assert hub.duty_report_count == 1
    assert hub.last_duty_report is not None
    assert hub.last_duty_report.period == "2026-Q3"
    assert hub.last_duty_report.figures == {"members": 42}


@pytest.mark.parametrize("action", ["suspend", "revoke"])
def test_a_suspended_or_revoked_hub_cannot_act(action: str) -> None:
    hub = designated()
    adjusted(hub, action)
    hub.collect_events()
    for command in (
        lambda: hub.assign_responsibilities("W", "D", [], actor("hub")),
        lambda: hub.report_duty("2026", "work", "c", {}, actor("hub")),
        lambda: hub.report_upward("s", "c", actor("hub")),
    ):
        with pytest.raises(StateConflict, match=f"{hub.status} hub cannot act"):
            command()
    assert new_events(hub) == []


def test_one_evaluation_per_year() -> None:
    hub = designated()
    hub.evaluate(2026, 88, "good", "Solid year.", actor())
    with pytest.raises(StateConflict, match="2026"):
        hub.evaluate(2026, 95, "excellent", "Again?", actor())
    hub.evaluate(2027, 95, "excellent", "Better.", actor())
    assert [(e.year, e.score) for e in hub.evaluations] == [(2026, 88), (2027, 95)]


def test_the_office_proposes_and_the_leading_group_decides() -> None:
    hub = designated()
    adjustment_id = hub.propose_adjustment("suspend", "No reports for a year.", None, actor())
    assert hub.status == "active"
    assert hub.pending_adjustment is not None
    hub.decide_adjustment(adjustment_id, "approve", "LG-2026-30", actor("leading_group"))
    assert hub.status == "suspended"
    assert hub.adjustment(adjustment_id).status == "approved"
    assert hub.adjustment(adjustment_id).decision_ref == "LG-2026-30"
    assert new_events(hub) == ["AdjustmentProposed", "AdjustmentApproved"]


def test_a_rejected_adjustment_changes_nothing_but_its_own_status() -> None:
    hub = designated()
    adjustment_id = hub.propose_adjustment("revoke", "Disputed.", None, actor())
    hub.decide_adjustment(adjustment_id, "reject", "LG-2026-31", actor("leading_group"))
    assert hub.status == "active"
    assert hub.adjustment(adjustment_id).status == "rejected"
    with pytest.raises(StateConflict, match="already rejected"):
        hub.decide_adjustment(adjustment_id, "approve", "LG-2026-32", actor("leading_group"))


@pytest.mark.parametrize(
    ("history", "action"),
    [
        ((), "reinstate"),  # only a suspended hub is reinstated
        (("suspend",), "suspend"),
        (("suspend",), "change_field"),
        (("revoke",), "revoke"),  # revocation is final
        (("revoke",), "reinstate"),
        (("revoke",), "suspend"),
    ],
)
def test_adjustments_that_do_not_fit_the_status_are_refused(
    history: tuple[str, ...], action: str
) -> None:
    hub = designated()
    for done in history:
        adjusted(hub, done)
    new_field = "culture" if action == "change_field" else None
    with pytest.raises(StateConflict):
        hub.propose_adjustment(action, "r", new_field, actor())  # type: ignore[arg-type]


def test_suspension_then_reinstatement() -> None:
    hub = designated()
    adjusted(hub, "suspend")
    adjusted(hub, "reinstate")
    assert hub.status == "active"


def test_a_change_of_field_needs_a_new_field_and_only_then() -> None:
    hub = designated()
    with pytest.raises(InvalidCommand):
        hub.propose_adjustment("change_field", "r", None, actor())
    with pytest.raises(InvalidCommand):
        hub.propose_adjustment("suspend", "r", "culture", actor())
    with pytest.raises(StateConflict, match="already leads"):
        hub.propose_adjustment("change_field", "r", " SCIENCE ", actor())
    adjusted(hub, "change_field", "culture")
    assert hub.field == "culture"


def test_one_pending_adjustment_at_a_time_and_unknown_ones_are_not_found() -> None:
    hub = designated()
    hub.propose_adjustment("suspend", "r", None, actor())
    with pytest.raises(StateConflict, match="awaits"):
        hub.propose_adjustment("revoke", "r", None, actor())
    with pytest.raises(NotFound):
        hub.decide_adjustment(uuid4(), "approve", "LG", actor("leading_group"))


def test_a_decision_re_checks_the_status() -> None:
    """Proposed while active, the hub was revoked meanwhile: the suspension no longer fits."""
    hub = designated()
    suspension = hub.propose_adjustment("suspend", "r", None, actor())
    hub.decide_adjustment(suspension, "reject", "LG-1", actor("leading_group"))
    adjusted(hub, "revoke")
    with pytest.raises(StateConflict):
        hub.propose_adjustment("suspend", "r", None, actor())


def test_a_notice_is_received_once() -> None:
    hub = designated()
    notice_id = uuid4()
    hub.receive_notice(notice_id, actor())
    hub.receive_notice(notice_id, actor())
    assert new_events(hub) == ["NoticeReceived"]
