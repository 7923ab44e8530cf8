"""API principals: created and revoked by the admin."""

from __future__ import annotations

from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.base import Role
from shuniu.aggregates.principal import Principal
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import principals

router = CommandRouter(prefix="/v1/principals", tags=["principals"])


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


def answer(outcome: Outcome) -> PrincipalState:
    """The token is in the creation's answer only; the store keeps its SHA-256 digest.

    A replay of the same Idempotency-Key answers the principal without its
    token (``token: null``): the token was shown once and is not kept.
    """
    assert isinstance(outcome.aggregate, Principal)
    return PrincipalState.of(outcome.aggregate, outcome.revealed.get("token"))


router.command("", principals.CreatePrincipal, answer)
router.command("/{principal_id}", principals.RevokePrincipal, answer, method="DELETE")


@router.get("/{principal_id}")
def read(principal_id: UUID, app: App, caller: CurrentCaller, response: Response) -> PrincipalState:
    if caller.id != principal_id:
        caller.require_role("admin")
    principal = app.get(principal_id, Principal)
    state_answer(response, principal.version)
    return PrincipalState.of(principal)
