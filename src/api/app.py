"""The FastAPI application: services built at start-up, one log line per request."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from uuid import uuid4

import structlog
from fastapi import FastAPI, Request, Response

from shuniu import __version__
from shuniu.api import problems
from shuniu.api.deps import Services
from shuniu.api.routers import (
    affiliations,
    applications,
    audit,
    funding,
    hubs,
    inbox,
    ledger,
    meetings,
    minutes,
    notices,
    operations,
    principals,
    registry,
)
from shuniu.application import Shuniu
from shuniu.projections.runner import PROJECTIONS, ProjectionWorker, create_tables, open_view
from shuniu.settings import Settings

log = structlog.get_logger("shuniu.api")


def build_services(settings: Settings, *, run_projections: bool) -> Services:
    create_tables(settings)
    app = Shuniu(env=settings.eventsourcing_env())
    views = {name: open_view(spec, settings) for name, spec in PROJECTIONS.items()}
    workers = (
        [ProjectionWorker(spec, settings).start() for spec in PROJECTIONS.values()]
        if run_projections
        else []
    )
    services = Services(settings=settings, app=app, views=views, workers=workers)
    services.metrics.watch_projections(app.last_position, services.positions)
    app.on_saved = services.metrics.events.inc
    return services


def close_services(s: Services) -> None:
    for worker in s.workers:
        worker.stop()
    for view in s.views.values():
        view.datastore.close()
    s.app.close()


def create_app(settings: Settings | None = None, *, run_projections: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        s = build_services(settings, run_projections=run_projections)
        api.state.services = s
        log.info(
            "api_started",
            store="postgresql" if settings.is_postgres else "sqlite",
            projections="in-process" if run_projections else "external",
        )
        try:
            yield
        finally:
            close_services(s)

    api = FastAPI(
        title="Shuniu",
        version=__version__,
        summary="Hub-type social organization work system: registry, procedures, meetings, funding",
        lifespan=lifespan,
    )
    problems.install(api)
    for router in (
        operations.router,
        principals.router,
        applications.router,
        hubs.router,
        affiliations.router,
        notices.router,
        meetings.router,
        funding.router,
        registry.router,
        inbox.router,
        minutes.router,
        ledger.router,
        audit.router,
    ):
        api.include_router(router)

    @api.middleware("http")
    async def one_line_per_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = uuid4()  # also the id of the command this request carries
        request.state.request_id = request_id
        structlog.contextvars.bind_contextvars(request_id=str(request_id))
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["X-Request-ID"] = str(request_id)
            return response
        finally:
            seconds = time.perf_counter() - started
            services: Services | None = getattr(request.app.state, "services", None)
            if services is not None:
                route = getattr(request.scope.get("route"), "path", "unmatched")
                services.metrics.observe(request.method, route, status, seconds)
            caller = getattr(request.state, "principal", None)
            log.info(
                "request",
                method=request.method,
                path=request.url.path,
                status=status,
                duration_ms=round(seconds * 1000, 2),
                principal=str(caller.id) if caller else None,
                role=caller.role if caller else None,
            )
            structlog.contextvars.clear_contextvars()

    return api
