"""Who may do what: role, jurisdiction and own-hub checks, all in one place."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shuniu.aggregates.base import MUNICIPALITY, Role
from shuniu.aggregates.errors import ShuniuError

READERS_OF_EVERY_DISTRICT: frozenset[Role] = frozenset({"auditor", "analyst"})


class Forbidden(ShuniuError):
    """Who you are may not do this: role, jurisdiction or hub (403)."""


class Unauthenticated(ShuniuError):
    """No token, or a token that names no active principal (401)."""


@dataclass(frozen=True)
class Caller:
    id: UUID
    name: str
    role: Role
    jurisdiction: str
    hub_id: UUID | None = None

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(f"the {self.role} role may not do this (allowed: {', '.join(roles)})")

    def require_jurisdiction(self, jurisdiction: str) -> None:
        """Commands: a principal acts only inside its own jurisdiction (Art. 19)."""
        if jurisdiction != self.jurisdiction:
            raise Forbidden(
                f"a principal of jurisdiction {self.jurisdiction} may not act in {jurisdiction}"
            )

    def require_hub(self, hub_id: UUID) -> None:
        """A hub principal acts for its own hub only; other roles are checked by role."""
        if self.role == "hub" and self.hub_id != hub_id:
            raise Forbidden("a hub principal may act for its own hub only")

    @property
    def readable_jurisdictions(self) -> list[str] | None:
        """Jurisdictions whose reads are open to this principal; None means all.

        A municipal auditor or analyst reads its districts too (SPEC.md); the
        admin operates the whole system.
        """
        if self.role == "admin":
            return None
        if self.role in READERS_OF_EVERY_DISTRICT and self.jurisdiction == MUNICIPALITY:
            return None
        return [self.jurisdiction]

    def require_readable(self, jurisdiction: str) -> None:
        readable = self.readable_jurisdictions
        if readable is not None and jurisdiction not in readable:
            raise Forbidden(f"a principal of {self.jurisdiction} may not read {jurisdiction}")
