"""Principal: an API client's identity, role and jurisdiction, and its token.

The token itself is never stored: only its SHA-256 digest. The principal's id
is uuid5 of that digest, so authenticating a request is one lookup by id in
the event store, with no read model that could lag behind (a principal
created a moment ago can call at once, even with projections stopped).
Tokens are 256 random bits, so an unsalted digest is not guessable.
"""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID, uuid5

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction, Role
from shuniu.aggregates.errors import StateConflict

PRINCIPAL_NAMESPACE = UUID("7d1c9e42-3b6a-4f8e-a0d5-9c2e4f6b8a03")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Principal(Aggregate):
    @staticmethod
    def create_id(token_sha256: str, **_: object) -> UUID:
        return uuid5(PRINCIPAL_NAMESPACE, token_sha256)

    @event("Created")
    def __init__(
        self,
        name: str,
        role: Role,
        jurisdiction: Jurisdiction,
        hub_id: UUID | None,
        token_sha256: str,
        actor: Actor,
    ) -> None:
        self.name = name
        self.role = role
        self.jurisdiction = jurisdiction
        self.hub_id = hub_id
        self.token_sha256 = token_sha256
        self.revoked = False

    def revoke(self, actor: Actor) -> None:
        if self.revoked:
            raise StateConflict("this principal is already revoked")
        self.trigger_event(self.Revoked, actor=actor)

    class Revoked(Aggregate.Event):
        def apply(self, principal: Principal) -> None:
            principal.revoked = True
