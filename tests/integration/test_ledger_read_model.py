"""The funding ledger on SQLite and PostgreSQL: exact to the fen, traceable, rebuildable."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shuniu.aggregates.base import event_id_for
from shuniu.aggregates.errors import StateConflict
from shuniu.aggregates.funding_agreement import FundingAgreement
from shuniu.application import Shuniu
from shuniu.projections.ledger import LedgerView
from shuniu.settings import Settings
from tests.factories import ctx
from tests.integration.support import all_rows, designate, rebuild, run_projections_to


def test_a_year_of_funding(app: Shuniu, settings: Settings, views: dict[str, Any]) -> None:
    science, sport = designate(app, 1, "science"), designate(app, 2, "sport")
    purchase = app.commit_funding(
        ctx(), science, "government_purchase", 2026, 1_000_000_00, "F-1", "Services"
    ).aggregate.id
    welfare = app.commit_funding(
        ctx(), sport, "public_welfare", 2026, 300_000_55, "F-2", "Volunteering"
    ).aggregate.id
    special = app.commit_funding(
        ctx(), sport, "special_fund", 2027, 50_000_00, "F-3", "Platform"
    ).aggregate.id
    app.disburse(ctx(), purchase, 400_000_01, "V-1", date(2026, 3, 1))
    wrong = app.disburse(ctx(), welfare, 200_000_00, "V-2", date(2026, 3, 2)).aggregate
    entry = wrong.entries[-1].id  # type: ignore[attr-defined]
    app.reverse_entry(ctx(), welfare, entry, "Paid to the wrong hub.")
    app.disburse(ctx(), welfare, 100_000_00, "V-3", date(2026, 3, 3))
    app.refund(ctx(), welfare, 10_000_00, "Unspent.")
    proposal = app.propose_adjustment(ctx(), sport, "suspend", "No reports.", None)
    adjustment = proposal.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    app.decide_adjustment(ctx("leading_group"), sport, adjustment, "approve", "LG-9")
    assert app.get(welfare, FundingAgreement).status == "frozen"
    assert app.get(special, FundingAgreement).status == "frozen"
    with pytest.raises(StateConflict):
        app.disburse(ctx(), welfare, 1, "V-4", date(2026, 4, 1))
    app.close_funding(ctx(), special, "Not needed.")

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
