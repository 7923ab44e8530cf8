"""FastAPI dependencies: the application, the caller, command context, read waits."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any
from uuid import UUID, uuid5

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from shuniu.aggregates.base import MUNICIPALITY, Actor
from shuniu.aggregates.errors import PreconditionFailed
from shuniu.aggregates.principal import PRINCIPAL_NAMESPACE, token_digest
from shuniu.api.access import Caller, Unauthenticated
from shuniu.api.metrics import Metrics
from shuniu.api.problems import NotReady
from shuniu.api.responses import MAX_POSITION
from shuniu.application import CommandContext, Shuniu
from shuniu.application.persistence import canonical_json
from shuniu.settings import APPLICATION_NAME, Settings


@dataclass
class Services:
    """What the routes share: built once when the API starts."""

    settings: Settings
    app: Shuniu
    views: dict[str, Any]
    workers: list[Any] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)

    def positions(self) -> dict[str, int]:
        """How far each read model has applied the log."""
        return {
            name: view.max_tracking_id(APPLICATION_NAME) or 0 for name, view in self.views.items()
        }

    @cached_property
    def admin_digest(self) -> str | None:
        token = self.settings.admin_token
        return token_digest(token.get_secret_value()) if token is not None else None


async def services(request: Request) -> Services:
    """``async`` only because it does not block: FastAPI then runs it without a thread hop."""
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


async def application(s: ServicesDep) -> Shuniu:
    return s.app


App = Annotated[Shuniu, Depends(application)]

bearer = HTTPBearer(auto_error=False, description="a token from POST /v1/principals")


def authenticate(
    request: Request,
    s: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send Authorization: Bearer <token>")
    digest = token_digest(credentials.credentials)
    caller: Caller | None = None
    admin = s.admin_digest
    if admin is not None and hmac.compare_digest(digest, admin):
        caller = Caller(
            id=uuid5(PRINCIPAL_NAMESPACE, "admin:" + admin),
            name="admin (SHUNIU_ADMIN_TOKEN)",
            role="admin",
            jurisdiction=MUNICIPALITY,
        )
    else:
        principal = s.app.authenticate(digest)
        if principal is not None:
            caller = Caller(
                id=principal.id,
                name=principal.name,
                role=principal.role,
                jurisdiction=principal.jurisdiction,
                hub_id=principal.hub_id,
            )
    if caller is None:
        raise Unauthenticated("this token is unknown or revoked")
    request.state.principal = caller
    return caller


CurrentCaller = Annotated[Caller, Depends(authenticate)]

_VERSION_TAG = re.compile(r'^\s*(?:W/)?"?(\d+)"?\s*$')


def _expected_version(if_match: str | None, request: Request) -> tuple[UUID, int] | None:
    if if_match is None or if_match.strip() == "*":
        return None
    target = next(iter(request.path_params.values()), None)
    if target is None:
        return None
    matched = _VERSION_TAG.match(if_match)
    if matched is None:
        raise PreconditionFailed(f'If-Match must name one version, as "3"; got {if_match!r}')
    return UUID(str(target)), int(matched.group(1))


async def command_context(
    request: Request,
    caller: CurrentCaller,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
    if_match: Annotated[str | None, Header()] = None,
) -> CommandContext:
    fingerprint = ""
    if idempotency_key is not None:
        body = await request.body()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = body.decode(errors="replace")
        fingerprint = hashlib.sha256(
            canonical_json([request.method, request.url.path, parsed])
        ).hexdigest()
    actor = Actor(
        principal_id=caller.id,
        role=caller.role,
        command_id=request.state.request_id,
        idempotency_key=idempotency_key,
    )
    return CommandContext(
        actor=actor, fingerprint=fingerprint, if_match=_expected_version(if_match, request)
    )


Command = Annotated[CommandContext, Depends(command_context)]


def read_after(*view_names: str) -> Any:
    """A dependency: with ``X-Min-Position: n``, wait until these read models reach n.

    It depends on the caller, so a request without a valid token is refused
    (401) before it waits. Position 0 precedes every event: no wait.
    """

    def wait_for(s: Services, position: int) -> None:
        deadline = time.monotonic() + s.settings.min_position_timeout
        for name in view_names:
            remaining = max(deadline - time.monotonic(), 0.001)
            try:
                s.views[name].wait(APPLICATION_NAME, position, timeout=remaining)
            except TimeoutError:
                raise NotReady(
                    f"the {name} read model has not reached position {position} yet"
                ) from None

    async def wait(
        s: ServicesDep,
        _: CurrentCaller,
        x_min_position: Annotated[int | None, Header(ge=0, le=MAX_POSITION)] = None,
    ) -> None:
        """``async``: a read without the header costs no thread-pool hop; with it,
        the wait (it polls the store) runs in the pool."""
        if x_min_position:
            await run_in_threadpool(wait_for, s, x_min_position)

    return Depends(wait)
