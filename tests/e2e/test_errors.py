"""Every status of the contract's error list, through a real server, as problem+json.

401 no or bad token; 403 role, jurisdiction or ownership; 404 unknown id; 409
state or uniqueness; 412 stale If-Match; 422 bad input; 503 a read that waited
too long for X-Min-Position. None of them records anything.
"""

from __future__ import annotations

import time
import uuid

import pytest

from shuniu.aggregates.designation_application import hub_id_for
from tests.e2e.support import (
    REVIEW,
    Api,
    Cast,
    Launcher,
    application_body,
    approve,
    assert_problem,
    etag,
    event_position,
    invalid_credit_code,
    nothing_recorded,
    reviewed_application,
    submit,
)

pytestmark = pytest.mark.slow

SHORT_WAIT = {"SHUNIU_MIN_POSITION_TIMEOUT": "0.5"}


@pytest.fixture
def api(shared_api: Api) -> Api:
    """These tests share one server per store, each in jurisdictions of its own."""
    return shared_api


@pytest.fixture
def cast(shared_cast: Cast) -> Cast:
    return shared_cast


def test_401_without_a_token_with_a_bad_one_and_with_a_revoked_one(api: Api, cast: Cast) -> None:
    anonymous = api.anonymous
    with nothing_recorded(api):
        answer = anonymous.get("/v1/registry/hubs")
        assert_problem(answer, 401)
        assert answer.headers.get("WWW-Authenticate", "").lower().startswith("bearer")
        assert_problem(anonymous.post("/v1/applications", json=application_body()), 401)
        assert_problem(anonymous.get(f"/v1/applications/{uuid.uuid4()}"), 401)

        stranger = api.client("not-a-token-anyone-was-given")
        assert_problem(stranger.get("/v1/registry/applications"), 401)
        assert_problem(stranger.post("/v1/applications", json=application_body()), 401)

        basic = anonymous.get(
            "/v1/registry/hubs", headers={"Authorization": f"Basic {cast.applicant.token}"}
        )
        assert_problem(basic, 401)

    # A principal that worked a moment ago is refused once revoked.
    revoked = api.principal("applicant")
    assert revoked.client.get("/v1/registry/applications").status_code == 200
    answer = api.admin.delete(f"/v1/principals/{revoked.id}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["revoked"] is True
    with nothing_recorded(api):
        assert_problem(revoked.client.get("/v1/registry/applications"), 401)
        assert_problem(revoked.client.post("/v1/applications", json=application_body()), 401)
        assert_problem(revoked.client.get(f"/v1/principals/{revoked.id}"), 401)
    # Other principals are not affected.
    assert cast.applicant.client.get("/v1/registry/applications").status_code == 200


def test_403_wrong_role_wrong_jurisdiction_and_someone_elses_application(
    api: Api, cast: Cast
) -> None:
    application = submit(cast.applicant)
    app_id = application["id"]
    answer = cast.office.client.post(
        f"/v1/applications/{app_id}/supplement-requests", json={"reason": "Attach the charter."}
    )
    assert answer.status_code == 200, answer.text
    path = f"/v1/applications/{app_id}"

    with nothing_recorded(api):
        # Role: who you are may not do this.
        assert_problem(
            cast.applicant.client.post(f"{path}/preliminary-review", json=REVIEW), 403, "role"
        )
        assert_problem(cast.office.client.post(f"{path}/supplements", json={"note": "here"}), 403)
        assert_problem(
            cast.leading_group.client.post(
                "/v1/applications", json=application_body(2, jurisdiction=cast.home)
            ),
            403,
        )
        assert_problem(
            cast.auditor.client.post(
                f"{path}/decision",
                json={"decision": "reject", "decision_ref": "x", "reasons": "y"},
            ),
            403,
        )
        assert_problem(
            cast.office.client.post(
                "/v1/principals",
                json={"name": "me too", "role": "admin", "jurisdiction": cast.home},
            ),
            403,
        )

        # Jurisdiction: a district principal acts only in its district.
        assert_problem(
            cast.district_applicant.client.post(
                "/v1/applications", json=application_body(3, jurisdiction=cast.home)
            ),
            403,
            "jurisdiction",
        )
        assert_problem(
            cast.district_office.client.post(
                f"{path}/supplement-requests", json={"reason": "from the district"}
            ),
            403,
        )
        assert_problem(
            cast.district_leading_group.client.post(
                f"{path}/decision",
                json={"decision": "reject", "decision_ref": "x", "reasons": "y"},
            ),
            403,
        )
        assert_problem(cast.district_office.client.get(path), 403)
        assert_problem(
            cast.district_applicant.client.get(
                "/v1/registry/hubs", params={"jurisdiction": cast.home}
            ),
            403,
        )

        # Ownership: an applicant acts on (and reads) its own applications only.
        other = cast.other_applicant.client
        assert_problem(other.post(f"{path}/supplements", json={"note": "not mine"}), 403)
        assert_problem(other.post(f"{path}/withdrawal", json={"reason": "not mine"}), 403)
        assert_problem(other.get(path), 403)

    # The application is as the office left it.
    state = cast.applicant.client.get(path)
    assert state.status_code == 200, state.text
    assert state.json()["status"] == "supplement_requested"
    assert etag(state) == '"2"'


def test_404_unknown_ids(api: Api, cast: Cast) -> None:
    application = submit(cast.applicant)
    unknown = uuid.uuid4()
    with nothing_recorded(api):
        assert_problem(cast.office.client.get(f"/v1/applications/{unknown}"), 404)
        assert_problem(
            cast.office.client.post(
                f"/v1/applications/{unknown}/supplement-requests", json={"reason": "r"}
            ),
            404,
        )
        assert_problem(approve(cast, str(unknown)), 404)
        assert_problem(
            cast.applicant.client.post(
                f"/v1/applications/{unknown}/withdrawal", json={"reason": "r"}
            ),
            404,
        )
        assert_problem(cast.office.client.get(f"/v1/hubs/{unknown}"), 404)
        # An id that exists, but names an application, not a hub.
        assert_problem(cast.office.client.get(f"/v1/hubs/{application['id']}"), 404)
        assert_problem(cast.office.client.get(f"/v1/registry/hubs/{unknown}"), 404)
        assert_problem(api.admin.delete(f"/v1/principals/{unknown}"), 404)
        assert_problem(api.admin.get(f"/v1/principals/{unknown}"), 404)
        assert_problem(cast.office.client.get("/v1/no-such-resource"), 404)


def test_409_illegal_transitions(api: Api, cast: Cast) -> None:
    application = reviewed_application(cast)
    path = f"/v1/applications/{application['id']}"
    approved = approve(cast, application["id"])
    assert approved.status_code == 200, approved.text

    with nothing_recorded(api):
        assert_problem(approve(cast, application["id"]), 409)  # deciding twice
        assert_problem(approve(cast, application["id"], decision="reject"), 409)
        assert_problem(
            cast.applicant.client.post(f"{path}/withdrawal", json={"reason": "changed mind"}),
            409,
        )
        assert_problem(
            cast.office.client.post(f"{path}/supplement-requests", json={"reason": "late"}), 409
        )
        assert_problem(cast.office.client.post(f"{path}/preliminary-review", json=REVIEW), 409)

    # A supplement nobody asked for, a review of a withdrawn application.
    fresh = submit(cast.applicant, n=2, field="sports")
    fresh_path = f"/v1/applications/{fresh['id']}"
    with nothing_recorded(api):
        assert_problem(
            cast.applicant.client.post(f"{fresh_path}/supplements", json={"note": "unasked"}), 409
        )
    withdrawn = cast.applicant.client.post(f"{fresh_path}/withdrawal", json={"reason": "merged"})
    assert withdrawn.status_code == 200, withdrawn.text
    with nothing_recorded(api):
        assert_problem(
            cast.office.client.post(f"{fresh_path}/preliminary-review", json=REVIEW), 409
        )
        assert_problem(
            cast.applicant.client.post(f"{fresh_path}/withdrawal", json={"reason": "again"}), 409
        )

    # Revoking a principal twice.
    someone = api.principal("analyst")
    assert api.admin.delete(f"/v1/principals/{someone.id}").status_code == 200
    with nothing_recorded(api):
        assert_problem(api.admin.delete(f"/v1/principals/{someone.id}"), 409)

    state = cast.office.client.get(path).json()
    assert state["status"] == "approved"
    assert state["version"] == 3


def test_409_occupied_field_seat_records_nothing(api: Api, cast: Cast) -> None:
    first = reviewed_application(cast, n=1, field="culture and arts")
    second = reviewed_application(cast, n=2, field="culture and arts")
    approved = approve(cast, first["id"])
    assert approved.status_code == 200, approved.text
    hub_id = approved.json()["hub_id"]

    with nothing_recorded(api):
        assert_problem(approve(cast, second["id"]), 409)

    state = cast.office.client.get(f"/v1/applications/{second['id']}")
    assert state.json()["status"] == "preliminary_reviewed"
    assert etag(state) == '"2"'
    assert state.json()["hub_id"] is None
    # The hub the second approval would have designated does not exist.
    assert_problem(cast.office.client.get(f"/v1/hubs/{hub_id_for(uuid.UUID(second['id']))}"), 404)

    # The same field in a district is another seat (Art. 19).
    district = submit(cast.district_applicant, n=3, field="culture and arts")
    reviewed = cast.district_office.client.post(
        f"/v1/applications/{district['id']}/preliminary-review", json=REVIEW
    )
    assert reviewed.status_code == 200, reviewed.text
    district_approved = cast.district_leading_group.client.post(
        f"/v1/applications/{district['id']}/decision",
        json={"decision": "approve", "decision_ref": "Chaoyang 2026-1", "reasons": "fits"},
    )
    assert district_approved.status_code == 200, district_approved.text

    hubs = cast.office.client.get(
        "/v1/registry/hubs",
        params={"field": "culture and arts"},
        headers={"X-Min-Position": str(event_position(district_approved))},
    )
    assert hubs.status_code == 200, hubs.text
    assert [h["id"] for h in hubs.json()["items"]] == [hub_id]
    applications = cast.office.client.get(
        "/v1/registry/applications", params={"status": "approved"}
    ).json()["items"]
    assert [a["id"] for a in applications] == [first["id"]]


def test_412_stale_if_match(api: Api, cast: Cast) -> None:
    created = cast.applicant.client.post(
        "/v1/applications", json=application_body(jurisdiction=cast.home)
    )
    assert created.status_code == 201, created.text
    assert etag(created) == '"1"'
    path = f"/v1/applications/{created.json()['id']}"

    requested = cast.office.client.post(
        f"{path}/supplement-requests", json={"reason": "charter"}, headers={"If-Match": '"1"'}
    )
    assert requested.status_code == 200, requested.text
    assert etag(requested) == '"2"'

    with nothing_recorded(api):
        for stale in ('"1"', '"3"', '"99"'):
            assert_problem(
                cast.applicant.client.post(
                    f"{path}/supplements", json={"note": "here"}, headers={"If-Match": stale}
                ),
                412,
            )
    supplemented = cast.applicant.client.post(
        f"{path}/supplements", json={"note": "here"}, headers={"If-Match": '"2"'}
    )
    assert supplemented.status_code == 200, supplemented.text
    assert etag(supplemented) == '"3"'
    with nothing_recorded(api):
        assert_problem(
            cast.office.client.post(
                f"{path}/preliminary-review", json=REVIEW, headers={"If-Match": '"2"'}
            ),
            412,
        )


def test_422_bad_input(api: Api, cast: Cast) -> None:
    applicant = cast.applicant.client
    body = application_body(jurisdiction=cast.home)
    with nothing_recorded(api):
        # Malformed: a required field missing, a list where an object belongs.
        missing = {k: v for k, v in body.items() if k != "contact"}
        assert_problem(applicant.post("/v1/applications", json=missing), 422, "contact")
        assert_problem(applicant.post("/v1/applications", json=[body]), 422)
        assert_problem(applicant.post("/v1/applications", json={}), 422)
        # Unknown fields, at the top and nested.
        assert_problem(applicant.post("/v1/applications", json={**body, "extra": 1}), 422, "extra")
        nested = {**body, "organization": {**body["organization"], "website": "x"}}
        assert_problem(applicant.post("/v1/applications", json=nested), 422, "website")
        # Bad enums.
        bad_kind = {**body, "organization": {**body["organization"], "kind": "company"}}
        assert_problem(applicant.post("/v1/applications", json=bad_kind), 422, "kind")
        assert_problem(
            api.admin.post(
                "/v1/principals",
                json={"name": "n", "role": "emperor", "jurisdiction": cast.home},
            ),
            422,
        )
        # Bad credit codes: a changed character, the wrong length, a forbidden letter.
        for uscc in (invalid_credit_code(), "91350100M000100Y4", "91350100M000100Y4I"):
            wrong = {**body, "organization": {**body["organization"], "uscc": uscc}}
            assert_problem(applicant.post("/v1/applications", json=wrong), 422, "credit code")
        # Bad jurisdiction codes, empty text.
        for jurisdiction in ("11000", "010000", "beijing"):
            assert_problem(
                applicant.post("/v1/applications", json={**body, "jurisdiction": jurisdiction}),
                422,
            )
        assert_problem(applicant.post("/v1/applications", json={**body, "field": "   "}), 422)
        # Broken JSON.
        assert_problem(
            applicant.post(
                "/v1/applications",
                content=b'{"organization": {"name": ',
                headers={"Content-Type": "application/json"},
            ),
            422,
        )
        # Bad path ids, headers and query parameters.
        assert_problem(cast.office.client.get("/v1/applications/not-a-uuid"), 422)
        assert_problem(
            applicant.get("/v1/registry/applications", headers={"X-Min-Position": "-1"}), 422
        )
        assert_problem(
            applicant.get("/v1/registry/applications", headers={"X-Min-Position": "soon"}), 422
        )
        for params in ({"limit": "0"}, {"limit": "501"}, {"cursor": "abc"}):
            assert_problem(applicant.get("/v1/registry/applications", params=params), 422)
        assert_problem(applicant.get("/v1/registry/hubs", params={"status": "dormant"}), 422)

    # A field of a command body with a bad enum, and text of only spaces.
    created = submit(cast.applicant, n=2, kind="social_organization", field="social work")
    path = f"/v1/applications/{created['id']}"
    with nothing_recorded(api):
        assert_problem(
            cast.office.client.post(
                f"{path}/preliminary-review", json={"opinion": "maybe", "notes": "n"}
            ),
            422,
            "opinion",
        )
        assert_problem(
            cast.office.client.post(f"{path}/supplement-requests", json={"reason": "   "}), 422
        )
    reviewed = cast.office.client.post(f"{path}/preliminary-review", json=REVIEW)
    assert reviewed.status_code == 200, reviewed.text

    # Art. 5: approving a social organization needs a justification.
    with nothing_recorded(api):
        assert_problem(approve(cast, created["id"]), 422, "justification")
        assert_problem(approve(cast, created["id"], justification="   "), 422)
        assert_problem(approve(cast, created["id"], decision="endorse"), 422)
    state = cast.office.client.get(path).json()
    assert state["status"] == "preliminary_reviewed"
    justified = approve(cast, created["id"], justification="No people's organization covers it.")
    assert justified.status_code == 200, justified.text
    assert justified.json()["status"] == "approved"
    assert justified.json()["decision"]["justification"] == "No people's organization covers it."

    # The same Idempotency-Key with another body.
    key = {"Idempotency-Key": f"submit-{uuid.uuid4()}"}
    first = applicant.post(
        "/v1/applications", json=application_body(5, jurisdiction=cast.home), headers=key
    )
    assert first.status_code == 201, first.text
    with nothing_recorded(api):
        assert_problem(
            applicant.post(
                "/v1/applications", json=application_body(6, jurisdiction=cast.home), headers=key
            ),
            422,
            "idempotency",
        )


def test_503_when_the_read_model_does_not_reach_the_position(
    launcher: Launcher, database_url: str
) -> None:
    """With no projection running, a read of a written position times out as 503."""
    server = launcher.serve(database_url, projections=False, env=SHORT_WAIT)
    api = Api(server)
    try:
        cast = Cast.create(api)
        office = cast.office.client

        # Position 0 precedes every event: no wait, even with nothing projected.
        zero = office.get("/v1/registry/applications", headers={"X-Min-Position": "0"})
        assert zero.status_code == 200, (
            "GET /v1/registry/applications with X-Min-Position: 0 must answer 200 at once "
            f"(position 0 precedes every event), got {zero.status_code}: {zero.text}"
        )

        answer = cast.applicant.client.post("/v1/applications", json=application_body())
        assert answer.status_code == 201, answer.text
        written = event_position(answer)

        # No token: 401 at once, not after waiting for the read model.
        started = time.monotonic()
        anonymous = api.anonymous.get("/v1/registry/hubs", headers={"X-Min-Position": str(written)})
        assert anonymous.status_code == 401, (
            "GET /v1/registry/hubs with no Authorization and a pending X-Min-Position must be "
            f"401 (no token), got {anonymous.status_code}: authentication must come before "
            "the X-Min-Position wait"
        )
        assert_problem(anonymous, 401)
        assert time.monotonic() - started < 0.4, "a request without a token must not wait"

        for path in (
            "/v1/registry/applications",
            "/v1/registry/hubs",
            f"/v1/registry/hubs/{uuid.uuid4()}",
        ):
            started = time.monotonic()
            late = office.get(path, headers={"X-Min-Position": str(written)})
            waited = time.monotonic() - started
            assert_problem(late, 503)
            retry_after = late.headers.get("Retry-After")
            assert retry_after is not None, f"{path}: a 503 must say Retry-After"
            assert retry_after.strip().isdigit(), f"{path}: Retry-After {retry_after!r}"
            assert 0.4 <= waited < 5, f"{path}: waited {waited:.2f}s with a 0.5s timeout"

        # Without the header the read answers at once, from what the model holds.
        unordered = office.get("/v1/registry/applications")
        assert unordered.status_code == 200, unordered.text
        assert unordered.json()["items"] == []
    finally:
        api.close()


def test_422_positions_and_versions_beyond_what_a_store_can_hold(api: Api, cast: Cast) -> None:
    """Numbers past 2^63 - 1 are refused as input; SQLite cannot even compare them."""
    huge = str(2**63)
    hub = str(uuid.uuid4())
    auditor = api.principal("auditor").client  # the raw log: a municipal auditor's
    with nothing_recorded(api):
        for client, path, params, headers in [
            (auditor, "/v1/audit/events", {"after": huge}, {}),
            (auditor, f"/v1/audit/streams/{hub}", {"after": huge}, {}),
            (auditor, f"/v1/audit/streams/{hub}/state", {"version": huge}, {}),
            (cast.office.client, "/v1/registry/hubs", {"cursor": huge}, {}),
            (cast.office.client, "/v1/registry/hubs", {}, {"X-Min-Position": huge}),
            (cast.office.client, "/v1/minutes/meetings", {"cursor": huge}, {}),
            (cast.office.client, "/v1/ledger/entries", {"cursor": f"{huge}.1"}, {}),
        ]:
            answer = client.get(path, params=params, headers=headers)
            assert_problem(answer, 422)
