"""CommandReceipt: the durable record behind an ``Idempotency-Key``.

It is saved in the same transaction as the command's events, with an id
derived from the principal and the key. A retry finds it (or, racing the
first try, collides with it in the event store) and answers what the first
try answered: the state of the same aggregate at the same version.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate

RECEIPT_NAMESPACE = UUID("2c8e6f1a-9d4b-4a7c-b3e5-1f0a6d8c9e04")


def receipt_id_for(principal_id: UUID, idempotency_key: str) -> UUID:
    return uuid5(RECEIPT_NAMESPACE, f"{principal_id}:{idempotency_key}")


class CommandReceipt(Aggregate):
    @staticmethod
    def create_id(principal_id: UUID, idempotency_key: str, **_: object) -> UUID:
        return receipt_id_for(principal_id, idempotency_key)

    @event("Recorded")
    def __init__(
        self,
        principal_id: UUID,
        idempotency_key: str,
        fingerprint: str,
        target_id: UUID,
        target_version: int,
        created: bool,
        actor: Actor,
    ) -> None:
        self.principal_id = principal_id
        self.idempotency_key = idempotency_key
        self.fingerprint = fingerprint
        self.target_id = target_id
        self.target_version = target_version
        self.created = created
