"""The raw event log for auditors: page, replay, verify, export (role auditor or admin).

The whole log spans every jurisdiction, so it is open to the admin and to
municipal (110000) auditors; a district's auditor reads its district through
the read models.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime, BaseModel

from shuniu.aggregates.base import MUNICIPALITY, Aggregate
from shuniu.aggregates.errors import InvalidCommand, NotFound
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import MAX_POSITION
from shuniu.api.routing import OneHopRoute
from shuniu.application.audit import AuditLog
from shuniu.commands.access import Caller, Forbidden


def auditor(caller: CurrentCaller) -> Caller:
    caller.require_role("auditor", "admin")
    if caller.role == "auditor" and caller.jurisdiction != MUNICIPALITY:
        raise Forbidden("the raw log spans every jurisdiction: municipal auditors only")
    return caller


router = APIRouter(
    prefix="/v1/audit", tags=["audit"], dependencies=[Depends(auditor)], route_class=OneHopRoute
)


class LogPage(BaseModel):
    items: list[dict[str, Any]]
    next_after: int | None


class StateAt(BaseModel):
    aggregate_id: UUID
    aggregate_type: str
    version: int
    state: dict[str, Any]


class VerifyAnswer(BaseModel):
    ok: bool
    checked: int
    streams: int
    first_bad: dict[str, Any] | None = None
    anchor: str


@router.get("/events")
def events(
    app: App,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> LogPage:
    """The global log in order, from position ``after`` (exclusive)."""
    page = AuditLog(app).events(after, limit)
    items = [e.as_json() for e in page]
    return LogPage(items=items, next_after=page[-1].position if len(page) == limit else None)


@router.get("/streams/{aggregate_id}")
def stream(
    aggregate_id: UUID,
    app: App,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION, description="a version")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> LogPage:
    """Every event of one aggregate, in version order (``next_after`` is a version)."""
    page = AuditLog(app).stream(aggregate_id, after, limit)
    if not page and after == 0:
        raise NotFound(f"no events of aggregate {aggregate_id}")
    items = [e.as_json() for e in page]
    return LogPage(items=items, next_after=page[-1].version if len(page) == limit else None)


def public_state(aggregate: Aggregate) -> dict[str, Any]:
    state = {k: v for k, v in vars(aggregate).items() if not k.startswith("_")}
    state |= {"created_on": aggregate.created_on, "modified_on": aggregate.modified_on}
    encoded: dict[str, Any] = jsonable_encoder(state)
    return encoded


@router.get("/streams/{aggregate_id}/state")
def state(
    aggregate_id: UUID,
    app: App,
    version: Annotated[int | None, Query(ge=1, le=MAX_POSITION)] = None,
    at: AwareDatetime | None = None,
) -> StateAt:
    """The aggregate replayed to a version, or to the last event at or before an instant."""
    if (version is None) == (at is None):
        raise InvalidCommand("give either version=N or at=<time with offset>")
    if at is not None:
        version = AuditLog(app).version_at(aggregate_id, at)
        if version == 0:
            raise NotFound(f"aggregate {aggregate_id} did not exist at {at.isoformat()}")
    aggregate = app.find_version(aggregate_id, version)
    if aggregate is None:
        raise NotFound(f"aggregate {aggregate_id} has no version {version}")
    return StateAt(
        aggregate_id=aggregate_id,
        aggregate_type=type(aggregate).__name__,
        version=aggregate.version,
        state=public_state(aggregate),
    )


@router.get("/verify")
def verify(app: App) -> VerifyAnswer:
    """Check every stream's chain of links; ``anchor`` digests every stream's head."""
    checked = AuditLog(app).verify()
    return VerifyAnswer(
        ok=checked.ok,
        checked=checked.checked,
        streams=checked.streams,
        first_bad=checked.first_bad,
        anchor=checked.anchor,
    )


@router.get("/export", response_class=StreamingResponse)
def export(app: App) -> StreamingResponse:
    """The whole log as NDJSON, one event a line, read a batch at a time."""

    def lines() -> Iterator[bytes]:
        for event in AuditLog(app).all_events():
            yield json.dumps(event.as_json(), ensure_ascii=False).encode() + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")
