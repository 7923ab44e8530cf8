"""What the API hands the application with every command, and what it answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from shuniu.aggregates.base import Actor, Aggregate
from shuniu.commands.access import Caller


@dataclass(frozen=True)
class CommandContext:
    """Who asks, under which command id, with which Idempotency-Key and If-Match.

    ``caller`` is the authenticated principal, checked against the command's
    row of ``WHO_MAY``; None only for the system itself (the command line,
    the data generator, tests of the domain). ``if_match`` is the version the
    command's target must be at.
    """

    actor: Actor
    caller: Caller | None = None
    fingerprint: str = ""
    if_match: int | None = None

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
    revealed: dict[str, str] = field(default_factory=dict)
    """Values in this answer only, never in the log (a new principal's token)."""
