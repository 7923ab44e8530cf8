"""Funding agreements (Art. 14, 15, 17): commitment, disbursements, refunds, freezing, closing."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.funding_agreement import (
    FundingAgreement,
    FundingStatus,
    Program,
    Recipient,
)
from shuniu.aggregates.money import Yuan
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import funding

router = CommandRouter(prefix="/v1/funding", tags=["funding"])


class EntryState(BaseModel):
    id: UUID
    kind: str
    amount: Yuan
    reference: str
    on: date | None
    recorded_at: datetime
    reversed_by: UUID | None


class FundingState(BaseModel):
    id: UUID
    version: int
    recipient: Recipient
    hub_id: UUID
    jurisdiction: str
    program: Program
    fiscal_year: int
    decision_ref: str
    purpose: str
    status: FundingStatus
    committed: Yuan
    disbursed: Yuan
    refunded: Yuan
    released: Yuan
    outstanding: Yuan
    entries: list[EntryState]
    committed_at: datetime
    freeze_reason: str | None
    closing_note: str | None

    @classmethod
    def of(cls, f: FundingAgreement) -> FundingState:
        return cls(
            id=f.id,
            version=f.version,
            recipient=f.recipient,
            hub_id=f.hub_id,
            jurisdiction=f.jurisdiction,
            program=f.program,
            fiscal_year=f.fiscal_year,
            decision_ref=f.decision_ref,
            purpose=f.purpose,
            status=f.status,
            committed=f.committed,
            disbursed=f.disbursed,
            refunded=f.refunded,
            released=f.released,
            outstanding=f.outstanding,
            entries=[EntryState.model_validate(e.model_dump()) for e in f.entries],
            committed_at=f.committed_at,
            freeze_reason=f.freeze_reason,
            closing_note=f.closing_note,
        )


def answer(outcome: Outcome) -> FundingState:
    assert isinstance(outcome.aggregate, FundingAgreement)
    return FundingState.of(outcome.aggregate)


router.command("", funding.CommitFunding, answer)
router.command("/{funding_id}/disbursements", funding.Disburse, answer)
router.command("/{funding_id}/refunds", funding.Refund, answer)
router.command("/{funding_id}/reversals", funding.ReverseEntry, answer)
router.command("/{funding_id}/freeze", funding.FreezeFunding, answer)
router.command("/{funding_id}/unfreeze", funding.UnfreezeFunding, answer)
router.command("/{funding_id}/closure", funding.CloseFunding, answer)


@router.get("/{funding_id}")
def read(funding_id: UUID, app: App, caller: CurrentCaller, response: Response) -> FundingState:
    agreement = app.get(funding_id, FundingAgreement)
    caller.require_readable(agreement.jurisdiction)
    state_answer(response, agreement.version)
    return FundingState.of(agreement)
