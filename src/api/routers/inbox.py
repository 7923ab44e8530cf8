"""The notice inbox read model: what a hub has received and not acknowledged."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from shuniu.aggregates.errors import InvalidCommand
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.notice import NoticeCategory
from shuniu.api.deps import App, CurrentCaller, ServicesDep, read_after
from shuniu.api.responses import DEFAULT_LIMIT, MAX_LIMIT, Cursor, Page, page, parse_cursor
from shuniu.api.routing import OneHopRoute
from shuniu.projections.inbox import InboxView

router = APIRouter(
    prefix="/v1/inbox", tags=["inbox"], dependencies=[read_after("inbox")], route_class=OneHopRoute
)


class InboxItem(BaseModel):
    id: UUID
    title: str
    body: str
    category: NoticeCategory
    jurisdiction: str
    issued_at: datetime
    hub_id: UUID
    received_at: datetime
    relayed_at: datetime | None
    position: int


@router.get("")
def inbox(
    caller: CurrentCaller,
    s: ServicesDep,
    app: App,
    hub_id: UUID | None = None,
    category: NoticeCategory | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[InboxItem]:
    """A hub reads its own inbox; other principals of the jurisdiction name the hub.
    ``category`` keeps the notices of that category only."""
    hub_id = hub_id or caller.hub_id
    if hub_id is None:
        raise InvalidCommand("name the hub: ?hub_id=<id>")
    caller.require_hub(hub_id)
    hub = app.get(hub_id, HubOrganization)
    caller.require_readable(hub.jurisdiction)
    view: InboxView = s.views["inbox"]
    rows = view.inbox(str(hub_id), parse_cursor(cursor), limit, category)
    items = [InboxItem.model_validate(row) for row in rows]
    return page(items, limit, items[-1].position if items else None)
