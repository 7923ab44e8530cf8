"""Commands of a hub's life (Art. 7, 9, 12, 13, 17)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from shuniu.aggregates.hub_organization import (
    AdjustmentAction,
    DutyReportKind,
    Grade,
    HubOrganization,
)
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


class HubCommands(EventLog):
    name = APPLICATION_NAME

    def assign_responsibilities(
        self, ctx: CommandContext, hub_id: UUID, leader: str, department: str, staff: list[str]
    ) -> Outcome:
        def assign(work: UnitOfWork) -> HubOrganization:
            hub = work.get(hub_id, HubOrganization)
            hub.assign_responsibilities(leader, department, staff, work.actor)
            return hub

        return self.execute(ctx, assign)

    def report_duty(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        period: str,
        kind: DutyReportKind,
        content: str,
        figures: dict[str, float],
    ) -> Outcome:
        def report(work: UnitOfWork) -> HubOrganization:
            hub = work.get(hub_id, HubOrganization)
            hub.report_duty(period, kind, content, figures, work.actor)
            return hub

        return self.execute(ctx, report)

    def report_upward(
        self, ctx: CommandContext, hub_id: UUID, subject: str, content: str
    ) -> Outcome:
        def report(work: UnitOfWork) -> HubOrganization:
            hub = work.get(hub_id, HubOrganization)
            hub.report_upward(subject, content, work.actor)
            return hub

        return self.execute(ctx, report)

    def evaluate_hub(
        self, ctx: CommandContext, hub_id: UUID, year: int, score: int, grade: Grade, notes: str
    ) -> Outcome:
        def evaluate(work: UnitOfWork) -> HubOrganization:
            hub = work.get(hub_id, HubOrganization)
            hub.evaluate(year, score, grade, notes, work.actor)
            return hub

        return self.execute(ctx, evaluate)

    def propose_adjustment(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        action: AdjustmentAction,
        reasons: str,
        new_field: str | None,
    ) -> Outcome:
        def propose(work: UnitOfWork) -> HubOrganization:
            hub = work.get(hub_id, HubOrganization)
            hub.propose_adjustment(action, reasons, new_field, work.actor)
            return hub

        return self.execute(ctx, propose)

    def decide_adjustment(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        adjustment_id: UUID,
        decision: Literal["approve", "reject"],
        decision_ref: str,
    ) -> Outcome:
        def decide(work: UnitOfWork) -> HubOrganization:
            hub = work.get(hub_id, HubOrganization)
            hub.decide_adjustment(adjustment_id, decision, decision_ref, work.actor)
            return hub

        return self.execute(ctx, decide)
