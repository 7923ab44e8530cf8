"""Supervision: one organization has at most one active supervising hub (Art. 8(2)).

Its id is uuid5 of the organization's credit code, so two affiliations racing
for one organization write the same stream at the same version and the event
store refuses the second, as ``FieldSeat`` does for fields.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate
from shuniu.aggregates.errors import StateConflict, UniquenessConflict

SUPERVISION_NAMESPACE = UUID("4f6b8d0a-2c4e-4a6b-9d8f-1e3a5c7b9d06")


def supervision_id_for(uscc: str) -> UUID:
    return uuid5(SUPERVISION_NAMESPACE, uscc.upper())


class Supervision(Aggregate):
    @staticmethod
    def create_id(uscc: str, **_: object) -> UUID:
        return supervision_id_for(uscc)

    @event("Opened")
    def __init__(self, uscc: str, actor: Actor) -> None:
        self.uscc = uscc
        self.affiliation_id: UUID | None = None
        self.hub_id: UUID | None = None

    def claim(self, affiliation_id: UUID, hub_id: UUID, actor: Actor) -> None:
        if self.affiliation_id is not None:
            raise UniquenessConflict(
                f"the organization {self.uscc} already has an active supervising hub "
                f"({self.hub_id}, affiliation {self.affiliation_id})"
            )
        self._claimed(affiliation_id=affiliation_id, hub_id=hub_id, actor=actor)

    def move(self, affiliation_id: UUID, hub_id: UUID, actor: Actor) -> None:
        self._require_held_by(affiliation_id)
        self._moved(hub_id=hub_id, actor=actor)

    def release(self, affiliation_id: UUID, actor: Actor) -> None:
        if self.affiliation_id == affiliation_id:
            self._released(affiliation_id=affiliation_id, actor=actor)

    def _require_held_by(self, affiliation_id: UUID) -> None:
        if self.affiliation_id != affiliation_id:
            raise StateConflict(f"affiliation {affiliation_id} does not hold {self.uscc}")

    @event("Claimed")
    def _claimed(self, affiliation_id: UUID, hub_id: UUID, actor: Actor) -> None:
        self.affiliation_id = affiliation_id
        self.hub_id = hub_id

    @event("Moved")
    def _moved(self, hub_id: UUID, actor: Actor) -> None:
        self.hub_id = hub_id

    @event("Released")
    def _released(self, affiliation_id: UUID, actor: Actor) -> None:
        self.affiliation_id = None
        self.hub_id = None
