"""Joint meetings (Art. 11): convening, attendance, resolutions, action items, minutes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.joint_meeting import (
    ActionItem,
    AgendaItem,
    Attendance,
    Correction,
    JointMeeting,
    MeetingStatus,
    Resolution,
)
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import meetings

router = CommandRouter(prefix="/v1/meetings", tags=["meetings"])


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


def answer(outcome: Outcome) -> MeetingState:
    assert isinstance(outcome.aggregate, JointMeeting)
    return MeetingState.of(outcome.aggregate)


def answer_with_action_item(outcome: Outcome) -> MeetingState:
    """The meeting, and the id of the action item just assigned (at the answer's version)."""
    meeting = outcome.aggregate
    assert isinstance(meeting, JointMeeting)
    return MeetingState.of(meeting, meeting.action_items[-1].id)


router.command("", meetings.ConveneMeeting, answer)
router.command("/{meeting_id}/attendance", meetings.RecordAttendance, answer)
router.command("/{meeting_id}/resolutions", meetings.AdoptResolution, answer)
router.command("/{meeting_id}/action-items", meetings.AssignActionItem, answer_with_action_item)
router.command(
    "/{meeting_id}/action-items/{action_item_id}/completion", meetings.CompleteActionItem, answer
)
router.command("/{meeting_id}/minutes", meetings.PublishMinutes, answer)
router.command("/{meeting_id}/corrections", meetings.CorrectMinutes, answer)
router.command("/{meeting_id}/cancellation", meetings.CancelMeeting, answer)


@router.get("/{meeting_id}")
def read(meeting_id: UUID, app: App, caller: CurrentCaller, response: Response) -> MeetingState:
    meeting = app.get(meeting_id, JointMeeting)
    caller.require_readable(meeting.jurisdiction)
    state_answer(response, meeting.version)
    return MeetingState.of(meeting)
