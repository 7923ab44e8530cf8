"""``shuniu serve --no-projections`` with ``shuniu project`` beside it, stopped and restarted."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.e2e.support import (
    DECISION,
    Api,
    Cast,
    Launcher,
    Process,
    assert_problem,
    event_position,
    reviewed_application,
    submit,
)

pytestmark = pytest.mark.slow

CATCH_UP_TIMEOUT = 20.0


def read_at(client: httpx.Client, path: str, position: int) -> httpx.Response:
    return client.get(path, headers={"X-Min-Position": str(position)})


def caught_up(client: httpx.Client, path: str, position: int, projector: Process) -> dict[str, Any]:
    """The read at ``position`` once the projector got there (503 until then)."""
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    while True:
        answer = read_at(client, path, position)
        if answer.status_code == 200:
            body: dict[str, Any] = answer.json()
            return body
        assert_problem(answer, 503)
        assert projector.alive(), f"shuniu project exited:\n{projector.stderr()}"
        assert time.monotonic() < deadline, (
            f"the registry did not reach position {position} in {CATCH_UP_TIMEOUT}s:\n"
            f"{projector.stderr()}"
        )


def projection_failures(run: Process) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The process's projection_failed records: before the projection started, and after."""
    started: set[str] = set()
    startup: list[dict[str, Any]] = []
    processing: list[dict[str, Any]] = []
    for record in run.log_records():
        name = str(record.get("projection"))
        if record.get("event") == "projection_started":
            started.add(name)
        elif record.get("event") == "projection_failed":
            (processing if name in started else startup).append(record)
    return startup, processing


def stop_projector(run: Process) -> None:
    assert run.stop() == 0, f"shuniu project stops on SIGTERM with 0:\n{run.stderr()}"
    assert not run.hung, "shuniu project did not stop within 10s of SIGTERM"
    assert run.log_events("projection_stopped"), run.stderr()


def check_clean_run(run: Process) -> None:
    """Each projection started once, at the first try, and never failed."""
    startup, processing = projection_failures(run)
    assert not processing, (
        f"a projection failed while applying events (an event applied twice?):\n{run.stderr()}"
    )
    # Workers create no tables (shuniu project creates them first): none fails to start,
    # as they did when several ran PostgreSQL's DDL at once ("tuple concurrently updated").
    assert not startup, f"a projection worker failed to start:\n{run.stderr()}"
    started = Counter(r.get("projection") for r in run.log_events("projection_started"))
    assert started["registry"] == 1, run.stderr()
    assert set(started.values()) == {1}, f"a projection was restarted:\n{run.stderr()}"


def every_read_model_caught_up(api: Api, position: int) -> None:
    """Every projection the projector runs reaches ``position`` (per /readyz)."""
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    while True:
        projections = api.anonymous.get("/readyz").json()["projections"]
        if all(p["position"] >= position for p in projections.values()):
            return
        assert time.monotonic() < deadline, f"read models behind {position}: {projections}"
        time.sleep(0.05)


def registry_position(api: Api) -> int:
    return int(api.anonymous.get("/readyz").json()["projections"]["registry"]["position"])


def test_projector_process_catches_up_and_resumes_without_duplicates(
    launcher: Launcher, database_url: str
) -> None:
    server = launcher.serve(
        database_url, projections=False, env={"SHUNIU_MIN_POSITION_TIMEOUT": "0.5"}
    )
    api = Api(server)
    try:
        cast = Cast.create(api)
        office = cast.office.client
        first = reviewed_application(cast, n=1, field="culture and arts")
        approved = cast.leading_group.client.post(
            f"/v1/applications/{first['id']}/decision", json=DECISION
        )
        assert approved.status_code == 200, approved.text
        hub_id = approved.json()["hub_id"]
        second = submit(cast.other_applicant, n=2, field="sports")
        written = api.head()

        # Nothing projects yet.
        assert_problem(read_at(office, "/v1/registry/applications", written), 503)
        assert office.get("/v1/registry/applications").json()["items"] == []
        assert registry_position(api) == 0

        projector = launcher.project(database_url)
        rows = caught_up(office, "/v1/registry/applications", written, projector)["items"]
        assert {r["id"]: r["status"] for r in rows} == {
            first["id"]: "approved",
            second["id"]: "submitted",
        }
        hubs = read_at(office, "/v1/registry/hubs", event_position(approved)).json()["items"]
        assert [h["id"] for h in hubs] == [hub_id]
        assert registry_position(api) == written

        stop_projector(projector)

        # While it is stopped, new events wait.
        withdrawn = cast.other_applicant.client.post(
            f"/v1/applications/{second['id']}/withdrawal", json={"reason": "Merged."}
        )
        assert withdrawn.status_code == 200, withdrawn.text
        third = reviewed_application(cast, n=3, field="science")
        rejected = cast.leading_group.client.post(
            f"/v1/applications/{third['id']}/decision",
            json={**DECISION, "decision": "reject"},
        )
        assert rejected.status_code == 200, rejected.text
        written_later = api.head()
        assert_problem(read_at(office, "/v1/registry/applications", written_later), 503)
        assert registry_position(api) == written

        # A new projector resumes where the first stopped: each event applied once.
        resumed = launcher.project(database_url)
        rows = caught_up(office, "/v1/registry/applications", written_later, resumed)["items"]
        assert [r["id"] for r in rows] == [first["id"], second["id"], third["id"]]
        assert {r["id"]: r["status"] for r in rows} == {
            first["id"]: "approved",
            second["id"]: "withdrawn",
            third["id"]: "rejected",
        }
        hubs = read_at(office, "/v1/registry/hubs", written_later).json()["items"]
        assert [h["id"] for h in hubs] == [hub_id]
        ready = api.anonymous.get("/readyz").json()
        assert ready["projections"]["registry"] == {"position": written_later, "lag": 0}
        every_read_model_caught_up(api, written_later)
        stop_projector(resumed)

        for run in (projector, resumed):
            check_clean_run(run)
    finally:
        api.close()
