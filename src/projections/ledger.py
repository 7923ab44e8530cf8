"""The funding ledger: a double-entry journal of public money (Art. 14, 15, 17).

Tables (see the README for the accounts and how to query them):
- ``ledger_entries``: journal lines; each event writes two, one debit and one
  credit of the same amount, naming its position, event id, funding id, hub,
  program, fiscal year and decision reference;
- ``ledger_agreements``: one row per agreement with its running totals, kept
  in the same transaction as its lines.

Accounts, all amounts in integer fen:
- ``appropriations``: budget authority not yet committed to a hub;
- ``commitments``: owed to hubs under agreements (its credit balance is
  what is outstanding);
- ``treasury``: money paid out (credit) and paid back (debit).

| event | debit | credit |
|---|---|---|
| commitment | appropriations | commitments |
| disbursement | commitments | treasury |
| refund | treasury | commitments |
| release (closing) | commitments | appropriations |
| reversal of a disbursement / refund | the reversed lines' credit account | their debit account |
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from shuniu.aggregates.base import event_id_for
from shuniu.aggregates.funding_agreement import FundingAgreement as Funding
from shuniu.projections.sql import (
    PostgresSQLView,
    Row,
    SQLiteSQLView,
    SQLView,
    Where,
    date_value,
    time_value,
)

ENTRIES = "ledger_entries"
AGREEMENTS = "ledger_agreements"
TABLES = (ENTRIES, AGREEMENTS)

APPROPRIATIONS, COMMITMENTS, TREASURY = "appropriations", "commitments", "treasury"
SIDES = {
    "commitment": (APPROPRIATIONS, COMMITMENTS),
    "disbursement": (COMMITMENTS, TREASURY),
    "refund": (TREASURY, COMMITMENTS),
    "release": (COMMITMENTS, APPROPRIATIONS),
}
TOTAL_OF = {"commitment": "committed", "disbursement": "disbursed", "refund": "refunded",
            "release": "released"}  # fmt: skip
GROUPS = {"hub": "hub_id", "program": "program", "fiscal_year": "fiscal_year"}
TOTALS = ("committed", "disbursed", "refunded", "released")
SPLIT = 10**9
"""Totals are summed in two parts, the quotient and the remainder by SPLIT (``balances``)."""


class LedgerView(SQLView):
    schema_version = 2
    """2: a disbursement's ``paid_on`` on its lines, and an agreement's closing
    (``closed_at``, ``closing_event_id``), which the OCDS export shows as a release
    even when closing released nothing."""
    tables = (
        f"""CREATE TABLE IF NOT EXISTS {ENTRIES} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            line INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            funding_id TEXT NOT NULL,
            hub_id TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            program TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            kind TEXT NOT NULL,
            account TEXT NOT NULL,
            debit {{bigint}} NOT NULL,
            credit {{bigint}} NOT NULL,
            decision_ref TEXT NOT NULL,
            reference TEXT,
            reverses TEXT,
            recorded_at {{ts}} NOT NULL,
            paid_on {{date}}
        )""",
        f"CREATE INDEX IF NOT EXISTS {ENTRIES}_by_hub ON {ENTRIES} (hub_id, position)",
        f"CREATE INDEX IF NOT EXISTS {ENTRIES}_by_funding ON {ENTRIES} (funding_id, position)",
        f"""CREATE TABLE IF NOT EXISTS {AGREEMENTS} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            hub_id TEXT NOT NULL,
            hub_name TEXT NOT NULL,
            hub_uscc TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            program TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            decision_ref TEXT NOT NULL,
            purpose TEXT NOT NULL,
            committed_at {{ts}} NOT NULL,
            status TEXT NOT NULL,
            committed {{bigint}} NOT NULL DEFAULT 0,
            disbursed {{bigint}} NOT NULL DEFAULT 0,
            refunded {{bigint}} NOT NULL DEFAULT 0,
            released {{bigint}} NOT NULL DEFAULT 0,
            closed_at {{ts}},
            closing_event_id TEXT
        )""",
        f"CREATE INDEX IF NOT EXISTS {AGREEMENTS}_by_year ON {AGREEMENTS} (fiscal_year, position)",
    )

    def post(
        self,
        c: Any,
        e: Funding.Event,
        tracking: Tracking,
        kind: str,
        amount: int,
        *,
        reversing: bool = False,
        reference: str | None = None,
        reverses: str | None = None,
        paid_on: date | None = None,
    ) -> None:
        """Two lines, debit and credit of ``amount``, and the agreement's total, in one go."""
        agreement = self.query_in(
            c, f"SELECT * FROM {AGREEMENTS} WHERE id = %s", [str(e.originator_id)]
        )[0]
        debit, credit = SIDES[kind][::-1] if reversing else SIDES[kind]
        event_id = str(event_id_for(e.originator_id, e.originator_version))
        for line, (account, dr, cr) in enumerate(((debit, amount, 0), (credit, 0, amount)), 1):
            self.execute(
                c,
                f"INSERT INTO {ENTRIES} (id, position, line, event_id, funding_id, hub_id, "
                "jurisdiction, program, fiscal_year, kind, account, debit, credit, decision_ref, "
                "reference, reverses, recorded_at, paid_on) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    f"{event_id}:{line}",
                    tracking.notification_id,
                    line,
                    event_id,
                    agreement["id"],
                    agreement["hub_id"],
                    agreement["jurisdiction"],
                    agreement["program"],
                    agreement["fiscal_year"],
                    kind,
                    account,
                    dr,
                    cr,
                    agreement["decision_ref"],
                    reference,
                    reverses,
                    e.timestamp,
                    paid_on,
                ],
            )
        total = TOTAL_OF[kind]
        self.add_to(c, AGREEMENTS, e.originator_id, total, -amount if reversing else amount)
        self.update(c, AGREEMENTS, e.originator_id, version=e.originator_version)

    # Reads.

    def entries(
        self,
        jurisdictions: list[str] | None,
        equal: dict[str, Any],
        after: tuple[int, int] = (0, 0),
        limit: int = 50,
    ) -> list[Row]:
        """Journal lines in log order, after (position, line)."""
        where = Where(jurisdictions, equal).add(
            "(position > %s OR (position = %s AND line > %s))", after[0], after[0], after[1]
        )
        rows = self.query(
            f"SELECT * FROM {ENTRIES} WHERE {where.sql} ORDER BY position, line LIMIT %s",
            [*where.params, limit],
        )
        for row in rows:
            row["recorded_at"] = time_value(row["recorded_at"])
            row["paid_on"] = date_value(row["paid_on"])
        return rows

    def balances(
        self, by: str, jurisdictions: list[str] | None, equal: dict[str, Any]
    ) -> list[Row]:
        """Committed, disbursed, refunded, released and outstanding, by hub, program or year.

        Exact to the fen whatever the number of rows: SQLite's SUM of 64-bit
        integers fails once a total passes 2^63 fen ("integer overflow"), so
        each amount is summed as its quotient and its remainder by 10^9, two
        sums that cannot overflow for fewer than a billion rows, and Python
        joins them exactly (on PostgreSQL the same sums are NUMERIC).
        """
        column = GROUPS[by]
        where = Where(jurisdictions, equal)
        parts = ", ".join(  # no % operator: psycopg would take it for a placeholder
            f"SUM({total} / {SPLIT}) AS {total}_high, "
            f"SUM({total} - {total} / {SPLIT} * {SPLIT}) AS {total}_low"
            for total in TOTALS
        )
        rows = self.query(
            f"SELECT {column} AS key, {parts} "
            f"FROM {AGREEMENTS} WHERE {where.sql} GROUP BY {column} ORDER BY {column}",
            where.params,
        )
        balances = []
        for row in rows:
            balance: Row = {"key": row["key"]}
            for total in TOTALS:
                balance[total] = int(row[f"{total}_high"]) * SPLIT + int(row[f"{total}_low"])
            balance["outstanding"] = (
                balance["committed"] - balance["disbursed"] + balance["refunded"]
                - balance["released"]
            )  # fmt: skip
            balances.append(balance)
        return balances

    def agreements(
        self, jurisdictions: list[str] | None, fiscal_year: int, program: str | None = None
    ) -> list[Row]:
        where = Where(jurisdictions, {"fiscal_year": fiscal_year, "program": program})
        rows = self.query(
            f"SELECT * FROM {AGREEMENTS} WHERE {where.sql} ORDER BY position", where.params
        )
        for row in rows:
            row["committed_at"] = time_value(row["committed_at"])
            row["closed_at"] = time_value(row["closed_at"])
        return rows

    def entries_of(self, funding_ids: list[str]) -> list[Row]:
        if not funding_ids:
            return []
        rows = self.query(
            f"SELECT * FROM {ENTRIES} WHERE account = %s AND funding_id IN "
            f"({', '.join(['%s'] * len(funding_ids))}) ORDER BY position, line",
            [COMMITMENTS, *funding_ids],
        )
        for row in rows:
            row["recorded_at"] = time_value(row["recorded_at"])
            row["paid_on"] = date_value(row["paid_on"])
        return rows


