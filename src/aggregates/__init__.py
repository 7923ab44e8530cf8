"""The domain: one module per aggregate, no I/O."""

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.base import Actor, Aggregate
from shuniu.aggregates.command_receipt import CommandReceipt
from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.aggregates.field_seat import FieldSeat
from shuniu.aggregates.funding_agreement import FundingAgreement
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import JointMeeting
from shuniu.aggregates.jurisdiction_rules import JurisdictionRules
from shuniu.aggregates.notice import Notice
from shuniu.aggregates.principal import Principal
from shuniu.aggregates.roster import Roster
from shuniu.aggregates.supervision import Supervision

__all__ = [
    "Actor",
    "AffiliateRelationship",
    "Aggregate",
    "CommandReceipt",
    "DesignationApplication",
    "FieldSeat",
    "FundingAgreement",
    "HubOrganization",
    "JointMeeting",
    "JurisdictionRules",
    "Notice",
    "Principal",
    "Roster",
    "Supervision",
]
