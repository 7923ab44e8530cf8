"""Liveness, readiness and metrics: no token needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shuniu.api.deps import ServicesDep
from shuniu.api.routing import OneHopRoute

router = APIRouter(tags=["operations"], route_class=OneHopRoute)


@router.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    """A person who opens the server's address is led to its documentation."""
    return RedirectResponse("/docs", status_code=307)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(s: ServicesDep) -> dict[str, Any] | JSONResponse:
    """The store answers, and no read model lags more than SHUNIU_READY_MAX_LAG events."""
    try:
        head = s.app.last_position()
        positions = s.positions()
        stalled = s.stalls()
    except Exception as e:  # readiness reports any failure of the store as 503
        return JSONResponse(
            {"status": "unavailable", "detail": f"store unreachable: {type(e).__name__}"},
            status_code=503,
            headers={"Retry-After": "1"},
        )
    projections: dict[str, dict[str, Any]] = {
        name: {"position": at, "lag": max(head - at, 0)} for name, at in positions.items()
    }
    for stall in stalled:
        projections.setdefault(stall.name, {})["stalled"] = {
            "position": stall.position,
            "error": stall.error,
            "since": stall.since.isoformat(),
        }
    bound = s.settings.ready_max_lag
    behind = sorted(name for name, p in projections.items() if p.get("lag", 0) > bound)
    body = {"position": head, "projections": projections, "max_lag": bound}
    if stalled:
        names = ", ".join(f"{x.name} at position {x.position}" for x in stalled)
        detail = (
            f"read models stopped at an event they cannot apply: {names} "
            "(shuniu projections skip NAME POSITION --reason ... passes over it)"
        )
        return JSONResponse(
            {"status": "stalled", "detail": detail, **body},
            status_code=503,
            headers={"Retry-After": "1"},
        )
    if behind:
        detail = f"read models more than {bound} events behind: {', '.join(behind)}"
        return JSONResponse(
            {"status": "lagging", "detail": detail, **body},
            status_code=503,
            headers={"Retry-After": "1"},
        )
    return {"status": "ready", **body}


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(s: ServicesDep) -> PlainTextResponse:
    """Prometheus text: requests, latencies, events appended, projection positions and lag."""
    return PlainTextResponse(generate_latest(s.metrics.registry), media_type=CONTENT_TYPE_LATEST)
