"""Shuniu at scale: generation, catch-up and rebuild, reads, time travel, memory.

    .venv/bin/python bench/scale.py                       # ~100,000 events, both stores
    .venv/bin/python bench/scale.py --events 1000000      # the figures issue 7 asks for
    .venv/bin/python bench/scale.py --stores sqlite

Every figure stands beside a baseline from the same run: rebuilds beside the
raw rate of reading the log (``select_notifications``), reads beside a
``SELECT 1`` round trip, time travel beside replaying the stream's events.
Nothing is asserted; PostgreSQL databases are created and dropped here.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg

from shuniu.aggregates.base import Actor
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.application import Shuniu
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.generate import Scale, generate
from shuniu.projections.rebuild import rebuild
from shuniu.projections.runner import (
    PROJECTIONS,
    ProjectionSpec,
    ProjectionWorker,
    create_tables,
    handled_topics,
    open_view,
)
from shuniu.settings import APPLICATION_NAME, Settings

POSTGRES = os.environ.get(
    "SHUNIU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
EVENTS_PER_AFFILIATE = 5  # established, inspected, supervision opened and claimed, roster joined


def timed(function: Callable[[], Any]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def p95_ms(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) > 1 else samples[0] * 1000


def scale_for(events: int) -> Scale:
    jurisdictions, fields = 9, 12
    hubs = jurisdictions * fields
    per_hub = max(1, events // (hubs * EVENTS_PER_AFFILIATE))
    return Scale(jurisdictions=jurisdictions, fields=fields, affiliates_per_hub=per_hub, batch=500)


def read_log(app: Shuniu) -> tuple[int, float]:
    count, position = 0, 0
    started = time.perf_counter()
    while page := app.recorder.select_notifications(position + 1, 500):
        for notification in page:
            app.mapper.to_domain_event(notification)
        count += len(page)
        position = page[-1].id
    return count, time.perf_counter() - started


def reads(settings: Settings, rounds: int = 200) -> dict[str, float]:
    views = {name: open_view(spec, settings) for name, spec in PROJECTIONS.items()}
    hubs = views["registry"].hubs(None, limit=500)
    queries: dict[str, Callable[[int], object]] = {
        "SELECT 1 (baseline)": lambda i: views["registry"].query("SELECT 1 AS one"),
        "registry hubs (page of 50)": lambda i: views["registry"].hubs(["110000"], limit=50),
        "registry affiliates of a hub": lambda i: views["registry"].affiliates(
            None, hub_id=hubs[i % len(hubs)]["id"], limit=50
        ),
        "registry affiliate by credit code": lambda i: views["registry"].affiliates(
            None, uscc="91110101AAAAAAAAA0"
        ),
        "ledger balances by hub": lambda i: views["ledger"].balances("hub", None, {}),
        "minutes meetings (page of 50)": lambda i: views["minutes"].meetings(None, None, None),
    }
    figures = {}
    for name, query in queries.items():
        samples = [timed(lambda i=i, q=query: q(i)) for i in range(rounds)]  # type: ignore[misc]
        figures[name] = p95_ms(samples)
    for view in views.values():
        view.datastore.close()
    return figures


def handled_count(app: Shuniu, spec: ProjectionSpec) -> int:
    """How many events of the log the projection has a handler for."""
    topics, count, position = handled_topics(spec.projection_class), 0, 0
    while page := app.recorder.select_notifications(position + 1, 5000, topics=topics):
        count, position = count + len(page), page[-1].id
    return count


def catch_up(spec: ProjectionSpec, settings: Settings, head: int) -> float:
    """Seconds for the live projection worker to apply the whole log from position 0."""
    view = open_view(spec, settings)
    view.reset(spec.tables)
    worker = ProjectionWorker(spec, settings)
    started = time.perf_counter()
    worker.start()
    try:
        view.wait(APPLICATION_NAME, head, timeout=3600)
        return time.perf_counter() - started
    finally:
        worker.stop()
        view.datastore.close()


def long_stream(app: Shuniu, events: int) -> Any:
    """One hub with ``events`` duty reports: the aggregate time travel replays."""
    hub_id = next(
        n.originator_id
        for n in app.recorder.select_notifications(1, 10_000)
        if n.topic.endswith("HubOrganization.Designated")
    )
    actor = Actor(principal_id=uuid.uuid4(), role="hub", command_id=uuid.uuid4())
    written = app.get(hub_id, HubOrganization).version
    while written < events:
        work = UnitOfWork(app, actor)
        hub = work.get(hub_id, HubOrganization)
        for _ in range(min(100, events - written)):  # saves of 100, so snapshots land every 100
            hub.report_duty("2026-Q1", "information", "A short report.", {}, actor)
            written += 1
        app.save(*work.aggregates())
    return hub_id


def time_travel(app: Shuniu, hub_id: Any, rounds: int = 30) -> tuple[float, float]:
    head = app.get(hub_id, HubOrganization).version
    versions = [head - (i * 331) % head for i in range(rounds)]
    with_snapshots = [timed(lambda v=v: app.find_version(hub_id, v)) for v in versions]

    def replay_all() -> None:
        aggregate = None
        for event in app.events.get(hub_id):
            aggregate = event.mutate(aggregate)

    without = [timed(replay_all) for _ in range(3)]
    return p95_ms(with_snapshots), statistics.median(without) * 1000


def peak_rss(settings: Settings) -> float:
    """Peak RSS (MiB) of `shuniu serve --no-projections` answering reads over the stored log."""
    port = 18000 + secrets.randbelow(2000)
    token = secrets.token_urlsafe(16)
    env = {**os.environ, "SHUNIU_DATABASE_URL": settings.database_url, "SHUNIU_ADMIN_TOKEN": token,
           "SHUNIU_LOG_FORMAT": "json"}  # fmt: skip
    shuniu = str(Path(sys.executable).with_name("shuniu"))
    server = subprocess.Popen(
        [shuniu, "serve", "--no-projections", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(200):
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            headers = {"Authorization": f"Bearer {token}"}
            paths = (
                "/v1/registry/hubs?limit=500",
                "/v1/registry/affiliates?limit=500",
                "/v1/ledger/balances",
                "/v1/minutes/meetings",
                "/v1/audit/events?limit=1000",
                "/v1/audit/verify",
            )
            for path in paths:
                client.get(path, headers=headers)
            with client.stream("GET", "/v1/audit/export", headers=headers) as answer:
                for _ in answer.iter_bytes():
                    pass
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(peak.group(1)) / 1024 if peak else float("nan")
    finally:
        server.terminate()
        server.wait(20)


def run(store: str, url: str, events: int) -> list[tuple[str, str, str]]:
    settings = Settings(database_url=url)
    rows: list[tuple[str, str, str]] = []
    create_tables(settings)
    app = Shuniu(env=settings.eventsourcing_env())
    print(f"[{store}] generating ~{events:,} events ...", file=sys.stderr)
    elapsed = timed(lambda: generate(app, scale_for(events)))
    written = app.last_position()
    rows.append(("generate (real aggregates and policies, bulk saves)", f"{written:,} events",
                 f"{written / elapsed:,.0f} events/s"))  # fmt: skip
    count, read_seconds = read_log(app)
    raw = count / read_seconds
    rows.append(("read the log: select_notifications + decode (baseline)", f"{count:,} events",
                 f"{raw:,.0f} events/s"))  # fmt: skip
    for name, spec in PROJECTIONS.items():
        print(f"[{store}] rebuilding {name}, then catching up from 0 ...", file=sys.stderr)
        seconds = timed(lambda spec=spec: rebuild(spec, settings))
        applied = handled_count(app, spec)
        rows.append((f"rebuild {name} (reads only its {applied:,} events)",
                     f"{count / seconds:,.0f} events/s",
                     f"{count / seconds / raw:.2f} of the raw read"))  # fmt: skip
        seconds = catch_up(spec, settings, written)
        rows.append((f"catch-up {name} (live runner, every event, from 0)",
                     f"{count / seconds:,.0f} events/s",
                     f"{count / seconds / raw:.2f} of the raw read"))  # fmt: skip
    for name, ms in reads(settings).items():
        rows.append((f"read p95: {name}", f"{ms:.2f} ms", ""))
    print(f"[{store}] a stream of 10,000 events ...", file=sys.stderr)
    hub_id = long_stream(app, 10_000)
    snapshot_ms, replay_ms = time_travel(app, hub_id)
    rows.append(("time travel, 10,000-event stream: any version, p95", f"{snapshot_ms:.1f} ms",
                 f"full replay {replay_ms:.0f} ms"))  # fmt: skip
    app.close()
    print(f"[{store}] peak RSS of the API ...", file=sys.stderr)
    rows.append(
        ("API peak RSS after reads, verify and export", f"{peak_rss(settings):.0f} MiB", "")
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--stores", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, load: {os.getloadavg()[0]:.2f}, events: ~{args.events:,}")
    for store in args.stores.split(","):
        if store == "sqlite":
            with tempfile.TemporaryDirectory(prefix="shuniu-scale-") as tmp:
                rows = run(store, f"sqlite:///{tmp}/scale.db", args.events)
        else:
            name = f"shuniu_scale_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(POSTGRES, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                rows = run(store, POSTGRES.rsplit("/", 1)[0] + f"/{name}", args.events)
            finally:
                with psycopg.connect(POSTGRES, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"\n{store}")
        for what, figure, beside in rows:
            print(f"  {what:<58} {figure:>18}  {beside}")


if __name__ == "__main__":
    main()
