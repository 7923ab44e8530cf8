"""The designation procedure of Art. 5-6 over HTTP, from submission to the registry."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.support import (
    DECISION,
    REVIEW,
    Api,
    Cast,
    application_body,
    etag,
    event_position,
    submit,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def api(shared_api: Api) -> Api:
    """These tests share one server per store, each in jurisdictions of its own."""
    return shared_api


@pytest.fixture
def cast(shared_cast: Cast) -> Cast:
    return shared_cast


def test_submit_supplement_review_approve_designates_a_hub(api: Api, cast: Cast) -> None:
    body = application_body(1, field="culture and arts", jurisdiction=cast.home)
    app_id, decided = walk_the_procedure(api, cast, body)
    hub_id = decided.json()["hub_id"]
    assert hub_id

    # The hub exists at once: GET /v1/hubs/{id} reads the aggregate, not a projection.
    hub = cast.office.client.get(f"/v1/hubs/{hub_id}")
    assert hub.status_code == 200, hub.text
    assert etag(hub) == f'"{hub.json()["version"]}"'
    expected_hub = {
        "id": hub_id,
        "application_id": app_id,
        "name": body["organization"]["name"],
        "uscc": body["organization"]["uscc"],
        "kind": body["organization"]["kind"],
        "field": body["field"],
        "jurisdiction": cast.home,
        "status": "active",
        "decision_ref": DECISION["decision_ref"],
    }
    assert {k: hub.json()[k] for k in expected_hub} == expected_hub

    # The hub can be given a principal of its own, which reads its own hub.
    hub_principal = api.principal("hub", cast.home, hub_id=hub_id)
    assert hub_principal.client.get(f"/v1/hubs/{hub_id}").status_code == 200

    check_registry(cast, body, app_id, hub_id, event_position(decided))


def walk_the_procedure(api: Api, cast: Cast, body: dict[str, Any]) -> tuple[str, httpx.Response]:
    """Submit, supplement request, supplement, preliminary review, approval (Art. 6)."""
    # Art. 6(1): the applicant submits.
    submitted = cast.applicant.client.post("/v1/applications", json=body)
    assert submitted.status_code == 201, submitted.text
    application = submitted.json()
    path = f"/v1/applications/{application['id']}"
    assert application["status"] == "submitted"
    assert application["version"] == 1
    assert application["organization"] == body["organization"]
    assert application["criteria"] == body["criteria"]
    assert application["jurisdiction"] == cast.home
    assert application["submitted_by"] == cast.applicant.id
    assert application["hub_id"] is None
    assert etag(submitted) == '"1"'
    assert submitted.headers.get("Location", "").endswith(path)

    # The office asks for more; the applicant supplements and rewrites one criterion.
    requested = cast.office.client.post(
        f"{path}/supplement-requests",
        json={"reason": "Describe the Party organization in more detail."},
        headers={"If-Match": etag(submitted)},
    )
    assert requested.status_code == 200, requested.text
    assert requested.json()["status"] == "supplement_requested"
    assert etag(requested) == '"2"'

    new_statement = "A Party committee of 9 members; 14 branches in member units."
    supplemented = cast.applicant.client.post(
        f"{path}/supplements",
        json={
            "note": "Party building report attached.",
            "criteria": {"party_organization": new_statement},
        },
        headers={"If-Match": etag(requested)},
    )
    assert supplemented.status_code == 200, supplemented.text
    state = supplemented.json()
    assert state["status"] == "submitted"
    assert state["version"] == 3
    assert state["criteria"]["party_organization"] == new_statement
    assert state["criteria"]["leading_role"] == body["criteria"]["leading_role"]
    assert [e["kind"] for e in state["exchanges"]] == ["request", "supplement"]

    # Art. 6(2): the office's preliminary opinion.
    reviewed = cast.office.client.post(
        f"{path}/preliminary-review", json=REVIEW, headers={"If-Match": '"3"'}
    )
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["status"] == "preliminary_reviewed"
    assert reviewed.json()["preliminary_review"] == REVIEW

    # Art. 6(3): the Leading Group approves; the hub is designated in the same save.
    decided = cast.leading_group.client.post(
        f"{path}/decision", json=DECISION, headers={"If-Match": '"4"'}
    )
    assert decided.status_code == 200, decided.text
    decision = decided.json()
    assert decision["status"] == "approved"
    assert decision["version"] == 5
    assert etag(decided) == '"5"'
    assert decision["decision"]["decision"] == "approve"
    assert decision["decision"]["decision_ref"] == DECISION["decision_ref"]
    assert decision["decided_at"] is not None

    positions = [event_position(a) for a in (submitted, requested, supplemented, reviewed, decided)]
    assert positions == sorted(set(positions)), positions
    # X-Event-Position is the last event of the save, the policy's events included.
    assert positions[-1] == api.head(), "the decision's position must be the last event recorded"
    assert positions[-1] > positions[-2] + 1, "the designation policy's events are in the save"
    return str(application["id"]), decided


def check_registry(
    cast: Cast, body: dict[str, Any], app_id: str, hub_id: str, decided_at: int
) -> None:
    """The registry shows the hub and the approved application (read your own write)."""
    after = {"X-Min-Position": str(decided_at)}
    hubs = cast.auditor.client.get("/v1/registry/hubs", headers=after)
    assert hubs.status_code == 200, hubs.text
    assert hubs.json()["next_cursor"] is None
    [listed] = hubs.json()["items"]
    expected = {
        "id": hub_id,
        "status": "active",
        "field": body["field"],
        "uscc": body["organization"]["uscc"],
        "name": body["organization"]["name"],
        "jurisdiction": cast.home,
        "affiliate_count": 0,
    }
    assert {k: listed[k] for k in expected} == expected
    for name in ("designated_at", "last_duty_report_period", "flags"):
        assert name in listed

    detail = cast.applicant.client.get(f"/v1/registry/hubs/{hub_id}", headers=after)
    assert detail.status_code == 200, detail.text
    assert detail.json()["status"] == "active"
    for name in ("responsibilities", "evaluations", "duty_reports"):
        assert detail.json()[name] == []

    approved = cast.office.client.get(
        "/v1/registry/applications", params={"status": "approved"}, headers=after
    )
    assert approved.status_code == 200, approved.text
    [row] = approved.json()["items"]
    assert row["id"] == app_id
    assert row["status"] == "approved"
    assert row["field"] == body["field"]
    assert row["organization"]["uscc"] == body["organization"]["uscc"]
    assert row["decided_at"] is not None
    assert row["submitted_at"] is not None

    # A district principal does not see the municipality's registry.
    district = cast.district_office.client.get("/v1/registry/hubs", headers=after)
    assert district.status_code == 200, district.text
    assert district.json()["items"] == []


def test_rejected_and_withdrawn_applications_in_the_registry(api: Api, cast: Cast) -> None:
    rejected = submit(cast.applicant, n=1, field="science")
    withdrawn = submit(cast.applicant, n=2, field="law")
    pending = submit(cast.other_applicant, n=3, field="health")

    reviewed = cast.office.client.post(
        f"/v1/applications/{rejected['id']}/preliminary-review",
        json={"opinion": "not_recommend", "notes": "Not representative of the field."},
    )
    assert reviewed.status_code == 200, reviewed.text
    decided = cast.leading_group.client.post(
        f"/v1/applications/{rejected['id']}/decision",
        json={**DECISION, "decision": "reject", "reasons": "Another body leads the field."},
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "rejected"
    assert decided.json()["hub_id"] is None
    gone = cast.applicant.client.post(
        f"/v1/applications/{withdrawn['id']}/withdrawal", json={"reason": "Merged into another."}
    )
    assert gone.status_code == 200, gone.text
    assert gone.json()["withdrawal_reason"] == "Merged into another."

    after = {"X-Min-Position": str(api.head())}
    rows = cast.office.client.get("/v1/registry/applications", headers=after)
    assert rows.status_code == 200, rows.text
    statuses = {row["id"]: (row["status"], row["opinion"]) for row in rows.json()["items"]}
    assert statuses == {
        rejected["id"]: ("rejected", "not_recommend"),
        withdrawn["id"]: ("withdrawn", None),
        pending["id"]: ("submitted", None),
    }
    only_rejected = cast.office.client.get(
        "/v1/registry/applications", params={"status": "rejected"}, headers=after
    )
    assert [r["id"] for r in only_rejected.json()["items"]] == [rejected["id"]]
    hubs = cast.office.client.get("/v1/registry/hubs", headers=after)
    assert hubs.json()["items"] == []

    # Pages: limit and cursor walk the list in order, each row once.
    first = cast.office.client.get("/v1/registry/applications", params={"limit": 2})
    assert first.status_code == 200, first.text
    assert len(first.json()["items"]) == 2
    cursor = first.json()["next_cursor"]
    assert cursor is not None
    rest = cast.office.client.get(
        "/v1/registry/applications", params={"limit": 2, "cursor": cursor}
    )
    assert rest.status_code == 200, rest.text
    walked = [r["id"] for r in first.json()["items"] + rest.json()["items"]]
    assert walked == [rejected["id"], withdrawn["id"], pending["id"]]
    assert rest.json()["next_cursor"] is None
