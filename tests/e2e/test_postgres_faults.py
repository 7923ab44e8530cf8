"""PostgreSQL restarted 15 times and stopped for 12 s under load: every command exactly once.

Seven clients send duty reports, application submissions and disbursements,
without Idempotency-Keys, while a PostgreSQL cluster of the test's own is
restarted again and again (``pg_ctl restart -m fast``: a COMMIT in flight may
succeed while its connection drops, which is when a command used to be
recorded twice), then stopped for 12 s. Then:

- no command is in the log twice, and every 2xx answer is in the log at its
  ``X-Event-Position``, recorded by its own request (``X-Request-ID``);
- while the cluster is down, requests are answered 503 within
  ``SHUNIU_STORE_TIMEOUT`` and a margin, never later, never 500;
- once it is back, commands are answered 2xx again within a second;
- the agreement's and the hub's totals are the sums of their events.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.support import (
    DECISION,
    REVIEW,
    Launcher,
    PrivateServer,
    application_body,
    ok,
)

STORE_TIMEOUT = 2.0
MARGIN = 1.5
RESTARTS = 15
OUTAGE = 12.0


@dataclass
class Answer:
    kind: str
    status: int
    request_id: str | None
    position: int | None
    started: float
    finished: float


def command(client: httpx.Client, kind: str, path: str, body: dict[str, Any]) -> Answer:
    started = time.monotonic()
    try:
        answer = client.post(path, json=body)
    except httpx.TransportError:
        return Answer(kind, 0, None, None, started, time.monotonic())
    position = answer.headers.get("X-Event-Position")
    return Answer(
        kind,
        answer.status_code,
        answer.headers.get("X-Request-ID"),
        int(position) if position else None,
        started,
        time.monotonic(),
    )


@pytest.mark.slow
def test_restarts_and_an_outage_record_every_command_once(
    tmp_path: Any, private_postgres: PrivateServer
) -> None:
    launcher = Launcher(tmp_path)
    try:
        server = launcher.serve(
            private_postgres.url, env={"SHUNIU_STORE_TIMEOUT": str(int(STORE_TIMEOUT))}
        )
        admin = server.client(server.admin_token)

        def principal(role: str, hub_id: str | None = None) -> httpx.Client:
            body = {"name": role, "role": role, "jurisdiction": "110000"}
            if hub_id:
                body["hub_id"] = hub_id
            return server.client(ok(admin.post("/v1/principals", json=body), 201)["token"])

        office, leading_group = principal("office"), principal("leading_group")
        submitted = ok(office.post("/v1/applications", json=application_body(1)), 201)
        path = f"/v1/applications/{submitted['id']}"
        ok(office.post(f"{path}/preliminary-review", json=REVIEW))
        hub_id = ok(leading_group.post(f"{path}/decision", json=DECISION))["hub_id"]
        hub = principal("hub", hub_id)
        funding = ok(
            office.post(
                "/v1/funding",
                json={"hub_id": hub_id, "program": "special_fund", "fiscal_year": 2026,
                      "amount": "9000000.00", "decision_ref": "F-1", "purpose": "Services"},
            ),
            201,
        )["id"]  # fmt: skip

        answers: list[Answer] = []
        lock = threading.Lock()
        stop = threading.Event()

        def client(worker: int) -> None:
            n = 0
            while not stop.is_set():
                n += 1
                if worker < 3:
                    report = {"period": "2026-07", "kind": "work", "content": f"{worker}.{n}"}
                    answer = command(hub, "report", f"/v1/hubs/{hub_id}/duty-reports", report)
                elif worker < 5:
                    body = application_body(worker * 100_000 + n, field=f"f{worker}.{n}")
                    answer = command(office, "submit", "/v1/applications", body)
                else:
                    body = {"amount": "3.01", "voucher_ref": f"V-{worker}.{n}",
                            "paid_on": "2026-07-01"}  # fmt: skip
                    answer = command(
                        office, "disburse", f"/v1/funding/{funding}/disbursements", body
                    )
                with lock:
                    answers.append(answer)
                if answer.status >= 500 or answer.status == 0:
                    time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(w,), daemon=True) for w in range(7)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        for _ in range(RESTARTS):
            private_postgres.restart()
            time.sleep(0.4)
        private_postgres.stop()
        down_from = time.monotonic()
        time.sleep(OUTAGE)
        private_postgres.start()
        back_at = time.monotonic()
        time.sleep(3.0)
        stop.set()
        for thread in threads:
            thread.join(STORE_TIMEOUT * 4 + 30)

        statuses = Counter(a.status for a in answers)
        assert statuses[500] == 0, statuses
        assert set(statuses) <= {200, 201, 503}, statuses
        # While down: 503 within the bound, and nothing else.
        during = [a for a in answers if down_from + 0.5 < a.started and a.finished < back_at]
        assert during, "no request was answered while PostgreSQL was down"
        served = [
            (a.kind, a.status, round(a.started - down_from, 2), round(a.finished - down_from, 2))
            for a in during
            if a.status != 503
        ]
        assert not served, f"answered while PostgreSQL was down: {served}"
        slowest = max(a.finished - a.started for a in during)
        assert slowest <= STORE_TIMEOUT + MARGIN, f"a request was held {slowest:.1f} s"
        # Back within a second.
        first_ok = min((a.finished for a in answers if a.started >= back_at and a.status < 300),
                       default=None)  # fmt: skip
        assert first_ok is not None, "no command succeeded after PostgreSQL came back"
        assert first_ok - back_at <= 1.0, f"recovered after {first_ok - back_at:.2f} s"
        print(  # the README quotes these (pytest -s)
            f"\n{len(answers)} answers {dict(statuses)}; slowest 503 while down "
            f"{slowest:.2f} s; first 2xx {first_ok - back_at:.2f} s after PostgreSQL was back"
        )

        log = [json.loads(line) for line in ok_lines(admin.get("/v1/audit/export"))]
        by_position = {e["position"]: e for e in log}
        done = [a for a in answers if a.status in (200, 201)]
        for answer in done:
            event = by_position.get(answer.position)
            assert event is not None, f"a {answer.kind} answered 2xx is not in the log"
            assert event["actor"]["command_id"] == answer.request_id, answer
        recorded = Counter(
            e["actor"]["command_id"]
            for e in log
            if e["type"] in ("DutyReported", "Submitted", "Disbursed")
            and e["actor"]["policy"] is None
        )
        twice = {command_id: n for command_id, n in recorded.items() if n > 1}
        assert not twice, f"commands recorded more than once: {twice}"
        reports = sum(1 for e in log if e["type"] == "DutyReported")
        assert ok(admin.get(f"/v1/hubs/{hub_id}"))["duty_report_count"] == reports
        paid = sum(
            e["data"]["amount"]
            for e in log
            if e["type"] == "Disbursed" and e["aggregate_id"] == funding
        )
        state = ok(admin.get(f"/v1/funding/{funding}"))
        assert state["disbursed"] == f"{paid // 100}.{paid % 100:02d}"
        admin.close()
    finally:
        launcher.close()


def ok_lines(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [line for line in answer.text.splitlines() if line.strip()]
