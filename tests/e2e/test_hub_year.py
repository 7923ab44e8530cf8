"""A hub's year over HTTP, on both stores: designation to transfer, as every read model shows it.

Designation, responsibilities, quarterly duty reports, an affiliate with
reviews and an inspection, a notice acknowledged and relayed, an evaluation,
a revocation approved, and the affiliate transferred to a newly designated hub.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.support import (
    Api,
    Cast,
    Principal,
    approve,
    assert_problem,
    credit_code,
    event_position,
    ok,
    reviewed_application,
)


def read(client: httpx.Client, path: str, after: httpx.Response) -> dict[str, Any]:
    """A projection read that waits for the command answered by ``after``."""
    return ok(client.get(path, headers={"X-Min-Position": str(event_position(after))}))


def designate(cast: Cast, n: int, field: str) -> str:
    hub_id: str = ok(approve(cast, reviewed_application(cast, n=n, field=field)["id"]))["hub_id"]
    return hub_id


@pytest.mark.slow
def test_a_hubs_year(api: Api, cast: Cast) -> None:
    office, lg = cast.office.client, cast.leading_group.client
    hub_id = designate(cast, 1, "science")
    other_id = designate(cast, 2, "sport")
    hub: Principal = api.principal("hub", hub_id=hub_id)
    h = hub.client

    ok(
        h.post(
            f"/v1/hubs/{hub_id}/responsibilities",
            json={
                "leader": "Wang Fang",
                "department": "Social Work Dept.",
                "staff": ["Li", "Zhao"],
            },
        )
    )
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        ok(
            h.post(
                f"/v1/hubs/{hub_id}/duty-reports",
                json={
                    "period": quarter,
                    "kind": "work",
                    "content": f"Work of {quarter}.",
                    "figures": {"organizations_served": 40},
                },
            )
        )
    assert_problem(
        h.post(
            f"/v1/hubs/{hub_id}/duty-reports",
            json={"period": "2026-Q5", "kind": "work", "content": "c"},
        ),
        422,
    )
    ok(
        h.post(
            f"/v1/hubs/{hub_id}/upward-reports", json={"subject": "Flood relief", "content": "c"}
        )
    )

    club = {"name": "Chess Club", "uscc": credit_code(50), "type": "social_group"}
    affiliation = ok(h.post("/v1/affiliations", json={"hub_id": hub_id, "organization": club}), 201)
    a = affiliation["id"]
    ok(
        h.post(
            f"/v1/affiliations/{a}/registration-reviews",
            json={"matter": "establishment", "opinion": "approve", "notes": "Charter in order."},
        )
    )
    assert_problem(
        h.post(
            f"/v1/affiliations/{a}/annual-inspections", json={"year": 2026, "result": "unqualified"}
        ),
        422,
        "notes",
    )
    ok(
        h.post(
            f"/v1/affiliations/{a}/annual-inspections",
            json={"year": 2026, "result": "basically_qualified", "notes": "Filed late."},
        )
    )
    assert_problem(
        h.post(
            f"/v1/affiliations/{a}/annual-inspections",
            json={"year": 2026, "result": "qualified", "notes": ""},
        ),
        409,
    )
    other_hub = api.principal("hub", hub_id=other_id)
    assert_problem(
        other_hub.client.post("/v1/affiliations", json={"hub_id": other_id, "organization": club}),
        409,
        "supervising hub",
    )

    issued = office.post(
        "/v1/notices", json={"title": "2026 plan", "body": "The plan.", "jurisdiction": "110000"}
    )
    notice = ok(issued, 201)
    assert sorted(notice["hub_ids"]) == sorted([hub_id, other_id])
    inbox = read(h, "/v1/inbox", issued)
    assert [item["id"] for item in inbox["items"]] == [notice["id"]]
    ok(h.post(f"/v1/notices/{notice['id']}/acknowledgements", json={"hub_id": hub_id}))
    relayed = h.post(
        f"/v1/notices/{notice['id']}/relays", json={"hub_id": hub_id, "note": "Read it."}
    )
    assert ok(relayed)["relays"][0]["affiliate_ids"] == [a]
    assert read(h, "/v1/inbox", relayed)["items"] == []
    assert ok(h.get(f"/v1/affiliations/{a}"))["relayed_notices"][0]["notice_id"] == notice["id"]

    ok(
        office.post(
            f"/v1/hubs/{hub_id}/evaluations",
            json={"year": 2026, "score": 58, "grade": "fail", "notes": "Weak year."},
        )
    )
    proposal = ok(
        office.post(
            f"/v1/hubs/{hub_id}/adjustments",
            json={"action": "revoke", "reasons": "No longer fit (Art. 7)."},
        )
    )
    revoked = lg.post(
        f"/v1/hubs/{hub_id}/adjustments/{proposal['adjustment_id']}/decision",
        json={"decision": "approve", "decision_ref": "LG-2026-40"},
    )
    assert ok(revoked)["status"] == "revoked"
    assert_problem(
        h.post(
            f"/v1/hubs/{hub_id}/duty-reports",
            json={"period": "2026-Q4", "kind": "work", "content": "c"},
        ),
        409,
        "revoked",
    )
    orphans = read(office, f"/v1/registry/affiliates?hub_id={hub_id}", revoked)["items"]
    assert [(x["id"], x["status"]) for x in orphans] == [(a, "needs_supervisor")]

    successor_id = designate(cast, 3, "Science")  # the revocation freed the field
    moved = office.post(
        f"/v1/affiliations/{a}/transfer", json={"to_hub_id": successor_id, "reason": "New home."}
    )
    assert ok(moved)["status"] == "active"

    hubs = {x["id"]: x for x in read(office, "/v1/registry/hubs", moved)["items"]}
    assert (hubs[hub_id]["status"], hubs[hub_id]["affiliate_count"]) == ("revoked", 0)
    assert (hubs[successor_id]["status"], hubs[successor_id]["affiliate_count"]) == ("active", 1)
    assert hubs[hub_id]["last_duty_report_period"] == "2026-Q3"
    detail = read(office, f"/v1/registry/hubs/{hub_id}", moved)
    assert detail["responsibilities"][-1]["leader"] == "Wang Fang"
    assert [e["grade"] for e in detail["evaluations"]] == ["fail"]
    assert [r["period"] for r in detail["duty_reports"]] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    (moved_row,) = read(office, f"/v1/registry/affiliates?uscc={club['uscc']}", moved)["items"]
    assert (moved_row["hub_id"], moved_row["status"]) == (successor_id, "active")
    assert [i["result"] for i in moved_row["inspections"]] == ["basically_qualified"]
    waiting = read(other_hub.client, "/v1/inbox", moved)["items"]
    assert [item["id"] for item in waiting] == [notice["id"]]
