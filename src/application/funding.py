"""Commands of public funding (Art. 14, 15, 17)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.funding_agreement import FundingAgreement, Program, Recipient
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


class FundingCommands(EventLog):
    name = APPLICATION_NAME

    def commit_funding(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        program: Program,
        fiscal_year: int,
        amount: int,
        decision_ref: str,
        purpose: str,
    ) -> Outcome:
        def commit(work: UnitOfWork) -> FundingAgreement:
            hub = work.find(hub_id, HubOrganization)
            if hub is None:
                raise InvalidCommand(f"no hub with id {hub_id}")
            hub.require_active()
            agreement = FundingAgreement(
                recipient=Recipient(hub_id=hub.id, name=hub.name, uscc=hub.uscc),
                jurisdiction=hub.jurisdiction,
                program=program,
                fiscal_year=fiscal_year,
                amount=amount,
                decision_ref=decision_ref,
                purpose=purpose,
                actor=work.actor,
            )
            work.add(agreement)
            return agreement

        return self.execute(ctx, commit, creates=True)

    def disburse(
        self, ctx: CommandContext, funding_id: UUID, amount: int, voucher_ref: str, paid_on: date
    ) -> Outcome:
        return self.act(
            ctx,
            funding_id,
            FundingAgreement,
            lambda w, f: f.disburse(amount, voucher_ref, paid_on, w.actor),
        )

    def refund(self, ctx: CommandContext, funding_id: UUID, amount: int, reason: str) -> Outcome:
        return self.act(
            ctx, funding_id, FundingAgreement, lambda w, f: f.refund(amount, reason, w.actor)
        )

    def reverse_entry(
        self, ctx: CommandContext, funding_id: UUID, entry_id: UUID, reason: str
    ) -> Outcome:
        return self.act(
            ctx, funding_id, FundingAgreement, lambda w, f: f.reverse(entry_id, reason, w.actor)
        )

    def freeze_funding(self, ctx: CommandContext, funding_id: UUID, reason: str) -> Outcome:
        return self.act(ctx, funding_id, FundingAgreement, lambda w, f: f.freeze(reason, w.actor))

    def unfreeze_funding(self, ctx: CommandContext, funding_id: UUID, reason: str) -> Outcome:
        return self.act(ctx, funding_id, FundingAgreement, lambda w, f: f.unfreeze(reason, w.actor))

    def close_funding(self, ctx: CommandContext, funding_id: UUID, note: str) -> Outcome:
        return self.act(ctx, funding_id, FundingAgreement, lambda w, f: f.close(note, w.actor))
