"""What a policy sees: the unit of work of the command whose events it reacts to."""

from __future__ import annotations

from typing import Protocol, TypeVar
from uuid import UUID

from shuniu.aggregates.base import Actor, Aggregate

A = TypeVar("A", bound=Aggregate)


class Workspace(Protocol):
    """The aggregates of one command, saved together in one transaction."""

    actor: Actor

    def get(self, aggregate_id: UUID, cls: type[A]) -> A:
        """The aggregate, loaded once per unit of work; NotFound if absent."""
        ...

    def find(self, aggregate_id: UUID, cls: type[A]) -> A | None:
        """The aggregate, or None when no such aggregate has been recorded."""
        ...

    def add(self, aggregate: Aggregate) -> None:
        """Save this (new) aggregate with the rest."""
        ...
