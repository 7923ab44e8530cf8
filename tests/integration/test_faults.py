"""Faults lose nothing: the projection worker killed with SIGKILL at 20 random
moments while commands stream in leaves, once restarted, exactly the rows a
from-scratch rebuild leaves."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from shuniu.application import Shuniu
from shuniu.settings import APPLICATION_NAME, Settings
from tests.integration.random_commands import play
from tests.integration.support import all_rows, rebuild

SHUNIU = str(Path(sys.executable).with_name("shuniu"))
KILLS = 20
STEPS = ["designate", "duty", "affiliate", "notice", "meeting", "fund", "duty", "revoke"]


def project(settings: Settings) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SHUNIU_DATABASE_URL": settings.database_url, "SHUNIU_LOG_FORMAT": "json"}
    return subprocess.Popen([SHUNIU, "project"], env=env, stderr=subprocess.DEVNULL)


def test_kill_the_projection_worker_at_20_random_points(
    settings: Settings, views: dict[str, Any]
) -> None:
    rng = random.Random(20261129)
    app = Shuniu(env=settings.eventsourcing_env())
    stop = threading.Event()
    errors: list[BaseException] = []

    def stream_commands() -> None:
        steps = random.Random(1129)
        try:
            while not stop.is_set():
                play(app, steps.sample(STEPS, len(STEPS)))
        except BaseException as e:  # reported by the test below
            errors.append(e)

    writer = threading.Thread(target=stream_commands)
    writer.start()
    try:
        for _ in range(KILLS):
            worker = project(settings)
            time.sleep(rng.uniform(0.2, 0.7))
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
    finally:
        stop.set()
        writer.join(60)
    assert not errors, errors
    head = app.last_position()
    assert head > 0

    worker = project(settings)
    try:
        for view in views.values():
            view.wait(APPLICATION_NAME, head, timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(20)
    survived = all_rows(views)
    rebuild(settings, views, head)
    assert all_rows(views) == survived
    app.close()
