"""HubOrganization: a designated hub (Art. 2, 7-9, 12, 13, 16, 17).

Created by the designation policy when an application is approved, with the
id derived from the application's id. A revoked hub is never deleted: it
stays, revoked, with its history. A suspended or revoked hub cannot act.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import Field, StringConstraints

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction, Role, Value
from shuniu.aggregates.designation_application import ApplicantKind, hub_id_for
from shuniu.aggregates.errors import InvalidCommand, NotFound, StateConflict
from shuniu.aggregates.field_seat import field_key, seat_id_for
from shuniu.aggregates.jurisdiction_rules import Number, RulesInForce

HubStatus = Literal["active", "suspended", "revoked"]
DutyReportKind = Literal["information", "work", "party_building"]
Grade = Literal["excellent", "good", "pass", "fail"]
AdjustmentAction = Literal["suspend", "revoke", "reinstate", "change_field"]
AdjustmentStatus = Literal["proposed", "approved", "rejected"]

ReportPeriod = Annotated[
    str, StringConstraints(pattern=r"^(19|20)\d{2}(-Q[1-4]|-(0[1-9]|1[0-2]))?$")
]
"""A year (``2026``), a quarter (``2026-Q3``) or a month (``2026-07``)."""

Year = Annotated[int, Field(ge=1949, le=2100)]
Score = Annotated[int, Field(ge=0, le=100)]

STATUS_AFTER: dict[AdjustmentAction, HubStatus | None] = {
    "suspend": "suspended",
    "revoke": "revoked",
    "reinstate": "active",
    "change_field": None,
}
ALLOWED_FROM: dict[AdjustmentAction, frozenset[HubStatus]] = {
    "suspend": frozenset({"active"}),
    "revoke": frozenset({"active", "suspended"}),
    "reinstate": frozenset({"suspended"}),
    "change_field": frozenset({"active"}),
}


class Responsibilities(Value):
    """Art. 9: the leader in charge, the working department and its staff."""

    leader: str
    department: str
    staff: list[str]
    assigned_at: datetime


class DutyReport(Value):
    period: ReportPeriod
    kind: DutyReportKind
    content: str
    figures: dict[str, float]
    reported_at: datetime


class UpwardReport(Value):
    """An upward report as snapshots of class_version 2 hold it; ``upcast_v2_v3`` makes it
    an ``UpwardReportRecord``."""

    subject: str
    content: str
    reported_at: datetime


def upward_report_id_for(hub_id: UUID, n: int) -> UUID:
    """The id of a hub's ``n``-th upward report (from 1)."""
    return uuid5(hub_id, f"upward-report:{n}")


class Reply(Value):
    """The office's or the Leading Group's reply to an upward report (Art. 12, 18)."""

    text: str
    role: Role
    replied_at: datetime


class UpwardReportRecord(Value):
    """A matter the hub reported to the Leading Group, and the replies it got."""

    id: UUID
    subject: str
    content: str
    reported_at: datetime
    replies: list[Reply] = Field(default_factory=list)

    @property
    def state(self) -> Literal["open", "replied"]:
        return "replied" if self.replies else "open"


class Evaluation(Value):
    year: Year
    score: Score
    grade: Grade
    notes: str
    evaluated_at: datetime
    indicators: dict[str, Number] = Field(default_factory=dict)
    rules_version: int | None = None
    """The version of the jurisdiction's rules that scored it (0: none set); None before
    jurisdictions had rules."""


class Adjustment(Value):
    id: UUID
    action: AdjustmentAction
    reasons: str
    new_field: str | None
    status: AdjustmentStatus
    proposed_at: datetime
    decision_ref: str | None = None
    decided_at: datetime | None = None


