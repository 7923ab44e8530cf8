"""One command's aggregates, its policies' reactions, saved in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from shuniu.aggregates.base import Actor, Aggregate
from shuniu.aggregates.errors import NotFound, PreconditionFailed
from shuniu.commands.access import Caller, Rule, rule_for
from shuniu.commands.base import Command
from shuniu.policies import handlers_for

if TYPE_CHECKING:
    from eventsourcing.application import Application

A = TypeVar("A", bound=Aggregate)

MAX_POLICY_ROUNDS = 16


@dataclass(frozen=True)
class Guard:
    """What a command must pass against the aggregates its unit of work loads.

    ``caller`` is checked against the command's row of ``WHO_MAY``: the role
    and the ids it names before anything is loaded, then the aggregate its
    reach is about when that is loaded (in the same unit of work that acts
    on it, so nothing changes between the check and the act). ``if_match``
    is the version the command's target must be at when loaded (412).
    Without a caller (the command line, the data generator, tests of the
    domain), only If-Match applies: those callers are the system itself.
    """

    command: Command
    caller: Caller | None = None
    if_match: int | None = None
    checked: list[UUID] = field(default_factory=list)

    @property
    def rule(self) -> Rule | None:
        return rule_for(self.command) if self.caller is not None else None

    def before(self) -> None:
        rule = self.rule
        if rule is not None and self.caller is not None:
            rule.before(self.caller, self.command)

    def loaded(self, aggregate: Aggregate) -> None:
        rule = self.rule
        if (
            rule is not None
            and self.caller is not None
            and rule.about(self.command) == aggregate.id
        ):
            rule.loaded(self.caller, self.command, aggregate)
            self.checked.append(aggregate.id)
        target = self.command.target_id == aggregate.id
        if self.if_match is not None and target and aggregate.version != self.if_match:
            raise PreconditionFailed(
                f"If-Match names version {self.if_match}, "
                f"the {_kind(type(aggregate))} is at version {aggregate.version}"
            )

    def require_checked(self) -> None:
        """After the handler: the aggregate the caller's reach is about was loaded, and
        so checked (a handler that never loads it would act unchecked)."""
        rule = self.rule
        about = rule.about(self.command) if rule is not None else None
        if about is not None and about not in self.checked:
            msg = f"{type(self.command).__name__}'s handler never loaded {about}: unchecked"
            raise RuntimeError(msg)


class UnitOfWork:
    """Loads each aggregate once, runs policies until they are quiet, lists what to save."""

    def __init__(self, app: Application[UUID], actor: Actor, guard: Guard | None = None) -> None:
        self.app = app
        self.actor = actor
        self.guard = guard
        self.revealed: dict[str, str] = {}
        self._aggregates: dict[UUID, Aggregate] = {}
        self._reacted_to: set[tuple[UUID, int]] = set()
        if guard is not None:
            guard.before()

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
            if self.guard is not None and isinstance(aggregate, cls):
                self.guard.loaded(aggregate)
            self._aggregates[aggregate_id] = aggregate
        if not isinstance(aggregate, cls):
            return None
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        self._aggregates[aggregate.id] = aggregate

    def reveal(self, name: str, value: str) -> None:
        self.revealed[name] = value

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
