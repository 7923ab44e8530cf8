"""AffiliateRelationship: a hub as business supervisory unit of one organization (Art. 8(2)).

Records pre-registration reviews (Art. 8(2)1), annual inspection preliminary
reviews (Art. 8(2)3), violation referrals and their outcomes (Art. 8(2)4),
the organization's Party organization year by year (Art. 4(3), 8(1)2),
notices relayed to it (Art. 12), transfer to another hub, and its end. When
its hub is revoked it ``needs_supervisor`` and keeps the old ``hub_id`` until
transferred.

An organization may be affiliated while it is still being founded (stage
``preparing``, no credit code yet): the hub's establishment review comes
before registration (Art. 8(2)1). Its registration records the credit code.
Until then it has no annual inspection and no change or deregistration
review; referrals, Party-building records, relays, transfer and end are open
to it as to any affiliation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import Field

from shuniu.aggregates.base import Actor, Aggregate, CreditCode, Jurisdiction, Text, Value
from shuniu.aggregates.errors import InvalidCommand, NotFound, StateConflict
from shuniu.aggregates.hub_organization import Year

OrganizationType = Literal["social_group", "social_service_agency", "foundation"]
AffiliateStatus = Literal["active", "needs_supervisor", "ended"]
RegistrationMatter = Literal["establishment", "change", "deregistration"]
InspectionResult = Literal["qualified", "basically_qualified", "unqualified"]
AffiliationStage = Literal["preparing", "registered"]
"""``preparing``: an organization being founded, not yet registered (no credit code)."""
ReferralOutcome = Literal["penalized", "rectified", "dismissed"]
PartyOrganization = Literal["none", "branch", "joint_branch", "general_branch", "committee"]
"""The organization's Party organization: none, a branch (党支部), a joint branch with
other organizations (联合党支部), a general branch (党总支) or a committee (党委)."""
PartyMembers = Annotated[int, Field(ge=0, le=1_000_000)]


def referral_id_for(affiliation_id: UUID, n: int) -> UUID:
    """The id of an affiliation's ``n``-th violation referral (from 1)."""
    return uuid5(affiliation_id, f"referral:{n}")


class AffiliatedOrganization(Value):
    name: Text
    uscc: CreditCode | None = None
    """None while the organization is being founded (stage ``preparing``)."""
    type: OrganizationType


class RegistrationReview(Value):
    matter: RegistrationMatter
    opinion: Literal["approve", "reject"]
    notes: str
    reviewed_at: datetime


class Inspection(Value):
    year: Year
    result: InspectionResult
    notes: str
    inspected_at: datetime


class ViolationReferral(Value):
    """A referral as snapshots of class_version 1 hold it; ``upcast_v1_v2`` makes it a
    ``Referral``."""

    description: str
    referred_to: str
    referred_at: datetime


class Referral(Value):
    """A violation referred to the department that handles it, and that department's
    outcome, once the hub records it (Art. 8(2)4)."""

    id: UUID
    description: str
    referred_to: str
    referred_at: datetime
    outcome: ReferralOutcome | None = None
    outcome_notes: str | None = None
    outcome_at: datetime | None = None


class PartyBuildingRecord(Value):
    """The organization's Party organization in a year, and its Party members."""

    year: Year
    organization: PartyOrganization
    members: PartyMembers
    recorded_at: datetime


class RelayedNotice(Value):
    notice_id: UUID
    hub_id: UUID
    note: str | None
    relayed_at: datetime


class Supervisor(Value):
    hub_id: UUID
    since: datetime
    reason: str | None = None


