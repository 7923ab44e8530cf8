"""FastAPI dependencies: the application, the caller, read waits."""

from __future__ import annotations

import asyncio
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.principal import token_digest
from shuniu.api.authentication import ADMIN, PrincipalCache
from shuniu.api.metrics import Metrics
from shuniu.api.problems import NotReady
from shuniu.api.responses import MAX_POSITION
from shuniu.api.routing import in_thread
from shuniu.application import Shuniu
from shuniu.commands.access import Caller, Unauthenticated
from shuniu.projections import stalls
from shuniu.projections.runner import Progress
from shuniu.projections.stalls import Stall
from shuniu.settings import APPLICATION_NAME, Settings


@dataclass
class Services:
    """What the routes share: built once when the API starts."""

    settings: Settings
    app: Shuniu
    views: dict[str, Any]
    workers: list[Any] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    progress: Progress | None = None
    """How far this process's own projections are; None when they run elsewhere."""
    principals: PrincipalCache = field(init=False)

    def __post_init__(self) -> None:
        self.principals = PrincipalCache(self.app, remember=self.settings.api_processes == 1)

    def stalls(self) -> list[Stall]:
        """Read models stopped at an event they cannot apply, in any process."""
        return stalls.stalls(next(iter(self.views.values())))

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


async def caller_of(request: Request, s: Services) -> Caller:
    """The principal of the request's ``Authorization: Bearer <token>`` (401 without one).

    A principal seen before is answered from memory, without a thread-pool
    hop or a store read (``PrincipalCache``); only a token not seen yet in
    this process is looked up in the event store.
    """
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send Authorization: Bearer <token>")
    digest = token_digest(token.strip())
    caller = s.admin_caller(digest) or s.principals.get(digest)
    if caller is None:
        caller = await in_thread(partial(s.principals.load, digest))
    if caller is None:
        raise Unauthenticated("this token is unknown or revoked")
    request.state.principal = caller
    return caller


async def authenticate(
    request: Request,
    s: ServicesDep,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The caller, for a route's dependencies (``bearer`` documents the scheme in OpenAPI)."""
    return await caller_of(request, s)


CurrentCaller = Annotated[Caller, Depends(authenticate)]


def read_after(*view_names: str) -> Any:
    """A dependency: with ``X-Min-Position: n``, wait until these read models reach n.

    It depends on the caller, so a request without a valid token is refused
    (401) before it waits. Position 0 precedes every event: no wait. A
    position beyond the log's head is refused at once (422): no client can
    hold a position the log has not reached. The wait holds no thread: with
    the projections in this process it awaits their progress; without, it
    polls the read models' positions, a short query at a time.
    """

    def reached(s: Services, position: int) -> bool:
        return all(s.views[name].has_tracking_id(APPLICATION_NAME, position) for name in view_names)

    async def wait(
        s: ServicesDep,
        _: CurrentCaller,
        x_min_position: Annotated[int | None, Header(ge=0, le=MAX_POSITION)] = None,
    ) -> None:
        if not x_min_position:
            return
        progress = s.progress
        if progress is not None and x_min_position <= progress.position:
            return
        head = await in_thread(s.app.last_position)
        if x_min_position > head:
            raise InvalidCommand(
                f"X-Min-Position {x_min_position} is beyond the log's last position, {head}"
            )
        timeout = s.settings.min_position_timeout
        stall = progress.stall_before(view_names, x_min_position) if progress else None
        if stall is not None:
            raise NotReady(
                f"the {stall.name} read model stopped at position {stall.position}, an event "
                f"it cannot apply ({stall.error}); a person decides with shuniu projections skip"
            )
        if progress is not None:
            done = await progress.reached(x_min_position, timeout)
        else:
            done = await _poll(lambda: reached(s, x_min_position), timeout)
        if not done:
            names = ", ".join(view_names)
            raise NotReady(f"the {names} read model has not reached position {x_min_position} yet")

    return Depends(wait)


async def _poll(check: Callable[[], bool], timeout: float) -> bool:
    """``check`` (blocking, short) in the thread pool, 2 ms apart doubling to 50 ms, until
    it holds or ``timeout`` passes; between checks no thread is held."""
    deadline = time.monotonic() + timeout
    interval = 0.002
    while True:
        if await in_thread(check):
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        await asyncio.sleep(min(interval, remaining))
        interval = min(interval * 2, 0.05)
