"""Funding follows its hub (Art. 7, 14, 15, 17): a hub that cannot act is paid nothing.

Each hub has a roster of its agreements that are not closed. When a hub is
suspended or revoked, its open agreements are frozen in the same transaction;
disbursements then answer 409 until the office unfreezes them.
"""

from __future__ import annotations

from uuid import UUID

from shuniu.aggregates.funding_agreement import FundingAgreement
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.policies.base import Workspace
from shuniu.policies.rosters import members, roster

POLICY = "funding"
CASCADE = "revocation-cascade"
KIND = "unclosed-funding"

Approved = HubOrganization.AdjustmentApproved


def enrol_agreement(event: FundingAgreement.Committed, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    roster(work, KIND, str(event.recipient.hub_id), actor).add(event.originator_id, actor)


def drop_agreement(event: FundingAgreement.Closed, work: Workspace) -> None:
    agreement = work.get(event.originator_id, FundingAgreement)
    actor = work.actor.acting_for(POLICY)
    roster(work, KIND, str(agreement.hub_id), actor).remove(agreement.id, actor)


def _freeze_open_funding(hub_id: UUID, reason: str, policy: str, work: Workspace) -> None:
    actor = work.actor.acting_for(policy)
    for agreement_id in members(work, KIND, str(hub_id)):
        agreement = work.get(agreement_id, FundingAgreement)
        if agreement.status == "open":
            agreement.freeze(reason, actor)


def freeze_funding_of_suspended_hub(event: Approved, work: Workspace) -> None:
    if event.action == "suspend":
        reason = f"hub suspended ({event.decision_ref})"
        _freeze_open_funding(event.originator_id, reason, POLICY, work)


def freeze_funding_of_revoked_hub(event: Approved, work: Workspace) -> None:
    reason = f"hub revoked ({event.decision_ref})"
    _freeze_open_funding(event.originator_id, reason, CASCADE, work)
