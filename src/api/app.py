"""The FastAPI application: services built at start-up, one log line per request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import FastAPI

from shuniu import __version__
from shuniu.api import problems
from shuniu.api.deps import Services
from shuniu.api.limits import BodyLimit
from shuniu.api.request_log import RequestLog
from shuniu.api.routers import (
    affiliations,
    applications,
    audit,
    funding,
    hubs,
    inbox,
    jurisdictions,
    ledger,
    meetings,
    minutes,
    notices,
    operations,
    principals,
    registry,
    reports,
)
from shuniu.api.routing import RouteIndex, TrailingSlash
from shuniu.application import Shuniu
from shuniu.logs import configure_logging
from shuniu.projections.runner import (
    PROJECTIONS,
    Progress,
    ProjectionWorker,
    create_tables,
    open_view,
)
from shuniu.settings import Settings

log = structlog.get_logger("shuniu.api")


def build_services(settings: Settings, *, run_projections: bool) -> Services:
    create_tables(settings)
    app = Shuniu(env=settings.eventsourcing_env())
    app.take_turns = settings.command_turns
    views = {name: open_view(spec, settings) for name, spec in PROJECTIONS.items()}
    progress = Progress() if run_projections else None
    workers = (
        [ProjectionWorker(list(PROJECTIONS.values()), settings, progress).start()]
        if run_projections
        else []
    )
    services = Services(settings=settings, app=app, views=views, workers=workers, progress=progress)
    services.metrics.watch_projections(
        app.last_position,
        services.positions,
        lambda: {stall.name: stall.position for stall in services.stalls()},
    )

    def saved(events: list[Any]) -> None:
        services.metrics.events.inc(len(events))
        services.principals.forget_revoked(events)

    app.on_saved = saved
    if app.group_commit is not None:
        app.group_commit.writer.on_lock_held = services.metrics.lock.observe
    app.on_foreign_write = services.principals.forget_all
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
        jurisdictions.router,
        registry.router,
        inbox.router,
        minutes.router,
        ledger.router,
        reports.router,
        audit.router,
    ):
        api.include_router(router)

    api.router.redirect_slashes = False  # TrailingSlash redirects, without the client's Host
    api.add_middleware(TrailingSlash)
    api.add_middleware(BodyLimit)
    api.add_middleware(RequestLog)
    RouteIndex.install(api)
    return api


def create_app_from_environment() -> FastAPI:
    """The app of one of several API processes (``shuniu serve --workers N``): settings
    from the environment, projections in a process of their own."""
    settings = Settings()
    configure_logging(settings.log_format)
    return create_app(settings, run_projections=False)
