"""Commands as messages: one pydantic model each, one plain handler each, one table.

``HANDLERS`` maps each command type to its handler, as ``shuniu.policies``
maps event types to reactions. The application's one entry point
(``Shuniu.handle``) looks the handler up here and runs it in a unit of work;
who may issue each command is the table in ``shuniu.commands.access``.
A new command is a message and a handler here, a row there, and one route
line in the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shuniu.aggregates.base import Aggregate
from shuniu.commands import (
    affiliations,
    designation,
    funding,
    hubs,
    meetings,
    notices,
    principals,
    rules,
)
from shuniu.commands.base import Command, Work

Handler = Callable[[Any, Work], Aggregate]

HANDLERS: dict[type[Command], Handler] = {
    designation.SubmitApplication: designation.submit_application,
    designation.RequestSupplement: designation.request_supplement,
    designation.SupplementApplication: designation.supplement_application,
    designation.ReviewApplication: designation.review_application,
    designation.DecideApplication: designation.decide_application,
    designation.WithdrawApplication: designation.withdraw_application,
    hubs.AssignResponsibilities: hubs.assign_responsibilities,
    hubs.ReportDuty: hubs.report_duty,
    hubs.ReportUpward: hubs.report_upward,
    hubs.ReplyToUpwardReport: hubs.reply_to_upward_report,
    hubs.EvaluateHub: hubs.evaluate_hub,
    hubs.ProposeAdjustment: hubs.propose_adjustment,
    hubs.DecideAdjustment: hubs.decide_adjustment,
    affiliations.EstablishAffiliation: affiliations.establish_affiliation,
    affiliations.ReviewRegistration: affiliations.review_registration,
    affiliations.RegisterAffiliate: affiliations.register_affiliate,
    affiliations.InspectAffiliate: affiliations.inspect_affiliate,
    affiliations.ReferViolation: affiliations.refer_violation,
    affiliations.RecordReferralOutcome: affiliations.record_referral_outcome,
    affiliations.RecordPartyBuilding: affiliations.record_party_building,
    affiliations.TransferAffiliation: affiliations.transfer_affiliation,
    affiliations.EndAffiliation: affiliations.end_affiliation,
    notices.IssueNotice: notices.issue_notice,
    notices.AcknowledgeNotice: notices.acknowledge_notice,
    notices.RelayNotice: notices.relay_notice,
    meetings.ConveneMeeting: meetings.convene_meeting,
    meetings.RecordAttendance: meetings.record_attendance,
    meetings.AdoptResolution: meetings.adopt_resolution,
    meetings.AssignActionItem: meetings.assign_action_item,
    meetings.CompleteActionItem: meetings.complete_action_item,
    meetings.PublishMinutes: meetings.publish_minutes,
    meetings.CorrectMinutes: meetings.correct_minutes,
    meetings.CancelMeeting: meetings.cancel_meeting,
    funding.CommitFunding: funding.commit_funding,
    funding.Disburse: funding.disburse,
    funding.Refund: funding.refund,
    funding.ReverseEntry: funding.reverse_entry,
    funding.FreezeFunding: funding.freeze_funding,
    funding.UnfreezeFunding: funding.unfreeze_funding,
    funding.CloseFunding: funding.close_funding,
    rules.SetJurisdictionRules: rules.set_jurisdiction_rules,
    principals.CreatePrincipal: principals.create_principal,
    principals.RevokePrincipal: principals.revoke_principal,
}


def handler_for(command: Command) -> Handler:
    return HANDLERS[type(command)]


__all__ = ["HANDLERS", "Command", "Handler", "Work", "handler_for"]
