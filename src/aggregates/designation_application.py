"""DesignationApplication: an organization asks to be designated a hub (Art. 4-6).

Lifecycle: ``submitted`` -> (``supplement_requested`` <-> ``submitted``) ->
``preliminary_reviewed`` (the office's opinion, Art. 6(2)) -> ``approved`` |
``rejected`` (the Leading Group, Art. 6(3)); ``withdrawn`` any time before the
decision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import EmailStr

from shuniu.aggregates.base import (
    Actor,
    Aggregate,
    CreditCode,
    Jurisdiction,
    Text,
    Value,
)
from shuniu.aggregates.errors import StateConflict
from shuniu.aggregates.jurisdiction_rules import RulesInForce

ApplicantKind = Literal["people_organization", "social_organization"]
ApplicationStatus = Literal[
    "submitted",
    "supplement_requested",
    "preliminary_reviewed",
    "approved",
    "rejected",
    "withdrawn",
]
Opinion = Literal["recommend", "not_recommend"]
Decision = Literal["approve", "reject"]

HUB_NAMESPACE = UUID("5b0c2f6e-8a53-4d0e-9a55-6f3c1a3b8d01")


class Organization(Value):
    name: Text
    uscc: CreditCode
    kind: ApplicantKind


class Criteria(Value):
    """The four conditions of Art. 4, each as a written statement."""

    political_leadership: Text
    leading_role: Text
    party_organization: Text
    legal_status_and_management: Text


class CriteriaUpdate(Value):
    """Any of the four Art. 4 statements, rewritten in a supplement."""

    political_leadership: Text | None = None
    leading_role: Text | None = None
    party_organization: Text | None = None
    legal_status_and_management: Text | None = None


class Contact(Value):
    name: Text
    phone: str | None = None
    email: EmailStr | None = None


class PreliminaryReview(Value):
    opinion: Opinion
    notes: str


class DecisionRecord(Value):
    decision: Decision
    decision_ref: str
    reasons: str
    justification: str | None = None
    rules_version: int | None = None
    """An approval: the version of the jurisdiction's rules it applied (0: none set)."""


class SupplementExchange(Value):
    kind: Literal["request", "supplement"]
    text: str
    at: datetime


def hub_id_for(application_id: UUID) -> UUID:
    """The id of the hub an approved application designates: known before it exists."""
    return uuid5(HUB_NAMESPACE, str(application_id))


OPEN_STATUSES: frozenset[ApplicationStatus] = frozenset(
    {"submitted", "supplement_requested", "preliminary_reviewed"}
)


