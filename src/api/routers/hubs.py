"""Hub organizations: the aggregate's own state."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel

from shuniu.aggregates.designation_application import ApplicantKind
from shuniu.aggregates.hub_organization import HubOrganization, HubStatus
from shuniu.api.deps import App, CurrentCaller
from shuniu.api.responses import state_answer

router = APIRouter(prefix="/v1/hubs", tags=["hubs"])


class HubState(BaseModel):
    id: UUID
    version: int
    application_id: UUID
    name: str
    uscc: str
    kind: ApplicantKind
    field: str
    jurisdiction: str
    status: HubStatus
    designated_at: datetime
    decision_ref: str

    @classmethod
    def of(cls, hub: HubOrganization) -> HubState:
        return cls(
            id=hub.id,
            version=hub.version,
            application_id=hub.application_id,
            name=hub.name,
            uscc=hub.uscc,
            kind=hub.kind,
            field=hub.field,
            jurisdiction=hub.jurisdiction,
            status=hub.status,
            designated_at=hub.designated_at,
            decision_ref=hub.decision_ref,
        )


@router.get("/{hub_id}")
def read(hub_id: UUID, app: App, caller: CurrentCaller, response: Response) -> HubState:
    hub = app.get(hub_id, HubOrganization)
    caller.require_readable(hub.jurisdiction)
    state_answer(response, hub.version)
    return HubState.of(hub)
