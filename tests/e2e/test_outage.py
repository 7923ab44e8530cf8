"""PostgreSQL restarted under load: 503 with Retry-After meanwhile, never a 500;
the server recovers by itself, and every command answered 2xx is in the log."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.e2e.support import Launcher, PrivateServer, application_body, ok


@pytest.mark.slow
def test_postgresql_restarted_under_load(tmp_path: Path, private_postgres: PrivateServer) -> None:
    launcher = Launcher(tmp_path)
    try:
        server = launcher.serve(private_postgres.url, env={"SHUNIU_STORE_TIMEOUT": "1"})
        admin = server.client(server.admin_token)
        office = ok(
            admin.post(
                "/v1/principals", json={"name": "o", "role": "office", "jurisdiction": "110000"}
            ),
            201,
        )["token"]
        answers: list[tuple[int, str | None, str | None]] = []
        stop = threading.Event()

        def send(worker: int) -> None:
            with server.client(office) as client:
                n = 0
                while not stop.is_set():
                    n += 1
                    try:
                        answer = client.post(
                            "/v1/applications", json=application_body(worker * 100_000 + n)
                        )
                    except httpx.TransportError:
                        answers.append((0, None, None))
                        continue
                    created = answer.json().get("id") if answer.status_code == 201 else None
                    answers.append((answer.status_code, created, answer.headers.get("Retry-After")))
                    if answer.status_code != 201:
                        time.sleep(0.05)

        clients = [threading.Thread(target=send, args=(i,)) for i in range(3)]
        for c in clients:
            c.start()
        time.sleep(1.5)
        private_postgres.stop()
        # Longer than a request waits: the library retries a failed store call 10 times,
        # 0.2 s apart, each waiting up to SHUNIU_STORE_TIMEOUT for a connection.
        time.sleep(14.0)
        private_postgres.start()
        time.sleep(3.0)
        stop.set()
        for c in clients:
            c.join(30)

        statuses = Counter(status for status, _, _ in answers)
        assert statuses[500] == 0, statuses
        assert statuses[503] > 0, f"the outage was not seen: {statuses}"
        assert all(retry == "1" for status, _, retry in answers if status == 503)
        assert set(statuses) <= {201, 503}, statuses
        after = answers[-10:]
        assert all(status == 201 for status, _, _ in after), f"not recovered: {after}"
        created = [created for status, created, _ in answers if status == 201]
        for application_id in created:
            assert admin.get(f"/v1/applications/{application_id}").status_code == 200
        admin.close()
    finally:
        launcher.close()
