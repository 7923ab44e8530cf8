"""API principals: created and revoked by the admin."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel

from shuniu.aggregates.base import Jurisdiction, Role
from shuniu.aggregates.principal import Principal
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute

router = APIRouter(prefix="/v1/principals", tags=["principals"], route_class=OneHopRoute)


class CreatePrincipal(Body):
    name: Name
    role: Role
    jurisdiction: Jurisdiction
    hub_id: UUID | None = None


class PrincipalState(BaseModel):
    id: UUID
    version: int
    name: str
    role: Role
    jurisdiction: str
    hub_id: UUID | None
    revoked: bool
    token: str | None = None

    @classmethod
    def of(cls, p: Principal, token: str | None = None) -> PrincipalState:
        return cls(
            id=p.id,
            version=p.version,
            name=p.name,
            role=p.role,
            jurisdiction=p.jurisdiction,
            hub_id=p.hub_id,
            revoked=p.revoked,
            token=token,
        )


@router.post("", status_code=201)
def create(
    body: CreatePrincipal, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> PrincipalState:
    """The token is in this answer only; the store keeps its SHA-256 digest.

    A replay of the same Idempotency-Key answers the principal without its
    token (``token: null``): the token was shown once and is not kept.
    """
    caller.require_role("admin")
    outcome, token = app.create_principal(ctx, body.name, body.role, body.jurisdiction, body.hub_id)
    command_answer(response, outcome, location=f"/v1/principals/{outcome.aggregate.id}")
    assert isinstance(outcome.aggregate, Principal)
    return PrincipalState.of(outcome.aggregate, token)


@router.delete("/{principal_id}")
def revoke(
    principal_id: UUID, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> PrincipalState:
    caller.require_role("admin")
    outcome = app.revoke_principal(ctx, principal_id)
    command_answer(response, outcome)
    assert isinstance(outcome.aggregate, Principal)
    return PrincipalState.of(outcome.aggregate)


@router.get("/{principal_id}")
def read(principal_id: UUID, app: App, caller: CurrentCaller, response: Response) -> PrincipalState:
    if caller.id != principal_id:
        caller.require_role("admin")
    principal = app.get(principal_id, Principal)
    state_answer(response, principal.version)
    return PrincipalState.of(principal)
