"""Funding agreements (Art. 14, 15, 17): commitment, disbursements, refunds, freezing, closing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from shuniu.aggregates.base import Text
from shuniu.aggregates.funding_agreement import (
    FundingAgreement,
    FundingStatus,
    Program,
    Recipient,
)
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.money import Amount, Yuan
from shuniu.api.access import Caller
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute
from shuniu.application import Outcome

router = APIRouter(prefix="/v1/funding", tags=["funding"], route_class=OneHopRoute)

FiscalYear = Annotated[int, Field(ge=2000, le=2100)]


class Commit(Body):
    hub_id: UUID
    program: Program
    fiscal_year: FiscalYear
    amount: Amount
    decision_ref: Name
    purpose: Text


class Disbursement(Body):
    amount: Amount
    voucher_ref: Name
    paid_on: date


class Refund(Body):
    amount: Amount
    reason: Text


class Reversal(Body):
    entry_id: UUID
    reason: Text


class Reason(Body):
    reason: Text


class Closure(Body):
    note: Text


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


def answer(response: Response, outcome: Outcome) -> FundingState:
    command_answer(response, outcome, location=f"/v1/funding/{outcome.aggregate.id}")
    assert isinstance(outcome.aggregate, FundingAgreement)
    return FundingState.of(outcome.aggregate)


def agreement_in_reach(app: App, caller: Caller, funding_id: UUID) -> FundingAgreement:
    agreement = app.get(funding_id, FundingAgreement)
    caller.require_jurisdiction(agreement.jurisdiction)
    return agreement


@router.post("", status_code=201)
def commit(
    body: Commit, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> FundingState:
    caller.require_role("office")
    hub = app.find(body.hub_id, HubOrganization)
    if hub is not None:
        caller.require_jurisdiction(hub.jurisdiction)
    outcome = app.commit_funding(
        ctx,
        body.hub_id,
        body.program,
        body.fiscal_year,
        body.amount,
        body.decision_ref,
        body.purpose,
    )
    return answer(response, outcome)


@router.post("/{funding_id}/disbursements")
def disburse(
    funding_id: UUID,
    body: Disbursement,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> FundingState:
    caller.require_role("office")
    agreement_in_reach(app, caller, funding_id)
    outcome = app.disburse(ctx, funding_id, body.amount, body.voucher_ref, body.paid_on)
    return answer(response, outcome)


@router.post("/{funding_id}/refunds")
def refund(
    funding_id: UUID,
    body: Refund,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> FundingState:
    caller.require_role("office")
    agreement_in_reach(app, caller, funding_id)
    return answer(response, app.refund(ctx, funding_id, body.amount, body.reason))


@router.post("/{funding_id}/reversals")
def reverse(
    funding_id: UUID,
    body: Reversal,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> FundingState:
    """Correct a mistaken disbursement or refund: a new event names the entry it reverses."""
    caller.require_role("office")
    agreement_in_reach(app, caller, funding_id)
    return answer(response, app.reverse_entry(ctx, funding_id, body.entry_id, body.reason))


@router.post("/{funding_id}/freeze")
def freeze(
    funding_id: UUID,
    body: Reason,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> FundingState:
    caller.require_role("office")
    agreement_in_reach(app, caller, funding_id)
    return answer(response, app.freeze_funding(ctx, funding_id, body.reason))


@router.post("/{funding_id}/unfreeze")
def unfreeze(
    funding_id: UUID,
    body: Reason,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> FundingState:
    caller.require_role("office")
    agreement_in_reach(app, caller, funding_id)
    return answer(response, app.unfreeze_funding(ctx, funding_id, body.reason))


@router.post("/{funding_id}/closure")
def close(
    funding_id: UUID,
    body: Closure,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> FundingState:
    caller.require_role("office")
    agreement_in_reach(app, caller, funding_id)
    return answer(response, app.close_funding(ctx, funding_id, body.note))


@router.get("/{funding_id}")
def read(funding_id: UUID, app: App, caller: CurrentCaller, response: Response) -> FundingState:
    agreement = app.get(funding_id, FundingAgreement)
    caller.require_readable(agreement.jurisdiction)
    state_answer(response, agreement.version)
    return FundingState.of(agreement)
