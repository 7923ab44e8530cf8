"""Reactions to events, keyed by event type, run inside the command's unit of work.

Each handler is idempotent and records its events with the causing command's
actor, naming itself as the policy. A new reaction is one more entry below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.aggregates.funding_agreement import FundingAgreement
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import JointMeeting
from shuniu.aggregates.notice import Notice
from shuniu.policies import (
    action_items,
    adjustments,
    deregistration,
    funding,
    notices,
    rosters,
    supervision,
)
from shuniu.policies.base import Workspace
from shuniu.policies.designation import designate_hub

Handler = Callable[[Any, Workspace], None]

HANDLERS: dict[type[Any], tuple[Handler, ...]] = {
    DesignationApplication.Approved: (designate_hub,),
    HubOrganization.Designated: (rosters.enrol_designated_hub,),
    HubOrganization.AdjustmentApproved: (
        rosters.follow_hub_status,
        adjustments.move_field_seat,
        adjustments.cascade_revocation,
        funding.freeze_funding_of_suspended_hub,
    ),
    AffiliateRelationship.Established: (
        supervision.claim_supervision,
        rosters.enrol_affiliate,
    ),
    AffiliateRelationship.Registered: (supervision.claim_supervision_of_registered,),
    AffiliateRelationship.RegistrationReviewed: (deregistration.end_deregistered_affiliation,),
    AffiliateRelationship.Transferred: (supervision.move_supervision, rosters.move_affiliate),
    AffiliateRelationship.Ended: (supervision.release_supervision, rosters.drop_affiliate),
    AffiliateRelationship.SupervisorLost: (
        supervision.release_supervision,
        rosters.drop_affiliate,
    ),
    Notice.Issued: (notices.deliver_notice,),
    Notice.Relayed: (notices.deliver_relay,),
    JointMeeting.ActionItemAssigned: (action_items.follow_assignment,),
    JointMeeting.ActionItemCompleted: (action_items.follow_closing,),
    JointMeeting.ActionItemFlagged: (action_items.follow_closing,),
    FundingAgreement.Committed: (funding.enrol_agreement,),
    FundingAgreement.Closed: (funding.drop_agreement,),
}


def handlers_for(event: object) -> tuple[Handler, ...]:
    return HANDLERS.get(type(event), ())


__all__ = ["HANDLERS", "Handler", "Workspace", "handlers_for"]
