"""Liveness, readiness and metrics: no token needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shuniu.api.deps import ServicesDep
from shuniu.api.routing import OneHopRoute

router = APIRouter(tags=["operations"], route_class=OneHopRoute)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(s: ServicesDep) -> dict[str, Any] | JSONResponse:
    """The store answers, and no read model lags more than SHUNIU_READY_MAX_LAG events."""
    try:
        head = s.app.last_position()
        positions = s.positions()
    except Exception as e:  # readiness reports any failure of the store as 503
        return JSONResponse(
            {"status": "unavailable", "detail": f"store unreachable: {type(e).__name__}"},
            status_code=503,
            headers={"Retry-After": "1"},
        )
    projections = {
        name: {"position": at, "lag": max(head - at, 0)} for name, at in positions.items()
    }
    bound = s.settings.ready_max_lag
    behind = sorted(name for name, p in projections.items() if p["lag"] > bound)
    body = {"position": head, "projections": projections, "max_lag": bound}
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
