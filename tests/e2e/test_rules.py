"""District rule sets, evaluation by indicators and OCDS over HTTP, on both stores.

A jurisdiction's Leading Group sets its rules; decisions apply the version in
force when they are taken and name it; the registry flags a failed
evaluation; the funding gate answers 409 with the version; a year of
government purchase of services is valid OCDS that says what the ledger says.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
from tests.schemas import errors, ocds_record_package, ocds_release_package

RULES: dict[str, Any] = {
    "duty_report_max_age_days": 30,
    "justification_required_for_social_organizations": False,
    "evaluation": {
        "indicators": [
            {"key": "party", "name": "党建工作", "weight": 0.4},
            {"key": "service", "name": "服务能力", "weight": 0.6},
        ],
        "pass_score": 60,
    },
    "funding_requires_passing_evaluation": True,
}


def now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.mark.slow
def test_who_sets_and_reads_rules_and_the_versions_in_force(
    shared_api: Api, shared_cast: Cast
) -> None:
    api, cast = shared_api, shared_cast
    path = f"/v1/jurisdictions/{cast.home}/rules"
    defaults = ok(cast.office.client.get(path))
    assert (defaults["version"], defaults["latest_version"]) == (0, 0)
    assert defaults["duty_report_max_age_days"] == 120  # the server's setting
    assert defaults["justification_required_for_social_organizations"] is True
    assert defaults["evaluation"] == {"indicators": [], "pass_score": None}
    assert defaults["funding_requires_passing_evaluation"] is False
    before = now()

    body = {**RULES, "effective_from": before}
    municipal_group = api.principal("leading_group")
    with nothing_recorded(api):
        assert_problem(cast.office.client.post(path, json=body), 403)
        assert_problem(cast.district_leading_group.client.post(path, json=body), 403)
        assert_problem(municipal_group.client.post(path, json=body), 403)  # not its district's
        assert_problem(cast.district_office.client.get(path), 403)
        assert_problem(
            cast.leading_group.client.post("/v1/jurisdictions/190000/rules", json=body), 422
        )
        for bad in (
            {"effective_from": "2026-12-01"},
            {"effective_from": "2026-12-01T00:00:00"},
            {"duty_report_max_age_days": "30"},
            {"evaluation": {"indicators": [{"key": "a", "name": "A", "weight": -1}]}},
            {"unknown": 1},
        ):
            assert_problem(cast.leading_group.client.post(path, json={**body, **bad}), 422)

    first = cast.leading_group.client.post(path, json=body)
    recorded = ok(first)
    assert first.headers["ETag"] == '"1"'
    assert (recorded["version"], recorded["latest_version"]) == (1, 1)
    assert recorded["duty_report_max_age_days"] == 30
    assert recorded["evaluation"] == RULES["evaluation"]
    between = now()
    with nothing_recorded(api):
        assert_problem(
            cast.leading_group.client.post(path, json=body, headers={"If-Match": '"7"'}), 412
        )
    second = cast.leading_group.client.post(
        path,
        json={"effective_from": now(), "duty_report_max_age_days": None},
        headers={"If-Match": '"1"'},
    )
    assert ok(second)["version"] == 2
    assert ok(second)["duty_report_max_age_days"] is None  # left to the server
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    ok(cast.leading_group.client.post(path, json={**RULES, "effective_from": tomorrow}))

    # Any principal of the jurisdiction, and municipal ones, read the rules in force then.
    for reader in (cast.applicant, cast.auditor, api.principal("analyst"), municipal_group):
        current = ok(reader.client.get(path))
        assert (current["version"], current["latest_version"]) == (2, 3)
        assert current["duty_report_max_age_days"] == 120
        assert current["defaults"] == ["duty_report_max_age_days"]
    assert ok(cast.office.client.get(path, params={"at": before}))["version"] == 0
    assert ok(cast.office.client.get(path, params={"at": between}))["version"] == 1
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    assert ok(cast.office.client.get(path, params={"at": later}))["version"] == 3
    assert (
        ok(cast.office.client.get(path, params={"version": 1}))["evaluation"]
        == (RULES["evaluation"])
    )
    assert_problem(cast.office.client.get(path, params={"version": 4}), 404)
    assert_problem(cast.office.client.get(path, params={"version": 1, "at": between}), 422)
    assert_problem(cast.office.client.get(path, params={"at": "2026-12-01T00:00:00"}), 422)


@pytest.mark.slow
def test_an_evaluation_by_indicators_flags_and_gates_and_ocds_follows_the_ledger(
    shared_api: Api, shared_cast: Cast
) -> None:
    api, cast = shared_api, shared_cast
    office = cast.office.client
    rules = f"/v1/jurisdictions/{cast.home}/rules"
    ok(cast.leading_group.client.post(rules, json={**RULES, "effective_from": now()}))

    # Version 1 drops the Art. 5 justification: a social organization is approved without.
    application = reviewed_application(cast, n=1, kind="social_organization")
    approved = ok(approve(cast, application["id"]))
    assert approved["decision"]["rules_version"] == 1
    hub = approved["hub_id"]

    evaluations = f"/v1/hubs/{hub}/evaluations"
    base = {"year": 2026, "notes": "Annual evaluation."}
    results = {"party": 50, "service": 60}  # 0.4 x 50 + 0.6 x 60 = 56
    with nothing_recorded(api):
        for body, detail in (
            ({"grade": "fail", "score": 60, "indicators": results}, "weighted mean, 56"),
            ({"grade": "pass", "indicators": results}, "graded fail"),
            ({"grade": "fail", "indicators": {"party": 50}}, "missing: service"),
            ({"grade": "fail", "score": 56}, "missing: party, service"),
            ({"grade": "fail", "indicators": {"party": 50, "service": 101}}, ""),
        ):
            assert_problem(office.post(evaluations, json={**base, **body}), 422, detail)
    evaluated = office.post(evaluations, json={**base, "grade": "fail", "indicators": results})
    (evaluation,) = ok(evaluated)["evaluations"]
    assert (evaluation["score"], evaluation["rules_version"]) == (56, 1)

    wait = {"X-Min-Position": str(event_position(evaluated))}
    flagged = ok(office.get("/v1/registry/hubs?flag=failed_evaluation", headers=wait))["items"]
    assert [(h["id"], h["flags"], h["rules_version"]) for h in flagged] == [
        (hub, ["failed_evaluation"], 1)
    ]

    funding = {
        "hub_id": hub, "program": "government_purchase", "fiscal_year": 2026,
        "amount": "500000.00", "decision_ref": "Finance decision 2026-21",
        "purpose": "Management services for the field",
    }  # fmt: skip
    with nothing_recorded(api):
        assert_problem(office.post("/v1/funding", json=funding), 409, "version 1")
    # Version 2 has no gate: the same hub is funded, and the commitment names version 2.
    ungated = {**RULES, "effective_from": now(), "funding_requires_passing_evaluation": False}
    ok(cast.leading_group.client.post(rules, json=ungated))
    f = ok(office.post("/v1/funding", json=funding), 201)["id"]
    auditor = api.principal("auditor")  # municipal: reads the raw log
    stream = ok(auditor.client.get(f"/v1/audit/streams/{f}"))["items"]
    assert stream[0]["data"]["rules_version"] == 2

    pay = f"/v1/funding/{f}/disbursements"
    ok(
        office.post(
            pay, json={"amount": "200000.00", "voucher_ref": "V-1", "paid_on": "2026-04-01"}
        )
    )
    ok(office.post(f"/v1/funding/{f}/refunds", json={"amount": "0.50", "reason": "Unspent."}))
    closed = office.post(f"/v1/funding/{f}/closure", json={"note": "Year over."})
    assert ok(closed)["released"] == "300000.50"

    wait = {"X-Min-Position": str(event_position(closed))}
    query = {"fiscal_year": 2026}
    releases = ok(office.get("/v1/ledger/ocds", params=query, headers=wait))
    assert errors(ocds_release_package(), releases) == []
    assert [r["tag"] for r in releases["releases"]] == [
        ["award", "contract"], ["implementation"], ["implementation"], ["contractTermination"],
    ]  # fmt: skip
    records = ok(office.get("/v1/ledger/ocds", params={**query, "format": "record"}, headers=wait))
    assert errors(ocds_record_package(), records) == []
    (record,) = records["records"]
    assert record["ocid"] == f"ocds-shuniu-{f}"
    compiled = record["compiledRelease"]
    (balance,) = ok(office.get("/v1/ledger/balances?by=hub", headers=wait))["items"]
    (contract,) = compiled["contracts"]
    assert contract["status"] == "terminated"
    assert yuan(compiled["awards"][0]["value"]) == Decimal(balance["committed"])
    assert yuan(contract["value"]) == Decimal(balance["committed"]) - Decimal(balance["released"])
    assert sum(yuan(t["value"]) for t in contract["implementation"]["transactions"]) == (
        Decimal(balance["disbursed"]) - Decimal(balance["refunded"])
    )
    assert compiled["buyer"]["id"] == f"CN-GBT2260-{cast.home}"
    assert compiled["awards"][0]["suppliers"][0]["id"].startswith("CN-USCC-")
    assert_problem(office.get("/v1/ledger/ocds", params={"fiscal_year": 2019}, headers=wait), 404)
    assert_problem(office.get("/v1/ledger/ocds", params={**query, "format": "csv"}), 422)


def yuan(value: dict[str, Any]) -> Decimal:
    assert value["currency"] == "CNY"
    return Decimal(str(value["amount"]))
