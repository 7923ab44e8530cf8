"""Notices (Art. 12): issued to hubs, acknowledged, relayed to affiliates."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.notice import Acknowledgement, Notice, NoticeCategory, Relay
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer
from shuniu.application import Outcome
from shuniu.commands import notices

router = CommandRouter(prefix="/v1/notices", tags=["notices"])


class NoticeState(BaseModel):
    id: UUID
    version: int
    title: str
    body: str
    jurisdiction: str
    category: NoticeCategory
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
            category=n.category,
            hub_ids=n.hub_ids,
            issued_by=n.issued_by,
            issued_at=n.issued_at,
            acknowledgements=n.acknowledgements,
            relays=n.relays,
        )


def answer(outcome: Outcome) -> NoticeState:
    assert isinstance(outcome.aggregate, Notice)
    return NoticeState.of(outcome.aggregate)


router.command("", notices.IssueNotice, answer)
router.command("/{notice_id}/acknowledgements", notices.AcknowledgeNotice, answer)
router.command("/{notice_id}/relays", notices.RelayNotice, answer)


@router.get("/{notice_id}")
def read(notice_id: UUID, app: App, caller: CurrentCaller, response: Response) -> NoticeState:
    notice = app.get(notice_id, Notice)
    caller.require_readable(notice.jurisdiction)
    state_answer(response, notice.version)
    return NoticeState.of(notice)