class DesignationApplication(Aggregate):
    class Submitted(Aggregate.Created):
        organization: Organization
        field: str
        jurisdiction: Jurisdiction
        criteria: Criteria
        contact: Contact

    @event(Submitted)
    def __init__(
        self,
        organization: Organization,
        field: str,
        jurisdiction: Jurisdiction,
        criteria: Criteria,
        contact: Contact,
        actor: Actor,
    ) -> None:
        self.organization = organization
        self.field = field
        self.jurisdiction = jurisdiction
        self.criteria = criteria
        self.contact = contact
        self.submitted_by = actor.principal_id
        self.status: ApplicationStatus = "submitted"
        self.submitted_at: datetime = self.created_on
        self.exchanges: list[SupplementExchange] = []
        self.preliminary_review: PreliminaryReview | None = None
        self.decision: DecisionRecord | None = None
        self.decided_at: datetime | None = None
        self.withdrawal_reason: str | None = None

    @property
    def hub_id(self) -> UUID | None:
        return hub_id_for(self.id) if self.status == "approved" else None

    # Commands: guard first, then trigger.

    def request_supplement(self, reason: str, actor: Actor) -> None:
        self._require("request a supplement", "submitted")
        self.trigger_event(self.SupplementRequested, reason=reason, actor=actor)

    def supplement(self, note: str, criteria: CriteriaUpdate | None, actor: Actor) -> None:
        self._require("supplement", "supplement_requested")
        self.trigger_event(self.Supplemented, note=note, criteria=criteria, actor=actor)

    def review_preliminarily(self, opinion: Opinion, notes: str, actor: Actor) -> None:
        self._require("review", "submitted")
        self.trigger_event(self.PreliminarilyReviewed, opinion=opinion, notes=notes, actor=actor)

    def decide(
        self,
        decision: Decision,
        decision_ref: str,
        reasons: str,
        justification: str | None,
        actor: Actor,
        rules: RulesInForce | None = None,
    ) -> None:
        """Approval applies the rules in force (``rules``; without them, the defaults):
        whether Art. 5 asks a justification of a social organization."""
        self._require("decide", "preliminary_reviewed")
        if decision == "reject":
            self.trigger_event(
                self.Rejected, decision_ref=decision_ref, reasons=reasons, actor=actor
            )
            return
        rules = rules or RulesInForce.defaults(self.jurisdiction)
        rules.require_justification(self.organization.kind, justification)
        self.trigger_event(
            self.Approved,
            decision_ref=decision_ref,
            reasons=reasons,
            justification=justification,
            hub_id=hub_id_for(self.id),
            rules_version=rules.version,
            actor=actor,
        )

    def withdraw(self, reason: str, actor: Actor) -> None:
        if self.status not in OPEN_STATUSES:
            raise StateConflict(f"an application that is {self.status} can no longer be withdrawn")
        self.trigger_event(self.Withdrawn, reason=reason, actor=actor)

    def _require(self, action: str, status: ApplicationStatus) -> None:
        if self.status != status:
            raise StateConflict(
                f"cannot {action} an application that is {self.status} (needs {status})"
            )

    # Events.

    class SupplementRequested(Aggregate.Event):
        reason: str

        def apply(self, aggregate: DesignationApplication) -> None:
            aggregate.status = "supplement_requested"
            aggregate.exchanges.append(
                SupplementExchange(kind="request", text=self.reason, at=self.timestamp),
            )

    class Supplemented(Aggregate.Event):
        note: str
        criteria: CriteriaUpdate | None

        def apply(self, aggregate: DesignationApplication) -> None:
            aggregate.status = "submitted"
            if self.criteria is not None:
                aggregate.criteria = aggregate.criteria.model_copy(
                    update=self.criteria.model_dump(exclude_none=True)
                )
            aggregate.exchanges.append(
                SupplementExchange(kind="supplement", text=self.note, at=self.timestamp),
            )

    class PreliminarilyReviewed(Aggregate.Event):
        opinion: Opinion
        notes: str

        def apply(self, aggregate: DesignationApplication) -> None:
            aggregate.status = "preliminary_reviewed"
            aggregate.preliminary_review = PreliminaryReview(opinion=self.opinion, notes=self.notes)

    class Approved(Aggregate.Event):
        decision_ref: str
        reasons: str
        justification: str | None
        hub_id: UUID
        rules_version: int | None = None
        """The version of the jurisdiction's rules applied (0: none set); None in events
        recorded before jurisdictions had rules."""

        def apply(self, aggregate: DesignationApplication) -> None:
            aggregate.status = "approved"
            aggregate.decision = DecisionRecord(
                decision="approve",
                decision_ref=self.decision_ref,
                reasons=self.reasons,
                justification=self.justification,
                rules_version=self.rules_version,
            )
            aggregate.decided_at = self.timestamp

    class Rejected(Aggregate.Event):
        decision_ref: str
        reasons: str

        def apply(self, aggregate: DesignationApplication) -> None:
            aggregate.status = "rejected"
            aggregate.decision = DecisionRecord(
                decision="reject", decision_ref=self.decision_ref, reasons=self.reasons
            )
            aggregate.decided_at = self.timestamp

    class Withdrawn(Aggregate.Event):
        reason: str

        def apply(self, aggregate: DesignationApplication) -> None:
            aggregate.status = "withdrawn"
            aggregate.withdrawal_reason = self.reason
