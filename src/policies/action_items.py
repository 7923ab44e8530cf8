"""Action items of joint meetings (Art. 11) and their owner hubs.

Each hub has a roster of the meetings where it owns open action items, kept
exact as items are assigned, completed and flagged, so that the revocation
cascade finds them in the event store.
"""

from __future__ import annotations

from uuid import UUID

from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import JointMeeting
from shuniu.policies.base import Workspace
from shuniu.policies.rosters import members, roster

POLICY = "action-items"
CASCADE = "revocation-cascade"
KIND = "meetings-with-open-action-items"


def follow_assignment(event: JointMeeting.ActionItemAssigned, work: Workspace) -> None:
    actor = work.actor.acting_for(POLICY)
    roster(work, KIND, str(event.owner_hub_id), actor).add(event.originator_id, actor)


def follow_closing(
    event: JointMeeting.ActionItemCompleted | JointMeeting.ActionItemFlagged, work: Workspace
) -> None:
    meeting = work.get(event.originator_id, JointMeeting)
    owner: UUID = meeting.action_item(event.action_item_id).owner_hub_id
    if not meeting.open_items_of(owner):
        actor = work.actor.acting_for(POLICY)
        roster(work, KIND, str(owner), actor).remove(meeting.id, actor)


def flag_action_items_of_revoked_hub(
    event: HubOrganization.AdjustmentApproved, work: Workspace
) -> None:
    """Revocation cascade: the revoked hub's open action items become ``flagged``."""
    hub_id = event.originator_id
    actor = work.actor.acting_for(CASCADE)
    reason = f"owner hub revoked ({event.decision_ref})"
    for meeting_id in members(work, KIND, str(hub_id)):
        work.get(meeting_id, JointMeeting).flag_open_items_of(hub_id, reason, actor)
