"""One JSON line per request on the server's stderr: request_id, principal, status, duration."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from tests.e2e.support import CLEAN_EXITS, Api, Server, application_body

pytestmark = pytest.mark.slow


def test_one_json_line_per_request(server: Server, api: Api) -> None:
    applicant = api.principal("applicant")
    sent: list[tuple[httpx.Response, str | None]] = [
        (api.anonymous.get("/healthz"), None),
        (api.anonymous.get("/v1/registry/hubs"), None),  # 401
        (api.client("bad-token").get("/v1/registry/hubs"), None),  # 401
        (applicant.client.post("/v1/applications", json=application_body()), applicant.id),
        (applicant.client.get(f"/v1/applications/{uuid.uuid4()}"), applicant.id),  # 404
        (
            applicant.client.post("/v1/applications", json={**application_body(), "x": 1}),
            applicant.id,
        ),  # 422
        (applicant.client.get("/v1/registry/applications"), applicant.id),
    ]
    assert [a.status_code for a, _ in sent] == [200, 401, 401, 201, 404, 422, 200]
    api.close()
    assert server.stop() in CLEAN_EXITS

    lines = server.stderr().splitlines()
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"with SHUNIU_LOG_FORMAT=json every stderr line is JSON; got {line!r}")
    requests = [r for r in records if r.get("event") == "request"]
    by_id: dict[str, list[dict[str, object]]] = {}
    for record in requests:
        by_id.setdefault(str(record.get("request_id")), []).append(record)

    for answer, principal in sent:
        request_id = answer.headers.get("X-Request-ID")
        assert request_id, f"{answer.request.url.path}: no X-Request-ID header"
        found = by_id.get(request_id, [])
        assert len(found) == 1, f"request {request_id}: {len(found)} log lines, wanted one"
        [record] = found
        assert record["status"] == answer.status_code
        assert record["path"] == answer.request.url.path
        assert record["method"] == answer.request.method
        assert record["principal"] == principal
        duration = record["duration_ms"]
        assert isinstance(duration, int | float)
        assert 0 <= duration < 30_000
        assert record.get("level") == "info"
        assert "timestamp" in record

    # The admin's requests name the admin; every line is one of ours or a health poll.
    ours = {a.headers["X-Request-ID"] for a, _ in sent}
    admin_lines = [r for r in requests if r.get("role") == "admin"]
    assert len(admin_lines) == 1  # the principal created above
    assert admin_lines[0]["principal"]
    assert admin_lines[0]["status"] == 201
    ours.add(str(admin_lines[0]["request_id"]))
    for record in requests:
        assert record["request_id"] in ours or record["path"] == "/healthz", record
    assert len(requests) == len(sent) + 1 + server.healthz_polls
