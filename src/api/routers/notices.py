"""Notices (Art. 12): issued to hubs, acknowledged, relayed to affiliates."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from shuniu.aggregates.base import Jurisdiction, Text
from shuniu.aggregates.notice import Acknowledgement, Notice, Relay
from shuniu.api.bodies import Body, Name
from shuniu.api.deps import App, Command, CurrentCaller
from shuniu.api.responses import command_answer, state_answer
from shuniu.api.routing import OneHopRoute
from shuniu.application import Outcome

router = APIRouter(prefix="/v1/notices", tags=["notices"], route_class=OneHopRoute)


class Issue(Body):
    title: Name
    body: Text
    jurisdiction: Jurisdiction
    hub_ids: Annotated[list[UUID], Field(min_length=1, max_length=1000)] | None = None


class Acknowledge(Body):
    hub_id: UUID


class RelayBody(Body):
    hub_id: UUID
    note: Text | None = None


class NoticeState(BaseModel):
    id: UUID
    version: int
    title: str
    body: str
    jurisdiction: str
    hub_ids: list[UUID]
    issued_by: UUID
    issued_at: datetime
    acknowledgements: list[Acknowledgement]
    relays: list[Relay]

    @classmethod
    def of(cls, n: Notice) -> NoticeState:
        return cls(
            id=n.id,
            version=n.version,
            title=n.title,
            body=n.body,
            jurisdiction=n.jurisdiction,
            hub_ids=n.hub_ids,
            issued_by=n.issued_by,
            issued_at=n.issued_at,
            acknowledgements=n.acknowledgements,
            relays=n.relays,
        )


def answer(response: Response, outcome: Outcome) -> NoticeState:
    command_answer(response, outcome, location=f"/v1/notices/{outcome.aggregate.id}")
    assert isinstance(outcome.aggregate, Notice)
    return NoticeState.of(outcome.aggregate)


@router.post("", status_code=201)
def issue(
    body: Issue, app: App, caller: CurrentCaller, ctx: Command, response: Response
) -> NoticeState:
    caller.require_role("office", "leading_group")
    caller.require_jurisdiction(body.jurisdiction)
    outcome = app.issue_notice(ctx, body.title, body.body, body.jurisdiction, body.hub_ids)
    return answer(response, outcome)


@router.post("/{notice_id}/acknowledgements")
def acknowledge(
    notice_id: UUID,
    body: Acknowledge,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> NoticeState:
    caller.require_role("hub")
    caller.require_hub(body.hub_id)
    return answer(response, app.acknowledge_notice(ctx, notice_id, body.hub_id))


@router.post("/{notice_id}/relays")
def relay(
    notice_id: UUID,
    body: RelayBody,
    app: App,
    caller: CurrentCaller,
    ctx: Command,
    response: Response,
) -> NoticeState:
    caller.require_role("hub")
    caller.require_hub(body.hub_id)
    return answer(response, app.relay_notice(ctx, notice_id, body.hub_id, body.note))


@router.get("/{notice_id}")
def read(notice_id: UUID, app: App, caller: CurrentCaller, response: Response) -> NoticeState:
    notice = app.get(notice_id, Notice)
    caller.require_readable(notice.jurisdiction)
    state_answer(response, notice.version)
    return NoticeState.of(notice)
