"""One supervisor per organization: claimed when an affiliation starts (or, for an
organization being founded, when it is registered), moved on transfer, released
when it ends or its hub is revoked (docs/domain.md). An organization still being
founded has no credit code, so no supervision to claim, move or release."""

from __future__ import annotations

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.base import Actor
from shuniu.aggregates.supervision import Supervision, supervision_id_for
from shuniu.policies.base import Workspace

POLICY = "supervision"


def supervision(work: Workspace, uscc: str, actor: Actor) -> Supervision:
    found = work.find(supervision_id_for(uscc), Supervision)
    if found is None:
        found = Supervision(uscc=uscc, actor=actor)
        work.add(found)
    return found


def claim_supervision(event: AffiliateRelationship.Established, work: Workspace) -> None:
    if event.organization.uscc is None:  # being founded: claimed when registered
        return
    actor = work.actor.acting_for(POLICY)
    supervision(work, event.organization.uscc, actor).claim(
        event.originator_id, event.hub_id, actor
    )


def claim_supervision_of_registered(
    event: AffiliateRelationship.Registered, work: Workspace
) -> None:
    """A registered organization's supervision, claimed by its new credit code (409 if
    another hub already supervises that code: the registration is then not recorded)."""
    affiliation = work.get(event.originator_id, AffiliateRelationship)
    actor = work.actor.acting_for(POLICY)
    supervision(work, event.uscc, actor).claim(affiliation.id, affiliation.hub_id, actor)


def move_supervision(event: AffiliateRelationship.Transferred, work: Workspace) -> None:
    affiliation = work.get(event.originator_id, AffiliateRelationship)
    if affiliation.organization.uscc is None:
        return
    actor = work.actor.acting_for(POLICY)
    held = supervision(work, affiliation.organization.uscc, actor)
    if held.affiliation_id == affiliation.id:
        held.move(affiliation.id, event.to_hub_id, actor)
    else:  # released when the old hub was revoked: claim it again, if no one else has
        held.claim(affiliation.id, event.to_hub_id, actor)


def release_supervision(
    event: AffiliateRelationship.Ended | AffiliateRelationship.SupervisorLost, work: Workspace
) -> None:
    affiliation = work.get(event.originator_id, AffiliateRelationship)
    if affiliation.organization.uscc is None:
        return
    actor = work.actor.acting_for(POLICY)
    supervision(work, affiliation.organization.uscc, actor).release(affiliation.id, actor)
