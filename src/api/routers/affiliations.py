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
    AffiliationStage,
    Inspection,
    PartyBuildingRecord,
    PartyOrganization,
    Referral,
    RegistrationReview,
    RelayedNotice,
    Supervisor,
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
    stage: AffiliationStage
    status: AffiliateStatus
    established_at: datetime
    supervisors: list[Supervisor]
    registration_reviews: list[RegistrationReview]
    inspections: list[Inspection]
    violation_referrals: list[Referral]
    party_building: list[PartyBuildingRecord]
    party_organization: PartyOrganization | None
    relayed_notices: list[RelayedNotice]
    end_reason: str | None
    referral_id: UUID | None = None

    @classmethod
    def of(cls, a: AffiliateRelationship, referral_id: UUID | None = None) -> AffiliationState:
        return cls(
            id=a.id,
            version=a.version,
            hub_id=a.hub_id,
            organization=a.organization,
            jurisdiction=a.jurisdiction,
            stage=a.stage,
            status=a.status,
            established_at=a.established_at,
            supervisors=a.supervisors,
            registration_reviews=a.registration_reviews,
            inspections=a.inspections,
            violation_referrals=a.violation_referrals,
            party_building=a.party_building,
            party_organization=a.party_organization,
            relayed_notices=a.relayed_notices,
            end_reason=a.end_reason,
            referral_id=referral_id,
        )


def answer(outcome: Outcome) -> AffiliationState:
    assert isinstance(outcome.aggregate, AffiliateRelationship)
    return AffiliationState.of(outcome.aggregate)


def answer_with_referral(outcome: Outcome) -> AffiliationState:
    """The affiliation, and the id of the referral just recorded (at the answer's version)."""
    affiliation = outcome.aggregate
    assert isinstance(affiliation, AffiliateRelationship)
    return AffiliationState.of(affiliation, referral_id=affiliation.violation_referrals[-1].id)


router.command("", affiliations.EstablishAffiliation, answer)
router.command("/{affiliation_id}/registration-reviews", affiliations.ReviewRegistration, answer)
router.command("/{affiliation_id}/registration", affiliations.RegisterAffiliate, answer)
router.command("/{affiliation_id}/annual-inspections", affiliations.InspectAffiliate, answer)
router.command(
    "/{affiliation_id}/violation-referrals", affiliations.ReferViolation, answer_with_referral
)
router.command(
    "/{affiliation_id}/violation-referrals/{referral_id}/outcome",
    affiliations.RecordReferralOutcome,
    answer,
)
router.command("/{affiliation_id}/party-building", affiliations.RecordPartyBuilding, answer)
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
