"""The funding ledger on SQLite and PostgreSQL: exact to the fen, traceable, rebuildable."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shuniu.aggregates.base import event_id_for
from shuniu.aggregates.errors import StateConflict
from shuniu.aggregates.funding_agreement import FundingAgreement
from shuniu.aggregates.money import yuan
from shuniu.application import Shuniu
from shuniu.commands.funding import CloseFunding, CommitFunding, Disburse, Refund, ReverseEntry
from shuniu.commands.hubs import DecideAdjustment, ProposeAdjustment
from shuniu.projections.ledger import LedgerView
from shuniu.settings import Settings
from tests.factories import ctx
from tests.integration.support import all_rows, designate, rebuild, run_projections_to


def test_a_year_of_funding(app: Shuniu, settings: Settings, views: dict[str, Any]) -> None:
    science, sport = designate(app, 1, "science"), designate(app, 2, "sport")
    purchase = app.handle(
        CommitFunding(
            hub_id=science,
            program="government_purchase",
            fiscal_year=2026,
            amount=yuan(1_000_000_00),
            decision_ref="F-1",
            purpose="Services",
        ),
        ctx(),
    ).aggregate.id
    welfare = app.handle(
        CommitFunding(
            hub_id=sport,
            program="public_welfare",
            fiscal_year=2026,
            amount=yuan(300_000_55),
            decision_ref="F-2",
            purpose="Volunteering",
        ),
        ctx(),
    ).aggregate.id
    special = app.handle(
        CommitFunding(
            hub_id=sport,
            program="special_fund",
            fiscal_year=2027,
            amount=yuan(50_000_00),
            decision_ref="F-3",
            purpose="Platform",
        ),
        ctx(),
    ).aggregate.id
    app.handle(
        Disburse(
            funding_id=purchase,
            amount=yuan(400_000_01),
            voucher_ref="V-1",
            paid_on=date(2026, 3, 1),
        ),
        ctx(),
    )
    wrong = app.handle(
        Disburse(
            funding_id=welfare, amount=yuan(200_000_00), voucher_ref="V-2", paid_on=date(2026, 3, 2)
        ),
        ctx(),
    ).aggregate
    entry = wrong.entries[-1].id  # type: ignore[attr-defined]
    app.handle(
        ReverseEntry(funding_id=welfare, entry_id=entry, reason="Paid to the wrong hub."), ctx()
    )
    app.handle(
        Disburse(
            funding_id=welfare, amount=yuan(100_000_00), voucher_ref="V-3", paid_on=date(2026, 3, 3)
        ),
        ctx(),
    )
    app.handle(Refund(funding_id=welfare, amount=yuan(10_000_00), reason="Unspent."), ctx())
    proposal = app.handle(
        ProposeAdjustment(hub_id=sport, action="suspend", reasons="No reports."), ctx()
    )
    adjustment = proposal.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    app.handle(
        DecideAdjustment(
            hub_id=sport, adjustment_id=adjustment, decision="approve", decision_ref="LG-9"
        ),
        ctx("leading_group"),
    )
    assert app.get(welfare, FundingAgreement).status == "frozen"
    assert app.get(special, FundingAgreement).status == "frozen"
    with pytest.raises(StateConflict):
        app.handle(
            Disburse(
                funding_id=welfare, amount=yuan(1), voucher_ref="V-4", paid_on=date(2026, 4, 1)
            ),
            ctx(),
        )
    app.handle(CloseFunding(funding_id=special, note="Not needed."), ctx())

    run_projections_to(settings, views, app.last_position())
    ledger: LedgerView = views["ledger"]
    by_hub = {row["key"]: row for row in ledger.balances("hub", None, {})}
    assert by_hub[str(science)]["outstanding"] == 599_999_99
    sport_row = by_hub[str(sport)]
    assert (sport_row["committed"], sport_row["disbursed"], sport_row["refunded"]) == (
        350_000_55,
        100_000_00,
        10_000_00,
    )
    assert sport_row["released"] == 50_000_00
    assert sport_row["outstanding"] == 210_000_55
    by_year = {row["key"]: row["committed"] for row in ledger.balances("fiscal_year", None, {})}
    assert by_year == {2026: 1_300_000_55, 2027: 50_000_00}

    lines = ledger.entries(None, {"funding_id": str(welfare)}, limit=100)
    assert [line["kind"] for line in lines[::2]] == [
        "commitment", "disbursement", "disbursement", "disbursement", "refund",
    ]  # fmt: skip
    reversal = lines[4:6]
    assert reversal[0]["reverses"] == str(entry) == str(event_id_for(welfare, 2))
    assert {(x["account"], x["debit"], x["credit"]) for x in reversal} == {
        ("treasury", 200_000_00, 0),
        ("commitments", 0, 200_000_00),
    }
    assert all(line["decision_ref"] == "F-2" for line in lines)

    incremental = all_rows(views)
    rebuild(settings, views, app.last_position())
    assert all_rows(views) == incremental
    assert len(incremental["ledger_entries"]) == 2 * 9
