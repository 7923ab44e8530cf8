"""Affiliations: a hub as business supervisory unit of an organization (Art. 8(2))."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.affiliate_relationship import (
    AffiliatedOrganization,
    AffiliateRelationship,
    AffiliateStatus,
    Inspection,
    RegistrationReview,
    RelayedNotice,
    Supervisor,
    ViolationReferral,
)
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import affiliations

router = CommandRouter(prefix="/v1/affiliations", tags=["affiliations"])


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


def answer(outcome: Outcome) -> AffiliationState:
    assert isinstance(outcome.aggregate, AffiliateRelationship)
    return AffiliationState.of(outcome.aggregate)


router.command("", affiliations.EstablishAffiliation, answer)
router.command("/{affiliation_id}/registration-reviews", affiliations.ReviewRegistration, answer)
router.command("/{affiliation_id}/annual-inspections", affiliations.InspectAffiliate, answer)
router.command("/{affiliation_id}/violation-referrals", affiliations.ReferViolation, answer)
router.command("/{affiliation_id}/transfer", affiliations.TransferAffiliation, answer)
router.command("/{affiliation_id}/end", affiliations.EndAffiliation, answer)


@router.get("/{affiliation_id}")
def read(
    affiliation_id: UUID, app: App, caller: CurrentCaller, response: Response
) -> AffiliationState:
    affiliation = app.get(affiliation_id, AffiliateRelationship)
    caller.require_readable(affiliation.jurisdiction)
    state_answer(response, affiliation.version)
    return AffiliationState.of(affiliation)
