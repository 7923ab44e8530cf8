"""Joint meetings (Art. 11): convening, attendance, resolutions, action items, minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import AwareDatetime, BaseModel, Field

from shuniu.aggregates.base import Jurisdiction, Text
from shuniu.aggregates.joint_meeting import (
    ActionItem,
    AgendaItem,
    Attendance,
    Correction,
    JointMeeting,
    MeetingStatus,
    Resolution,
)
from shuniu.api.access import Caller, Forbidden
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute
from shuniu.application import Outcome

router = APIRouter(prefix="/v1/meetings", tags=["meetings"], route_class=OneHopRoute)


class AgendaItemBody(Body):
    title: Name
    presenter: Name | None = None


class Convene(Body):
    title: Name
    scheduled_at: AwareDatetime
    jurisdiction: Jurisdiction
    agenda: Annotated[list[AgendaItemBody], Field(min_length=1, max_length=200)]


class AttendanceBody(Body):
    hub_id: UUID
    representative: Name
    present: bool


class ResolutionBody(Body):
    agenda_item: Annotated[int, Field(ge=0)]
    text: Text


class ActionItemBody(Body):
    owner_hub_id: UUID
    description: Text
    due: date


class Completion(Body):
    note: Text


class Minutes(Body):
    summary: Text


class CorrectionBody(Body):
    text: Text


class Cancellation(Body):
    reason: Text


class MeetingState(BaseModel):
    id: UUID
    version: int
    title: str
    scheduled_at: datetime
    jurisdiction: str
    status: MeetingStatus
    agenda: list[AgendaItem]
    attendance: list[Attendance]
    resolutions: list[Resolution]
    action_items: list[ActionItem]
    summary: str | None
    published_at: datetime | None
    corrections: list[Correction]
    cancel_reason: str | None
    action_item_id: UUID | None = None

    @classmethod
    def of(cls, m: JointMeeting, action_item_id: UUID | None = None) -> MeetingState:
        return cls(
            id=m.id,
            version=m.version,
            title=m.title,
            scheduled_at=m.scheduled_at,
            jurisdiction=m.jurisdiction,
            status=m.status,
            agenda=m.agenda,
            attendance=m.attendance,
            resolutions=m.resolutions,
            action_items=m.action_items,
            summary=m.summary,
            published_at=m.published_at,
            corrections=m.corrections,
            cancel_reason=m.cancel_reason,
            action_item_id=action_item_id,
        )


def answer(
    response: Response, outcome: Outcome, action_item_id: UUID | None = None
) -> MeetingState:
    command_answer(response, outcome, location=f"/v1/meetings/{outcome.aggregate.id}")
    assert isinstance(outcome.aggregate, JointMeeting)
    return MeetingState.of(outcome.aggregate, action_item_id)


def meeting_in_reach(app: App, caller: Caller, meeting_id: UUID) -> JointMeeting:
    meeting = app.get(meeting_id, JointMeeting)
    caller.require_jurisdiction(meeting.jurisdiction)
    return meeting


@router.post("", status_code=201)
def convene(
    body: Convene, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> MeetingState:
    caller.require_role("office", "leading_group")
    caller.require_jurisdiction(body.jurisdiction)
    agenda = [AgendaItem(title=i.title, presenter=i.presenter) for i in body.agenda]
    outcome = app.convene_meeting(ctx, body.title, body.scheduled_at, body.jurisdiction, agenda)
    return answer(response, outcome)


@router.post("/{meeting_id}/attendance")
def record_attendance(
    meeting_id: UUID,
    body: AttendanceBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    caller.require_role("office")
    meeting_in_reach(app, caller, meeting_id)
    outcome = app.record_attendance(ctx, meeting_id, body.hub_id, body.representative, body.present)
    return answer(response, outcome)


@router.post("/{meeting_id}/resolutions")
def adopt_resolution(
    meeting_id: UUID,
    body: ResolutionBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    caller.require_role("office")
    meeting_in_reach(app, caller, meeting_id)
    return answer(response, app.adopt_resolution(ctx, meeting_id, body.agenda_item, body.text))


@router.post("/{meeting_id}/action-items")
def assign_action_item(
    meeting_id: UUID,
    body: ActionItemBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    caller.require_role("office")
    meeting_in_reach(app, caller, meeting_id)
    outcome = app.assign_action_item(ctx, meeting_id, body.owner_hub_id, body.description, body.due)
    assert isinstance(outcome.aggregate, JointMeeting)
    return answer(response, outcome, outcome.aggregate.action_items[-1].id)


@router.post("/{meeting_id}/action-items/{action_item_id}/completion")
def complete_action_item(
    meeting_id: UUID,
    action_item_id: UUID,
    body: Completion,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    """Only the owner hub completes its action item (after publishing too)."""
    caller.require_role("hub")
    meeting = app.get(meeting_id, JointMeeting)
    if caller.hub_id != meeting.action_item(action_item_id).owner_hub_id:
        raise Forbidden("only the owner hub completes an action item")
    return answer(response, app.complete_action_item(ctx, meeting_id, action_item_id, body.note))


@router.post("/{meeting_id}/minutes")
def publish_minutes(
    meeting_id: UUID,
    body: Minutes,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    caller.require_role("office")
    meeting_in_reach(app, caller, meeting_id)
    return answer(response, app.publish_minutes(ctx, meeting_id, body.summary))


@router.post("/{meeting_id}/corrections")
def correct_minutes(
    meeting_id: UUID,
    body: CorrectionBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    caller.require_role("office")
    meeting_in_reach(app, caller, meeting_id)
    return answer(response, app.correct_minutes(ctx, meeting_id, body.text))


@router.post("/{meeting_id}/cancellation")
def cancel(
    meeting_id: UUID,
    body: Cancellation,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> MeetingState:
    """Cancel a meeting that has not taken place (before its time, nothing recorded)."""
    caller.require_role("office", "leading_group")
    meeting_in_reach(app, caller, meeting_id)
    return answer(response, app.cancel_meeting(ctx, meeting_id, body.reason))


@router.get("/{meeting_id}")
def read(meeting_id: UUID, app: App, caller: CurrentCaller, response: Response) -> MeetingState:
    meeting = app.get(meeting_id, JointMeeting)
    caller.require_readable(meeting.jurisdiction)
    state_answer(response, meeting.version)
    return MeetingState.of(meeting)
