"""The ledger's totals are exact on both stores, however far past 2^63 fen they go.

SQLite's SUM of 64-bit integers fails with "integer overflow" once a total
passes 2^63 (after 95 commitments of "999999999999999.99" yuan, every read of
the balances was a 503 from then on); the balances sum in parts instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest

from shuniu.aggregates.funding_agreement import FundingAgreement, Recipient
from shuniu.aggregates.money import yuan
from shuniu.application import Shuniu
from shuniu.projections.ledger import AGREEMENTS, LedgerView
from shuniu.settings import Settings
from tests.factories import VALID_CODE, actor
from tests.integration.support import run_projections_to

INT64_MAX = 2**63 - 1
LARGEST_OLD_AMOUNT = 99_999_999_999_999_999
"""In fen: "999999999999999.99" yuan, the largest amount requests took before the bound."""


def insert_agreement(
    ledger: LedgerView,
    cursor: Any,
    position: int,
    *,
    hub: str,
    program: str,
    fiscal_year: int,
    committed: int,
    disbursed: int = 0,
    refunded: int = 0,
    released: int = 0,
    jurisdiction: str = "110000",
) -> None:
    ledger.execute(
        cursor,
        f"INSERT INTO {AGREEMENTS} (id, position, version, hub_id, hub_name, hub_uscc, "
        "jurisdiction, program, fiscal_year, decision_ref, purpose, committed_at, status, "
        "committed, disbursed, refunded, released) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            str(uuid4()), position, 1, hub, "Hub", VALID_CODE, jurisdiction,
            program, fiscal_year, "F-1", "Services", datetime(2026, 1, 5, tzinfo=UTC),
            "active", committed, disbursed, refunded, released,
        ],
    )  # fmt: skip


def agreement(
    hub: str, program: str, fiscal_year: int, committed: int, **others: Any
) -> dict[str, Any]:
    return {
        "hub": hub, "program": program, "fiscal_year": fiscal_year, "committed": committed,
        **others,
    }  # fmt: skip


def test_totals_past_two_to_the_63_fen_are_exact(settings: Settings, views: dict[str, Any]) -> None:
    ledger: LedgerView = views["ledger"]
    science, sport = str(uuid4()), str(uuid4())
    rows = [
        # 120 agreements of the largest amount once accepted, two in three paid out in part.
        *(
            agreement(science, "special_fund", 2026, LARGEST_OLD_AMOUNT,
                      disbursed=LARGEST_OLD_AMOUNT // 3 if i % 3 else 0, refunded=7 if i % 3 else 0)
            for i in range(120)
        ),
        # A few at the very top of a 64-bit column.
        *(
            agreement(sport, "public_welfare", 2027, INT64_MAX,
                      disbursed=INT64_MAX - 1, refunded=INT64_MAX - 2, released=1)
            for _ in range(3)
        ),
        agreement(sport, "special_fund", 2026, 1, jurisdiction="110105"),
    ]  # fmt: skip
    with ledger.cursor(commit=True) as cursor:
        for position, row in enumerate(rows, 1):
            insert_agreement(ledger, cursor, position, **row)

    if settings.database_url.startswith("sqlite"):  # what the balances no longer do
        with pytest.raises(Exception, match="integer overflow"):
            ledger.query(f"SELECT SUM(committed) AS total FROM {AGREEMENTS}")

    def expected(key: str) -> dict[Any, dict[str, int]]:
        totals: dict[Any, dict[str, int]] = {}
        for row in rows:
            group = row[key]
            sums = totals.setdefault(
                group, {"committed": 0, "disbursed": 0, "refunded": 0, "released": 0}
            )
            for name in sums:
                sums[name] += int(row.get(name, 0))
        for sums in totals.values():
            sums["outstanding"] = (
                sums["committed"] - sums["disbursed"] + sums["refunded"] - sums["released"]
            )
        return totals

    for by, key in (("hub", "hub"), ("program", "program"), ("fiscal_year", "fiscal_year")):
        answer = ledger.balances(by, None, {})
        assert {row["key"]: {k: v for k, v in row.items() if k != "key"} for row in answer} == (
            expected(key)
        ), by
        assert [row["key"] for row in answer] == sorted(expected(key)), by
        for row in answer:
            assert all(type(row[name]) is int for name in row if name != "key"), row
    (science_row,) = ledger.balances("hub", ["110000"], {"program": "special_fund"})
    assert science_row["committed"] == 120 * LARGEST_OLD_AMOUNT > 2**63
    assert science_row["key"] == science
    (sport_row,) = ledger.balances("hub", None, {"fiscal_year": 2027})
    assert sport_row["committed"] == 3 * INT64_MAX
    assert sport_row["outstanding"] == 3 * (INT64_MAX - (INT64_MAX - 1) + (INT64_MAX - 2) - 1)


def test_stored_commitments_past_two_to_the_63_fen_project_and_balance_exactly(
    app: Shuniu, settings: Settings, views: dict[str, Any]
) -> None:
    """Events, the projection, ledger rows, balances: 95 commitments of the largest amount
    requests took before amounts were bounded, as a store may already hold them (commands
    now refuse such an amount; the domain and its events never did)."""
    hub = uuid4()
    for n in range(95):
        app.save(
            FundingAgreement(
                recipient=Recipient(hub_id=hub, name="Science Association", uscc=VALID_CODE),
                jurisdiction="110000",
                program="special_fund",
                fiscal_year=2026,
                amount=LARGEST_OLD_AMOUNT,
                decision_ref=f"F-{n}",
                purpose="Services",
                actor=actor(),
            )
        )
    run_projections_to(settings, views, app.last_position())
    ledger: LedgerView = views["ledger"]
    (balance,) = ledger.balances("hub", None, {})
    assert balance["key"] == str(hub)
    assert balance["committed"] == balance["outstanding"] == 95 * LARGEST_OLD_AMOUNT > 2**63
    assert yuan(balance["committed"]) == "94999999999999999.05"
