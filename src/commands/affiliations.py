"""Commands of a hub as business supervisory unit (Art. 8(2)) and their handlers."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from shuniu.aggregates.affiliate_relationship import (
    AffiliatedOrganization,
    AffiliateRelationship,
    AffiliationStage,
    InspectionResult,
    OrganizationType,
    PartyMembers,
    PartyOrganization,
    ReferralOutcome,
    RegistrationMatter,
)
from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization, Year
from shuniu.commands.base import Command
from shuniu.commands.fields import CreditCode, Input, Name, Note, Text
from shuniu.commands.hubs import active_hub
from shuniu.policies.base import Workspace

Affiliation = AffiliateRelationship


class AffiliatedOrganizationInput(Input):
    name: Name
    uscc: CreditCode | None = None
    """Required unless the organization is being founded (``stage: preparing``)."""
    type: OrganizationType


class EstablishAffiliation(Command):
    """A hub becomes the business supervisory unit of an organization; with
    ``stage: preparing``, of one being founded, which has no credit code yet."""

    creates: ClassVar[bool] = True
    hub_id: UUID
    organization: AffiliatedOrganizationInput
    stage: AffiliationStage = "registered"


class AffiliationCommand(Command):
    path: ClassVar[tuple[str, ...]] = ("affiliation_id",)
    affiliation_id: UUID


class ReviewRegistration(AffiliationCommand):
    """Art. 8(2)1: the pre-registration review of establishment, change or deregistration."""

    matter: RegistrationMatter
    opinion: Literal["approve", "reject"]
    notes: Text


class RegisterAffiliate(AffiliationCommand):
    """Art. 8(2)1: an organization being founded is registered, after the hub's approving
    establishment review; its supervision is claimed by its credit code."""

    uscc: CreditCode


class InspectAffiliate(AffiliationCommand):
    """Art. 8(2)3: the annual inspection's preliminary review, one per year."""

    year: Year
    result: InspectionResult
    notes: Note = ""


class ReferViolation(AffiliationCommand):
    """Art. 8(2)4: a violation referred to the authority that handles it."""

    description: Text
    referred_to: Name


class RecordReferralOutcome(AffiliationCommand):
    """Art. 8(2)4: what the department a violation was referred to decided."""

    path: ClassVar[tuple[str, ...]] = ("affiliation_id", "referral_id")
    referral_id: UUID
    outcome: ReferralOutcome
    notes: Text


class RecordPartyBuilding(AffiliationCommand):
    """Art. 4(3), 8(1)2: the organization's Party organization in a year."""

    year: Year
    organization: PartyOrganization
    members: PartyMembers


class TransferAffiliation(AffiliationCommand):
    to_hub_id: UUID
    reason: Text


class EndAffiliation(AffiliationCommand):
    reason: Text


def supervised(work: Workspace, affiliation_id: UUID) -> Affiliation:
    """The affiliation, when the hub acting on it may act: a suspended hub cannot."""
    affiliation = work.get(affiliation_id, Affiliation)
    if work.actor.role == "hub":
        work.get(affiliation.hub_id, HubOrganization).require_active()
    return affiliation


def establish_affiliation(c: EstablishAffiliation, work: Workspace) -> Affiliation:
    hub = active_hub(work, c.hub_id)
    organization = AffiliatedOrganization.model_validate(c.organization, from_attributes=True)
    Affiliation.check_founding(organization, c.stage)
    affiliation = Affiliation(
        hub_id=hub.id,
        organization=organization,
        jurisdiction=hub.jurisdiction,
        stage=c.stage,
        actor=work.actor,
    )
    work.add(affiliation)
    return affiliation


def review_registration(c: ReviewRegistration, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.review_registration(c.matter, c.opinion, c.notes, work.actor)
    return affiliation


def register_affiliate(c: RegisterAffiliate, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.register(c.uscc, work.actor)
    return affiliation


def inspect_affiliate(c: InspectAffiliate, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.inspect(c.year, c.result, c.notes, work.actor)
    return affiliation


def refer_violation(c: ReferViolation, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.refer_violation(c.description, c.referred_to, work.actor)
    return affiliation


def record_referral_outcome(c: RecordReferralOutcome, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.record_referral_outcome(c.referral_id, c.outcome, c.notes, work.actor)
    return affiliation


def record_party_building(c: RecordPartyBuilding, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.record_party_building(c.year, c.organization, c.members, work.actor)
    return affiliation


def transfer_affiliation(c: TransferAffiliation, work: Workspace) -> Affiliation:
    affiliation = work.get(c.affiliation_id, Affiliation)
    to_hub = work.find(c.to_hub_id, HubOrganization)
    if to_hub is None:
        raise InvalidCommand(f"no hub with id {c.to_hub_id}")
    if to_hub.jurisdiction != affiliation.jurisdiction:
        raise InvalidCommand("an affiliation moves only to a hub of its jurisdiction")
    to_hub.require_active()
    affiliation.transfer(to_hub.id, c.reason, work.actor)
    return affiliation


def end_affiliation(c: EndAffiliation, work: Workspace) -> Affiliation:
    affiliation = supervised(work, c.affiliation_id)
    affiliation.end(c.reason, work.actor)
    return affiliation
