"""Routes whose blocking work costs one thread-pool hop, not two.

FastAPI runs a plain ``def`` endpoint in the thread pool, and then validates
and serializes its answer in the thread pool once more. On two cores a hop
costs 100-200 µs (a futex wake-up each way, and the GIL handed over), more
than the validation itself (tens of µs), and a command made three of them.
``OneHopRoute`` hands FastAPI an ``async`` wrapper of each plain endpoint that
runs it in the thread pool itself: the store work stays off the event loop,
and the answer is validated on the loop without a second hop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

T = TypeVar("T")


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if inspect.isfunction(endpoint) and not (
            inspect.iscoroutinefunction(endpoint)
            or inspect.isgeneratorfunction(endpoint)
            or inspect.isasyncgenfunction(endpoint)
        ):
            endpoint = in_thread_pool(endpoint)
        super().__init__(path, endpoint, **kwargs)


def in_thread_pool(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """An ``async`` endpoint that runs ``endpoint`` in the thread pool; FastAPI reads
    the parameters and the answer's type through ``functools.wraps``."""

    @functools.wraps(endpoint)
    async def run(**arguments: Any) -> Any:
        return await in_thread(functools.partial(endpoint, **arguments))

    return run


WORKER_THREADS = 40
"""As many as AnyIO's default limit: SQLite commands queue on its write lock, PostgreSQL's on
the pool; waiting reads hold none."""
_WORKERS = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="shuniu-worker")


async def in_thread(function: Callable[[], T]) -> T:
    """``function()`` in the worker threads, with this request's context (its log bindings).

    Starlette's ``run_in_threadpool`` goes through AnyIO's capacity limiter and
    worker bookkeeping, which took a sixth of the event loop's time per
    command; asyncio's own executor does the same hop for less.
    """
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(_WORKERS, context.run, function)


class RouteIndex(BaseRoute):
    """Every route of the app behind one route that looks up the few a path may match.

    Starlette matches a request against each route in turn (a regular
    expression each), and FastAPI 0.16x matches through every included
    router as well: near 100 µs for a route late in the list, for each
    request. This route holds the app's routes grouped by their first two
    path segments (``/v1/funding``), and tries only the group of the
    request's path, in the app's order; a route whose first two segments are
    not literal is tried for every path. ``install`` puts it in place once
    the OpenAPI schema has been generated from the routes themselves.
    """

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.routes = routes
        self._groups: dict[str, list[BaseRoute]] = {}
        self._anywhere: list[BaseRoute] = []
        for route in routes:
            key = _group(getattr(route, "path", ""))
            if key is None:
                self._anywhere.append(route)
            else:
                self._groups.setdefault(key, []).append(route)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        key = _group(scope.get("path", "")) or ""
        partial: tuple[Match, Scope] | None = None
        for route in (*self._groups.get(key, ()), *self._anywhere):
            match, child_scope = route.matches(scope)
            if match == Match.FULL:
                return match, {**child_scope, "route": route}
            if match == Match.PARTIAL and partial is None:
                partial = (match, {**child_scope, "route": route})
        return partial or (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: BaseRoute = scope["route"]
        await route.handle(scope, receive, send)

    @classmethod
    def install(cls, api: FastAPI) -> None:
        schema = api.openapi()  # generated now, from the routes themselves, and kept
        api.openapi = lambda: schema  # type: ignore[method-assign] # FastAPI's documented hook
        routes: list[BaseRoute] = []
        for route in api.router.routes:
            inner = getattr(route, "original_router", None)  # an included router (0.16x)
            routes.extend(inner.routes if inner is not None else [route])
        api.router.routes[:] = [cls(routes)]


def _group(path: str) -> str | None:
    """The first two segments of a path (``/v1/funding``); None if they hold a parameter."""
    group = "/".join(path.split("/", 3)[:3])
    return None if "{" in group else group


class TrailingSlash:
    """A path with a trailing slash is redirected (308) to the same path without it.

    Starlette's own redirect builds an absolute URL from the request's ``Host``
    header, so a client could have it point anywhere (``Host: evil.example``).
    This one answers a relative ``Location``: the path and query only.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path == "/" or not path.endswith("/"):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        location = quote(path.rstrip("/") or "/", safe="/:@!$&'()*+,;=-._~%")
        if query:
            location += "?" + query
        await RedirectResponse(location, status_code=308)(scope, receive, send)
