"""Hub organizations: their duties (Art. 9, 12, 13), evaluations (Art. 17) and
adjustments (Art. 7), and the aggregate's own state."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.designation_application import ApplicantKind
from shuniu.aggregates.hub_organization import (
    Adjustment,
    DutyReport,
    Evaluation,
    HubOrganization,
    HubStatus,
    Responsibilities,
    UpwardReportRecord,
)
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import hubs

router = CommandRouter(prefix="/v1/hubs", tags=["hubs"])


class HubState(BaseModel):
    id: UUID
    version: int
    application_id: UUID
    name: str
    uscc: str
    kind: ApplicantKind
    field: str
    jurisdiction: str
    status: HubStatus
    designated_at: datetime
    decision_ref: str
    responsibilities: Responsibilities | None
    responsibility_history: list[Responsibilities]
    duty_report_count: int
    last_duty_report: DutyReport | None
    upward_reports: list[UpwardReportRecord]
    evaluations: list[Evaluation]
    adjustments: list[Adjustment]
    notices_received: list[UUID]
    adjustment_id: UUID | None = None
    report_id: UUID | None = None

    @classmethod
    def of(
        cls,
        hub: HubOrganization,
        adjustment_id: UUID | None = None,
        report_id: UUID | None = None,
    ) -> HubState:
        assert isinstance(hub, HubOrganization)
        return cls(
            id=hub.id,
            version=hub.version,
            application_id=hub.application_id,
            name=hub.name,
            uscc=hub.uscc,
            kind=hub.kind,
            field=hub.field,
            jurisdiction=hub.jurisdiction,
            status=hub.status,
            designated_at=hub.designated_at,
            decision_ref=hub.decision_ref,
            responsibilities=hub.responsibilities[-1] if hub.responsibilities else None,
            responsibility_history=hub.responsibilities,
            duty_report_count=hub.duty_report_count,
            last_duty_report=hub.last_duty_report,
            upward_reports=hub.upward_reports,
            evaluations=hub.evaluations,
            adjustments=hub.adjustments,
            notices_received=hub.notices_received,
            adjustment_id=adjustment_id,
            report_id=report_id,
        )

    def for_outsiders(self) -> HubState:
        """Without what only the hub, its office, its Leading Group and the admin see: its
        upward reports (addressed to the Leading Group) and adjustments in progress."""
        decided = [a for a in self.adjustments if a.status != "proposed"]
        return self.model_copy(update={"upward_reports": [], "adjustments": decided})


def answer(outcome: Outcome) -> HubState:
    assert isinstance(outcome.aggregate, HubOrganization)
    return HubState.of(outcome.aggregate)


def answer_with_adjustment(outcome: Outcome) -> HubState:
    """The hub, and the id of the adjustment just proposed (at the answer's version)."""
    hub = outcome.aggregate
    assert isinstance(hub, HubOrganization)
    return HubState.of(hub, adjustment_id=hub.adjustments[-1].id)


def answer_with_report(outcome: Outcome) -> HubState:
    """The hub, and the id of the upward report just recorded (at the answer's version)."""
    hub = outcome.aggregate
    assert isinstance(hub, HubOrganization)
    return HubState.of(hub, report_id=hub.upward_reports[-1].id)


router.command("/{hub_id}/responsibilities", hubs.AssignResponsibilities, answer)
router.command("/{hub_id}/duty-reports", hubs.ReportDuty, answer)
router.command("/{hub_id}/upward-reports", hubs.ReportUpward, answer_with_report)
router.command("/{hub_id}/upward-reports/{report_id}/replies", hubs.ReplyToUpwardReport, answer)
router.command("/{hub_id}/evaluations", hubs.EvaluateHub, answer)
router.command("/{hub_id}/adjustments", hubs.ProposeAdjustment, answer_with_adjustment)
router.command("/{hub_id}/adjustments/{adjustment_id}/decision", hubs.DecideAdjustment, answer)


@router.get("/{hub_id}")
def read(hub_id: UUID, app: App, caller: CurrentCaller, response: Response) -> HubState:
    hub = app.get(hub_id, HubOrganization)
    caller.require_readable(hub.jurisdiction)
    state_answer(response, hub.version)
    state = HubState.of(hub)
    return state if caller.sees_inside(hub.id, hub.jurisdiction) else state.for_outsiders()
