"""Commands of a hub as business supervisory unit (Art. 8(2))."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal
from uuid import UUID

from shuniu.aggregates.affiliate_relationship import (
    AffiliatedOrganization,
    AffiliateRelationship,
    InspectionResult,
    RegistrationMatter,
)
from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


def supervised(work: UnitOfWork, affiliation_id: UUID) -> AffiliateRelationship:
    """The affiliation, when the hub acting on it may act: a suspended hub cannot."""
    affiliation = work.get(affiliation_id, AffiliateRelationship)
    if work.actor.role == "hub":
        work.get(affiliation.hub_id, HubOrganization).require_active()
    return affiliation


class AffiliationCommands(EventLog):
    name = APPLICATION_NAME

    def _supervised(
        self,
        ctx: CommandContext,
        affiliation_id: UUID,
        change: Callable[[UnitOfWork, AffiliateRelationship], object],
    ) -> Outcome:
        """A command of the supervising hub (or the office) on one affiliation."""

        def command(work: UnitOfWork) -> AffiliateRelationship:
            affiliation = supervised(work, affiliation_id)
            change(work, affiliation)
            return affiliation

        return self.execute(ctx, command)

    def establish_affiliation(
        self, ctx: CommandContext, hub_id: UUID, organization: AffiliatedOrganization
    ) -> Outcome:
        def establish(work: UnitOfWork) -> AffiliateRelationship:
            hub = work.find(hub_id, HubOrganization)
            if hub is None:
                raise InvalidCommand(f"no hub with id {hub_id}")
            hub.require_active()
            affiliation = AffiliateRelationship(
                hub_id=hub.id,
                organization=organization,
                jurisdiction=hub.jurisdiction,
                actor=work.actor,
            )
            work.add(affiliation)
            return affiliation

        return self.execute(ctx, establish, creates=True)

    def review_registration(
        self,
        ctx: CommandContext,
        affiliation_id: UUID,
        matter: RegistrationMatter,
        opinion: Literal["approve", "reject"],
        notes: str,
    ) -> Outcome:
        return self._supervised(
            ctx,
            affiliation_id,
            lambda work, affiliation: affiliation.review_registration(
                matter, opinion, notes, work.actor
            ),
        )

    def inspect_affiliate(
        self,
        ctx: CommandContext,
        affiliation_id: UUID,
        year: int,
        result: InspectionResult,
        notes: str,
    ) -> Outcome:
        return self._supervised(
            ctx,
            affiliation_id,
            lambda work, affiliation: affiliation.inspect(year, result, notes, work.actor),
        )

    def refer_violation(
        self, ctx: CommandContext, affiliation_id: UUID, description: str, referred_to: str
    ) -> Outcome:
        return self._supervised(
            ctx,
            affiliation_id,
            lambda work, affiliation: affiliation.refer_violation(
                description, referred_to, work.actor
            ),
        )

    def transfer_affiliation(
        self, ctx: CommandContext, affiliation_id: UUID, to_hub_id: UUID, reason: str
    ) -> Outcome:
        def transfer(work: UnitOfWork) -> AffiliateRelationship:
            affiliation = work.get(affiliation_id, AffiliateRelationship)
            to_hub = work.find(to_hub_id, HubOrganization)
            if to_hub is None:
                raise InvalidCommand(f"no hub with id {to_hub_id}")
            if to_hub.jurisdiction != affiliation.jurisdiction:
                raise InvalidCommand("an affiliation moves only to a hub of its jurisdiction")
            to_hub.require_active()
            affiliation.transfer(to_hub.id, reason, work.actor)
            return affiliation

        return self.execute(ctx, transfer)

    def end_affiliation(self, ctx: CommandContext, affiliation_id: UUID, reason: str) -> Outcome:
        return self._supervised(
            ctx, affiliation_id, lambda work, affiliation: affiliation.end(reason, work.actor)
        )
