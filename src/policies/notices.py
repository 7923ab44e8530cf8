"""Notice fan-out (Art. 12): to each addressed hub, and from a hub to its affiliates."""

from __future__ import annotations

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.notice import Notice
from shuniu.policies.base import Workspace

POLICY = "notice-fan-out"


def deliver_notice(event: Notice.Issued, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    for hub_id in event.hub_ids:
        work.get(hub_id, HubOrganization).receive_notice(event.originator_id, actor)


def deliver_relay(event: Notice.Relayed, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    for affiliation_id in event.affiliate_ids:
        work.get(affiliation_id, AffiliateRelationship).record_relay(
            event.originator_id, event.hub_id, event.note, actor
        )
