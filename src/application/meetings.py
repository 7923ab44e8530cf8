"""Commands of the joint meeting system (Art. 11)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import AgendaItem, JointMeeting
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


def hub_of(work: UnitOfWork, meeting: JointMeeting, hub_id: UUID) -> HubOrganization:
    """A hub named in a meeting's body: it must exist in the meeting's jurisdiction."""
    hub = work.find(hub_id, HubOrganization)
    if hub is None or hub.jurisdiction != meeting.jurisdiction:
        raise InvalidCommand(f"no hub {hub_id} in jurisdiction {meeting.jurisdiction}")
    return hub


class MeetingCommands(EventLog):
    name = APPLICATION_NAME

    def convene_meeting(
        self,
        ctx: CommandContext,
        title: str,
        scheduled_at: datetime,
        jurisdiction: str,
        agenda: list[AgendaItem],
    ) -> Outcome:
        def convene(work: UnitOfWork) -> JointMeeting:
            meeting = JointMeeting(
                title=title,
                scheduled_at=scheduled_at,
                jurisdiction=jurisdiction,
                agenda=agenda,
                actor=work.actor,
            )
            work.add(meeting)
            return meeting

        return self.execute(ctx, convene, creates=True)

    def record_attendance(
        self,
        ctx: CommandContext,
        meeting_id: UUID,
        hub_id: UUID,
        representative: str,
        present: bool,
    ) -> Outcome:
        def record(work: UnitOfWork, meeting: JointMeeting) -> None:
            hub = hub_of(work, meeting, hub_id)
            meeting.record_attendance(hub.id, hub.name, representative, present, work.actor)

        return self.act(ctx, meeting_id, JointMeeting, record)

    def adopt_resolution(
        self, ctx: CommandContext, meeting_id: UUID, agenda_item: int, text: str
    ) -> Outcome:
        return self.act(
            ctx,
            meeting_id,
            JointMeeting,
            lambda work, m: m.adopt_resolution(agenda_item, text, work.actor),
        )

    def assign_action_item(
        self, ctx: CommandContext, meeting_id: UUID, owner_hub_id: UUID, description: str, due: date
    ) -> Outcome:
        def assign(work: UnitOfWork, meeting: JointMeeting) -> None:
            hub_of(work, meeting, owner_hub_id).require_active()
            meeting.assign_action_item(owner_hub_id, description, due, work.actor)

        return self.act(ctx, meeting_id, JointMeeting, assign)

    def complete_action_item(
        self, ctx: CommandContext, meeting_id: UUID, action_item_id: UUID, note: str
    ) -> Outcome:
        def complete(work: UnitOfWork, meeting: JointMeeting) -> None:
            owner = meeting.action_item(action_item_id).owner_hub_id
            work.get(owner, HubOrganization).require_active()
            meeting.complete_action_item(action_item_id, note, work.actor)

        return self.act(ctx, meeting_id, JointMeeting, complete)

    def publish_minutes(self, ctx: CommandContext, meeting_id: UUID, summary: str) -> Outcome:
        return self.act(
            ctx, meeting_id, JointMeeting, lambda work, m: m.publish_minutes(summary, work.actor)
        )

    def correct_minutes(self, ctx: CommandContext, meeting_id: UUID, text: str) -> Outcome:
        return self.act(ctx, meeting_id, JointMeeting, lambda work, m: m.correct(text, work.actor))

    def cancel_meeting(self, ctx: CommandContext, meeting_id: UUID, reason: str) -> Outcome:
        return self.act(
            ctx,
            meeting_id,
            JointMeeting,
            lambda work, m: m.cancel(reason, datetime.now(UTC), work.actor),
        )
