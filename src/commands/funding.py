"""Commands of public funding (Art. 14, 15, 17) and their handlers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from shuniu.aggregates.funding_agreement import FundingAgreement, Program, Recipient
from shuniu.aggregates.money import Amount
from shuniu.commands.base import Command
from shuniu.commands.fields import Name, Text
from shuniu.commands.hubs import active_hub
from shuniu.commands.rules import rules_in_force
from shuniu.policies.base import Workspace

Agreement = FundingAgreement
FiscalYear = Annotated[int, Field(ge=2000, le=2100)]


class CommitFunding(Command):
    creates: ClassVar[bool] = True
    hub_id: UUID
    program: Program
    fiscal_year: FiscalYear
    amount: Amount
    decision_ref: Name
    purpose: Text


class FundingCommand(Command):
    path: ClassVar[tuple[str, ...]] = ("funding_id",)
    funding_id: UUID


class Disburse(FundingCommand):
    amount: Amount
    voucher_ref: Name
    paid_on: date


class Refund(FundingCommand):
    amount: Amount
    reason: Text


class ReverseEntry(FundingCommand):
    """Correct a mistaken disbursement or refund: a new event names the entry it reverses."""

    entry_id: UUID
    reason: Text


class FreezeFunding(FundingCommand):
    reason: Text


class UnfreezeFunding(FundingCommand):
    reason: Text


class CloseFunding(FundingCommand):
    """Closing releases what is outstanding and ends the agreement."""

    note: Text


def commit_funding(c: CommitFunding, work: Workspace) -> Agreement:
    hub = active_hub(work, c.hub_id)
    rules = rules_in_force(work, hub.jurisdiction)
    latest = hub.latest_evaluation
    rules.require_fundable(latest.grade if latest else None)
    agreement = Agreement(
        recipient=Recipient(hub_id=hub.id, name=hub.name, uscc=hub.uscc),
        jurisdiction=hub.jurisdiction,
        program=c.program,
        fiscal_year=c.fiscal_year,
        amount=c.amount,
        decision_ref=c.decision_ref,
        purpose=c.purpose,
        actor=work.actor,
        rules_version=rules.version,
    )
    work.add(agreement)
    return agreement


def disburse(c: Disburse, work: Workspace) -> Agreement:
    agreement = work.get(c.funding_id, Agreement)
    agreement.disburse(c.amount, c.voucher_ref, c.paid_on, work.actor)
    return agreement


def refund(c: Refund, work: Workspace) -> Agreement:
    agreement = work.get(c.funding_id, Agreement)
    agreement.refund(c.amount, c.reason, work.actor)
    return agreement


def reverse_entry(c: ReverseEntry, work: Workspace) -> Agreement:
    agreement = work.get(c.funding_id, Agreement)
    agreement.reverse(c.entry_id, c.reason, work.actor)
    return agreement


def freeze_funding(c: FreezeFunding, work: Workspace) -> Agreement:
    agreement = work.get(c.funding_id, Agreement)
    agreement.freeze(c.reason, work.actor)
    return agreement


def unfreeze_funding(c: UnfreezeFunding, work: Workspace) -> Agreement:
    agreement = work.get(c.funding_id, Agreement)
    agreement.unfreeze(c.reason, work.actor)
    return agreement


def close_funding(c: CloseFunding, work: Workspace) -> Agreement:
    agreement = work.get(c.funding_id, Agreement)
    agreement.close(c.note, work.actor)
    return agreement