class SQLiteLedgerView(LedgerView, SQLiteSQLView):
    pass


class PostgresLedgerView(LedgerView, PostgresSQLView):
    pass


class LedgerProjection(Projection[LedgerView]):
    name = "ledger"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        with self.view.transaction(tracking):
            pass

    @process_event.register
    def _(self, e: Funding.Committed, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.execute(
                c,
                f"INSERT INTO {AGREEMENTS} (id, position, version, hub_id, hub_name, hub_uscc, "
                "jurisdiction, program, fiscal_year, decision_ref, purpose, committed_at, status) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    str(e.originator_id),
                    tracking.notification_id,
                    e.originator_version,
                    str(e.recipient.hub_id),
                    e.recipient.name,
                    e.recipient.uscc,
                    e.jurisdiction,
                    e.program,
                    e.fiscal_year,
                    e.decision_ref,
                    e.purpose,
                    e.timestamp,
                    "open",
                ],
            )
            self.view.post(c, e, tracking, "commitment", e.amount, reference=e.purpose)

    @process_event.register
    def _(self, e: Funding.Disbursed, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.post(
                c, e, tracking, "disbursement", e.amount, reference=e.voucher_ref,
                paid_on=e.paid_on,
            )  # fmt: skip

    @process_event.register
    def _(self, e: Funding.Refunded, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.post(c, e, tracking, "refund", e.amount, reference=e.reason)

    @process_event.register
    def _(self, e: Funding.Reversed, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.post(
                c, e, tracking, e.kind, e.amount, reversing=True, reference=e.reason,
                reverses=str(e.reverses),
            )  # fmt: skip

    @process_event.register
    def _(self, e: Funding.Closed, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            if e.released:
                self.view.post(c, e, tracking, "release", e.released, reference=e.note)
            self.view.update(
                c,
                AGREEMENTS,
                e.originator_id,
                status="closed",
                version=e.originator_version,
                closed_at=e.timestamp,
                closing_event_id=str(event_id_for(e.originator_id, e.originator_version)),
            )

    @process_event.register
    def _(self, e: Funding.Frozen | Funding.Unfrozen, tracking: Tracking) -> None:
        status = "frozen" if isinstance(e, Funding.Frozen) else "open"
        with self.view.transaction(tracking) as c:
            self.view.update(
                c, AGREEMENTS, e.originator_id, status=status, version=e.originator_version
            )
