"""A joint meeting end to end over HTTP (Art. 11), on both stores.

From convening to published and corrected minutes; the action item completed
by its owner hub and refused to any other; the meeting as a Popolo event.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
from tests.schemas import errors, popolo_event


@pytest.mark.slow
def test_a_joint_meeting_from_convening_to_corrected_minutes(api: Api, cast: Cast) -> None:
    office = cast.office.client
    science = ok(approve(cast, reviewed_application(cast, n=1, field="science")["id"]))["hub_id"]
    sport = ok(approve(cast, reviewed_application(cast, n=2, field="sport")["id"]))["hub_id"]
    science_hub = api.principal("hub", hub_id=science)
    sport_hub = api.principal("hub", hub_id=sport)

    when = (datetime.now(UTC) + timedelta(days=10)).astimezone().isoformat()
    meeting = ok(
        office.post(
            "/v1/meetings",
            json={
                "title": "Third joint meeting of 2026",
                "scheduled_at": when,
                "jurisdiction": "110000",
                "agenda": [{"title": "Work report", "presenter": "Office"}, {"title": "2027 plan"}],
            },
        ),
        201,
    )
    m = meeting["id"]
    assert_problem(
        office.post(
            "/v1/meetings",
            json={
                "title": "t",
                "scheduled_at": "2026-03-01T09:00:00",
                "jurisdiction": "110000",
                "agenda": [{"title": "a"}],
            },
        ),
        422,
    )
    ok(
        office.post(
            f"/v1/meetings/{m}/attendance",
            json={"hub_id": science, "representative": "Wang Fang", "present": True},
        )
    )
    ok(
        office.post(
            f"/v1/meetings/{m}/attendance",
            json={"hub_id": sport, "representative": "Zhao Lei", "present": False},
        )
    )
    assert_problem(
        office.post(f"/v1/meetings/{m}/resolutions", json={"agenda_item": 2, "text": "t"}), 422
    )
    ok(
        office.post(
            f"/v1/meetings/{m}/resolutions", json={"agenda_item": 1, "text": "Adopt the plan."}
        )
    )
    assigned = ok(
        office.post(
            f"/v1/meetings/{m}/action-items",
            json={"owner_hub_id": science, "description": "Survey the field.", "due": "2027-01-31"},
        )
    )
    item = assigned["action_item_id"]
    assert_problem(office.post(f"/v1/meetings/{m}/corrections", json={"text": "early"}), 409)
    published = ok(
        office.post(f"/v1/meetings/{m}/minutes", json={"summary": "Reported and deployed."})
    )
    assert published["status"] == "published"

    with nothing_recorded(api):
        assert_problem(
            office.post(
                f"/v1/meetings/{m}/attendance",
                json={"hub_id": sport, "representative": "Z", "present": True},
            ),
            409,
        )
        assert_problem(
            office.post(f"/v1/meetings/{m}/resolutions", json={"agenda_item": 0, "text": "t"}), 409
        )
        assert_problem(
            office.post(
                f"/v1/meetings/{m}/action-items",
                json={"owner_hub_id": sport, "description": "d", "due": "2027-01-31"},
            ),
            409,
        )
        assert_problem(office.post(f"/v1/meetings/{m}/minutes", json={"summary": "again"}), 409)
        assert_problem(
            sport_hub.client.post(
                f"/v1/meetings/{m}/action-items/{item}/completion", json={"note": "Not mine."}
            ),
            403,
        )
        assert_problem(office.post(f"/v1/meetings/{m}/cancellation", json={"reason": "r"}), 409)

    corrected = office.post(
        f"/v1/meetings/{m}/corrections", json={"text": "Zhao Lei sent apologies."}
    )
    ok(corrected)
    done = science_hub.client.post(
        f"/v1/meetings/{m}/action-items/{item}/completion", json={"note": "Survey published."}
    )
    assert ok(done)["action_items"][0]["state"] == "done"

    wait = {"X-Min-Position": str(event_position(done))}
    minutes = ok(cast.auditor.client.get(f"/v1/minutes/meetings/{m}", headers=wait))
    assert [a["title"] for a in minutes["agenda"]] == ["Work report", "2027 plan"]
    assert minutes["attendance_count"] == 1
    assert [r["text"] for r in minutes["resolutions"]] == ["Adopt the plan."]
    assert minutes["summary"] == "Reported and deployed."
    assert [c["text"] for c in minutes["corrections"]] == ["Zhao Lei sent apologies."]
    assert [(i["state"], i["overdue"]) for i in minutes["action_items"]] == [("done", False)]
    listed = ok(office.get("/v1/minutes/meetings?from=2026-01-01&to=2099-12-31", headers=wait))
    assert [x["id"] for x in listed["items"]] == [m]
    items = ok(
        office.get(f"/v1/minutes/action-items?owner_hub_id={science}&state=done", headers=wait)
    )
    assert [x["id"] for x in items["items"]] == [item]

    for request in (
        {"headers": {**wait, "Accept": "application/vnd.popolo+json"}},
        {"params": {"format": "popolo"}, "headers": wait},
    ):
        answer = office.get(f"/v1/minutes/meetings/{m}", **request)
        assert answer.headers["content-type"].startswith("application/vnd.popolo+json")
        event = answer.json()
        assert errors(popolo_event(), event) == []
        assert event["name"] == "Third joint meeting of 2026"
        assert [(a["order"], a["description"]) for a in event["agenda"]] == [
            (0, "Work report"),
            (1, "2027 plan"),
        ]
        assert {(p["entity_id"], p["note"]) for p in event["participants"]} == {
            (science, "present"),
            (sport, "absent"),
        }
        assert event["attendees"][0]["memberships"][0]["organization_id"] == science
        assert [(x["text"], x["agenda_item"]) for x in event["motions"]] == [("Adopt the plan.", 1)]


@pytest.mark.slow
def test_a_meeting_not_yet_held_is_cancelled_and_shown(api: Api, cast: Cast) -> None:
    office = cast.office.client
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    m = ok(
        office.post(
            "/v1/meetings",
            json={
                "title": "Extra meeting",
                "scheduled_at": when,
                "jurisdiction": "110000",
                "agenda": [{"title": "Flood relief"}],
            },
        ),
        201,
    )["id"]
    cancelled = office.post(f"/v1/meetings/{m}/cancellation", json={"reason": "Not needed."})
    assert ok(cancelled)["status"] == "cancelled"
    wait = {"X-Min-Position": str(event_position(cancelled))}
    (row,) = ok(office.get("/v1/minutes/meetings", headers=wait))["items"]
    assert (row["id"], row["status"]) == (m, "cancelled")
    assert_problem(office.post(f"/v1/meetings/{m}/minutes", json={"summary": "s"}), 409)