class HubOrganization(Aggregate):
    """A designated hub.

    Its state keeps what its rules and its answers need, not every report it
    ever sent: a hub reports every month for years, and state that grew with
    each report would make every load, snapshot, time-travel and command
    answer grow with it. Of its duty reports it keeps the count and the
    latest; each report itself stays in its ``DutyReported`` event (the audit
    stream) and in the registry (``GET /v1/registry/hubs/{id}``).
    """

    class_version = 3
    """2: ``duty_reports`` (every report) became ``duty_report_count`` and
    ``last_duty_report``; ``upcast_v1_v2`` turns a version 1 snapshot into it.
    3: upward reports have ids and replies (``UpwardReportRecord``); ``upcast_v2_v3``."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        reports = state.pop("duty_reports", [])
        state["duty_report_count"] = len(reports)
        state["last_duty_report"] = reports[-1] if reports else None

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        hub_id = state["_id"]
        state["upward_reports"] = [
            UpwardReportRecord(id=upward_report_id_for(hub_id, n), **r.model_dump())
            for n, r in enumerate(state.get("upward_reports", []), start=1)
        ]

    @staticmethod
    def create_id(application_id: UUID, **_: object) -> UUID:
        return hub_id_for(application_id)

    class Designated(Aggregate.Created):
        application_id: UUID
        name: str
        uscc: str
        kind: ApplicantKind
        field: str
        jurisdiction: Jurisdiction
        decision_ref: str
        seat_id: UUID

    @event(Designated)
    def __init__(
        self,
        application_id: UUID,
        name: str,
        uscc: str,
        kind: ApplicantKind,
        field: str,
        jurisdiction: Jurisdiction,
        decision_ref: str,
        seat_id: UUID,
        actor: Actor,
    ) -> None:
        self.application_id = application_id
        self.name = name
        self.uscc = uscc
        self.kind = kind
        self.field = field
        self.jurisdiction = jurisdiction
        self.decision_ref = decision_ref
        self.seat_id = seat_id
        self.status: HubStatus = "active"
        self.designated_at: datetime = self.created_on
        self.responsibilities: list[Responsibilities] = []
        self.duty_report_count = 0
        self.last_duty_report: DutyReport | None = None
        self.upward_reports: list[UpwardReportRecord] = []
        self.evaluations: list[Evaluation] = []
        self.adjustments: list[Adjustment] = []
        self.notices_received: list[UUID] = []

    # Commands of the hub itself: only an active hub acts.

    def require_active(self) -> None:
        if self.status != "active":
            raise StateConflict(f"a {self.status} hub cannot act")

    def assign_responsibilities(
        self, leader: str, department: str, staff: list[str], actor: Actor
    ) -> None:
        self.require_active()
        self.trigger_event(
            self.ResponsibilitiesAssigned,
            leader=leader,
            department=department,
            staff=staff,
            actor=actor,
        )

    def report_duty(
        self,
        period: str,
        kind: DutyReportKind,
        content: str,
        figures: dict[str, float],
        actor: Actor,
    ) -> None:
        self.require_active()
        self.trigger_event(
            self.DutyReported,
            period=period,
            kind=kind,
            content=content,
            figures=figures,
            actor=actor,
        )

    def report_upward(self, subject: str, content: str, actor: Actor) -> UUID:
        self.require_active()
        report_id = upward_report_id_for(self.id, len(self.upward_reports) + 1)
        self.trigger_event(
            self.UpwardReported, subject=subject, content=content, report_id=report_id, actor=actor
        )
        return report_id

    def receive_notice(self, notice_id: UUID, actor: Actor) -> None:
        """Fan-out of a notice (Art. 12); receiving the same notice twice records it once."""
        if notice_id not in self.notices_received:
            self.trigger_event(self.NoticeReceived, notice_id=notice_id, actor=actor)

    # Commands of the office and the Leading Group.

    def upward_report(self, report_id: UUID) -> UpwardReportRecord:
        for report in self.upward_reports:
            if report.id == report_id:
                return report
        raise NotFound(f"hub {self.id} has no upward report {report_id}")

    def reply_to_upward_report(self, report_id: UUID, text: str, actor: Actor) -> None:
        """Art. 12, 18: the office or the Leading Group answers a matter the hub reported;
        a report may get several replies. A revoked hub's reports are closed."""
        self.upward_report(report_id)
        if self.status == "revoked":
            raise StateConflict("a revoked hub's upward reports get no more replies")
        self.trigger_event(self.UpwardReportReplied, report_id=report_id, text=text, actor=actor)

    def evaluate(
        self,
        year: int,
        score: int | None,
        grade: Grade,
        notes: str,
        actor: Actor,
        indicators: dict[str, Number] | None = None,
        rules: RulesInForce | None = None,
    ) -> None:
        """Art. 17: scored by the rules in force (``rules``): with indicators defined, the
        score is their weighted mean; below the pass score, the grade is ``fail``."""
        if self.status == "revoked":
            raise StateConflict("a revoked hub is no longer evaluated")
        if any(e.year == year for e in self.evaluations):
            raise StateConflict(f"the hub already has its evaluation for {year}")
        rules = rules or RulesInForce.defaults(self.jurisdiction)
        indicators = indicators or {}
        score = rules.rules.evaluation.score(indicators, score, graded_fail=grade == "fail")
        self.trigger_event(
            self.Evaluated,
            year=year,
            score=score,
            grade=grade,
            notes=notes,
            indicators=indicators,
            rules_version=rules.version,
            actor=actor,
        )

    @property
    def latest_evaluation(self) -> Evaluation | None:
        """The evaluation of the latest year (one per year, recorded in any order)."""
        return max(self.evaluations, key=lambda e: e.year, default=None)

    def propose_adjustment(
        self, action: AdjustmentAction, reasons: str, new_field: str | None, actor: Actor
    ) -> UUID:
        if (action == "change_field") != (new_field is not None):
            raise InvalidCommand("new_field is required to change the field, and only then")
        if self.pending_adjustment is not None:
            raise StateConflict(
                f"adjustment {self.pending_adjustment.id} awaits the Leading Group's decision"
            )
        self._check_adjustment(action, new_field)
        adjustment_id = uuid5(self.id, f"adjustment:{self.version + 1}")
        self.trigger_event(
            self.AdjustmentProposed,
            adjustment_id=adjustment_id,
            action=action,
            reasons=reasons,
            new_field=new_field,
            actor=actor,
        )
        return adjustment_id

    def decide_adjustment(
        self,
        adjustment_id: UUID,
        decision: Literal["approve", "reject"],
        decision_ref: str,
        actor: Actor,
    ) -> None:
        adjustment = self.adjustment(adjustment_id)
        if adjustment.status != "proposed":
            raise StateConflict(f"adjustment {adjustment_id} is already {adjustment.status}")
        if decision == "reject":
            self.trigger_event(
                self.AdjustmentRejected,
                adjustment_id=adjustment_id,
                decision_ref=decision_ref,
                actor=actor,
            )
            return
        self._check_adjustment(adjustment.action, adjustment.new_field)
        new_field = adjustment.new_field
        self.trigger_event(
            self.AdjustmentApproved,
            adjustment_id=adjustment_id,
            decision_ref=decision_ref,
            action=adjustment.action,
            previous_status=self.status,
            new_status=STATUS_AFTER[adjustment.action] or self.status,
            previous_field=self.field,
            new_field=new_field,
            new_seat_id=seat_id_for(self.jurisdiction, new_field) if new_field else None,
            actor=actor,
        )

    def adjustment(self, adjustment_id: UUID) -> Adjustment:
        for adjustment in self.adjustments:
            if adjustment.id == adjustment_id:
                return adjustment
        raise NotFound(f"hub {self.id} has no adjustment {adjustment_id}")

    @property
    def pending_adjustment(self) -> Adjustment | None:
        return next((a for a in self.adjustments if a.status == "proposed"), None)

    def _check_adjustment(self, action: AdjustmentAction, new_field: str | None) -> None:
        if self.status not in ALLOWED_FROM[action]:
            raise StateConflict(f"a {self.status} hub cannot be adjusted with {action}")
        if new_field is not None and field_key(new_field) == field_key(self.field):
            raise StateConflict(f"the hub already leads the field {self.field!r}")

    # Events.

    class ResponsibilitiesAssigned(Aggregate.Event):
        leader: str
        department: str
        staff: list[str]

        def apply(self, hub: HubOrganization) -> None:
            hub.responsibilities.append(
                Responsibilities(
                    leader=self.leader,
                    department=self.department,
                    staff=self.staff,
                    assigned_at=self.timestamp,
                ),
            )

    class DutyReported(Aggregate.Event):
        period: ReportPeriod
        kind: DutyReportKind
        content: str
        figures: dict[str, float]

        def apply(self, hub: HubOrganization) -> None:
            hub.duty_report_count += 1
            hub.last_duty_report = DutyReport(
                period=self.period,
                kind=self.kind,
                content=self.content,
                figures=self.figures,
                reported_at=self.timestamp,
            )

    class UpwardReported(Aggregate.Event):
        subject: str
        content: str
        report_id: UUID | None = None
        """None in reports recorded before reports had ids: derived from their order."""

        def apply(self, hub: HubOrganization) -> None:
            n = len(hub.upward_reports) + 1
            hub.upward_reports.append(
                UpwardReportRecord(
                    id=self.report_id or upward_report_id_for(hub.id, n),
                    subject=self.subject,
                    content=self.content,
                    reported_at=self.timestamp,
                ),
            )

    class UpwardReportReplied(Aggregate.Event):
        report_id: UUID
        text: str

        def apply(self, hub: HubOrganization) -> None:
            reply = Reply(text=self.text, role=self.actor.role, replied_at=self.timestamp)
            hub.upward_reports = [
                r.model_copy(update={"replies": [*r.replies, reply]})
                if r.id == self.report_id
                else r
                for r in hub.upward_reports
            ]

    class NoticeReceived(Aggregate.Event):
        notice_id: UUID

        def apply(self, hub: HubOrganization) -> None:
            hub.notices_received.append(self.notice_id)

    class Evaluated(Aggregate.Event):
        year: Year
        score: Score
        grade: Grade
        notes: str
        indicators: dict[str, Number] = Field(default_factory=dict)
        rules_version: int | None = None
        """The version of the jurisdiction's rules applied (0: none set); None in events
        recorded before jurisdictions had rules."""

        def apply(self, hub: HubOrganization) -> None:
            hub.evaluations.append(
                Evaluation(
                    year=self.year,
                    score=self.score,
                    grade=self.grade,
                    notes=self.notes,
                    evaluated_at=self.timestamp,
                    indicators=self.indicators,
                    rules_version=self.rules_version,
                ),
            )

    class AdjustmentProposed(Aggregate.Event):
        adjustment_id: UUID
        action: AdjustmentAction
        reasons: str
        new_field: str | None

        def apply(self, hub: HubOrganization) -> None:
            hub.adjustments.append(
                Adjustment(
                    id=self.adjustment_id,
                    action=self.action,
                    reasons=self.reasons,
                    new_field=self.new_field,
                    status="proposed",
                    proposed_at=self.timestamp,
                ),
            )

    class AdjustmentApproved(Aggregate.Event):
        adjustment_id: UUID
        decision_ref: str
        action: AdjustmentAction
        previous_status: HubStatus
        new_status: HubStatus
        previous_field: str
        new_field: str | None
        new_seat_id: UUID | None

        def apply(self, hub: HubOrganization) -> None:
            hub.adjustments = _decided(hub, self.adjustment_id, "approved", self)
            hub.status = self.new_status
            if self.new_field is not None and self.new_seat_id is not None:
                hub.field = self.new_field
                hub.seat_id = self.new_seat_id

    class AdjustmentRejected(Aggregate.Event):
        adjustment_id: UUID
        decision_ref: str

        def apply(self, hub: HubOrganization) -> None:
            hub.adjustments = _decided(hub, self.adjustment_id, "rejected", self)


def _decided(hub: HubOrganization, adjustment_id: UUID, status: str, e: Any) -> list[Adjustment]:
    return [
        a.model_copy(
            update={"status": status, "decision_ref": e.decision_ref, "decided_at": e.timestamp}
        )
        if a.id == adjustment_id
        else a
        for a in hub.adjustments
    ]
