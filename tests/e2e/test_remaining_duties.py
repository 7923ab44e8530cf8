"""The seed's remaining duties over HTTP, on both stores (docs/api.md, "The seed's remaining
duties"): organizations being founded and registered, deregistration, referral outcomes,
Party building and its coverage, replies to upward reports, information reports, notice
categories."""

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
    nothing_recorded,
    ok,
    reviewed_application,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def api(shared_api: Api) -> Api:
    """These tests share one server per store, each in jurisdictions of its own."""
    return shared_api


@pytest.fixture
def cast(shared_cast: Cast) -> Cast:
    return shared_cast


def code(cast: Cast, k: int) -> str:
    """A credit code no other test uses (supervision is one per code, on the whole server)."""
    return credit_code(int(cast.home) * 100 + k)


def hub_of(api: Api, cast: Cast, n: int, field: str) -> tuple[str, Principal]:
    application = reviewed_application(cast, n=n, field=field)
    hub_id: str = ok(approve(cast, application["id"]))["hub_id"]
    return hub_id, api.principal("hub", cast.home, hub_id=hub_id)


def read(client: httpx.Client, path: str, after: httpx.Response) -> dict[str, Any]:
    """A projection read that waits for the command answered by ``after``."""
    return ok(client.get(path, headers={"X-Min-Position": str(event_position(after))}))


def review(
    hub: Principal, affiliation: str, matter: str, opinion: str = "approve"
) -> httpx.Response:
    return hub.client.post(
        f"/v1/affiliations/{affiliation}/registration-reviews",
        json={"matter": matter, "opinion": opinion, "notes": f"{matter}: {opinion}."},
    )


def test_an_organization_being_founded_is_reviewed_then_registered(api: Api, cast: Cast) -> None:
    science, hub = hub_of(api, cast, 1, "science")
    culture, other_hub = hub_of(api, cast, 2, "culture")
    founding = {"name": "Young Scientists' Society", "type": "social_group"}

    assert_problem(
        hub.client.post("/v1/affiliations", json={"hub_id": science, "organization": founding}),
        422,
        "uscc",
    )
    with_code = {**founding, "uscc": code(cast, 1)}
    assert_problem(
        hub.client.post(
            "/v1/affiliations",
            json={"hub_id": science, "organization": with_code, "stage": "preparing"},
        ),
        422,
        "no credit code yet",
    )
    created = hub.client.post(
        "/v1/affiliations", json={"hub_id": science, "organization": founding, "stage": "preparing"}
    )
    affiliation = ok(created, 201)
    a = affiliation["id"]
    assert (affiliation["stage"], affiliation["status"]) == ("preparing", "active")
    assert affiliation["organization"]["uscc"] is None
    (row,) = read(cast.office.client, f"/v1/registry/affiliates?hub_id={science}", created)["items"]
    assert (row["stage"], row["uscc"], row["status"]) == ("preparing", None, "active")

    # Before registration: no inspection, no change or deregistration review, no registration
    # without an approving establishment review.
    with nothing_recorded(api):
        assert_problem(
            hub.client.post(
                f"/v1/affiliations/{a}/annual-inspections",
                json={"year": 2026, "result": "qualified", "notes": ""},
            ),
            409,
            "registered",
        )
        assert_problem(review(hub, a, "deregistration"), 409, "registered")
        assert_problem(
            hub.client.post(f"/v1/affiliations/{a}/registration", json={"uscc": code(cast, 1)}),
            409,
            "establishment review",
        )
    ok(review(hub, a, "establishment"))

    # Another hub supervises that code already: the registration is 409, nothing recorded.
    taken = {"name": "Society", "uscc": code(cast, 1), "type": "social_group"}
    ok(
        other_hub.client.post("/v1/affiliations", json={"hub_id": culture, "organization": taken}),
        201,
    )
    with nothing_recorded(api):
        assert_problem(
            hub.client.post(f"/v1/affiliations/{a}/registration", json={"uscc": code(cast, 1)}),
            409,
            "supervising hub",
        )
        assert_problem(
            hub.client.post(f"/v1/affiliations/{a}/registration", json={"uscc": "91110000ABC"}),
            422,
        )
        assert_problem(
            other_hub.client.post(
                f"/v1/affiliations/{a}/registration", json={"uscc": code(cast, 2)}
            ),
            403,
        )
    registered = hub.client.post(f"/v1/affiliations/{a}/registration", json={"uscc": code(cast, 2)})
    body = ok(registered)
    assert (body["stage"], body["organization"]["uscc"]) == ("registered", code(cast, 2))
    assert_problem(
        hub.client.post(f"/v1/affiliations/{a}/registration", json={"uscc": code(cast, 3)}),
        409,
        "already registered",
    )
    # Its code is now supervised: no other hub may take it.
    assert_problem(
        other_hub.client.post(
            "/v1/affiliations",
            json={"hub_id": culture, "organization": {**taken, "uscc": code(cast, 2)}},
        ),
        409,
        "supervising hub",
    )
    (row,) = read(cast.office.client, f"/v1/registry/affiliates?uscc={code(cast, 2)}", registered)[
        "items"
    ]
    assert (row["id"], row["stage"], row["hub_id"]) == (a, "registered", science)


