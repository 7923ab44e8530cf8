"""One log line and one metrics sample per request, as plain ASGI middleware.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's
BaseHTTPMiddleware runs every request through an extra task and memory
stream, which costs more than the rest of a small command's answer.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("shuniu.api")


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid4()  # also the id of the command this request carries
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", str(request_id))
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=str(request_id))
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            services = getattr(scope["app"].state, "services", None)
            if services is not None:
                route = getattr(scope.get("route"), "path", "unmatched")
                services.metrics.observe(scope["method"], route, status, seconds)
            caller = state.get("principal")
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(seconds * 1000, 2),
                principal=str(caller.id) if caller else None,
                role=caller.role if caller else None,
            )
            structlog.contextvars.clear_contextvars()
