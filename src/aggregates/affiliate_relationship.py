"""AffiliateRelationship: a hub as business supervisory unit of one organization (Art. 8(2)).

Records pre-registration reviews (Art. 8(2)1), annual inspection preliminary
reviews (Art. 8(2)3), violation referrals (Art. 8(2)4), notices relayed to it
(Art. 12), transfer to another hub, and its end. When its hub is revoked it
``needs_supervisor`` and keeps the old ``hub_id`` until transferred.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate, CreditCode, Jurisdiction, Text, Value
from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.aggregates.hub_organization import Year

OrganizationType = Literal["social_group", "social_service_agency", "foundation"]
AffiliateStatus = Literal["active", "needs_supervisor", "ended"]
RegistrationMatter = Literal["establishment", "change", "deregistration"]
InspectionResult = Literal["qualified", "basically_qualified", "unqualified"]


class AffiliatedOrganization(Value):
    name: Text
    uscc: CreditCode
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
    description: str
    referred_to: str
    referred_at: datetime


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
    class Established(Aggregate.Created):
        hub_id: UUID
        organization: AffiliatedOrganization
        jurisdiction: Jurisdiction

    @event(Established)
    def __init__(
        self,
        hub_id: UUID,
        organization: AffiliatedOrganization,
        jurisdiction: Jurisdiction,
        actor: Actor,
    ) -> None:
        self.hub_id = hub_id
        self.organization = organization
        self.jurisdiction = jurisdiction
        self.status: AffiliateStatus = "active"
        self.established_at: datetime = self.created_on
        self.supervisors = [Supervisor(hub_id=hub_id, since=self.created_on)]
        self.registration_reviews: list[RegistrationReview] = []
        self.inspections: list[Inspection] = []
        self.violation_referrals: list[ViolationReferral] = []
        self.relayed_notices: list[RelayedNotice] = []
        self.end_reason: str | None = None

    def _require(self, *statuses: AffiliateStatus) -> None:
        if self.status not in statuses:
            raise StateConflict(f"the affiliation is {self.status}")

    def review_registration(
        self,
        matter: RegistrationMatter,
        opinion: Literal["approve", "reject"],
        notes: str,
        actor: Actor,
    ) -> None:
        self._require("active")
        self.trigger_event(
            self.RegistrationReviewed, matter=matter, opinion=opinion, notes=notes, actor=actor
        )

    def inspect(self, year: int, result: InspectionResult, notes: str, actor: Actor) -> None:
        self._require("active")
        if result != "qualified" and not notes.strip():
            raise InvalidCommand(f"an inspection that is {result} needs notes saying why")
        if any(i.year == year for i in self.inspections):
            raise StateConflict(f"the {year} annual inspection is already recorded")
        self.trigger_event(self.Inspected, year=year, result=result, notes=notes, actor=actor)

    def refer_violation(self, description: str, referred_to: str, actor: Actor) -> None:
        self._require("active")
        self.trigger_event(
            self.ViolationReferred, description=description, referred_to=referred_to, actor=actor
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

    class ViolationReferred(Aggregate.Event):
        description: str
        referred_to: str

        def apply(self, a: AffiliateRelationship) -> None:
            a.violation_referrals.append(
                ViolationReferral(
                    description=self.description,
                    referred_to=self.referred_to,
                    referred_at=self.timestamp,
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