def test_an_approved_deregistration_review_ends_the_affiliation(api: Api, cast: Cast) -> None:
    science, hub = hub_of(api, cast, 1, "science")
    culture, other_hub = hub_of(api, cast, 2, "culture")
    club = {"name": "Chess Club", "uscc": code(cast, 10), "type": "social_group"}
    a = ok(
        hub.client.post("/v1/affiliations", json={"hub_id": science, "organization": club}), 201
    )["id"]
    assert ok(review(hub, a, "deregistration", "reject"))["status"] == "active"
    ended = review(hub, a, "deregistration")
    body = ok(ended)
    assert body["status"] == "ended"
    assert "deregistration approved" in body["end_reason"]
    assert body["registration_reviews"][-1]["matter"] == "deregistration"
    assert_problem(review(hub, a, "change"), 409, "ended")

    hubs = read(cast.office.client, f"/v1/registry/hubs?jurisdiction={cast.home}", ended)["items"]
    assert {h["id"]: h["affiliate_count"] for h in hubs}[science] == 0
    (row,) = read(cast.office.client, f"/v1/registry/affiliates?uscc={club['uscc']}", ended)[
        "items"
    ]
    assert row["status"] == "ended"
    # Its supervision was released in the same save: another hub may take the code.
    ok(
        other_hub.client.post("/v1/affiliations", json={"hub_id": culture, "organization": club}),
        201,
    )


def test_a_referral_gets_its_outcome_once(api: Api, cast: Cast) -> None:
    science, hub = hub_of(api, cast, 1, "science")
    club = {"name": "Chess Club", "uscc": code(cast, 20), "type": "foundation"}
    a = ok(
        hub.client.post("/v1/affiliations", json={"hub_id": science, "organization": club}), 201
    )["id"]
    referred = ok(
        hub.client.post(
            f"/v1/affiliations/{a}/violation-referrals",
            json={"description": "Unregistered fundraising.", "referred_to": "Civil Affairs"},
        )
    )
    referral_id = referred["referral_id"]
    assert [r["id"] for r in referred["violation_referrals"]] == [referral_id]
    outcome_path = f"/v1/affiliations/{a}/violation-referrals/{referral_id}/outcome"
    with nothing_recorded(api):
        assert_problem(hub.client.post(outcome_path, json={"outcome": "fined", "notes": "n"}), 422)
        assert_problem(hub.client.post(outcome_path, json={"outcome": "penalized"}), 422)
        assert_problem(
            hub.client.post(
                f"/v1/affiliations/{a}/violation-referrals/{a}/outcome",
                json={"outcome": "dismissed", "notes": "n"},
            ),
            404,
        )
        assert_problem(
            cast.office.client.post(outcome_path, json={"outcome": "dismissed", "notes": "n"}),
            403,
        )
    recorded = hub.client.post(outcome_path, json={"outcome": "penalized", "notes": "Fined."})
    (referral,) = ok(recorded)["violation_referrals"]
    assert (referral["outcome"], referral["outcome_notes"]) == ("penalized", "Fined.")
    assert_problem(
        hub.client.post(outcome_path, json={"outcome": "dismissed", "notes": "n"}),
        409,
        "already recorded",
    )
    (row,) = read(cast.office.client, f"/v1/registry/affiliates?uscc={club['uscc']}", recorded)[
        "items"
    ]
    assert [(r["id"], r["outcome"]) for r in row["violation_referrals"]] == [
        (referral_id, "penalized")
    ]


