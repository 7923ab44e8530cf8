"""Commands of the designation procedure (Art. 4-6)."""

from __future__ import annotations

from uuid import UUID

from shuniu.aggregates.designation_application import (
    Contact,
    Criteria,
    CriteriaUpdate,
    Decision,
    DesignationApplication,
    Opinion,
    Organization,
)
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


class DesignationCommands(EventLog):
    name = APPLICATION_NAME

    def submit_application(
        self,
        ctx: CommandContext,
        organization: Organization,
        field: str,
        jurisdiction: str,
        criteria: Criteria,
        contact: Contact,
    ) -> Outcome:
        def submit(work: UnitOfWork) -> DesignationApplication:
            application = DesignationApplication(
                organization=organization,
                field=field,
                jurisdiction=jurisdiction,
                criteria=criteria,
                contact=contact,
                actor=work.actor,
            )
            work.add(application)
            return application

        return self.execute(ctx, submit, creates=True)

    def request_supplement(self, ctx: CommandContext, application_id: UUID, reason: str) -> Outcome:
        return self.act(
            ctx,
            application_id,
            DesignationApplication,
            lambda work, application: application.request_supplement(
                reason=reason, actor=work.actor
            ),
        )

    def supplement_application(
        self,
        ctx: CommandContext,
        application_id: UUID,
        note: str,
        criteria: CriteriaUpdate | None,
    ) -> Outcome:
        return self.act(
            ctx,
            application_id,
            DesignationApplication,
            lambda work, application: application.supplement(
                note=note, criteria=criteria, actor=work.actor
            ),
        )

    def review_application(
        self, ctx: CommandContext, application_id: UUID, opinion: Opinion, notes: str
    ) -> Outcome:
        return self.act(
            ctx,
            application_id,
            DesignationApplication,
            lambda work, application: application.review_preliminarily(
                opinion=opinion, notes=notes, actor=work.actor
            ),
        )

    def decide_application(
        self,
        ctx: CommandContext,
        application_id: UUID,
        decision: Decision,
        decision_ref: str,
        reasons: str,
        justification: str | None,
    ) -> Outcome:
        return self.act(
            ctx,
            application_id,
            DesignationApplication,
            lambda work, application: application.decide(
                decision, decision_ref, reasons, justification, work.actor
            ),
        )

    def withdraw_application(
        self, ctx: CommandContext, application_id: UUID, reason: str
    ) -> Outcome:
        return self.act(
            ctx,
            application_id,
            DesignationApplication,
            lambda work, application: application.withdraw(reason=reason, actor=work.actor),
        )
