"""Commands of a hub's life (Art. 7, 9, 12, 13, 17) and their handlers."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import (
    AdjustmentAction,
    DutyReportKind,
    Grade,
    HubOrganization,
    ReportPeriod,
    Score,
    Year,
)
from shuniu.commands.base import Command
from shuniu.commands.fields import MAX_LIST, FieldName, Figures, Name, Text
from shuniu.commands.rules import IndicatorValues, rules_in_force
from shuniu.policies.base import Workspace

Hub = HubOrganization


class HubCommand(Command):
    path: ClassVar[tuple[str, ...]] = ("hub_id",)
    hub_id: UUID


class AssignResponsibilities(HubCommand):
    """Art. 9: the leader in charge, the working department and its staff."""

    leader: Name
    department: Name
    staff: Annotated[list[Name], Field(max_length=MAX_LIST)]


class ReportDuty(HubCommand):
    """Art. 8, 13: a report on the hub's duties for a period."""

    period: ReportPeriod
    kind: DutyReportKind
    content: Text
    figures: Figures = Field(default_factory=dict)


class ReportUpward(HubCommand):
    """Art. 12: a matter the hub reports to the Leading Group."""

    subject: Name
    content: Text


class ReplyToUpwardReport(HubCommand):
    """Art. 12, 18: the office or the Leading Group answers a matter the hub reported."""

    path: ClassVar[tuple[str, ...]] = ("hub_id", "report_id")
    report_id: UUID
    text: Text


class EvaluateHub(HubCommand):
    """Art. 17: the office's yearly evaluation, scored by the jurisdiction's rules in force:
    where they define indicators, each is required and ``score`` is their weighted mean
    (rounded half up; another score is 422); a score below the pass score is graded
    ``fail``. Without indicators, ``score`` is required."""

    year: Year
    score: Score | None = None
    grade: Grade
    notes: Text
    indicators: IndicatorValues = Field(default_factory=dict)


class ProposeAdjustment(HubCommand):
    """Art. 7: the office proposes; the Leading Group decides."""

    action: AdjustmentAction
    reasons: Text
    new_field: FieldName | None = None


class DecideAdjustment(HubCommand):
    path: ClassVar[tuple[str, ...]] = ("hub_id", "adjustment_id")
    adjustment_id: UUID
    decision: Literal["approve", "reject"]
    decision_ref: Name


def active_hub(work: Workspace, hub_id: UUID) -> Hub:
    """A hub named in a command's body: it must exist (422) and be active (409)."""
    hub = work.find(hub_id, Hub)
    if hub is None:
        raise InvalidCommand(f"no hub with id {hub_id}")
    hub.require_active()
    return hub


def assign_responsibilities(c: AssignResponsibilities, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    hub.assign_responsibilities(c.leader, c.department, c.staff, work.actor)
    return hub


def report_duty(c: ReportDuty, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    hub.report_duty(c.period, c.kind, c.content, c.figures, work.actor)
    return hub


def report_upward(c: ReportUpward, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    hub.report_upward(c.subject, c.content, work.actor)
    return hub


def reply_to_upward_report(c: ReplyToUpwardReport, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    hub.reply_to_upward_report(c.report_id, c.text, work.actor)
    return hub


def evaluate_hub(c: EvaluateHub, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    rules = rules_in_force(work, hub.jurisdiction)
    hub.evaluate(
        c.year, c.score, c.grade, c.notes, work.actor, indicators=c.indicators, rules=rules
    )
    return hub


def propose_adjustment(c: ProposeAdjustment, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    hub.propose_adjustment(c.action, c.reasons, c.new_field, work.actor)
    return hub


def decide_adjustment(c: DecideAdjustment, work: Workspace) -> Hub:
    hub = work.get(c.hub_id, Hub)
    hub.decide_adjustment(c.adjustment_id, c.decision, c.decision_ref, work.actor)
    return hub