def test_party_building_and_each_hubs_coverage(api: Api, cast: Cast) -> None:
    science, hub = hub_of(api, cast, 1, "science")
    culture, _ = hub_of(api, cast, 2, "culture")
    ids = []
    for k in range(3):
        club = {"name": f"Club {k}", "uscc": code(cast, 30 + k), "type": "social_group"}
        created = hub.client.post(
            "/v1/affiliations", json={"hub_id": science, "organization": club}
        )
        ids.append(ok(created, 201)["id"])
    first, second, third = ids

    def party(affiliation: str, year: Any, organization: str, members: Any) -> httpx.Response:
        return hub.client.post(
            f"/v1/affiliations/{affiliation}/party-building",
            json={"year": year, "organization": organization, "members": members},
        )

    with nothing_recorded(api):
        assert_problem(party(first, 2026, "cell", 3), 422)
        assert_problem(party(first, 2026, "branch", "3"), 422)
        assert_problem(party(first, "2026", "branch", 3), 422)
        assert_problem(party(first, 2026, "branch", -1), 422)
    recorded = ok(party(first, 2026, "branch", 5))
    assert recorded["party_organization"] == "branch"
    ok(party(second, 2026, "none", 1))
    last = party(second, 2025, "committee", 60)  # an earlier year: not the latest
    assert ok(last)["party_organization"] == "none"

    def registry(after: httpx.Response) -> tuple[dict[str, Any], dict[str, Any]]:
        hubs = read(cast.office.client, f"/v1/registry/hubs?jurisdiction={cast.home}", after)
        rows = read(cast.office.client, f"/v1/registry/affiliates?hub_id={science}", after)
        return (
            {h["id"]: h["party_coverage"] for h in hubs["items"]},
            {r["id"]: r["party_organization"] for r in rows["items"]},
        )

    coverage, organizations = registry(last)
    assert coverage == {science: "0.33", culture: None}
    assert organizations == {first: "branch", second: "none", third: None}
    detail = read(cast.office.client, f"/v1/registry/hubs/{science}", last)
    assert detail["party_coverage"] == "0.33"

    moved = cast.office.client.post(
        f"/v1/affiliations/{first}/transfer", json={"to_hub_id": culture, "reason": "Better fit."}
    )
    ok(moved)
    coverage, _ = registry(moved)
    assert coverage == {science: "0.00", culture: "1.00"}
    ok(party(third, 2026, "joint_branch", 2))
    ended = cast.office.client.post(f"/v1/affiliations/{second}/end", json={"reason": "Closed."})
    ok(ended)
    coverage, _ = registry(ended)
    assert coverage == {science: "1.00", culture: "1.00"}


def test_upward_reports_are_replied_and_listed_open_or_replied(api: Api, cast: Cast) -> None:
    science, hub = hub_of(api, cast, 1, "science")
    culture, other_hub = hub_of(api, cast, 2, "culture")
    reported = ok(
        hub.client.post(
            f"/v1/hubs/{science}/upward-reports",
            json={"subject": "Venue shortage", "content": "Member groups lack venues."},
        )
    )
    report_id = reported["report_id"]
    assert [r["id"] for r in reported["upward_reports"]] == [report_id]
    ok(
        other_hub.client.post(
            f"/v1/hubs/{culture}/upward-reports", json={"subject": "Staff", "content": "c"}
        )
    )
    replies = f"/v1/hubs/{science}/upward-reports/{report_id}/replies"
    with nothing_recorded(api):
        assert_problem(hub.client.post(replies, json={"text": "Self-answered."}), 403)
        assert_problem(cast.district_office.client.post(replies, json={"text": "t"}), 403)
        assert_problem(cast.office.client.post(replies, json={"text": "  "}), 422)
        assert_problem(
            cast.office.client.post(
                f"/v1/hubs/{science}/upward-reports/{science}/replies", json={"text": "t"}
            ),
            404,
        )
    ok(cast.office.client.post(replies, json={"text": "The district offers two venues."}))
    answered = cast.leading_group.client.post(replies, json={"text": "Agreed."})
    (report,) = ok(answered)["upward_reports"]
    assert [(r["role"], r["text"]) for r in report["replies"]] == [
        ("office", "The district offers two venues."),
        ("leading_group", "Agreed."),
    ]

    listed = read(cast.office.client, f"/v1/reports/upward?jurisdiction={cast.home}", answered)
    assert [(r["subject"], r["state"]) for r in listed["items"]] == [
        ("Venue shortage", "replied"),
        ("Staff", "open"),
    ]
    assert listed["next_cursor"] is None
    only_open = read(cast.leading_group.client, "/v1/reports/upward?state=open", answered)
    assert [r["hub_id"] for r in only_open["items"]] == [culture]
    own = read(hub.client, "/v1/reports/upward", answered)
    assert [(r["id"], len(r["replies"])) for r in own["items"]] == [(report_id, 2)]
    paged = read(cast.office.client, "/v1/reports/upward?limit=1", answered)
    assert len(paged["items"]) == 1
    rest = read(cast.office.client, f"/v1/reports/upward?cursor={paged['next_cursor']}", answered)
    assert [r["subject"] for r in rest["items"]] == ["Staff"]

    assert_problem(hub.client.get(f"/v1/reports/upward?hub_id={culture}"), 403)
    assert_problem(cast.auditor.client.get("/v1/reports/upward"), 403)
    assert_problem(api.principal("analyst", cast.home).client.get("/v1/reports/upward"), 403)
    assert_problem(cast.office.client.get(f"/v1/reports/upward?jurisdiction={cast.other}"), 403)
    assert_problem(cast.office.client.get("/v1/reports/upward?state=closed"), 422)
    assert read(cast.district_office.client, "/v1/reports/upward", answered)["items"] == []


