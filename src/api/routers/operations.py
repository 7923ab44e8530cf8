"""Liveness and readiness: no token needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shuniu.api.deps import ServicesDep
from shuniu.settings import APPLICATION_NAME

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
def readyz(s: ServicesDep) -> dict[str, Any] | JSONResponse:
    """The store answers, and how far each read model lags behind the log."""
    try:
        head = s.app.last_position()
        projections = {}
        for name, view in s.views.items():
            position = view.max_tracking_id(APPLICATION_NAME) or 0
            projections[name] = {"position": position, "lag": max(head - position, 0)}
    except Exception as e:
        return JSONResponse(
            {"status": "unavailable", "detail": f"store unreachable: {type(e).__name__}"},
            status_code=503,
        )
    return {"status": "ready", "position": head, "projections": projections}
