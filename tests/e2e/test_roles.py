"""Every role that may not call a command gets 403 for it, and nothing is recorded.

One table of the whole command list (docs/api.md), each with the roles that may
call it; every other role is refused, on both stores, through a real server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from shuniu.aggregates.base import ROLES
from tests.e2e.support import (
    Api,
    Cast,
    Principal,
    application_body,
    approve,
    assert_problem,
    credit_code,
    nothing_recorded,
    reviewed_application,
)


@dataclass(frozen=True)
class Command:
    method: str
    path: str
    body: dict[str, Any] | None
    roles: frozenset[str]


def commands(ids: dict[str, str]) -> list[Command]:
    hub, application, affiliation = ids["hub"], ids["application"], ids["affiliation"]
    notice, adjustment, principal = ids["notice"], ids["adjustment"], ids["principal"]
    report, referral = ids["report"], ids["referral"]
    organization = {"name": "Go Club", "uscc": credit_code(900), "type": "social_group"}
    table = [
        ("POST", "/v1/principals", {"name": "n", "role": "analyst", "jurisdiction": "110000"},
         "admin"),
        ("DELETE", f"/v1/principals/{principal}", None, "admin"),
        ("POST", "/v1/applications", application_body(901, field="chess"), "applicant office"),
        ("POST", f"/v1/applications/{application}/supplement-requests", {"reason": "r"}, "office"),
        ("POST", f"/v1/applications/{application}/supplements", {"note": "n"}, "applicant"),
        ("POST", f"/v1/applications/{application}/preliminary-review",
         {"opinion": "recommend", "notes": "n"}, "office"),
        ("POST", f"/v1/applications/{application}/decision",
         {"decision": "reject", "decision_ref": "d", "reasons": "r"}, "leading_group"),
        ("POST", f"/v1/applications/{application}/withdrawal", {"reason": "r"}, "applicant"),
        ("POST", f"/v1/hubs/{hub}/responsibilities",
         {"leader": "l", "department": "d", "staff": []}, "hub"),
        ("POST", f"/v1/hubs/{hub}/duty-reports",
         {"period": "2026", "kind": "work", "content": "c"}, "hub"),
        ("POST", f"/v1/hubs/{hub}/upward-reports", {"subject": "s", "content": "c"}, "hub"),
        ("POST", f"/v1/hubs/{hub}/upward-reports/{report}/replies", {"text": "t"},
         "office leading_group"),
        ("POST", f"/v1/hubs/{hub}/adjustments", {"action": "suspend", "reasons": "r"}, "office"),
        ("POST", f"/v1/hubs/{hub}/adjustments/{adjustment}/decision",
         {"decision": "reject", "decision_ref": "d"}, "leading_group"),
        ("POST", f"/v1/hubs/{hub}/evaluations",
         {"year": 2026, "score": 80, "grade": "good", "notes": "n"}, "office"),
        ("POST", "/v1/affiliations", {"hub_id": hub, "organization": organization}, "hub office"),
        ("POST", f"/v1/affiliations/{affiliation}/registration-reviews",
         {"matter": "change", "opinion": "approve", "notes": "n"}, "hub"),
        ("POST", f"/v1/affiliations/{affiliation}/registration", {"uscc": credit_code(903)},
         "hub"),
        ("POST", f"/v1/affiliations/{affiliation}/annual-inspections",
         {"year": 2026, "result": "qualified", "notes": ""}, "hub"),
        ("POST", f"/v1/affiliations/{affiliation}/violation-referrals",
         {"description": "d", "referred_to": "r"}, "hub"),
        ("POST", f"/v1/affiliations/{affiliation}/violation-referrals/{referral}/outcome",
         {"outcome": "dismissed", "notes": "n"}, "hub"),
        ("POST", f"/v1/affiliations/{affiliation}/party-building",
         {"year": 2026, "organization": "branch", "members": 3}, "hub"),
        ("POST", f"/v1/affiliations/{affiliation}/transfer", {"to_hub_id": hub, "reason": "r"},
         "office"),
        ("POST", f"/v1/affiliations/{affiliation}/end", {"reason": "r"}, "hub office"),
        ("POST", "/v1/notices", {"title": "t", "body": "b", "jurisdiction": "110000"},
         "office leading_group"),
        ("POST", f"/v1/notices/{notice}/acknowledgements", {"hub_id": hub}, "hub"),
        ("POST", f"/v1/notices/{notice}/relays", {"hub_id": hub}, "hub"),
        ("POST", "/v1/jurisdictions/110000/rules",
         {"effective_from": "2100-01-01T00:00:00+08:00"}, "leading_group"),
    ]  # fmt: skip
    return [Command(m, p, b, frozenset(r.split())) for m, p, b, r in table]


def world(api: Api, cast: Cast) -> tuple[dict[str, str], dict[str, Principal]]:
    """A hub with an affiliate (with a referral), an upward report, a notice and a pending
    adjustment; a principal per role."""
    hub = approve(cast, reviewed_application(cast, n=1)["id"]).json()["hub_id"]
    hub_principal = api.principal("hub", hub_id=hub)
    affiliation = hub_principal.client.post(
        "/v1/affiliations",
        json={
            "hub_id": hub,
            "organization": {"name": "C", "uscc": credit_code(902), "type": "foundation"},
        },
    ).json()["id"]
    referral = hub_principal.client.post(
        f"/v1/affiliations/{affiliation}/violation-referrals",
        json={"description": "d", "referred_to": "r"},
    ).json()["referral_id"]
    report = hub_principal.client.post(
        f"/v1/hubs/{hub}/upward-reports", json={"subject": "s", "content": "c"}
    ).json()["report_id"]
    notice = cast.office.client.post(
        "/v1/notices", json={"title": "t", "body": "b", "jurisdiction": "110000"}
    ).json()["id"]
    adjustment = cast.office.client.post(
        f"/v1/hubs/{hub}/adjustments", json={"action": "suspend", "reasons": "r"}
    ).json()["adjustment_id"]
    application = api.principal("applicant")
    submitted = application.client.post("/v1/applications", json=application_body(3, field="go"))
    by_role = {role: api.principal(role) for role in ROLES if role not in ("hub", "applicant")}
    by_role |= {"hub": hub_principal, "applicant": application}
    ids = {
        "hub": hub,
        "application": submitted.json()["id"],
        "affiliation": affiliation,
        "notice": notice,
        "adjustment": adjustment,
        "report": report,
        "referral": referral,
        "principal": cast.auditor.id,
    }
    return ids, by_role


@pytest.mark.slow
def test_every_role_that_may_not_call_a_command_gets_403(api: Api, cast: Cast) -> None:
    ids, by_role = world(api, cast)
    table = commands(ids)
    assert len(table) == 28
    refused = 0
    with nothing_recorded(api):
        for command in table:
            for role, principal in by_role.items():
                if role in command.roles:
                    continue
                answer = principal.client.request(command.method, command.path, json=command.body)
                assert_problem(answer, 403)
                refused += 1
    assert refused == sum(len(ROLES) - len(c.roles) for c in table)


@pytest.mark.slow
def test_every_role_that_may_call_a_command_is_not_refused_for_who_it_is(
    api: Api, cast: Cast
) -> None:
    """The other half of the table: each allowed role gets past the checks of who it is
    (the command may still be refused for the state it finds: 409, 422)."""
    ids, by_role = world(api, cast)
    for command in commands(ids):
        for role in sorted(command.roles):
            answer = by_role[role].client.request(command.method, command.path, json=command.body)
            assert answer.status_code not in (401, 403), (
                f"{role} may call {command.method} {command.path}: {answer.text}"
            )
