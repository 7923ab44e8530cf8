"""JointMeeting: the joint meeting system of Art. 11 (联席会议).

Convened by the Leading Group or its office with an ordered agenda; hub
representatives attend; it adopts resolutions on agenda items and assigns
action items to hubs; its minutes are published with a summary. Published
minutes never change: attendance, resolutions and action items after
publishing are refused, and a correction is an event of its own.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import AwareDatetime

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction, Value
from shuniu.aggregates.errors import InvalidCommand, NotFound, StateConflict

MeetingStatus = Literal["scheduled", "published", "cancelled"]
ActionItemState = Literal["open", "done", "flagged"]


class AgendaItem(Value):
    title: str
    presenter: str | None = None


class Attendance(Value):
    hub_id: UUID
    hub_name: str
    representative: str
    present: bool
    recorded_at: datetime


class Resolution(Value):
    id: UUID
    agenda_item: int
    text: str
    adopted_at: datetime


class ActionItem(Value):
    id: UUID
    owner_hub_id: UUID
    description: str
    due: date
    state: ActionItemState
    assigned_at: datetime
    note: str | None = None
    closed_at: datetime | None = None


class Correction(Value):
    text: str
    corrected_at: datetime


class JointMeeting(Aggregate):
    class Convened(Aggregate.Created):
        title: str
        scheduled_at: AwareDatetime
        jurisdiction: Jurisdiction
        agenda: list[AgendaItem]

    @event(Convened)
    def __init__(
        self,
        title: str,
        scheduled_at: datetime,
        jurisdiction: Jurisdiction,
        agenda: list[AgendaItem],
        actor: Actor,
    ) -> None:
        self.title = title
        self.scheduled_at = scheduled_at
        self.jurisdiction = jurisdiction
        self.agenda = agenda
        self.convened_by = actor.principal_id
        self.status: MeetingStatus = "scheduled"
        self.attendance: list[Attendance] = []
        self.resolutions: list[Resolution] = []
        self.action_items: list[ActionItem] = []
        self.summary: str | None = None
        self.published_at: datetime | None = None
        self.corrections: list[Correction] = []
        self.cancel_reason: str | None = None

    def _require_open_minutes(self, what: str) -> None:
        if self.status != "scheduled":
            raise StateConflict(f"the meeting is {self.status}: no more {what}")

    def _next_id(self, kind: str) -> UUID:
        return uuid5(self.id, f"{kind}:{self.version + 1}")

    def record_attendance(
        self, hub_id: UUID, hub_name: str, representative: str, present: bool, actor: Actor
    ) -> None:
        self._require_open_minutes("attendance")
        self.trigger_event(
            self.AttendanceRecorded,
            hub_id=hub_id,
            hub_name=hub_name,
            representative=representative,
            present=present,
            actor=actor,
        )

    def adopt_resolution(self, agenda_item: int, text: str, actor: Actor) -> UUID:
        self._require_open_minutes("resolutions")
        if not 0 <= agenda_item < len(self.agenda):
            raise InvalidCommand(
                f"agenda_item {agenda_item} is not on the agenda (0 to {len(self.agenda) - 1})"
            )
        resolution_id = self._next_id("resolution")
        self.trigger_event(
            self.ResolutionAdopted,
            resolution_id=resolution_id,
            agenda_item=agenda_item,
            text=text,
            actor=actor,
        )
        return resolution_id

    def assign_action_item(
        self, owner_hub_id: UUID, description: str, due: date, actor: Actor
    ) -> UUID:
        self._require_open_minutes("action items")
        action_item_id = self._next_id("action-item")
        self.trigger_event(
            self.ActionItemAssigned,
            action_item_id=action_item_id,
            owner_hub_id=owner_hub_id,
            description=description,
            due=due,
            actor=actor,
        )
        return action_item_id

    def action_item(self, action_item_id: UUID) -> ActionItem:
        for item in self.action_items:
            if item.id == action_item_id:
                return item
        raise NotFound(f"meeting {self.id} has no action item {action_item_id}")

    def complete_action_item(self, action_item_id: UUID, note: str, actor: Actor) -> None:
        item = self.action_item(action_item_id)
        if item.state != "open":
            raise StateConflict(f"the action item is {item.state}")
        self.trigger_event(
            self.ActionItemCompleted, action_item_id=action_item_id, note=note, actor=actor
        )

    def flag_open_items_of(self, hub_id: UUID, reason: str, actor: Actor) -> None:
        """Revocation cascade: the owner hub is gone, its open items need a person's look."""
        for item in self.action_items:
            if item.owner_hub_id == hub_id and item.state == "open":
                self.trigger_event(
                    self.ActionItemFlagged, action_item_id=item.id, reason=reason, actor=actor
                )

    def open_items_of(self, hub_id: UUID) -> list[ActionItem]:
        return [i for i in self.action_items if i.owner_hub_id == hub_id and i.state == "open"]

    def publish_minutes(self, summary: str, actor: Actor) -> None:
        if self.status != "scheduled":
            raise StateConflict(f"the meeting is {self.status}: its minutes cannot be published")
        self.trigger_event(self.MinutesPublished, summary=summary, actor=actor)

    def correct(self, text: str, actor: Actor) -> None:
        if self.status != "published":
            raise StateConflict("only published minutes are corrected; edit them before publishing")
        self.trigger_event(self.Corrected, text=text, actor=actor)

    def cancel(self, reason: str, now: datetime, actor: Actor) -> None:
        if self.status != "scheduled":
            raise StateConflict(f"the meeting is {self.status}: it cannot be cancelled")
        if now >= self.scheduled_at or self.attendance or self.resolutions or self.action_items:
            raise StateConflict("the meeting has taken place: it cannot be cancelled")
        self.trigger_event(self.Cancelled, reason=reason, actor=actor)

    # Events.

    class AttendanceRecorded(Aggregate.Event):
        hub_id: UUID
        hub_name: str
        representative: str
        present: bool

        def apply(self, m: JointMeeting) -> None:
            """One line per hub: recording a hub again replaces its line."""
            line = Attendance(
                hub_id=self.hub_id,
                hub_name=self.hub_name,
                representative=self.representative,
                present=self.present,
                recorded_at=self.timestamp,
            )
            m.attendance = [a for a in m.attendance if a.hub_id != self.hub_id] + [line]

    class ResolutionAdopted(Aggregate.Event):
        resolution_id: UUID
        agenda_item: int
        text: str

        def apply(self, m: JointMeeting) -> None:
            m.resolutions.append(
                Resolution(
                    id=self.resolution_id,
                    agenda_item=self.agenda_item,
                    text=self.text,
                    adopted_at=self.timestamp,
                ),
            )

    class ActionItemAssigned(Aggregate.Event):
        action_item_id: UUID
        owner_hub_id: UUID
        description: str
        due: date

        def apply(self, m: JointMeeting) -> None:
            m.action_items.append(
                ActionItem(
                    id=self.action_item_id,
                    owner_hub_id=self.owner_hub_id,
                    description=self.description,
                    due=self.due,
                    state="open",
                    assigned_at=self.timestamp,
                ),
            )

    class ActionItemCompleted(Aggregate.Event):
        action_item_id: UUID
        note: str

        def apply(self, m: JointMeeting) -> None:
            m.action_items = _closed(m, self.action_item_id, "done", self.note, self.timestamp)

    class ActionItemFlagged(Aggregate.Event):
        action_item_id: UUID
        reason: str

        def apply(self, m: JointMeeting) -> None:
            m.action_items = _closed(m, self.action_item_id, "flagged", self.reason, self.timestamp)

    class MinutesPublished(Aggregate.Event):
        summary: str

        def apply(self, m: JointMeeting) -> None:
            m.status = "published"
            m.summary = self.summary
            m.published_at = self.timestamp

    class Corrected(Aggregate.Event):
        text: str

        def apply(self, m: JointMeeting) -> None:
            m.corrections.append(
                Correction(text=self.text, corrected_at=self.timestamp),
            )

    class Cancelled(Aggregate.Event):
        reason: str

        def apply(self, m: JointMeeting) -> None:
            m.status = "cancelled"
            m.cancel_reason = self.reason


def _closed(
    m: JointMeeting, item_id: UUID, state: ActionItemState, note: str, at: datetime
) -> list[ActionItem]:
    return [
        i.model_copy(update={"state": state, "note": note, "closed_at": at})
        if i.id == item_id
        else i
        for i in m.action_items
    ]
