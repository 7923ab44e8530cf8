"""Affiliations: a hub as business supervisory unit of an organization (Art. 8(2))."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel

from shuniu.aggregates.affiliate_relationship import (
    AffiliatedOrganization,
    AffiliateRelationship,
    AffiliateStatus,
    Inspection,
    InspectionResult,
    RegistrationMatter,
    RegistrationReview,
    RelayedNotice,
    Supervisor,
    ViolationReferral,
)
from shuniu.aggregates.base import Text
from shuniu.aggregates.hub_organization import HubOrganization, Year
from shuniu.api.access import Caller, Forbidden
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute
from shuniu.application import Outcome

router = APIRouter(prefix="/v1/affiliations", tags=["affiliations"], route_class=OneHopRoute)


class Establish(Body):
    hub_id: UUID
    organization: AffiliatedOrganization


class ReviewRegistration(Body):
    matter: RegistrationMatter
    opinion: Literal["approve", "reject"]
    notes: Text


class Inspect(Body):
    year: Year
    result: InspectionResult
    notes: str = ""


class ReferViolation(Body):
    description: Text
    referred_to: Name


class Transfer(Body):
    to_hub_id: UUID
    reason: Text


class End(Body):
    reason: Text


class AffiliationState(BaseModel):
    id: UUID
    version: int
    hub_id: UUID
    organization: AffiliatedOrganization
    jurisdiction: str
    status: AffiliateStatus
    established_at: datetime
    supervisors: list[Supervisor]
    registration_reviews: list[RegistrationReview]
    inspections: list[Inspection]
    violation_referrals: list[ViolationReferral]
    relayed_notices: list[RelayedNotice]
    end_reason: str | None

    @classmethod
    def of(cls, a: AffiliateRelationship) -> AffiliationState:
        return cls(
            id=a.id,
            version=a.version,
            hub_id=a.hub_id,
            organization=a.organization,
            jurisdiction=a.jurisdiction,
            status=a.status,
            established_at=a.established_at,
            supervisors=a.supervisors,
            registration_reviews=a.registration_reviews,
            inspections=a.inspections,
            violation_referrals=a.violation_referrals,
            relayed_notices=a.relayed_notices,
            end_reason=a.end_reason,
        )


def answer(response: Response, outcome: Outcome) -> AffiliationState:
    command_answer(response, outcome, location=f"/v1/affiliations/{outcome.aggregate.id}")
    assert isinstance(outcome.aggregate, AffiliateRelationship)
    return AffiliationState.of(outcome.aggregate)


def affiliation_in_reach(app: App, caller: Caller, affiliation_id: UUID) -> AffiliateRelationship:
    """The affiliation, if it is in the caller's jurisdiction (and, for a hub, supervised by it)."""
    affiliation = app.get(affiliation_id, AffiliateRelationship)
    caller.require_jurisdiction(affiliation.jurisdiction)
    if caller.role == "hub" and caller.hub_id != affiliation.hub_id:
        raise Forbidden("a hub acts on the affiliations it supervises only")
    return affiliation


@router.post("", status_code=201)
def establish(
    body: Establish, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> AffiliationState:
    caller.require_role("hub", "office")
    caller.require_hub(body.hub_id)
    if caller.role == "office":
        hub = app.find(body.hub_id, HubOrganization)
        if hub is not None:
            caller.require_jurisdiction(hub.jurisdiction)
    return answer(response, app.establish_affiliation(ctx, body.hub_id, body.organization))


@router.post("/{affiliation_id}/registration-reviews")
def review_registration(
    affiliation_id: UUID,
    body: ReviewRegistration,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> AffiliationState:
    caller.require_role("hub")
    affiliation_in_reach(app, caller, affiliation_id)
    outcome = app.review_registration(ctx, affiliation_id, body.matter, body.opinion, body.notes)
    return answer(response, outcome)


@router.post("/{affiliation_id}/annual-inspections")
def inspect(
    affiliation_id: UUID,
    body: Inspect,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> AffiliationState:
    caller.require_role("hub")
    affiliation_in_reach(app, caller, affiliation_id)
    outcome = app.inspect_affiliate(ctx, affiliation_id, body.year, body.result, body.notes)
    return answer(response, outcome)


@router.post("/{affiliation_id}/violation-referrals")
def refer_violation(
    affiliation_id: UUID,
    body: ReferViolation,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> AffiliationState:
    caller.require_role("hub")
    affiliation_in_reach(app, caller, affiliation_id)
    outcome = app.refer_violation(ctx, affiliation_id, body.description, body.referred_to)
    return answer(response, outcome)


@router.post("/{affiliation_id}/transfer")
def transfer(
    affiliation_id: UUID,
    body: Transfer,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> AffiliationState:
    caller.require_role("office")
    affiliation_in_reach(app, caller, affiliation_id)
    outcome = app.transfer_affiliation(ctx, affiliation_id, body.to_hub_id, body.reason)
    return answer(response, outcome)


@router.post("/{affiliation_id}/end")
def end(
    affiliation_id: UUID,
    body: End,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> AffiliationState:
    caller.require_role("hub", "office")
    affiliation_in_reach(app, caller, affiliation_id)
    return answer(response, app.end_affiliation(ctx, affiliation_id, body.reason))


@router.get("/{affiliation_id}")
def read(
    affiliation_id: UUID, app: App, caller: CurrentCaller, response: Response
) -> AffiliationState:
    affiliation = app.get(affiliation_id, AffiliateRelationship)
    caller.require_readable(affiliation.jurisdiction)
    state_answer(response, affiliation.version)
    return AffiliationState.of(affiliation)
