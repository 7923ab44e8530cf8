"""DesignationApplication: given events, when a command, then new events or a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from shuniu.aggregates.designation_application import (
    CriteriaUpdate,
    DesignationApplication,
    hub_id_for,
)
from shuniu.aggregates.errors import InvalidCommand, StateConflict
from tests.factories import actor, application_fields

Step = Callable[[DesignationApplication], None]


def request_supplement(a: DesignationApplication) -> None:
    a.request_supplement("Add the charter.", actor())


def supplement(a: DesignationApplication) -> None:
    a.supplement("Charter attached.", None, actor("applicant"))


def review(a: DesignationApplication) -> None:
    a.review_preliminarily("recommend", "Meets Art. 4.", actor())


def approve(a: DesignationApplication) -> None:
    a.decide("approve", "LG-2026-1", "Qualified.", "Work needs it.", actor("leading_group"))


def reject(a: DesignationApplication) -> None:
    a.decide("reject", "LG-2026-2", "Not qualified.", None, actor("leading_group"))


def withdraw(a: DesignationApplication) -> None:
    a.withdraw("We merge with another body.", actor("applicant"))


def given(*steps: Step, **fields: Any) -> DesignationApplication:
    application = DesignationApplication(**application_fields(**fields), actor=actor("applicant"))
    for step in steps:
        step(application)
    application.collect_events()
    return application


def new_events(application: DesignationApplication) -> list[str]:
    return [type(e).__name__ for e in application.collect_events()]


def test_submission_records_who_submitted_and_when() -> None:
    submitter = actor("applicant")
    application = DesignationApplication(**application_fields(), actor=submitter)
    (event,) = application.collect_events()
    assert type(event).__name__ == "Submitted"
    assert event.actor == submitter  # type: ignore[attr-defined]
    assert application.status == "submitted"
    assert application.submitted_by == submitter.principal_id
    assert application.version == 1


def test_the_whole_procedure_to_approval() -> None:
    application = given()
    for step, event, status in [
        (request_supplement, "SupplementRequested", "supplement_requested"),
        (supplement, "Supplemented", "submitted"),
        (review, "PreliminarilyReviewed", "preliminary_reviewed"),
        (approve, "Approved", "approved"),
    ]:
        step(application)
        assert new_events(application) == [event]
        assert application.status == status
    assert application.hub_id == hub_id_for(application.id)
    assert application.decided_at is not None
    assert [x.kind for x in application.exchanges] == ["request", "supplement"]


def test_a_supplement_may_rewrite_some_criteria() -> None:
    application = given(request_supplement)
    application.supplement(
        "Rewritten.", CriteriaUpdate(leading_role="Leads 40 member bodies."), actor("applicant")
    )
    assert application.criteria.leading_role == "Leads 40 member bodies."
    assert application.criteria.party_organization == "Sound Party organization."


def test_rejection_is_a_decision_without_hub() -> None:
    application = given(review)
    reject(application)
    assert new_events(application) == ["Rejected"]
    assert application.status == "rejected"
    assert application.hub_id is None


@pytest.mark.parametrize(
    ("history", "command"),
    [
        ((), approve),  # no decision before the office's preliminary review (Art. 6)
        ((), supplement),  # nothing was asked for
        ((request_supplement,), review),  # waiting for the supplement
        ((request_supplement,), request_supplement),
        ((review,), request_supplement),
        ((review, approve), approve),  # a decision taken twice
        ((review, approve), reject),
        ((review, reject), withdraw),  # too late to withdraw
        ((review, approve), withdraw),
        ((withdraw,), review),
        ((withdraw,), withdraw),
    ],
)
def test_illegal_transitions_are_refused_and_record_nothing(
    history: tuple[Step, ...], command: Step
) -> None:
    application = given(*history)
    version = application.version
    with pytest.raises(StateConflict):
        command(application)
    assert new_events(application) == []
    assert application.version == version


@pytest.mark.parametrize("history", [(), (request_supplement,), (review,)])
def test_withdrawal_any_time_before_the_decision(history: tuple[Step, ...]) -> None:
    application = given(*history)
    withdraw(application)
    assert new_events(application) == ["Withdrawn"]
    assert application.status == "withdrawn"


@pytest.mark.parametrize("justification", [None, "", "   "])
def test_approving_a_social_organization_needs_a_justification(justification: str | None) -> None:
    """Art. 5: hubs come first from people's organizations; others need the work's need."""
    application = given(review, kind="social_organization")
    with pytest.raises(InvalidCommand, match=r"Art\. 5"):
        application.decide("approve", "LG-1", "Qualified.", justification, actor("leading_group"))
    assert new_events(application) == []


def test_a_people_organization_is_approved_without_justification() -> None:
    application = given(review, kind="people_organization")
    application.decide("approve", "LG-1", "Qualified.", None, actor("leading_group"))
    assert application.status == "approved"


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    application = DesignationApplication(**application_fields(), actor=actor("applicant"))
    for step in (request_supplement, supplement, review, approve):
        step(application)
    events = application.collect_events()
    replayed: DesignationApplication | None = None
    for event in events:
        replayed = event.mutate(replayed)  # type: ignore[arg-type,assignment]
    assert replayed is not None
    assert vars(replayed) == {**vars(application), "_pending_events": []}
