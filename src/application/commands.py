"""What the API hands the application with every command."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shuniu.aggregates.base import Actor, Aggregate


@dataclass(frozen=True)
class CommandContext:
    """Who asks, under which command id, with which Idempotency-Key and If-Match."""

    actor: Actor
    fingerprint: str = ""
    if_match: tuple[UUID, int] | None = None

    @property
    def idempotency_key(self) -> str | None:
        return self.actor.idempotency_key


@dataclass(frozen=True)
class Outcome:
    """A command's answer: the aggregate its path names, and where its save ended."""

    aggregate: Aggregate
    position: int
    created: bool = False
    replayed: bool = False
