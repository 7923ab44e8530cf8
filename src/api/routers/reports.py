"""Upward reports (Art. 12, 18): what hubs reported to the Leading Group, open or replied."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from shuniu.aggregates.base import KnownJurisdiction, Role
from shuniu.api.deps import CurrentCaller, ServicesDep, read_after
from shuniu.api.responses import DEFAULT_LIMIT, MAX_LIMIT, Page, page, parse_cursor
from shuniu.api.routers.registry import jurisdictions
from shuniu.api.routing import OneHopRoute
from shuniu.commands.access import Forbidden
from shuniu.projections.reports import ReportsView

router = APIRouter(
    prefix="/v1/reports",
    tags=["reports"],
    dependencies=[read_after("reports")],
    route_class=OneHopRoute,
)

READERS: tuple[Role, ...] = ("office", "leading_group", "hub", "admin")
"""Upward reports go to the Leading Group: its office and itself read them, a hub its own."""


class UpwardReportItem(BaseModel):
    id: UUID
    hub_id: UUID
    hub_name: str
    jurisdiction: str
    subject: str
    content: str
    reported_at: datetime
    state: Literal["open", "replied"]
    replies: list[dict[str, Any]]
    """Each reply's ``text``, the ``role`` that gave it and ``replied_at``, oldest first."""
    last_replied_at: datetime | None
    position: int


@router.get("/upward")
def upward_reports(
    caller: CurrentCaller,
    s: ServicesDep,
    jurisdiction: KnownJurisdiction | None = None,
    hub_id: UUID | None = None,
    state: Literal["open", "replied"] | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[UpwardReportItem]:
    """Upward reports, oldest first: the office and the Leading Group read those of their
    jurisdiction, a hub its own (naming no hub, or itself)."""
    caller.require_role(*READERS)
    if caller.role == "hub":
        hub_id = hub_id or caller.hub_id
        if hub_id is None:
            raise Forbidden("this hub principal is bound to no hub")
        caller.require_hub(hub_id)
    view: ReportsView = s.views["reports"]
    rows = view.upward_reports(
        jurisdictions(caller, jurisdiction),
        str(hub_id) if hub_id else None,
        state,
        parse_cursor(cursor),
        limit,
    )
    items = [UpwardReportItem.model_validate(row) for row in rows]
    return page(items, limit, items[-1].position if items else None)
