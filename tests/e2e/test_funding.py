"""Public funding end to end over HTTP, on both stores, exact to the fen.

A commitment, two disbursements, an over-disbursement refused, a refund, a
freeze by revocation, a close with release; the journal balanced line by
line and traceable to its events; the year as valid 360Giving data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.support import (
    Api,
    Cast,
    approve,
    assert_problem,
    event_position,
    nothing_recorded,
    ok,
    reviewed_application,
)
from tests.schemas import errors, three_sixty_giving


@pytest.mark.slow
def test_funding_from_commitment_to_release(api: Api, cast: Cast) -> None:
    office = cast.office.client
    hub_id = ok(approve(cast, reviewed_application(cast, n=1)["id"]))["hub_id"]
    commitment = {
        "hub_id": hub_id, "program": "government_purchase", "fiscal_year": 2026,
        "amount": "1250000.00", "decision_ref": "Finance decision 2026-14",
        "purpose": "Management services for the science field",
    }  # fmt: skip
    with nothing_recorded(api):
        for amount in ("0", "0.00", "-5.00", "10.001", "1e6", 1250000, 1250000.0):
            assert_problem(office.post("/v1/funding", json={**commitment, "amount": amount}), 422)
        assert_problem(cast.applicant.client.post("/v1/funding", json=commitment), 403)

    funding = ok(office.post("/v1/funding", json=commitment), 201)
    f = funding["id"]
    assert (funding["committed"], funding["outstanding"]) == ("1250000.00", "1250000.00")
    pay = f"/v1/funding/{f}/disbursements"
    ok(
        office.post(
            pay, json={"amount": "400000.10", "voucher_ref": "V-1", "paid_on": "2026-03-01"}
        )
    )
    ok(
        office.post(
            pay, json={"amount": "600000.00", "voucher_ref": "V-2", "paid_on": "2026-06-01"}
        )
    )
    with nothing_recorded(api):
        assert_problem(
            office.post(
                pay, json={"amount": "250000.00", "voucher_ref": "V-3", "paid_on": "2026-07-01"}
            ),
            409,
            "exceed",
        )
    refunded = ok(
        office.post(f"/v1/funding/{f}/refunds", json={"amount": "0.10", "reason": "Unspent."})
    )
    assert (refunded["disbursed"], refunded["refunded"], refunded["outstanding"]) == (
        "1000000.10", "0.10", "250000.00",
    )  # fmt: skip

    proposal = ok(
        office.post(f"/v1/hubs/{hub_id}/adjustments", json={"action": "revoke", "reasons": "r"})
    )
    ok(cast.leading_group.client.post(
        f"/v1/hubs/{hub_id}/adjustments/{proposal['adjustment_id']}/decision",
        json={"decision": "approve", "decision_ref": "LG-2026-50"},
    ))  # fmt: skip
    frozen = ok(office.get(f"/v1/funding/{f}"))
    assert frozen["status"] == "frozen"
    assert_problem(
        office.post(pay, json={"amount": "1.00", "voucher_ref": "V-4", "paid_on": "2026-08-01"}),
        409,
        "frozen",
    )
    closed = office.post(f"/v1/funding/{f}/closure", json={"note": "The hub was revoked."})
    assert (ok(closed)["status"], ok(closed)["released"]) == ("closed", "250000.00")

    wait = {"X-Min-Position": str(event_position(closed))}
    lines = ok(office.get(f"/v1/ledger/entries?funding_id={f}&limit=500", headers=wait))["items"]
    assert [line["kind"] for line in lines[::2]] == [
        "commitment", "disbursement", "disbursement", "refund", "release",
    ]  # fmt: skip
    by_event: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_event.setdefault(line["event_id"], []).append(line)
        assert line["decision_ref"] == "Finance decision 2026-14"
    for pair in by_event.values():
        assert sum(Decimal(x["debit"]) for x in pair) == sum(Decimal(x["credit"]) for x in pair)
    audit = api.principal("auditor")
    stream = audit.client.get(f"/v1/audit/streams/{f}")
    if stream.status_code == 200:  # the audit log, once it exists, names the same events
        assert {e["id"] for e in stream.json()["items"]} >= set(by_event)

    (balance,) = ok(office.get("/v1/ledger/balances?by=hub", headers=wait))["items"]
    assert balance == {
        "key": hub_id, "committed": "1250000.00", "disbursed": "1000000.10",
        "refunded": "0.10", "released": "250000.00", "outstanding": "0.00",
    }  # fmt: skip

    data = ok(cast.auditor.client.get("/v1/ledger/360giving?fiscal_year=2026", headers=wait))
    assert errors(three_sixty_giving(), data) == []
    (grant,) = data["grants"]
    assert Decimal(str(grant["amountAwarded"])) == Decimal("1000000.00")
    assert Decimal(str(grant["amountDisbursed"])) == Decimal("1000000.00")
    for total, transactions in (
        ("amountAwarded", "commitmentTransaction"),
        ("amountDisbursed", "disbursementTransaction"),
    ):
        assert sum(Decimal(str(t["value"])) for t in grant[transactions]) == Decimal(
            str(grant[total])
        )
    assert_problem(office.get("/v1/ledger/360giving?fiscal_year=2019", headers=wait), 404)