class AffiliateRelationship(Aggregate):
    class_version = 2
    """2: ``stage``, ``party_building``, and referrals with ids and outcomes
    (``Referral``); ``upcast_v1_v2`` turns a version 1 snapshot into it."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        affiliation_id = state["_id"]
        state["stage"] = "registered"
        state["party_building"] = []
        state["violation_referrals"] = [
            Referral(id=referral_id_for(affiliation_id, n), **r.model_dump())
            for n, r in enumerate(state.get("violation_referrals", []), start=1)
        ]

    class Established(Aggregate.Created):
        hub_id: UUID
        organization: AffiliatedOrganization
        jurisdiction: Jurisdiction
        stage: AffiliationStage = "registered"

    @event(Established)
    def __init__(
        self,
        hub_id: UUID,
        organization: AffiliatedOrganization,
        jurisdiction: Jurisdiction,
        actor: Actor,
        stage: AffiliationStage = "registered",
    ) -> None:
        self.hub_id = hub_id
        self.organization = organization
        self.jurisdiction = jurisdiction
        self.stage: AffiliationStage = stage
        self.status: AffiliateStatus = "active"
        self.established_at: datetime = self.created_on
        self.supervisors = [Supervisor(hub_id=hub_id, since=self.created_on)]
        self.registration_reviews: list[RegistrationReview] = []
        self.inspections: list[Inspection] = []
        self.violation_referrals: list[Referral] = []
        self.party_building: list[PartyBuildingRecord] = []
        self.relayed_notices: list[RelayedNotice] = []
        self.end_reason: str | None = None

    @staticmethod
    def check_founding(organization: AffiliatedOrganization, stage: AffiliationStage) -> None:
        """An organization being founded has no credit code yet; a registered one has one."""
        if stage == "preparing" and organization.uscc is not None:
            raise InvalidCommand(
                "an organization being founded (stage preparing) has no credit code yet: "
                "leave out uscc, and record it with its registration"
            )
        if stage == "registered" and organization.uscc is None:
            raise InvalidCommand(
                "organization.uscc is required, unless the organization is being founded "
                '("stage": "preparing")'
            )

    def _require(self, *statuses: AffiliateStatus) -> None:
        if self.status not in statuses:
            raise StateConflict(f"the affiliation is {self.status}")

    def _require_registered(self, what: str) -> None:
        if self.stage == "preparing":
            raise StateConflict(
                f"an organization being founded has no {what} before it is registered"
            )

    @property
    def party_organization(self) -> PartyOrganization | None:
        """The latest record's organization, by year (of one year, the last recorded)."""
        latest = latest_party_record(self.party_building)
        return latest.organization if latest is not None else None

    def review_registration(
        self,
        matter: RegistrationMatter,
        opinion: Literal["approve", "reject"],
        notes: str,
        actor: Actor,
    ) -> None:
        self._require("active")
        if matter != "establishment":
            self._require_registered(f"{matter} review")
        self.trigger_event(
            self.RegistrationReviewed, matter=matter, opinion=opinion, notes=notes, actor=actor
        )

    def register(self, uscc: str, actor: Actor) -> None:
        """Art. 8(2)1: the organization the hub reviewed is registered, with its credit code."""
        self._require("active")
        if self.stage != "preparing":
            raise StateConflict(
                f"the organization is already registered, with credit code {self.organization.uscc}"
            )
        reviews = [r for r in self.registration_reviews if r.matter == "establishment"]
        if not reviews or reviews[-1].opinion != "approve":
            raise StateConflict(
                "registration follows the hub's approving establishment review (Art. 8(2)1), "
                "and the latest establishment review "
                + ("rejected it" if reviews else "has not been recorded")
            )
        self.trigger_event(self.Registered, uscc=uscc, actor=actor)

    def inspect(self, year: int, result: InspectionResult, notes: str, actor: Actor) -> None:
        self._require("active")
        self._require_registered("annual inspection")
        if result != "qualified" and not notes.strip():
            raise InvalidCommand(f"an inspection that is {result} needs notes saying why")
        if any(i.year == year for i in self.inspections):
            raise StateConflict(f"the {year} annual inspection is already recorded")
        self.trigger_event(self.Inspected, year=year, result=result, notes=notes, actor=actor)

    def refer_violation(self, description: str, referred_to: str, actor: Actor) -> UUID:
        self._require("active")
        referral_id = referral_id_for(self.id, len(self.violation_referrals) + 1)
        self.trigger_event(
            self.ViolationReferred,
            description=description,
            referred_to=referred_to,
            referral_id=referral_id,
            actor=actor,
        )
        return referral_id

    def referral(self, referral_id: UUID) -> Referral:
        for referral in self.violation_referrals:
            if referral.id == referral_id:
                return referral
        raise NotFound(f"affiliation {self.id} has no violation referral {referral_id}")

    def record_referral_outcome(
        self, referral_id: UUID, outcome: ReferralOutcome, notes: str, actor: Actor
    ) -> None:
        """The department's outcome of a referral, once; also after the affiliation ended,
        since a department may decide after the organization is gone."""
        referral = self.referral(referral_id)
        if referral.outcome is not None:
            raise StateConflict(
                f"the outcome of referral {referral_id} is already recorded: {referral.outcome}"
            )
        self.trigger_event(
            self.ReferralOutcomeRecorded,
            referral_id=referral_id,
            outcome=outcome,
            notes=notes,
            actor=actor,
        )

    def record_party_building(
        self, year: int, organization: PartyOrganization, members: int, actor: Actor
    ) -> None:
        """Art. 4(3), 8(1)2: the organization's Party organization in a year. A second
        record of one year is a correction: the later one stands."""
        self._require("active")
        self.trigger_event(
            self.PartyBuildingRecorded,
            year=year,
            organization=organization,
            members=members,
            actor=actor,
        )

    def transfer(self, to_hub_id: UUID, reason: str, actor: Actor) -> None:
        self._require("active", "needs_supervisor")
        if to_hub_id == self.hub_id and self.status == "active":
            raise StateConflict("the affiliation is already supervised by that hub")
        self.trigger_event(
            self.Transferred,
            from_hub_id=self.hub_id,
            to_hub_id=to_hub_id,
            reason=reason,
            actor=actor,
        )

    def end(self, reason: str, actor: Actor) -> None:
        self._require("active", "needs_supervisor")
        self.trigger_event(self.Ended, reason=reason, actor=actor)

    def lose_supervisor(self, actor: Actor) -> None:
        """Revocation cascade: the hub is gone, the organization needs another."""
        if self.status == "active":
            self.trigger_event(self.SupervisorLost, hub_id=self.hub_id, actor=actor)

    def record_relay(self, notice_id: UUID, hub_id: UUID, note: str | None, actor: Actor) -> None:
        if all(r.notice_id != notice_id for r in self.relayed_notices):
            self.trigger_event(
                self.NoticeRelayed, notice_id=notice_id, hub_id=hub_id, note=note, actor=actor
            )

    class RegistrationReviewed(Aggregate.Event):
        matter: RegistrationMatter
        opinion: Literal["approve", "reject"]
        notes: str

        def apply(self, a: AffiliateRelationship) -> None:
            a.registration_reviews.append(
                RegistrationReview(
                    matter=self.matter,
                    opinion=self.opinion,
                    notes=self.notes,
                    reviewed_at=self.timestamp,
                ),
            )

    class Inspected(Aggregate.Event):
        year: Year
        result: InspectionResult
        notes: str

        def apply(self, a: AffiliateRelationship) -> None:
            a.inspections.append(
                Inspection(
                    year=self.year,
                    result=self.result,
                    notes=self.notes,
                    inspected_at=self.timestamp,
                ),
            )

    class Registered(Aggregate.Event):
        uscc: CreditCode

        def apply(self, a: AffiliateRelationship) -> None:
            a.stage = "registered"
            a.organization = a.organization.model_copy(update={"uscc": self.uscc})

    class ViolationReferred(Aggregate.Event):
        description: str
        referred_to: str
        referral_id: UUID | None = None
        """None in referrals recorded before referrals had ids: derived from their order."""

        def apply(self, a: AffiliateRelationship) -> None:
            n = len(a.violation_referrals) + 1
            a.violation_referrals.append(
                Referral(
                    id=self.referral_id or referral_id_for(a.id, n),
                    description=self.description,
                    referred_to=self.referred_to,
                    referred_at=self.timestamp,
                ),
            )

    class ReferralOutcomeRecorded(Aggregate.Event):
        referral_id: UUID
        outcome: ReferralOutcome
        notes: str

        def apply(self, a: AffiliateRelationship) -> None:
            outcome = {"outcome": self.outcome, "outcome_notes": self.notes}
            a.violation_referrals = [
                r.model_copy(update={**outcome, "outcome_at": self.timestamp})
                if r.id == self.referral_id
                else r
                for r in a.violation_referrals
            ]

    class PartyBuildingRecorded(Aggregate.Event):
        year: Year
        organization: PartyOrganization
        members: PartyMembers

        def apply(self, a: AffiliateRelationship) -> None:
            a.party_building.append(
                PartyBuildingRecord(
                    year=self.year,
                    organization=self.organization,
                    members=self.members,
                    recorded_at=self.timestamp,
                ),
            )

    class Transferred(Aggregate.Event):
        from_hub_id: UUID
        to_hub_id: UUID
        reason: str

        def apply(self, a: AffiliateRelationship) -> None:
            a.hub_id = self.to_hub_id
            a.status = "active"
            a.supervisors.append(
                Supervisor(hub_id=self.to_hub_id, since=self.timestamp, reason=self.reason),
            )

    class SupervisorLost(Aggregate.Event):
        hub_id: UUID

        def apply(self, a: AffiliateRelationship) -> None:
            a.status = "needs_supervisor"

    class Ended(Aggregate.Event):
        reason: str

        def apply(self, a: AffiliateRelationship) -> None:
            a.status = "ended"
            a.end_reason = self.reason

    class NoticeRelayed(Aggregate.Event):
        notice_id: UUID
        hub_id: UUID
        note: str | None

        def apply(self, a: AffiliateRelationship) -> None:
            a.relayed_notices.append(
                RelayedNotice(
                    notice_id=self.notice_id,
                    hub_id=self.hub_id,
                    note=self.note,
                    relayed_at=self.timestamp,
                ),
            )


def latest_party_record(records: list[PartyBuildingRecord]) -> PartyBuildingRecord | None:
    """The record of the latest year; of one year, the one recorded last."""
    latest = None
    for record in records:
        if latest is None or record.year >= latest.year:
            latest = record
    return latest
