"""Government purchase of services as OCDS on SQLite and PostgreSQL: packages valid against
the official schemas, one release per change, compiled releases equal to the ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from shuniu.aggregates.base import event_id_for
from shuniu.aggregates.money import yuan
from shuniu.application import Shuniu
from shuniu.commands.funding import CloseFunding, CommitFunding, Disburse, Refund, ReverseEntry
from shuniu.exports.ocds import record_package, release_package
from shuniu.projections.ledger import LedgerView
from shuniu.settings import Settings
from tests.factories import ctx
from tests.integration.support import designate, run_projections_to
from tests.schemas import errors, ocds_record_package, ocds_release_package

URI = "https://shuniu.example/v1/ledger/ocds?fiscal_year=2026"


def commit(app: Shuniu, hub: UUID, amount: int, program: str = "government_purchase") -> UUID:
    command = CommitFunding(
        hub_id=hub, program=program, fiscal_year=2026,  # type: ignore[arg-type]
        amount=yuan(amount), decision_ref=f"F-{amount}", purpose="Management services",
    )  # fmt: skip
    return app.handle(command, ctx()).aggregate.id


def pay(app: Shuniu, funding: UUID, amount: int, on: date) -> UUID:
    answer = app.handle(
        Disburse(funding_id=funding, amount=yuan(amount), voucher_ref="V", paid_on=on), ctx()
    )
    return answer.aggregate.entries[-1].id  # type: ignore[attr-defined]


def a_year_of_purchases(app: Shuniu) -> dict[str, UUID]:
    science, sport = designate(app, 1, "science"), designate(app, 2, "sport")
    closed = commit(app, science, 1_000_000_00)
    pay(app, closed, 400_000_10, date(2026, 3, 1))
    wrong = pay(app, closed, 100_000_00, date(2026, 3, 2))
    app.handle(ReverseEntry(funding_id=closed, entry_id=wrong, reason="Wrong hub."), ctx())
    app.handle(Refund(funding_id=closed, amount=yuan(10), reason="Unspent."), ctx())
    app.handle(CloseFunding(funding_id=closed, note="Year over."), ctx())  # releases 600,000.00
    open_ = commit(app, sport, 50_000_00)
    pay(app, open_, 50_000_00, date(2026, 6, 1))
    spent = commit(app, sport, 20_000_00)
    pay(app, spent, 20_000_00, date(2026, 6, 2))
    app.handle(CloseFunding(funding_id=spent, note="Done."), ctx())  # releases nothing
    welfare = commit(app, sport, 30_000_00, "public_welfare")  # not a purchase of services
    return {"closed": closed, "open": open_, "spent": spent, "welfare": welfare}


def packages(views: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    ledger: LedgerView = views["ledger"]
    agreements = ledger.agreements(None, 2026, "government_purchase")
    lines = ledger.entries_of([a["id"] for a in agreements])
    return (
        release_package(agreements, lines, URI),
        record_package(agreements, lines, URI),
        agreements,
    )


def test_purchases_of_services_as_valid_ocds_that_says_what_the_ledger_says(
    app: Shuniu, settings: Settings, views: dict[str, Any]
) -> None:
    ids = a_year_of_purchases(app)
    run_projections_to(settings, views, app.last_position())
    releases, records, agreements = packages(views)
    assert errors(ocds_release_package(), releases) == []
    assert errors(ocds_record_package(), records) == []

    # One release per change the ledger recorded; the welfare agreement is not there.
    ocids = {r["ocid"] for r in releases["releases"]}
    assert ocids == {f"ocds-shuniu-{ids[k]}" for k in ("closed", "open", "spent")}
    closed = [r for r in releases["releases"] if r["ocid"] == f"ocds-shuniu-{ids['closed']}"]
    assert [r["tag"] for r in closed] == [
        ["award", "contract"], ["implementation"], ["implementation"], ["implementation"],
        ["implementation"], ["contractTermination"],
    ]  # fmt: skip
    assert [r["id"] for r in closed] == [str(event_id_for(ids["closed"], v)) for v in range(1, 7)]
    assert releases["publishedDate"] == max(r["date"] for r in releases["releases"])

    by_ocid = {record["ocid"]: record for record in records["records"]}
    for agreement in agreements:
        record = by_ocid[f"ocds-shuniu-{agreement['id']}"]
        compiled = record["compiledRelease"]
        (award,) = compiled["awards"]
        (contract,) = compiled["contracts"]
        closed_ = agreement["status"] == "closed"
        assert amount(award["value"]) == fen(agreement["committed"])
        assert amount(contract["value"]) == fen(agreement["committed"] - agreement["released"])
        paid = sum(amount(t["value"]) for t in contract["implementation"]["transactions"])
        assert paid == fen(agreement["disbursed"] - agreement["refunded"])
        assert contract["status"] == ("terminated" if closed_ else "active")
        assert ("endDate" in contract["period"]) == closed_
        assert compiled["buyer"] == {
            "id": f"CN-GBT2260-{agreement['jurisdiction']}",
            "name": f"Social Construction Work Leading Group Office ({agreement['jurisdiction']})",
        }
        (supplier,) = award["suppliers"]
        assert supplier["id"] == f"CN-USCC-{agreement['hub_uscc']}"
        assert {p["id"]: p["roles"] for p in compiled["parties"]} == {
            compiled["buyer"]["id"]: ["buyer", "payer"],
            supplier["id"]: ["supplier", "payee"],
        }
        assert compiled["tag"] == ["compiled"]
        assert record["releases"] == [
            r for r in releases["releases"] if r["ocid"] == record["ocid"]
        ]

    # The closed agreement, figure by figure: 1,000,000.00 committed, 400,000.10 paid,
    # 100,000.00 paid and reversed, 0.10 refunded, 600,000.00 released at closing.
    compiled = by_ocid[f"ocds-shuniu-{ids['closed']}"]["compiledRelease"]
    (contract,) = compiled["contracts"]
    assert [amount(t["value"]) for t in contract["implementation"]["transactions"]] == [
        Decimal("400000.10"), Decimal("100000.00"), Decimal("-100000.00"), Decimal("-0.10"),
    ]  # fmt: skip
    assert contract["implementation"]["transactions"][0]["date"] == "2026-03-01T00:00:00+08:00"
    assert amount(contract["value"]) == Decimal("400000.00")


def amount(value: dict[str, Any]) -> Decimal:
    assert value["currency"] == "CNY"
    return Decimal(str(value["amount"]))


def fen(total: int) -> Decimal:
    return Decimal(total) / 100
