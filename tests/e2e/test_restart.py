"""What a server wrote is there for the next server: state, registry, idempotency records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.support import (
    CLEAN_EXITS,
    REVIEW,
    Api,
    Cast,
    Launcher,
    Server,
    application_body,
    assert_problem,
    event_position,
    nothing_recorded,
)

pytestmark = pytest.mark.slow

BODY = application_body(1)
SUBMIT_KEY = {"Idempotency-Key": "submit-culture-2026"}
REQUEST_KEY = {"Idempotency-Key": "ask-for-charter"}
REQUEST_BODY = {"reason": "Attach the charter."}


@dataclass
class FirstLife:
    """What the first server answered, to compare the second server's answers with."""

    cast: Cast
    path: str
    submitted: httpx.Response
    requested: httpx.Response
    state: httpx.Response
    registry: dict[str, Any]
    head: int


def first_life(server: Server) -> FirstLife:
    api = Api(server)
    try:
        cast = Cast.create(api)
        submitted = cast.applicant.client.post("/v1/applications", json=BODY, headers=SUBMIT_KEY)
        assert submitted.status_code == 201, submitted.text
        assert "Idempotent-Replayed" not in submitted.headers
        path = f"/v1/applications/{submitted.json()['id']}"
        requested = cast.office.client.post(
            f"{path}/supplement-requests", json=REQUEST_BODY, headers=REQUEST_KEY
        )
        assert requested.status_code == 200, requested.text

        # A replay on the same server answers the first answer and records nothing.
        with nothing_recorded(api):
            again = cast.applicant.client.post("/v1/applications", json=BODY, headers=SUBMIT_KEY)
        assert again.status_code == 201, again.text
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert again.json() == submitted.json()

        head = api.head()
        registry = cast.office.client.get(
            "/v1/registry/applications", headers={"X-Min-Position": str(head)}
        )
        assert registry.status_code == 200, registry.text
        return FirstLife(
            cast=cast,
            path=path,
            submitted=submitted,
            requested=requested,
            state=cast.office.client.get(path),
            registry=registry.json(),
            head=head,
        )
    finally:
        api.close()


def test_state_and_idempotency_records_survive_a_restart(
    launcher: Launcher, database_url: str
) -> None:
    first_server = launcher.serve(database_url)
    before = first_life(first_server)
    assert first_server.stop() in CLEAN_EXITS, first_server.stderr()
    assert not first_server.hung, "the server did not stop within 10s of SIGTERM"
    assert first_server.log_events("projection_stopped"), "the shutdown was not graceful"

    # A new server process on the same store, with the same admin token.
    second_server = launcher.serve(database_url, admin_token=first_server.admin_token)
    api = Api(second_server)
    try:
        applicant = api.client(before.cast.applicant.token)
        office = api.client(before.cast.office.token)
        path = before.path
        assert api.head() == before.head

        after = office.get(path)
        assert after.status_code == 200, after.text
        assert after.json() == before.state.json()
        assert after.headers["ETag"] == before.state.headers["ETag"] == '"2"'
        registry = office.get(
            "/v1/registry/applications", headers={"X-Min-Position": str(before.head)}
        )
        assert registry.status_code == 200, registry.text
        assert registry.json() == before.registry

        with nothing_recorded(api):
            # The submission's replay: the first answer, though the application moved on.
            replayed = applicant.post("/v1/applications", json=BODY, headers=SUBMIT_KEY)
            assert replayed.status_code == 201, replayed.text
            assert replayed.headers.get("Idempotent-Replayed") == "true"
            assert replayed.headers["ETag"] == before.submitted.headers["ETag"] == '"1"'
            assert event_position(replayed) == event_position(before.submitted)
            assert replayed.json() == before.submitted.json()

            replayed = office.post(
                f"{path}/supplement-requests", json=REQUEST_BODY, headers=REQUEST_KEY
            )
            assert replayed.status_code == 200, replayed.text
            assert replayed.headers.get("Idempotent-Replayed") == "true"
            assert replayed.headers["ETag"] == before.requested.headers["ETag"]
            assert event_position(replayed) == event_position(before.requested)
            assert replayed.json() == before.requested.json()

            # The same key with another body is still refused.
            other = applicant.post("/v1/applications", json=application_body(2), headers=SUBMIT_KEY)
            assert_problem(other, 422, "idempotency")

        assert office.get(path).json()["version"] == 2
        listed = office.get("/v1/registry/applications").json()["items"]
        assert [row["id"] for row in listed] == [before.submitted.json()["id"]]

        # And the new server goes on recording after what the first one wrote.
        supplemented = applicant.post(f"{path}/supplements", json={"note": "Charter attached."})
        assert supplemented.status_code == 200, supplemented.text
        assert event_position(supplemented) > before.head
        reviewed = office.post(f"{path}/preliminary-review", json=REVIEW)
        assert reviewed.status_code == 200, reviewed.text
        assert reviewed.headers["ETag"] == '"4"'
    finally:
        api.close()
