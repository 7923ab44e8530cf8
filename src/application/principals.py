"""Commands and lookups of API principals."""

from __future__ import annotations

from uuid import UUID

from shuniu.aggregates.base import Role
from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.principal import Principal, new_token, token_digest
from shuniu.application.commands import CommandContext, Outcome
from shuniu.application.service import EventLog
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import APPLICATION_NAME


class PrincipalCommands(EventLog):
    name = APPLICATION_NAME

    def create_principal(
        self,
        ctx: CommandContext,
        name: str,
        role: Role,
        jurisdiction: str,
        hub_id: UUID | None,
    ) -> tuple[Outcome, str | None]:
        """The new principal and its token (None when an Idempotency-Key replays)."""
        token = new_token()

        def create(work: UnitOfWork) -> Principal:
            if (role == "hub") != (hub_id is not None):
                raise InvalidCommand("hub_id is required for the hub role, and only for it")
            if hub_id is not None:
                hub = work.find(hub_id, HubOrganization)
                if hub is None:
                    raise InvalidCommand(f"no hub with id {hub_id}")
                if hub.jurisdiction != jurisdiction:
                    raise InvalidCommand("a hub's principal has the hub's jurisdiction")
            principal = Principal(
                name=name,
                role=role,
                jurisdiction=jurisdiction,
                hub_id=hub_id,
                token_sha256=token_digest(token),
                actor=work.actor,
            )
            work.add(principal)
            return principal

        outcome = self.execute(ctx, create, creates=True)
        return outcome, None if outcome.replayed else token

    def revoke_principal(self, ctx: CommandContext, principal_id: UUID) -> Outcome:
        def revoke(work: UnitOfWork) -> Principal:
            principal = work.get(principal_id, Principal)
            principal.revoke(actor=work.actor)
            return principal

        return self.execute(ctx, revoke)

    def authenticate(self, token_sha256: str) -> Principal | None:
        """The active principal whose token has this SHA-256 digest, if any."""
        principal = self.find(Principal.create_id(token_sha256), Principal)
        return None if principal is None or principal.revoked else principal
