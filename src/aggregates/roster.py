"""Roster: the members of a set the store must keep exact.

Policies keep two kinds up to date inside the commands that change them:
the active hubs of a jurisdiction (whom a notice addresses by default,
Art. 12) and the active affiliates of a hub (to whom it relays a notice).
Reading a roster from the event store, rather than from a projection, means
a notice never misses a hub designated a moment ago.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate

ROSTER_NAMESPACE = UUID("9a4e2b7c-1d3f-4e8a-b6c5-0f2d8e7a9b05")


def roster_id_for(kind: str, key: str) -> UUID:
    return uuid5(ROSTER_NAMESPACE, f"{kind}:{key}")


def active_hubs_roster(jurisdiction: str) -> UUID:
    return roster_id_for("active-hubs", jurisdiction)


def active_affiliates_roster(hub_id: UUID) -> UUID:
    return roster_id_for("active-affiliates", str(hub_id))


class Roster(Aggregate):
    @staticmethod
    def create_id(kind: str, key: str, **_: object) -> UUID:
        return roster_id_for(kind, key)

    @event("Opened")
    def __init__(self, kind: str, key: str, actor: Actor) -> None:
        self.kind = kind
        self.key = key
        self.members: list[UUID] = []

    def add(self, member: UUID, actor: Actor) -> None:
        if member not in self.members:
            self._joined(member=member, actor=actor)

    def remove(self, member: UUID, actor: Actor) -> None:
        if member in self.members:
            self._left(member=member, actor=actor)

    @event("Joined")
    def _joined(self, member: UUID, actor: Actor) -> None:
        self.members.append(member)

    @event("Left")
    def _left(self, member: UUID, actor: Actor) -> None:
        self.members = [m for m in self.members if m != member]