def test_the_registry_lists_each_duty_report_with_its_content_and_figures(
    api: Api, cast: Cast
) -> None:
    science, hub = hub_of(api, cast, 1, "science")
    last = None
    for n, kind in enumerate(("information", "work", "information")):
        last = hub.client.post(
            f"/v1/hubs/{science}/duty-reports",
            json={
                "period": f"2026-0{n + 1}",
                "kind": kind,
                "content": f"Report {n}.",
                "figures": {"organizations": 40 + n},
            },
        )
        ok(last)
    assert last is not None
    detail = read(cast.office.client, f"/v1/registry/hubs/{science}", last)
    assert [(r["content"], r["figures"]) for r in detail["duty_reports"]] == [
        ("Report 0.", {"organizations": 40}),
        ("Report 1.", {"organizations": 41}),
        ("Report 2.", {"organizations": 42}),
    ]
    assert detail["duty_reports_next_cursor"] is None

    paged = read(cast.office.client, f"/v1/registry/hubs/{science}?duty_reports_limit=2", last)
    assert [r["period"] for r in paged["duty_reports"]] == ["2026-01", "2026-02"]
    cursor = paged["duty_reports_next_cursor"]
    rest = read(
        cast.office.client, f"/v1/registry/hubs/{science}?duty_reports_cursor={cursor}", last
    )
    assert [r["period"] for r in rest["duty_reports"]] == ["2026-03"]

    listed = read(
        cast.office.client, f"/v1/registry/hubs/{science}/duty-reports?kind=information", last
    )
    assert [r["content"] for r in listed["items"]] == ["Report 0.", "Report 2."]
    assert listed["next_cursor"] is None
    assert_problem(
        cast.district_office.client.get(f"/v1/registry/hubs/{science}/duty-reports"), 403
    )
    assert_problem(
        cast.office.client.get(f"/v1/registry/hubs/{science}?duty_reports_cursor=²"), 422
    )


def test_notices_have_a_category_and_the_inbox_filters_by_it(api: Api, cast: Cast) -> None:
    _, hub = hub_of(api, cast, 1, "science")

    def issue(**extra: Any) -> httpx.Response:
        return cast.office.client.post(
            "/v1/notices", json={"title": "T", "body": "B", "jurisdiction": cast.home, **extra}
        )

    with nothing_recorded(api):
        assert_problem(issue(category="gossip"), 422)
        assert_problem(issue(category=None), 422)
    plan = ok(issue(category="plan", title="The 2027 plan"), 201)
    assert plan["category"] == "plan"
    last = issue(title="Anything")
    assert ok(last, 201)["category"] == "other"

    plans = read(hub.client, "/v1/inbox?category=plan", last)["items"]
    assert [(n["id"], n["category"]) for n in plans] == [(plan["id"], "plan")]
    every = read(hub.client, "/v1/inbox", last)["items"]
    assert [n["category"] for n in every] == ["plan", "other"]
    assert read(hub.client, "/v1/inbox?category=news", last)["items"] == []
    assert_problem(hub.client.get("/v1/inbox?category=gossip"), 422)
