"""Commands of the joint meeting system (Art. 11) and their handlers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import AgendaItem, JointMeeting
from shuniu.commands.base import Command
from shuniu.commands.fields import Input, Jurisdiction, Name, Text
from shuniu.policies.base import Workspace

Meeting = JointMeeting


class AgendaItemBody(Input):
    title: Name
    presenter: Name | None = None


class ConveneMeeting(Command):
    creates: ClassVar[bool] = True
    title: Name
    scheduled_at: AwareDatetime
    jurisdiction: Jurisdiction
    agenda: Annotated[list[AgendaItemBody], Field(min_length=1, max_length=200)]


class MeetingCommand(Command):
    path: ClassVar[tuple[str, ...]] = ("meeting_id",)
    meeting_id: UUID


class RecordAttendance(MeetingCommand):
    """One line per hub; recording a hub again replaces its line."""

    hub_id: UUID
    representative: Name
    present: bool


class AdoptResolution(MeetingCommand):
    agenda_item: Annotated[int, Field(ge=0)]
    text: Text


class AssignActionItem(MeetingCommand):
    owner_hub_id: UUID
    description: Text
    due: date


class CompleteActionItem(MeetingCommand):
    """Only the owner hub completes its action item (after publishing too)."""

    path: ClassVar[tuple[str, ...]] = ("meeting_id", "action_item_id")
    action_item_id: UUID
    note: Text


class PublishMinutes(MeetingCommand):
    """Publishing closes the minutes: attendance, resolutions and action items are then 409."""

    summary: Text


class CorrectMinutes(MeetingCommand):
    text: Text


class CancelMeeting(MeetingCommand):
    """A meeting that has not taken place: before its time, with nothing recorded at it."""

    reason: Text


def hub_of(work: Workspace, meeting: Meeting, hub_id: UUID) -> HubOrganization:
    """A hub named in a meeting's body: it must exist in the meeting's jurisdiction."""
    hub = work.find(hub_id, HubOrganization)
    if hub is None or hub.jurisdiction != meeting.jurisdiction:
        raise InvalidCommand(f"no hub {hub_id} in jurisdiction {meeting.jurisdiction}")
    return hub


def convene_meeting(c: ConveneMeeting, work: Workspace) -> Meeting:
    meeting = Meeting(
        title=c.title,
        scheduled_at=c.scheduled_at,
        jurisdiction=c.jurisdiction,
        agenda=[AgendaItem(title=i.title, presenter=i.presenter) for i in c.agenda],
        actor=work.actor,
    )
    work.add(meeting)
    return meeting


def record_attendance(c: RecordAttendance, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    hub = hub_of(work, meeting, c.hub_id)
    meeting.record_attendance(hub.id, hub.name, c.representative, c.present, work.actor)
    return meeting


def adopt_resolution(c: AdoptResolution, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    meeting.adopt_resolution(c.agenda_item, c.text, work.actor)
    return meeting


def assign_action_item(c: AssignActionItem, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    hub_of(work, meeting, c.owner_hub_id).require_active()
    meeting.assign_action_item(c.owner_hub_id, c.description, c.due, work.actor)
    return meeting


def complete_action_item(c: CompleteActionItem, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    owner = meeting.action_item(c.action_item_id).owner_hub_id
    work.get(owner, HubOrganization).require_active()
    meeting.complete_action_item(c.action_item_id, c.note, work.actor)
    return meeting


def publish_minutes(c: PublishMinutes, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    meeting.publish_minutes(c.summary, work.actor)
    return meeting


def correct_minutes(c: CorrectMinutes, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    meeting.correct(c.text, work.actor)
    return meeting


def cancel_meeting(c: CancelMeeting, work: Workspace) -> Meeting:
    meeting = work.get(c.meeting_id, Meeting)
    meeting.cancel(c.reason, datetime.now(UTC), work.actor)
    return meeting
