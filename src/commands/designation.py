"""Commands of the designation procedure (Art. 4-6) and their handlers."""

from __future__ import annotations

from typing import ClassVar, Literal
from uuid import UUID

from shuniu.aggregates.designation_application import (
    ApplicantKind,
    Contact,
    Criteria,
    CriteriaUpdate,
    DesignationApplication,
    Organization,
)
from shuniu.commands.base import Command
from shuniu.commands.fields import (
    CreditCode,
    EmailStr,
    FieldName,
    Input,
    Jurisdiction,
    Name,
    Phone,
    Text,
)
from shuniu.commands.rules import rules_in_force
from shuniu.policies.base import Workspace

Application = DesignationApplication


class OrganizationInput(Input):
    name: Name
    uscc: CreditCode
    kind: ApplicantKind


class CriteriaInput(Input):
    """The four conditions of Art. 4, each as a written statement."""

    political_leadership: Text
    leading_role: Text
    party_organization: Text
    legal_status_and_management: Text


class CriteriaUpdateInput(Input):
    political_leadership: Text | None = None
    leading_role: Text | None = None
    party_organization: Text | None = None
    legal_status_and_management: Text | None = None


class ContactInput(Input):
    name: Name
    phone: Phone | None = None
    email: EmailStr | None = None


class SubmitApplication(Command):
    """An organization applies to be designated the hub of its field (Art. 6(1))."""

    creates: ClassVar[bool] = True
    organization: OrganizationInput
    field: FieldName
    jurisdiction: Jurisdiction
    criteria: CriteriaInput
    contact: ContactInput


class RequestSupplement(Command):
    path: ClassVar[tuple[str, ...]] = ("application_id",)
    application_id: UUID
    reason: Text


class SupplementApplication(Command):
    path: ClassVar[tuple[str, ...]] = ("application_id",)
    application_id: UUID
    note: Text
    criteria: CriteriaUpdateInput | None = None


class ReviewApplication(Command):
    """The office's preliminary review: its opinion for the Leading Group (Art. 6(2))."""

    path: ClassVar[tuple[str, ...]] = ("application_id",)
    application_id: UUID
    opinion: Literal["recommend", "not_recommend"]
    notes: Text


class DecideApplication(Command):
    """The Leading Group approves or rejects (Art. 6(3)); approval designates the hub.
    Approving a social organization needs a ``justification`` (Art. 5) unless the
    jurisdiction's rules in force drop that requirement."""

    path: ClassVar[tuple[str, ...]] = ("application_id",)
    application_id: UUID
    decision: Literal["approve", "reject"]
    decision_ref: Text
    reasons: Text
    justification: Text | None = None


class WithdrawApplication(Command):
    path: ClassVar[tuple[str, ...]] = ("application_id",)
    application_id: UUID
    reason: Text


def submit_application(c: SubmitApplication, work: Workspace) -> Application:
    application = Application(
        organization=Organization.model_validate(c.organization, from_attributes=True),
        field=c.field,
        jurisdiction=c.jurisdiction,
        criteria=Criteria.model_validate(c.criteria, from_attributes=True),
        contact=Contact.model_validate(c.contact, from_attributes=True),
        actor=work.actor,
    )
    work.add(application)
    return application


def request_supplement(c: RequestSupplement, work: Workspace) -> Application:
    application = work.get(c.application_id, Application)
    application.request_supplement(c.reason, work.actor)
    return application


def supplement_application(c: SupplementApplication, work: Workspace) -> Application:
    application = work.get(c.application_id, Application)
    criteria = (
        CriteriaUpdate.model_validate(c.criteria, from_attributes=True) if c.criteria else None
    )
    application.supplement(c.note, criteria, work.actor)
    return application


def review_application(c: ReviewApplication, work: Workspace) -> Application:
    application = work.get(c.application_id, Application)
    application.review_preliminarily(c.opinion, c.notes, work.actor)
    return application


def decide_application(c: DecideApplication, work: Workspace) -> Application:
    application = work.get(c.application_id, Application)
    rules = rules_in_force(work, application.jurisdiction) if c.decision == "approve" else None
    application.decide(
        c.decision, c.decision_ref, c.reasons, c.justification, work.actor, rules=rules
    )
    return application


def withdraw_application(c: WithdrawApplication, work: Workspace) -> Application:
    application = work.get(c.application_id, Application)
    application.withdraw(c.reason, work.actor)
    return application
