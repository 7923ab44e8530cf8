"""FieldSeat: at most one active hub per field per jurisdiction (Art. 2).

The seat's id is uuid5(jurisdiction, field), so two approvals racing for one
seat write the same stream at the same version: the event store's own
uniqueness rule refuses the second, not a check-then-write in our code.
"""

from __future__ import annotations

import unicodedata
from uuid import UUID, uuid5

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction
from shuniu.aggregates.errors import StateConflict, UniquenessConflict

SEAT_NAMESPACE = UUID("0f5a8d3c-6a1e-4c5e-8f0b-2d7e9c4b1a02")


def field_key(field: str) -> str:
    """Fields compare without regard to case, width or spacing."""
    return " ".join(unicodedata.normalize("NFKC", field).casefold().split())


def seat_id_for(jurisdiction: str, field: str) -> UUID:
    return uuid5(SEAT_NAMESPACE, f"{jurisdiction}:{field_key(field)}")


class FieldSeat(Aggregate):
    @staticmethod
    def create_id(jurisdiction: str, field: str, **_: object) -> UUID:
        return seat_id_for(jurisdiction, field)

    @event("Opened")
    def __init__(self, jurisdiction: Jurisdiction, field: str, actor: Actor) -> None:
        self.jurisdiction = jurisdiction
        self.field = field
        self.hub_id: UUID | None = None

    def claim(self, hub_id: UUID, actor: Actor) -> None:
        if self.hub_id is not None:
            raise UniquenessConflict(
                f"the field {self.field!r} of jurisdiction {self.jurisdiction} "
                f"already has an active hub ({self.hub_id})"
            )
        self._claimed(hub_id=hub_id, actor=actor)

    def release(self, hub_id: UUID, actor: Actor) -> None:
        if self.hub_id != hub_id:
            raise StateConflict(f"hub {hub_id} does not hold the seat of {self.field!r}")
        self._released(hub_id=hub_id, actor=actor)

    @event("Claimed")
    def _claimed(self, hub_id: UUID, actor: Actor) -> None:
        self.hub_id = hub_id

    @event("Released")
    def _released(self, hub_id: UUID, actor: Actor) -> None:
        self.hub_id = None
