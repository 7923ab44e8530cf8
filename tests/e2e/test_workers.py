"""``shuniu serve --workers N``: N API processes and one projector beside them (PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.e2e.support import (
    CLEAN_EXITS,
    Api,
    Cast,
    Launcher,
    application_body,
    event_position,
    fresh_jurisdictions,
    ok,
    shuniu_executable,
)

pytestmark = pytest.mark.slow


def projectors_of(database_url: str) -> list[int]:
    """Processes running ``shuniu project`` on this store (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"project" in command and f"SHUNIU_DATABASE_URL={database_url}".encode() in environment:
            found.append(int(entry.name))
    return found


def test_several_api_processes_serve_postgresql_and_sqlite_refuses_them(
    launcher: Launcher, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        refused = subprocess.run(
            [shuniu_executable(), "serve", "--workers", "2", "--port", "1"],
            env={**os.environ, "SHUNIU_DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert refused.returncode == 2
        assert "--workers above 1 needs PostgreSQL" in refused.stderr
        return

    server = launcher.serve(database_url, workers=2)
    api = Api(server)
    try:
        cast = Cast.create(api, *fresh_jurisdictions())

        def submit(n: int) -> int:
            body = application_body(n, field=f"field {n}", jurisdiction=cast.home)
            answer = api.client(cast.office.token).post("/v1/applications", json=body)
            assert answer.status_code == 201, answer.text
            return event_position(answer)

        with ThreadPoolExecutor(4) as pool:
            positions = list(pool.map(submit, range(24)))
        assert len(set(positions)) == 24

        # The projector beside the workers applies them: a read at the last position sees all.
        listed = ok(
            cast.office.client.get(
                "/v1/registry/applications",
                params={"limit": 100},
                headers={"X-Min-Position": str(max(positions))},
            )
        )
        assert len(listed["items"]) == 24
        deadline = time.monotonic() + 20  # /healthz answers once the first process is up
        while len(server.log_events("api_started")) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(server.log_events("api_started")) == 2  # two API processes
        assert len(projectors_of(database_url)) == 1
    finally:
        api.close()
    assert server.stop() in CLEAN_EXITS
    assert projectors_of(database_url) == []  # stopped with the API
