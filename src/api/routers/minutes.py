"""The meeting minutes read model (Art. 11), and a meeting as a Popolo event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shuniu.aggregates.base import KnownJurisdiction as Jurisdiction
from shuniu.aggregates.errors import InvalidCommand, NotFound
from shuniu.aggregates.joint_meeting import ActionItemState, MeetingStatus
from shuniu.api.deps import CurrentCaller, ServicesDep, read_after
from shuniu.api.responses import DEFAULT_LIMIT, MAX_LIMIT, Cursor, Page, page, parse_cursor
from shuniu.api.routers.registry import jurisdictions
from shuniu.api.routing import OneHopRoute
from shuniu.exports.popolo import meeting_event
from shuniu.projections.minutes import MinutesView

router = APIRouter(
    prefix="/v1/minutes",
    tags=["minutes"],
    dependencies=[read_after("minutes")],
    route_class=OneHopRoute,
)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
POPOLO = "application/vnd.popolo+json"
CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
"""The measures' own time: a bare date in a query is a day in Beijing."""


class MeetingRow(BaseModel):
    id: UUID
    title: str
    scheduled_at: datetime
    jurisdiction: str
    status: MeetingStatus
    attendance_count: int
    position: int


class ActionItemRow(BaseModel):
    id: UUID
    meeting_id: UUID
    owner_hub_id: UUID
    jurisdiction: str
    description: str
    due: date
    state: ActionItemState
    overdue: bool
    note: str | None
    closed_at: datetime | None
    position: int


class MeetingMinutes(MeetingRow):
    agenda: list[dict[str, Any]]
    attendance: list[dict[str, Any]]
    resolutions: list[dict[str, Any]]
    action_items: list[ActionItemRow]
    summary: str | None
    published_at: datetime | None
    corrections: list[dict[str, Any]]
    cancel_reason: str | None


def minutes(s: ServicesDep) -> MinutesView:
    view: MinutesView = s.views["minutes"]
    return view


def instant(value: str | None, name: str, *, end_of_day: bool = False) -> datetime | None:
    """A query time: ISO 8601 with offset, or a date (a day in China Standard Time)."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value) + timedelta(days=1 if end_of_day else 0)
            return datetime.combine(day, time(), CHINA_STANDARD_TIME)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidCommand(f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise InvalidCommand(f"{name} needs an offset, as in 2026-03-01T09:00:00+08:00")
    return moment


def with_overdue(item: dict[str, Any]) -> dict[str, Any]:
    today = datetime.now(UTC).astimezone(CHINA_STANDARD_TIME).date()
    return {**item, "overdue": item["state"] == "open" and item["due"] < today}


@router.get("/meetings")
def meetings(
    caller: CurrentCaller,
    s: ServicesDep,
    jurisdiction: Jurisdiction | None = None,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[MeetingRow]:
    """Meetings scheduled from ``from`` (inclusive) to ``to`` (a date: inclusive)."""
    rows = minutes(s).meetings(
        jurisdictions(caller, jurisdiction),
        instant(start, "from"),
        instant(end, "to", end_of_day=True),
        parse_cursor(cursor),
        limit,
    )
    items = [MeetingRow.model_validate(row) for row in rows]
    return page(items, limit, items[-1].position if items else None)


@router.get(
    "/meetings/{meeting_id}",
    responses={200: {"content": {POPOLO: {}}, "description": "the minutes, or a Popolo event"}},
)
def meeting(
    meeting_id: UUID,
    request: Request,
    caller: CurrentCaller,
    s: ServicesDep,
    accept: Annotated[str | None, Header()] = None,
    format: Literal["json", "popolo"] = "json",
) -> Any:
    row = minutes(s).meeting(str(meeting_id))
    if row is None:
        raise NotFound(f"no meeting {meeting_id} in the minutes")
    caller.require_readable(row["jurisdiction"])
    row["action_items"] = [with_overdue(item) for item in row["action_items"]]
    if format == "popolo" or POPOLO in (accept or ""):
        event = meeting_event(MeetingMinutes.model_validate(row).model_dump(), str(request.url))
        return JSONResponse(jsonable_encoder(event), media_type=POPOLO)
    return MeetingMinutes.model_validate(row)


@router.get("/action-items")
def action_items(
    caller: CurrentCaller,
    s: ServicesDep,
    owner_hub_id: UUID | None = None,
    state: ActionItemState | None = None,
    jurisdiction: Jurisdiction | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[ActionItemRow]:
    rows = minutes(s).action_items(
        jurisdictions(caller, jurisdiction),
        str(owner_hub_id) if owner_hub_id else None,
        state,
        parse_cursor(cursor),
        limit,
    )
    items = [ActionItemRow.model_validate(with_overdue(row)) for row in rows]
    return page(items, limit, items[-1].position if items else None)
