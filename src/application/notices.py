"""Commands of the notification system (Art. 12)."""

from __future__ import annotations

from uuid import UUID

from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.notice import Notice
from shuniu.aggregates.roster import Roster, active_affiliates_roster, active_hubs_roster
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


def addressees(work: UnitOfWork, jurisdiction: str, hub_ids: list[UUID] | None) -> list[UUID]:
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


class NoticeCommands(EventLog):
    name = APPLICATION_NAME

    def issue_notice(
        self,
        ctx: CommandContext,
        title: str,
        body: str,
        jurisdiction: str,
        hub_ids: list[UUID] | None,
    ) -> Outcome:
        def issue(work: UnitOfWork) -> Notice:
            notice = Notice(
                title=title,
                body=body,
                jurisdiction=jurisdiction,
                hub_ids=addressees(work, jurisdiction, hub_ids),
                actor=work.actor,
            )
            work.add(notice)
            return notice

        return self.execute(ctx, issue, creates=True)

    def acknowledge_notice(self, ctx: CommandContext, notice_id: UUID, hub_id: UUID) -> Outcome:
        def acknowledge(work: UnitOfWork) -> Notice:
            notice = work.get(notice_id, Notice)
            work.get(hub_id, HubOrganization).require_active()
            notice.acknowledge(hub_id, work.actor)
            return notice

        return self.execute(ctx, acknowledge)

    def relay_notice(
        self, ctx: CommandContext, notice_id: UUID, hub_id: UUID, note: str | None
    ) -> Outcome:
        def relay(work: UnitOfWork) -> Notice:
            notice = work.get(notice_id, Notice)
            work.get(hub_id, HubOrganization).require_active()
            roster = work.find(active_affiliates_roster(hub_id), Roster)
            affiliates = list(roster.members) if roster is not None else []
            notice.relay(hub_id, note, affiliates, work.actor)
            return notice

        return self.execute(ctx, relay)
