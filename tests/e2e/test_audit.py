"""An auditor with only a token pages through, replays, verifies and exports the log."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.support import Api, Cast, approve, assert_problem, ok, reviewed_application


@pytest.mark.slow
def test_an_auditor_reads_replays_verifies_and_exports(api: Api, cast: Cast) -> None:
    application = reviewed_application(cast, n=1)
    decision = approve(cast, application["id"])
    hub_id = decision.json()["hub_id"]
    hub = api.principal("hub", hub_id=hub_id)
    for quarter in ("2026-Q1", "2026-Q2"):
        hub.client.post(f"/v1/hubs/{hub_id}/duty-reports",
                        json={"period": quarter, "kind": "work", "content": quarter})  # fmt: skip
    auditor = cast.auditor.client

    for role in ("office", "leading_group", "analyst", "applicant"):
        assert_problem(api.principal(role).client.get("/v1/audit/events"), 403)
    assert_problem(api.principal("auditor", "110105").client.get("/v1/audit/verify"), 403)

    seen: list[dict[str, Any]] = []
    after = 0
    while True:
        page = ok(auditor.get("/v1/audit/events", params={"after": after, "limit": 7}))
        seen += page["items"]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert [e["position"] for e in seen] == sorted(e["position"] for e in seen)
    assert len({e["id"] for e in seen}) == len(seen) == api.head()
    designated = next(e for e in seen if e["type"] == "Designated")
    assert designated["aggregate_type"] == "HubOrganization"
    assert designated["actor"]["policy"] == "designation"
    assert designated["actor"]["principal_id"] == cast.leading_group.id

    stream = ok(auditor.get(f"/v1/audit/streams/{hub_id}"))["items"]
    assert [(e["version"], e["type"]) for e in stream] == [
        (1, "Designated"), (2, "DutyReported"), (3, "DutyReported"),
    ]  # fmt: skip
    at_two = ok(auditor.get(f"/v1/audit/streams/{hub_id}/state", params={"version": 2}))
    assert at_two["version"] == 2
    assert at_two["state"]["duty_report_count"] == 1
    assert at_two["state"]["last_duty_report"]["period"] == "2026-Q1"
    then = stream[1]["occurred_at"]
    at_then = ok(auditor.get(f"/v1/audit/streams/{hub_id}/state", params={"at": then}))
    assert at_then["version"] == 2
    assert_problem(auditor.get(f"/v1/audit/streams/{hub_id}/state", params={"version": 9}), 404)
    assert_problem(auditor.get(f"/v1/audit/streams/{hub_id}/state"), 422)

    verified = ok(auditor.get("/v1/audit/verify"))
    assert verified["ok"] is True
    assert verified["checked"] == len(seen)
    assert len(verified["anchor"]) == 64

    with auditor.stream("GET", "/v1/audit/export") as answer:
        assert answer.headers["content-type"].startswith("application/x-ndjson")
        exported = [json.loads(line) for line in answer.iter_lines() if line]
    assert [e["id"] for e in exported] == [e["id"] for e in seen]
    assert all(e["link"] and e["state"] for e in exported)
    assert ok(api.admin.get("/v1/audit/verify"))["ok"] is True
