"""Commands of API principals (the admin's) and their handlers."""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from shuniu.aggregates.base import Role
from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.principal import Principal, new_token, token_digest
from shuniu.commands.base import Command, Work
from shuniu.commands.fields import Jurisdiction, Name


class CreatePrincipal(Command):
    """A new principal; its token is in this answer only (the store keeps its SHA-256)."""

    creates: ClassVar[bool] = True
    name: Name
    role: Role
    jurisdiction: Jurisdiction
    hub_id: UUID | None = None


class RevokePrincipal(Command):
    """Later requests with its token are 401."""

    path: ClassVar[tuple[str, ...]] = ("principal_id",)
    principal_id: UUID


def create_principal(c: CreatePrincipal, work: Work) -> Principal:
    if (c.role == "hub") != (c.hub_id is not None):
        raise InvalidCommand("hub_id is required for the hub role, and only for it")
    if c.hub_id is not None:
        hub = work.find(c.hub_id, HubOrganization)
        if hub is None:
            raise InvalidCommand(f"no hub with id {c.hub_id}")
        if hub.jurisdiction != c.jurisdiction:
            raise InvalidCommand("a hub's principal has the hub's jurisdiction")
    token = new_token()
    principal = Principal(
        name=c.name,
        role=c.role,
        jurisdiction=c.jurisdiction,
        hub_id=c.hub_id,
        token_sha256=token_digest(token),
        actor=work.actor,
    )
    work.add(principal)
    work.reveal("token", token)
    return principal


def revoke_principal(c: RevokePrincipal, work: Work) -> Principal:
    principal = work.get(c.principal_id, Principal)
    principal.revoke(work.actor)
    return principal
