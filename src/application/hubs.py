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
from shuniu.settings import APPLICATION_NAME

Hub = HubOrganization


class HubCommands(EventLog):
    name = APPLICATION_NAME

    def assign_responsibilities(
        self, ctx: CommandContext, hub_id: UUID, leader: str, department: str, staff: list[str]
    ) -> Outcome:
        return self.act(
            ctx,
            hub_id,
            Hub,
            lambda w, h: h.assign_responsibilities(leader, department, staff, w.actor),
        )

    def report_duty(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        period: str,
        kind: DutyReportKind,
        content: str,
        figures: dict[str, float],
    ) -> Outcome:
        return self.act(
            ctx, hub_id, Hub, lambda w, h: h.report_duty(period, kind, content, figures, w.actor)
        )

    def report_upward(
        self, ctx: CommandContext, hub_id: UUID, subject: str, content: str
    ) -> Outcome:
        return self.act(ctx, hub_id, Hub, lambda w, h: h.report_upward(subject, content, w.actor))

    def evaluate_hub(
        self, ctx: CommandContext, hub_id: UUID, year: int, score: int, grade: Grade, notes: str
    ) -> Outcome:
        return self.act(
            ctx, hub_id, Hub, lambda w, h: h.evaluate(year, score, grade, notes, w.actor)
        )

    def propose_adjustment(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        action: AdjustmentAction,
        reasons: str,
        new_field: str | None,
    ) -> Outcome:
        return self.act(
            ctx, hub_id, Hub, lambda w, h: h.propose_adjustment(action, reasons, new_field, w.actor)
        )

    def decide_adjustment(
        self,
        ctx: CommandContext,
        hub_id: UUID,
        adjustment_id: UUID,
        decision: Literal["approve", "reject"],
        decision_ref: str,
    ) -> Outcome:
        return self.act(
            ctx,
            hub_id,
            Hub,
            lambda w, h: h.decide_adjustment(adjustment_id, decision, decision_ref, w.actor),
        )
