"""Hub organizations: their duties (Art. 9, 12, 13), evaluations (Art. 17) and
adjustments (Art. 7), and the aggregate's own state."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from shuniu.aggregates.base import Text
from shuniu.aggregates.designation_application import ApplicantKind
from shuniu.aggregates.hub_organization import (
    Adjustment,
    AdjustmentAction,
    DutyReport,
    DutyReportKind,
    Evaluation,
    Grade,
    HubOrganization,
    HubStatus,
    ReportPeriod,
    Responsibilities,
    Score,
    UpwardReport,
    Year,
)
from shuniu.api.access import Caller
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute
from shuniu.application import Outcome

router = APIRouter(prefix="/v1/hubs", tags=["hubs"], route_class=OneHopRoute)


class AssignResponsibilities(Body):
    leader: Name
    department: Name
    staff: Annotated[list[Name], Field(max_length=500)]


class ReportDuty(Body):
    period: ReportPeriod
    kind: DutyReportKind
    content: Text
    figures: dict[Name, float] = Field(default_factory=dict)


class ReportUpward(Body):
    subject: Name
    content: Text


class Evaluate(Body):
    year: Year
    score: Score
    grade: Grade
    notes: Text


class ProposeAdjustment(Body):
    action: AdjustmentAction
    reasons: Text
    new_field: Name | None = None


class DecideAdjustment(Body):
    decision: Literal["approve", "reject"]
    decision_ref: Name


class HubState(BaseModel):
    id: UUID
    version: int
    application_id: UUID
    name: str
    uscc: str
    kind: ApplicantKind
    field: str
    jurisdiction: str
    status: HubStatus
    designated_at: datetime
    decision_ref: str
    responsibilities: Responsibilities | None
    responsibility_history: list[Responsibilities]
    duty_report_count: int
    last_duty_report: DutyReport | None
    upward_reports: list[UpwardReport]
    evaluations: list[Evaluation]
    adjustments: list[Adjustment]
    notices_received: list[UUID]
    adjustment_id: UUID | None = None

    @classmethod
    def of(cls, hub: HubOrganization, adjustment_id: UUID | None = None) -> HubState:
        return cls(
            id=hub.id,
            version=hub.version,
            application_id=hub.application_id,
            name=hub.name,
            uscc=hub.uscc,
            kind=hub.kind,
            field=hub.field,
            jurisdiction=hub.jurisdiction,
            status=hub.status,
            designated_at=hub.designated_at,
            decision_ref=hub.decision_ref,
            responsibilities=hub.responsibilities[-1] if hub.responsibilities else None,
            responsibility_history=hub.responsibilities,
            duty_report_count=hub.duty_report_count,
            last_duty_report=hub.last_duty_report,
            upward_reports=hub.upward_reports,
            evaluations=hub.evaluations,
            adjustments=hub.adjustments,
            notices_received=hub.notices_received,
            adjustment_id=adjustment_id,
        )


def answer(response: Response, outcome: Outcome) -> HubState:
    command_answer(response, outcome)
    assert isinstance(outcome.aggregate, HubOrganization)
    return HubState.of(outcome.aggregate)


def hub_in_reach(app: App, caller: Caller, hub_id: UUID) -> HubOrganization:
    """The hub, if the caller acts in its jurisdiction (and, as a hub, is that hub)."""
    caller.require_hub(hub_id)
    hub = app.get(hub_id, HubOrganization)
    caller.require_jurisdiction(hub.jurisdiction)
    return hub


@router.post("/{hub_id}/responsibilities")
def assign_responsibilities(
    hub_id: UUID,
    body: AssignResponsibilities,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> HubState:
    caller.require_role("hub")
    hub_in_reach(app, caller, hub_id)
    outcome = app.assign_responsibilities(ctx, hub_id, body.leader, body.department, body.staff)
    return answer(response, outcome)


@router.post("/{hub_id}/duty-reports")
def report_duty(
    hub_id: UUID,
    body: ReportDuty,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> HubState:
    caller.require_role("hub")
    hub_in_reach(app, caller, hub_id)
    outcome = app.report_duty(ctx, hub_id, body.period, body.kind, body.content, body.figures)
    return answer(response, outcome)


@router.post("/{hub_id}/upward-reports")
def report_upward(
    hub_id: UUID,
    body: ReportUpward,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> HubState:
    caller.require_role("hub")
    hub_in_reach(app, caller, hub_id)
    return answer(response, app.report_upward(ctx, hub_id, body.subject, body.content))


@router.post("/{hub_id}/evaluations")
def evaluate(
    hub_id: UUID, body: Evaluate, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> HubState:
    caller.require_role("office")
    hub_in_reach(app, caller, hub_id)
    outcome = app.evaluate_hub(ctx, hub_id, body.year, body.score, body.grade, body.notes)
    return answer(response, outcome)


@router.post("/{hub_id}/adjustments")
def propose_adjustment(
    hub_id: UUID,
    body: ProposeAdjustment,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> HubState:
    caller.require_role("office")
    hub_in_reach(app, caller, hub_id)
    outcome = app.propose_adjustment(ctx, hub_id, body.action, body.reasons, body.new_field)
    command_answer(response, outcome)
    assert isinstance(outcome.aggregate, HubOrganization)
    return HubState.of(outcome.aggregate, adjustment_id=outcome.aggregate.adjustments[-1].id)


@router.post("/{hub_id}/adjustments/{adjustment_id}/decision")
def decide_adjustment(
    hub_id: UUID,
    adjustment_id: UUID,
    body: DecideAdjustment,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> HubState:
    caller.require_role("leading_group")
    hub_in_reach(app, caller, hub_id)
    outcome = app.decide_adjustment(ctx, hub_id, adjustment_id, body.decision, body.decision_ref)
    return answer(response, outcome)


@router.get("/{hub_id}")
def read(hub_id: UUID, app: App, caller: CurrentCaller, response: Response) -> HubState:
    hub = app.get(hub_id, HubOrganization)
    caller.require_readable(hub.jurisdiction)
    state_answer(response, hub.version)
    return HubState.of(hub)
