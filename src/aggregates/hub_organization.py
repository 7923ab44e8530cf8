"""HubOrganization: a designated hub (Art. 2, 7-9, 12, 13, 16, 17).

Created by the designation policy when an application is approved, with the
id derived from the application's id. A revoked hub is never deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction
from shuniu.aggregates.designation_application import ApplicantKind, hub_id_for

HubStatus = Literal["active", "suspended", "revoked"]


class HubOrganization(Aggregate):
    @staticmethod
    def create_id(application_id: UUID, **_: object) -> UUID:
        return hub_id_for(application_id)

    class Designated(Aggregate.Created):
        application_id: UUID
        name: str
        uscc: str
        kind: ApplicantKind
        field: str
        jurisdiction: Jurisdiction
        decision_ref: str
        seat_id: UUID

    @event(Designated)
    def __init__(
        self,
        application_id: UUID,
        name: str,
        uscc: str,
        kind: ApplicantKind,
        field: str,
        jurisdiction: Jurisdiction,
        decision_ref: str,
        seat_id: UUID,
        actor: Actor,
    ) -> None:
        self.application_id = application_id
        self.name = name
        self.uscc = uscc
        self.kind = kind
        self.field = field
        self.jurisdiction = jurisdiction
        self.decision_ref = decision_ref
        self.seat_id = seat_id
        self.status: HubStatus = "active"
        self.designated_at: datetime = self.created_on
