"""FastAPI dependencies: the application, the caller, read waits."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from shuniu.aggregates.principal import token_digest
from shuniu.api.authentication import ADMIN, PrincipalCache
from shuniu.api.metrics import Metrics
from shuniu.api.problems import NotReady
from shuniu.api.responses import MAX_POSITION
from shuniu.application import Shuniu
from shuniu.commands.access import Caller, Unauthenticated
from shuniu.settings import APPLICATION_NAME, Settings


@dataclass
class Services:
    """What the routes share: built once when the API starts."""

    settings: Settings
    app: Shuniu
    views: dict[str, Any]
    workers: list[Any] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    principals: PrincipalCache = field(init=False)

    def __post_init__(self) -> None:
        self.principals = PrincipalCache(self.app, remember=self.settings.api_processes == 1)

    def positions(self) -> dict[str, int]:
        """How far each read model has applied the log."""
        return {
            name: view.max_tracking_id(APPLICATION_NAME) or 0 for name, view in self.views.items()
        }

    @cached_property
    def admin_digest(self) -> str | None:
        token = self.settings.admin_token
        return token_digest(token.get_secret_value()) if token is not None else None

    def admin_caller(self, digest: str) -> Caller | None:
        """The admin, if the digest is SHUNIU_ADMIN_TOKEN's."""
        admin = self.admin_digest
        if admin is None or not hmac.compare_digest(digest, admin):
            return None
        return ADMIN


async def services(request: Request) -> Services:
    """``async`` only because it does not block: FastAPI then runs it without a thread hop."""
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]


async def application(s: ServicesDep) -> Shuniu:
    return s.app


App = Annotated[Shuniu, Depends(application)]

bearer = HTTPBearer(auto_error=False, description="a token from POST /v1/principals")


async def authenticate(
    request: Request,
    s: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The principal of the request's token (401 without one).

    ``async``: a principal seen before is answered from memory, without a
    thread-pool hop or a store read (``PrincipalCache``); only a token not
    seen yet in this process is looked up in the event store.
    """
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send Authorization: Bearer <token>")
    digest = token_digest(credentials.credentials)
    caller = s.admin_caller(digest)
    if caller is None:
        caller = s.principals.get(digest)
    if caller is None:
        caller = await run_in_threadpool(s.principals.load, digest)
    if caller is None:
        raise Unauthenticated("this token is unknown or revoked")
    request.state.principal = caller
    return caller


CurrentCaller = Annotated[Caller, Depends(authenticate)]


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
