"""Designation applications (Art. 4-6): commands and the aggregate's own state."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel

from shuniu.aggregates.base import Jurisdiction, Text
from shuniu.aggregates.designation_application import (
    ApplicationStatus,
    Contact,
    Criteria,
    CriteriaUpdate,
    DecisionRecord,
    DesignationApplication,
    Organization,
    PreliminaryReview,
    SupplementExchange,
)
from shuniu.api.access import Caller, Forbidden
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute
from shuniu.application import Outcome

router = APIRouter(prefix="/v1/applications", tags=["applications"], route_class=OneHopRoute)


class SubmitApplication(Body):
    organization: Organization
    field: Name
    jurisdiction: Jurisdiction
    criteria: Criteria
    contact: Contact


class SupplementRequest(Body):
    reason: Text


class Supplement(Body):
    note: Text
    criteria: CriteriaUpdate | None = None


class PreliminaryReviewBody(Body):
    opinion: Literal["recommend", "not_recommend"]
    notes: Text


class DecisionBody(Body):
    decision: Literal["approve", "reject"]
    decision_ref: Text
    reasons: Text
    justification: Text | None = None


class Withdrawal(Body):
    reason: Text


class ApplicationState(BaseModel):
    id: UUID
    version: int
    status: ApplicationStatus
    organization: Organization
    field: str
    jurisdiction: str
    criteria: Criteria
    contact: Contact
    submitted_by: UUID
    submitted_at: datetime
    exchanges: list[SupplementExchange]
    preliminary_review: PreliminaryReview | None
    decision: DecisionRecord | None
    decided_at: datetime | None
    withdrawal_reason: str | None
    hub_id: UUID | None

    @classmethod
    def of(cls, a: DesignationApplication) -> ApplicationState:
        return cls(
            id=a.id,
            version=a.version,
            status=a.status,
            organization=a.organization,
            field=a.field,
            jurisdiction=a.jurisdiction,
            criteria=a.criteria,
            contact=a.contact,
            submitted_by=a.submitted_by,
            submitted_at=a.submitted_at,
            exchanges=a.exchanges,
            preliminary_review=a.preliminary_review,
            decision=a.decision,
            decided_at=a.decided_at,
            withdrawal_reason=a.withdrawal_reason,
            hub_id=a.hub_id,
        )


def answer(response: Response, outcome: Outcome) -> ApplicationState:
    command_answer(response, outcome, location=f"/v1/applications/{outcome.aggregate.id}")
    assert isinstance(outcome.aggregate, DesignationApplication)
    return ApplicationState.of(outcome.aggregate)


def application_in_reach(app: App, caller: Caller, application_id: UUID) -> DesignationApplication:
    """The application, if the caller acts in its jurisdiction (and owns it, as an applicant)."""
    application = app.get(application_id, DesignationApplication)
    caller.require_jurisdiction(application.jurisdiction)
    if caller.role == "applicant" and application.submitted_by != caller.id:
        raise Forbidden("an applicant acts on its own applications only")
    return application


@router.post("", status_code=201)
def submit(
    body: SubmitApplication, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> ApplicationState:
    caller.require_role("applicant", "office")
    caller.require_jurisdiction(body.jurisdiction)
    return answer(
        response,
        app.submit_application(
            ctx, body.organization, body.field, body.jurisdiction, body.criteria, body.contact
        ),
    )


@router.post("/{application_id}/supplement-requests")
def request_supplement(
    application_id: UUID,
    body: SupplementRequest,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> ApplicationState:
    caller.require_role("office")
    application_in_reach(app, caller, application_id)
    return answer(response, app.request_supplement(ctx, application_id, body.reason))


@router.post("/{application_id}/supplements")
def supplement(
    application_id: UUID,
    body: Supplement,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> ApplicationState:
    caller.require_role("applicant")
    application_in_reach(app, caller, application_id)
    return answer(
        response, app.supplement_application(ctx, application_id, body.note, body.criteria)
    )


@router.post("/{application_id}/preliminary-review")
def review(
    application_id: UUID,
    body: PreliminaryReviewBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> ApplicationState:
    caller.require_role("office")
    application_in_reach(app, caller, application_id)
    return answer(response, app.review_application(ctx, application_id, body.opinion, body.notes))


@router.post("/{application_id}/decision")
def decide(
    application_id: UUID,
    body: DecisionBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> ApplicationState:
    caller.require_role("leading_group")
    application_in_reach(app, caller, application_id)
    return answer(
        response,
        app.decide_application(
            ctx, application_id, body.decision, body.decision_ref, body.reasons, body.justification
        ),
    )


@router.post("/{application_id}/withdrawal")
def withdraw(
    application_id: UUID,
    body: Withdrawal,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> ApplicationState:
    caller.require_role("applicant")
    application_in_reach(app, caller, application_id)
    return answer(response, app.withdraw_application(ctx, application_id, body.reason))


@router.get("/{application_id}")
def read(
    application_id: UUID, app: App, caller: CurrentCaller, response: Response
) -> ApplicationState:
    application = app.get(application_id, DesignationApplication)
    caller.require_readable(application.jurisdiction)
    if caller.role == "applicant" and application.submitted_by != caller.id:
        raise Forbidden("an applicant reads its own applications only")
    state_answer(response, application.version)
    return ApplicationState.of(application)
