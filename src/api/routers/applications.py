"""Designation applications (Art. 4-6): commands and the aggregate's own state."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.designation_application import (
    ApplicationStatus,
    Contact,
    Criteria,
    DecisionRecord,
    DesignationApplication,
    Organization,
    PreliminaryReview,
    SupplementExchange,
)
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import designation
from shuniu.commands.access import Forbidden

router = CommandRouter(prefix="/v1/applications", tags=["applications"])


class ApplicationState(BaseModel):
    id: UUID
    version: int
    status: ApplicationStatus
    organization: Organization
    field: str
    jurisdiction: str
    criteria: Criteria
    contact: Contact
    submitted_by: UUID
    submitted_at: datetime
    exchanges: list[SupplementExchange]
    preliminary_review: PreliminaryReview | None
    decision: DecisionRecord | None
    decided_at: datetime | None
    withdrawal_reason: str | None
    hub_id: UUID | None

    @classmethod
    def of(cls, a: DesignationApplication) -> ApplicationState:
        return cls(
            id=a.id,
            version=a.version,
            status=a.status,
            organization=a.organization,
            field=a.field,
            jurisdiction=a.jurisdiction,
            criteria=a.criteria,
            contact=a.contact,
            submitted_by=a.submitted_by,
            submitted_at=a.submitted_at,
            exchanges=a.exchanges,
            preliminary_review=a.preliminary_review,
            decision=a.decision,
            decided_at=a.decided_at,
            withdrawal_reason=a.withdrawal_reason,
            hub_id=a.hub_id,
        )


def answer(outcome: Outcome) -> ApplicationState:
    assert isinstance(outcome.aggregate, DesignationApplication)
    return ApplicationState.of(outcome.aggregate)


router.command("", designation.SubmitApplication, answer)
router.command("/{application_id}/supplement-requests", designation.RequestSupplement, answer)
router.command("/{application_id}/supplements", designation.SupplementApplication, answer)
router.command("/{application_id}/preliminary-review", designation.ReviewApplication, answer)
router.command("/{application_id}/decision", designation.DecideApplication, answer)
router.command("/{application_id}/withdrawal", designation.WithdrawApplication, answer)


@router.get("/{application_id}")
def read(
    application_id: UUID, app: App, caller: CurrentCaller, response: Response
) -> ApplicationState:
    application = app.get(application_id, DesignationApplication)
    caller.require_readable(application.jurisdiction)
    if caller.role == "applicant" and application.submitted_by != caller.id:
        raise Forbidden("an applicant reads its own applications only")
    state_answer(response, application.version)
    return ApplicationState.of(application)
