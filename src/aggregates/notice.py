"""Notice: an important matter the office or Leading Group issues to hubs (Art. 12, 13).

Each addressed hub records it as received (the fan-out policy), acknowledges
it, and may relay it once to all its active affiliates (the relay policy
records it on each affiliate's stream).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction, Value
from shuniu.aggregates.errors import StateConflict

NoticeCategory = Literal["plan", "policy", "news", "other"]
"""What the notice is about (Art. 12): the city's plans, policies and developments (动态),
or anything else."""


class Acknowledgement(Value):
    hub_id: UUID
    at: datetime


class Relay(Value):
    hub_id: UUID
    note: str | None
    affiliate_ids: list[UUID]
    at: datetime


class Notice(Aggregate):
    class_version = 2
    """2: ``category``; ``upcast_v1_v2`` gives a version 1 snapshot's notice ``other``."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["category"] = "other"

    class Issued(Aggregate.Created):
        title: str
        body: str
        jurisdiction: Jurisdiction
        hub_ids: list[UUID]
        category: NoticeCategory = "other"

    @event(Issued)
    def __init__(
        self,
        title: str,
        body: str,
        jurisdiction: Jurisdiction,
        hub_ids: list[UUID],
        actor: Actor,
        category: NoticeCategory = "other",
    ) -> None:
        self.title = title
        self.body = body
        self.jurisdiction = jurisdiction
        self.hub_ids = hub_ids
        self.category: NoticeCategory = category
        self.issued_by = actor.principal_id
        self.issued_at: datetime = self.created_on
        self.acknowledgements: list[Acknowledgement] = []
        self.relays: list[Relay] = []

    def _require_addressed(self, hub_id: UUID) -> None:
        if hub_id not in self.hub_ids:
            raise StateConflict(f"the notice was not addressed to hub {hub_id}")

    def acknowledge(self, hub_id: UUID, actor: Actor) -> None:
        self._require_addressed(hub_id)
        if any(a.hub_id == hub_id for a in self.acknowledgements):
            raise StateConflict(f"hub {hub_id} has already acknowledged this notice")
        self.trigger_event(self.Acknowledged, hub_id=hub_id, actor=actor)

    def relay(
        self, hub_id: UUID, note: str | None, affiliate_ids: list[UUID], actor: Actor
    ) -> None:
        self._require_addressed(hub_id)
        if any(r.hub_id == hub_id for r in self.relays):
            raise StateConflict(f"hub {hub_id} has already relayed this notice")
        self.trigger_event(
            self.Relayed, hub_id=hub_id, note=note, affiliate_ids=affiliate_ids, actor=actor
        )

    class Acknowledged(Aggregate.Event):
        hub_id: UUID

        def apply(self, notice: Notice) -> None:
            notice.acknowledgements.append(
                Acknowledgement(hub_id=self.hub_id, at=self.timestamp),
            )

    class Relayed(Aggregate.Event):
        hub_id: UUID
        note: str | None
        affiliate_ids: list[UUID]

        def apply(self, notice: Notice) -> None:
            notice.relays.append(
                Relay(
                    hub_id=self.hub_id,
                    note=self.note,
                    affiliate_ids=self.affiliate_ids,
                    at=self.timestamp,
                ),
            )
