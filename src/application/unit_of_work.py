"""One command's aggregates, its policies' reactions, saved in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shuniu.aggregates.base import Actor, Aggregate
from shuniu.aggregates.errors import NotFound, PreconditionFailed
from shuniu.policies import handlers_for

if TYPE_CHECKING:
    from eventsourcing.application import Application

A = TypeVar("A", bound=Aggregate)

MAX_POLICY_ROUNDS = 16


class UnitOfWork:
    """Loads each aggregate once, runs policies until they are quiet, lists what to save.

    ``expected`` is the ``If-Match`` of the command: the aggregate the path
    names must be at that version when it is loaded.
    """

    def __init__(
        self,
        app: Application[UUID],
        actor: Actor,
        expected: tuple[UUID, int] | None = None,
    ) -> None:
        self.app = app
        self.actor = actor
        self.expected = expected
        self._aggregates: dict[UUID, Aggregate] = {}
        self._reacted_to: set[tuple[UUID, int]] = set()

    def get(self, aggregate_id: UUID, cls: type[A]) -> A:
        found = self.find(aggregate_id, cls)
        if found is None:
            raise NotFound(f"no {_kind(cls)} with id {aggregate_id}")
        return found

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        aggregate = self._aggregates.get(aggregate_id)
        if aggregate is None:
            try:
                aggregate = self.app.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            if (
                self.expected is not None
                and self.expected[0] == aggregate_id
                and aggregate.version != self.expected[1]
            ):
                raise PreconditionFailed(
                    f"If-Match names version {self.expected[1]}, "
                    f"the {_kind(cls)} is at version {aggregate.version}"
                )
            self._aggregates[aggregate_id] = aggregate
        if not isinstance(aggregate, cls):
            return None
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self._aggregates[aggregate.id] = aggregate

    def react(self) -> None:
        """Run every policy on every new event, including events policies record."""
        for _ in range(MAX_POLICY_ROUNDS):
            new = [
                e
                for a in list(self._aggregates.values())
                for e in a.pending_events
                if (e.originator_id, e.originator_version) not in self._reacted_to
            ]
            if not new:
                return
            for event in new:
                self._reacted_to.add((event.originator_id, event.originator_version))
                for handler in handlers_for(event):
                    handler(event, self)
        msg = "policies kept reacting to each other; giving up"
        raise RuntimeError(msg)

    def aggregates(self) -> list[Aggregate]:
        return [a for a in self._aggregates.values() if a.pending_events]


def _kind(cls: type[Aggregate]) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in cls.__name__).strip()
