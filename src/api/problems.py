"""Every error as ``application/problem+json`` (RFC 9457), mapped in this one module."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import psycopg
import structlog
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from shuniu.aggregates.errors import (
    InvalidCommand,
    NotFound,
    PreconditionFailed,
    ShuniuError,
    StateConflict,
)
from shuniu.api.limits import BodyTooLarge
from shuniu.application.deadline import StoreUnavailable
from shuniu.commands.access import Forbidden, Unauthenticated

log = structlog.get_logger("shuniu.api")

PROBLEM_JSON = "application/problem+json"

# (status, title) of each domain error class; the most specific class wins.
STATUS_OF: list[tuple[type[ShuniuError], int, str]] = [
    (BodyTooLarge, 413, "Content Too Large"),
    (Unauthenticated, 401, "Unauthenticated"),
    (Forbidden, 403, "Forbidden"),
    (NotFound, 404, "Not Found"),
    (StateConflict, 409, "Conflict"),
    (PreconditionFailed, 412, "Precondition Failed"),
    (InvalidCommand, 422, "Unprocessable Content"),
]


class NotReady(ShuniuError):
    """A read waited for X-Min-Position longer than it may (503)."""


def problem(
    status: int,
    title: str,
    detail: str,
    kind: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {
        "type": f"urn:shuniu:problem:{kind}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _slug(cls: type[BaseException]) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in cls.__name__).lstrip("-")


def domain_error(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, NotReady):
        return problem(503, "Not Ready", str(exc), "not-ready", headers={"Retry-After": "1"})
    for cls, status, title in STATUS_OF:
        if isinstance(exc, cls):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return problem(status, title, str(exc), _slug(type(exc)), headers=headers)
    raise exc  # pragma: no cover - every ShuniuError subclass has a status above


def validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
    return problem(422, "Unprocessable Content", detail, "validation", errors=errors)


def http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    return problem(
        exc.status_code, _title(exc.status_code), str(exc.detail), "http", headers=headers
    )


def store_unavailable(_: Request, exc: Exception) -> JSONResponse:
    """The store cannot be reached (a restart, a network cut): try again shortly.

    Nothing half-done stays behind: a save is one transaction, so a command
    answered 503 either committed whole or not at all (a retry with the same
    Idempotency-Key tells which).
    """
    log.warning("store_unavailable", error=f"{type(exc).__name__}: {exc}")
    return problem(
        503,
        "Service Unavailable",
        "the event store cannot be reached just now; retry shortly",
        "store-unavailable",
        headers={"Retry-After": "1"},
    )


def unexpected_error(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled_error", exc_info=exc)
    return problem(500, "Internal Server Error", "the server failed; see its log", "internal")


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def install(app: FastAPI) -> None:
    app.add_exception_handler(ShuniuError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    for unreachable in (
        StoreUnavailable,
        OperationalError,
        InterfaceError,
        PoolTimeout,
        psycopg.OperationalError,
    ):
        app.add_exception_handler(unreachable, store_unavailable)
    app.add_exception_handler(Exception, unexpected_error)
