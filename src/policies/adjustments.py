"""What an approved adjustment (Art. 7) changes beyond the hub itself.

Revocation runs ``REVOCATION_CASCADE``: each handler is one consequence of a
hub's revocation (its seat, affiliates, action items, funding); a new
consequence is one more handler in that tuple.
"""

from __future__ import annotations

from collections.abc import Callable

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.field_seat import FieldSeat, seat_id_for
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.policies.action_items import flag_action_items_of_revoked_hub
from shuniu.policies.base import Workspace
from shuniu.policies.funding import freeze_funding_of_revoked_hub
from shuniu.policies.rosters import members

POLICY = "adjustment"
CASCADE = "revocation-cascade"

Approved = HubOrganization.AdjustmentApproved


def move_field_seat(event: Approved, work: Workspace) -> None:
    """A change of field releases the old seat and claims the new one (409 if occupied)."""
    if event.action != "change_field" or event.new_field is None:
        return
    hub = work.get(event.originator_id, HubOrganization)
    actor = work.actor.acting_for(POLICY)
    work.get(seat_id_for(hub.jurisdiction, event.previous_field), FieldSeat).release(hub.id, actor)
    seat = work.find(seat_id_for(hub.jurisdiction, event.new_field), FieldSeat)
    if seat is None:
        seat = FieldSeat(jurisdiction=hub.jurisdiction, field=event.new_field, actor=actor)
        work.add(seat)
    seat.claim(hub.id, actor)


def release_field_seat(event: Approved, work: Workspace) -> None:
    """Revocation frees the field, so another hub can be designated for it."""
    hub = work.get(event.originator_id, HubOrganization)
    seat = work.find(hub.seat_id, FieldSeat)
    if seat is not None and seat.hub_id == hub.id:
        seat.release(hub.id, work.actor.acting_for(CASCADE))


def orphan_affiliates(event: Approved, work: Workspace) -> None:
    """The revoked hub's active affiliates need a new supervisor (they keep its hub_id)."""
    actor = work.actor.acting_for(CASCADE)
    for affiliation_id in members(work, "active-affiliates", str(event.originator_id)):
        work.get(affiliation_id, AffiliateRelationship).lose_supervisor(actor)


REVOCATION_CASCADE: tuple[Callable[[Approved, Workspace], None], ...] = (
    release_field_seat,
    orphan_affiliates,
    flag_action_items_of_revoked_hub,
    freeze_funding_of_revoked_hub,
)


def cascade_revocation(event: Approved, work: Workspace) -> None:
    if event.action == "revoke":
        for consequence in REVOCATION_CASCADE:
            consequence(event, work)
