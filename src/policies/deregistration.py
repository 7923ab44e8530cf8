"""An approved deregistration review ends the affiliation, in the same save (Art. 8(2)1).

The hub's review is the last step before the registration authority strikes
the organization off; Shuniu takes the approval as the end of the hub's
supervision. The affiliation's ``Ended`` then releases its supervision and
takes it off the hub's roster, as any end does (``supervision.py``,
``rosters.py``).
"""

from __future__ import annotations

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.policies.base import Workspace

POLICY = "deregistration"


def end_deregistered_affiliation(
    event: AffiliateRelationship.RegistrationReviewed, work: Workspace
) -> None:
    if event.matter != "deregistration" or event.opinion != "approve":
        return
    affiliation = work.get(event.originator_id, AffiliateRelationship)
    if affiliation.status == "ended":
        return
    reason = f"deregistration approved in the registration review: {event.notes}"
    affiliation.end(reason, work.actor.acting_for(POLICY))
