"""Designation: an approved application leads to exactly one designated hub (Art. 6).

Runs inside the approval's unit of work: the application's ``Approved``, the
field seat's ``Claimed`` and the hub's ``Designated`` are saved in one
transaction. The hub's id is derived from the application's id, so even a
re-run of this policy can never create a second hub: the event store refuses
a second ``Designated`` at version 1 of the same stream.
"""

from __future__ import annotations

from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.aggregates.field_seat import FieldSeat, seat_id_for
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.policies.base import Workspace

POLICY = "designation"


def designate_hub(event: DesignationApplication.Approved, work: Workspace) -> None:
    if work.find(event.hub_id, HubOrganization) is not None:
        return
    application = work.get(event.originator_id, DesignationApplication)
    actor = work.actor.acting_for(POLICY)
    seat_id = seat_id_for(application.jurisdiction, application.field)
    seat = work.find(seat_id, FieldSeat)
    if seat is None:
        seat = FieldSeat(
            jurisdiction=application.jurisdiction, field=application.field, actor=actor
        )
        work.add(seat)
    seat.claim(hub_id=event.hub_id, actor=actor)
    work.add(
        HubOrganization(
            application_id=application.id,
            name=application.organization.name,
            uscc=application.organization.uscc,
            kind=application.organization.kind,
            field=application.field,
            jurisdiction=application.jurisdiction,
            decision_ref=event.decision_ref,
            seat_id=seat.id,
            actor=actor,
        )
    )
