"""Keep the rosters exact: active hubs per jurisdiction, active affiliates per hub."""

from __future__ import annotations

from uuid import UUID

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.base import Actor
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.roster import Roster, roster_id_for
from shuniu.policies.base import Workspace

POLICY = "rosters"


def roster(work: Workspace, kind: str, key: str, actor: Actor) -> Roster:
    found = work.find(roster_id_for(kind, key), Roster)
    if found is None:
        found = Roster(kind=kind, key=key, actor=actor)
        work.add(found)
    return found


def members(work: Workspace, kind: str, key: str) -> list[UUID]:
    """A roster's members, reading only: no roster is opened for nobody."""
    found = work.find(roster_id_for(kind, key), Roster)
    return list(found.members) if found is not None else []


def active_hubs(work: Workspace, jurisdiction: str, actor: Actor) -> Roster:
    return roster(work, "active-hubs", jurisdiction, actor)


def active_affiliates(work: Workspace, hub_id: UUID, actor: Actor) -> Roster:
    return roster(work, "active-affiliates", str(hub_id), actor)


def enrol_designated_hub(event: HubOrganization.Designated, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    active_hubs(work, event.jurisdiction, actor).add(event.originator_id, actor)


def follow_hub_status(event: HubOrganization.AdjustmentApproved, work: Workspace) -> None:
    if event.new_status == event.previous_status:
        return
    hub = work.get(event.originator_id, HubOrganization)
    actor = work.actor.acting_for(POLICY)
    hubs = active_hubs(work, hub.jurisdiction, actor)
    if event.new_status == "active":
        hubs.add(hub.id, actor)
    else:
        hubs.remove(hub.id, actor)


def enrol_affiliate(event: AffiliateRelationship.Established, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    active_affiliates(work, event.hub_id, actor).add(event.originator_id, actor)


def move_affiliate(event: AffiliateRelationship.Transferred, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    active_affiliates(work, event.from_hub_id, actor).remove(event.originator_id, actor)
    active_affiliates(work, event.to_hub_id, actor).add(event.originator_id, actor)


def drop_affiliate(
    event: AffiliateRelationship.Ended | AffiliateRelationship.SupervisorLost, work: Workspace
) -> None:
    affiliation = work.get(event.originator_id, AffiliateRelationship)
    actor = work.actor.acting_for(POLICY)
    active_affiliates(work, affiliation.hub_id, actor).remove(affiliation.id, actor)
