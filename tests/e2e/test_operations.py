"""Operations: /metrics in Prometheus text, /readyz failing while read models lag."""

from __future__ import annotations

import time

import pytest

from tests.e2e.support import Api, Cast, Launcher, submit


@pytest.mark.slow
def test_metrics_count_requests_events_and_projection_lag(api: Api, cast: Cast) -> None:
    submit(cast.applicant)
    assert api.anonymous.get("/v1/nonesuch").status_code == 404
    answer = api.anonymous.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert (
        'shuniu_http_requests_total{method="POST",route="/v1/applications",status="201"} 1.0'
        in text
    )
    assert 'route="unmatched",status="404"' in text
    assert "shuniu_http_request_duration_seconds_bucket" in text
    assert "shuniu_events_appended_total" in text
    for projection in ("registry", "inbox", "minutes", "ledger"):
        assert f'shuniu_projection_lag{{projection="{projection}"}}' in text


@pytest.mark.slow
def test_readyz_fails_while_a_read_model_lags_beyond_the_bound(
    launcher: Launcher, database_url: str
) -> None:
    server = launcher.serve(database_url, projections=False, env={"SHUNIU_READY_MAX_LAG": "0"})
    with server.client() as anonymous, server.client(server.admin_token) as admin:
        assert anonymous.get("/readyz").status_code == 200
        created = admin.post(
            "/v1/principals", json={"name": "o", "role": "office", "jurisdiction": "110000"}
        )
        assert created.status_code == 201
        lagging = anonymous.get("/readyz")
        assert lagging.status_code == 503
        assert lagging.headers["Retry-After"] == "1"
        assert lagging.json()["status"] == "lagging"
        project = launcher.project(database_url)
        try:
            for _ in range(200):
                if anonymous.get("/readyz").status_code == 200:
                    break
                time.sleep(0.05)
            assert anonymous.get("/readyz").json()["status"] == "ready"
        finally:
            project.stop()
