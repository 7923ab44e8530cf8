"""Commands of the notification system (Art. 12) and their handlers."""

from __future__ import annotations

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.notice import Notice, NoticeCategory
from shuniu.aggregates.roster import Roster, active_affiliates_roster, active_hubs_roster
from shuniu.commands.base import Command
from shuniu.commands.fields import MAX_LIST, Jurisdiction, Name, Text
from shuniu.policies.base import Workspace


class IssueNotice(Command):
    """To the named hubs, or by default to every active hub of the jurisdiction."""

    creates: ClassVar[bool] = True
    title: Name
    body: Text
    jurisdiction: Jurisdiction
    hub_ids: Annotated[list[UUID], Field(min_length=1, max_length=MAX_LIST)] | None = None
    category: NoticeCategory = "other"


class AcknowledgeNotice(Command):
    path: ClassVar[tuple[str, ...]] = ("notice_id",)
    notice_id: UUID
    hub_id: UUID


class RelayNotice(Command):
    """The hub relays the notice to every active affiliate of its own."""

    path: ClassVar[tuple[str, ...]] = ("notice_id",)
    notice_id: UUID
    hub_id: UUID
    note: Text | None = None


def addressees(work: Workspace, jurisdiction: str, hub_ids: list[UUID] | None) -> list[UUID]:
    """The named hubs (each active, of the jurisdiction), or every active hub of it."""
    if hub_ids is None:
        roster = work.find(active_hubs_roster(jurisdiction), Roster)
        active = roster.members if roster is not None else []
        if not active:
            raise StateConflict(f"jurisdiction {jurisdiction} has no active hub to notify")
        return list(active)
    for hub_id in dict.fromkeys(hub_ids):
        hub = work.find(hub_id, HubOrganization)
        if hub is None or hub.jurisdiction != jurisdiction:
            raise InvalidCommand(f"no hub {hub_id} in jurisdiction {jurisdiction}")
        hub.require_active()
    return list(dict.fromkeys(hub_ids))


def issue_notice(c: IssueNotice, work: Workspace) -> Notice:
    notice = Notice(
        title=c.title,
        body=c.body,
        jurisdiction=c.jurisdiction,
        hub_ids=addressees(work, c.jurisdiction, c.hub_ids),
        category=c.category,
        actor=work.actor,
    )
    work.add(notice)
    return notice


def acknowledge_notice(c: AcknowledgeNotice, work: Workspace) -> Notice:
    notice = work.get(c.notice_id, Notice)
    work.get(c.hub_id, HubOrganization).require_active()
    notice.acknowledge(c.hub_id, work.actor)
    return notice


def relay_notice(c: RelayNotice, work: Workspace) -> Notice:
    notice = work.get(c.notice_id, Notice)
    work.get(c.hub_id, HubOrganization).require_active()
    roster = work.find(active_affiliates_roster(c.hub_id), Roster)
    affiliates = list(roster.members) if roster is not None else []
    notice.relay(c.hub_id, c.note, affiliates, work.actor)
    return notice
