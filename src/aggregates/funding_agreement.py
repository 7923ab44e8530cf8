"""FundingAgreement: public money for a hub (Art. 14, 15, 17).

Committed to one active hub under a program, for a fiscal year, by a decision;
then disbursed, refunded, frozen and unfrozen, and closed (which releases what
was committed and not disbursed). Money is integer fen. Nothing is edited: a
mistaken disbursement or refund is corrected by a ``Reversed`` event naming it.

The invariants, checked before any event: ``outstanding = committed -
disbursed + refunded - released`` never goes below zero (so net disbursements
never exceed the commitment), and ``refunded`` never exceeds ``disbursed``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from eventsourcing.domain import event
from pydantic import Field

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction, Value, event_id_for
from shuniu.aggregates.errors import NotFound, StateConflict
from shuniu.aggregates.money import yuan

Program = Literal["government_purchase", "public_welfare", "special_fund"]
FundingStatus = Literal["open", "frozen", "closed"]
EntryKind = Literal["disbursement", "refund"]

PROGRAM_TITLES: dict[Program, str] = {
    "government_purchase": "Government purchase of management services (Art. 14)",
    "public_welfare": "Support for public-welfare work (Art. 15)",
    "special_fund": "Social construction special fund (Art. 17)",
}


class Recipient(Value):
    hub_id: UUID
    name: str
    uscc: str


class Entry(Value):
    """A disbursement or a refund, as recorded (a reversal marks it, never edits it)."""

    id: UUID
    kind: EntryKind
    amount: int = Field(gt=0)
    reference: str
    on: date | None
    recorded_at: datetime
    reversed_by: UUID | None = None


class FundingAgreement(Aggregate):
    class Committed(Aggregate.Created):
        recipient: Recipient
        jurisdiction: Jurisdiction
        program: Program
        fiscal_year: int
        amount: int = Field(gt=0)
        decision_ref: str
        purpose: str
        rules_version: int | None = None
        """The version of the jurisdiction's rules whose funding gate it passed (0: none
        set); None in events recorded before jurisdictions had rules."""

    @event(Committed)
    def __init__(
        self,
        recipient: Recipient,
        jurisdiction: Jurisdiction,
        program: Program,
        fiscal_year: int,
        amount: int,
        decision_ref: str,
        purpose: str,
        actor: Actor,
        rules_version: int | None = None,
    ) -> None:
        self.recipient = recipient
        self.hub_id = recipient.hub_id
        self.jurisdiction = jurisdiction
        self.program = program
        self.fiscal_year = fiscal_year
        self.committed = amount
        self.decision_ref = decision_ref
        self.purpose = purpose
        self.committed_at: datetime = self.created_on
        self.status: FundingStatus = "open"
        self.entries: list[Entry] = []
        self.released = 0
        self.freeze_reason: str | None = None
        self.closing_note: str | None = None

    @property
    def disbursed(self) -> int:
        return self._net("disbursement")

    @property
    def refunded(self) -> int:
        return self._net("refund")

    @property
    def outstanding(self) -> int:
        return self.committed - self.disbursed + self.refunded - self.released

    def _net(self, kind: EntryKind) -> int:
        return sum(e.amount for e in self.entries if e.kind == kind and e.reversed_by is None)

    def _next_id(self) -> UUID:
        """An entry's id is the id of the event that records it (so reversals name events)."""
        return event_id_for(self.id, self.version + 1)

    def _require_not_closed(self) -> None:
        if self.status == "closed":
            raise StateConflict("the agreement is closed")

    # Commands.

    def disburse(self, amount: int, voucher_ref: str, paid_on: date, actor: Actor) -> UUID:
        if self.status != "open":
            raise StateConflict(f"the agreement is {self.status}: no disbursement")
        if amount > self.outstanding:
            raise StateConflict(
                f"disbursing {yuan(amount)} would exceed what remains committed "
                f"({yuan(self.outstanding)} of {yuan(self.committed)})"
            )
        entry_id = self._next_id()
        self.trigger_event(
            self.Disbursed,
            entry_id=entry_id,
            amount=amount,
            voucher_ref=voucher_ref,
            paid_on=paid_on,
            actor=actor,
        )
        return entry_id

    def refund(self, amount: int, reason: str, actor: Actor) -> UUID:
        self._require_not_closed()
        if self.refunded + amount > self.disbursed:
            raise StateConflict(
                f"refunding {yuan(amount)} would exceed what was disbursed "
                f"({yuan(self.disbursed)}, {yuan(self.refunded)} refunded already)"
            )
        entry_id = self._next_id()
        self.trigger_event(
            self.Refunded, entry_id=entry_id, amount=amount, reason=reason, actor=actor
        )
        return entry_id

    def reverse(self, entry_id: UUID, reason: str, actor: Actor) -> None:
        """Correct a mistaken disbursement or refund by an event that names it."""
        self._require_not_closed()
        entry = self.entry(entry_id)
        if entry.reversed_by is not None:
            raise StateConflict(f"entry {entry_id} is already reversed")
        if entry.kind == "disbursement" and self.refunded > self.disbursed - entry.amount:
            raise StateConflict("reversing it would leave more refunded than disbursed")
        if entry.kind == "refund" and entry.amount > self.outstanding:
            raise StateConflict("reversing it would disburse more than was committed")
        self.trigger_event(
            self.Reversed,
            entry_id=self._next_id(),
            reverses=entry_id,
            kind=entry.kind,
            amount=entry.amount,
            reason=reason,
            actor=actor,
        )

    def freeze(self, reason: str, actor: Actor) -> None:
        if self.status != "open":
            raise StateConflict(f"the agreement is {self.status}: it cannot be frozen")
        self.trigger_event(self.Frozen, reason=reason, actor=actor)

    def unfreeze(self, reason: str, actor: Actor) -> None:
        if self.status != "frozen":
            raise StateConflict(f"the agreement is {self.status}, not frozen")
        self.trigger_event(self.Unfrozen, reason=reason, actor=actor)

    def close(self, note: str, actor: Actor) -> None:
        self._require_not_closed()
        self.trigger_event(self.Closed, note=note, released=self.outstanding, actor=actor)

    def entry(self, entry_id: UUID) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise NotFound(f"funding agreement {self.id} has no entry {entry_id}")

    # Events.

    class Disbursed(Aggregate.Event):
        entry_id: UUID
        amount: int = Field(gt=0)
        voucher_ref: str
        paid_on: date

        def apply(self, f: FundingAgreement) -> None:
            f.entries.append(
                Entry(
                    id=self.entry_id,
                    kind="disbursement",
                    amount=self.amount,
                    reference=self.voucher_ref,
                    on=self.paid_on,
                    recorded_at=self.timestamp,
                ),
            )

    class Refunded(Aggregate.Event):
        entry_id: UUID
        amount: int = Field(gt=0)
        reason: str

        def apply(self, f: FundingAgreement) -> None:
            f.entries.append(
                Entry(
                    id=self.entry_id,
                    kind="refund",
                    amount=self.amount,
                    reference=self.reason,
                    on=None,
                    recorded_at=self.timestamp,
                ),
            )

    class Reversed(Aggregate.Event):
        entry_id: UUID
        reverses: UUID
        kind: EntryKind
        amount: int = Field(gt=0)
        reason: str

        def apply(self, f: FundingAgreement) -> None:
            f.entries = [
                e.model_copy(update={"reversed_by": self.entry_id}) if e.id == self.reverses else e
                for e in f.entries
            ]

    class Frozen(Aggregate.Event):
        reason: str

        def apply(self, f: FundingAgreement) -> None:
            f.status = "frozen"
            f.freeze_reason = self.reason

    class Unfrozen(Aggregate.Event):
        reason: str

        def apply(self, f: FundingAgreement) -> None:
            f.status = "open"
            f.freeze_reason = None

    class Closed(Aggregate.Event):
        note: str
        released: int = Field(ge=0)

        def apply(self, f: FundingAgreement) -> None:
            f.status = "closed"
            f.released = self.released
            f.closing_note = self.note
