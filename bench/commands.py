"""Commands on aggregates that already have a history, as users send them.

Issue 11's workload: duty reports on hubs whose streams already hold 10, 100,
1,000 and 10,000 events, from 1 client and from 16 clients (each on a hub of
its own), against a real ``shuniu serve`` with its projections in the same
process, as shipped. Beside each figure, in the same run:

- the server's CPU per command, read from ``/proc`` for the server process and
  its children (user + system time over the phase, divided by the commands);
- bare ``app.save``: one duty report saved on an in-memory hub, in this
  process, one thread (the event store's own rate, no load, no HTTP);
- the HTTP floor: ``GET /healthz`` (no token, no store), its server CPU too.

Then two cases that must not get dearer as the data grows:
- an approval in a jurisdiction of 10 hubs and in one of 1,000 (each approval
  adds the new hub to the jurisdiction's roster of active hubs);
- a notice to every active hub of a jurisdiction of 500 hubs.

The stores are seeded in this process through the real aggregates and
policies, many events a save, before the server starts. The load generator
is a plain keep-alive HTTP/1.1 client over sockets, so that it takes as
little of the machine's two cores as it can. Nothing is asserted.

    .venv/bin/python bench/commands.py                            # both stores, ~6 minutes
    .venv/bin/python bench/commands.py --stores sqlite --histories 10,1000 --seconds 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from throughput import load_average, postgres_version, running_server, temporary_store

from shuniu.aggregates.base import Actor, Role
from shuniu.aggregates.credit_code import check_character
from shuniu.aggregates.designation_application import (
    Contact,
    Criteria,
    DesignationApplication,
    Organization,
    hub_id_for,
)
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.principal import Principal, token_digest
from shuniu.application import Shuniu
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.settings import Settings

JURISDICTION = "110000"
CRITERIA = Criteria(
    political_leadership="Upholds the leadership of the Party.",
    leading_role="Leads the organizations of its field.",
    party_organization="Has a Party organization of its own.",
    legal_status_and_management="Registered legal person; sound management.",
)
SEED_BATCH = 500
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
READY_TIMEOUT_SECONDS = 600.0
REQUEST_TIMEOUT_SECONDS = 30.0


def _actor(role: Role) -> Actor:
    return Actor(principal_id=uuid.uuid4(), role=role, command_id=uuid.uuid4())


def credit_code(n: int) -> str:
    first = f"9111000{n:010d}"
    return first + check_character(first)


# Seeding, in this process, before the server starts.


def open_app(url: str) -> Shuniu:
    return Shuniu(env=Settings(database_url=url).eventsourcing_env())


def designate(app: Shuniu, jurisdiction: str, count: int, first: int = 0) -> list[uuid.UUID]:
    """``count`` hubs in one jurisdiction, each in a field of its own, through the policies."""
    hubs: list[uuid.UUID] = []
    for start in range(first, first + count, 100):
        work = UnitOfWork(app, _actor("leading_group"))
        for n in range(start, min(start + 100, first + count)):
            application = DesignationApplication(
                organization=Organization(
                    name=f"Bench Federation {n}", uscc=credit_code(n), kind="people_organization"
                ),
                field=f"bench field {n}",
                jurisdiction=jurisdiction,
                criteria=CRITERIA,
                contact=Contact(name="Bench Contact"),
                actor=_actor("applicant"),
            )
            work.add(application)
            application.review_preliminarily("recommend", "Meets Art. 4.", _actor("office"))
            application.decide("approve", "LG", "ok", None, _actor("leading_group"))
            hubs.append(hub_id_for(application.id))
        work.react()
        app.save(*work.aggregates())
    return hubs


def reviewed_applications(app: Shuniu, jurisdiction: str, count: int, first: int) -> list[str]:
    """Applications recommended by the office, waiting for the Leading Group's decision."""
    ids: list[str] = []
    pending: list[DesignationApplication] = []
    for n in range(first, first + count):
        application = DesignationApplication(
            organization=Organization(
                name=f"Bench Applicant {n}", uscc=credit_code(n), kind="people_organization"
            ),
            field=f"bench field {n}",
            jurisdiction=jurisdiction,
            criteria=CRITERIA,
            contact=Contact(name="Bench Contact"),
            actor=_actor("applicant"),
        )
        application.review_preliminarily("recommend", "Meets Art. 4.", _actor("office"))
        pending.append(application)
        ids.append(str(application.id))
        if len(pending) == 100:
            app.save(*pending)
            pending = []
    if pending:
        app.save(*pending)
    return ids


def grow_history(app: Shuniu, hub_ids: list[uuid.UUID], events: int) -> None:
    """Duty reports until each hub's stream holds ``events`` events."""
    actor = _actor("hub")
    for hub_id in hub_ids:
        hub = app.repository.get(hub_id)
        assert isinstance(hub, HubOrganization)
        while hub.version < events:
            for _ in range(min(SEED_BATCH, events - hub.version)):
                hub.report_duty("2026-07", "work", "Monthly work report.", {"visits": 3}, actor)
            app.save(hub)


def principal(app: Shuniu, role: Role, jurisdiction: str, hub_id: uuid.UUID | None = None) -> str:
    """A principal saved straight into the store; its token."""
    token = secrets.token_urlsafe(32)
    app.save(
        Principal(
            name=f"bench {role}",
            role=role,
            jurisdiction=jurisdiction,
            hub_id=hub_id,
            token_sha256=token_digest(token),
            actor=_actor("admin"),
        )
    )
    return token


# The server's CPU time.


def _cpu_seconds(pid: int) -> float:
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return 0.0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children.get(current, []))
    return found


def server_cpu(pid: int) -> float:
    """User + system seconds of the server and every process below it (API workers,
    ``shuniu project``), so far."""
    return sum(_cpu_seconds(p) for p in _descendants(pid))


# The load generator: keep-alive HTTP/1.1 over a plain socket.


class Connection:
    def __init__(self, base_url: str) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT_SECONDS)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.host = f"{host}:{port}"
        self.pending = b""

    def request(
        self, method: str, path: str, token: str | None = None, body: Any = None
    ) -> tuple[int, bytes]:
        try:
            return self._request(method, path, token, body)
        except ConnectionError:  # the server closed an idle keep-alive connection: reopen
            self.sock.close()
            host, port = self.host.split(":")
            self.sock = socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT_SECONDS)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.pending = b""
            return self._request(method, path, token, body)

    def _request(
        self, method: str, path: str, token: str | None = None, body: Any = None
    ) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        if token is not None:
            head.append(f"Authorization: Bearer {token}")
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        data = self.pending
        while b"\r\n\r\n" not in data:
            data += self._recv()
        header, _, rest = data.partition(b"\r\n\r\n")
        status = int(header[9:12])
        length = 0
        for line in header.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            rest += self._recv()
        self.pending = rest[length:]
        return status, rest[:length]

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            msg = "the server closed the connection"
            raise ConnectionError(msg)
        return chunk

    def close(self) -> None:
        self.sock.close()


@dataclass
class Result:
    label: str
    clients: int
    ok: int = 0
    elapsed: float = 0.0
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    first_error: str = ""
    lock: dict[str, float] = field(default_factory=dict)
    """Over the phase, from the server's shuniu_store_lock_seconds: mean and p99 (ms)."""

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_ms(self) -> float | None:
        return self.cpu / self.ok * 1000 if self.ok else None

    def percentile_ms(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


Request = Callable[[int], tuple[str, str, str | None, Any, int] | None]
"""Client n's next request: (method, path, token, body, expected status); None: no more."""


def drive(
    server: Any, label: str, requests: list[Request], seconds: float, warmup: int = 100
) -> Result:
    """Each request function runs in a thread of its own, as fast as answers come."""
    connections = [Connection(server.base_url) for _ in requests]
    result = Result(label, len(requests))
    lock = threading.Lock()
    for connection, make in zip(connections, requests, strict=True):
        for i in range(warmup):
            request = make(-1 - i)
            assert request is not None
            method, path, token, body, _ = request
            connection.request(method, path, token, body)
    clock: dict[str, float] = {}

    locks_before = lock_histogram(server)

    def start() -> None:
        clock["cpu"] = server_cpu(server.process.pid)
        clock["start"] = time.perf_counter()

    barrier = threading.Barrier(len(requests), action=start)
    finished: list[float] = []

    def run(connection: Connection, make: Request) -> None:
        barrier.wait()
        deadline = clock["start"] + seconds
        mine: list[float] = []
        for i in range(10_000_000):
            if time.perf_counter() >= deadline:
                break
            request = make(i)
            if request is None:  # the phase has no more to send
                break
            method, path, token, body, expect = request
            t0 = time.perf_counter()
            try:
                status, answer = connection.request(method, path, token, body)
            except (OSError, ConnectionError) as e:
                with lock:
                    result.errors[type(e).__name__] += 1
                break
            if status == expect:
                mine.append(time.perf_counter() - t0)
            else:
                with lock:
                    result.errors[str(status)] += 1
                    result.first_error = result.first_error or answer[:300].decode(errors="replace")
        with lock:
            result.latencies.extend(mine)
            finished.append(time.perf_counter())

    threads = [
        threading.Thread(target=run, args=(c, m), daemon=True)
        for c, m in zip(connections, requests, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 4 * REQUEST_TIMEOUT_SECONDS)
    result.elapsed = max(finished, default=clock["start"]) - clock["start"]
    result.cpu = server_cpu(server.process.pid) - clock["cpu"]
    result.ok = len(result.latencies)
    result.lock = lock_figures(locks_before, lock_histogram(server))
    for connection in connections:
        connection.close()
    return result


def lock_histogram(server: Any) -> dict[float, float]:
    """The server's shuniu_store_lock_seconds: cumulative count by upper bound (inf: count),
    and its sum under the key -1."""
    connection = Connection(server.base_url)
    try:
        _, body = connection.request("GET", "/metrics")
    finally:
        connection.close()
    found: dict[float, float] = {}
    for line in body.decode().splitlines():
        if line.startswith("shuniu_store_lock_seconds_bucket"):
            bound = line.split('le="')[1].split('"')[0]
            found[float("inf") if bound == "+Inf" else float(bound)] = float(line.split()[-1])
        elif line.startswith("shuniu_store_lock_seconds_sum"):
            found[-1.0] = float(line.split()[-1])
    return found


def lock_figures(before: dict[float, float], after: dict[float, float]) -> dict[str, float]:
    count = after.get(float("inf"), 0) - before.get(float("inf"), 0)
    if count <= 0:
        return {}
    total = after.get(-1.0, 0) - before.get(-1.0, 0)
    p99 = next(
        (b for b in sorted(k for k in after if k >= 0)
         if after[b] - before.get(b, 0) >= 0.99 * count),
        float("inf"),
    )  # fmt: skip
    return {"mean_ms": total / count * 1000, "p99_le_ms": p99 * 1000, "saves": count}


def wait_until_caught_up(server: Any) -> None:
    """Until every read model has applied the whole log (the seeded history too)."""
    connection = Connection(server.base_url)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    try:
        while time.monotonic() < deadline:
            status, body = connection.request("GET", "/readyz")
            if status == 200:
                lags = [p["lag"] for p in json.loads(body)["projections"].values()]
                if not any(lags):
                    return
            time.sleep(0.2)
    finally:
        connection.close()
    msg = "the read models did not catch up with the seeded log"
    raise RuntimeError(msg)


def duty_report(hub_id: uuid.UUID, token: str) -> Request:
    path = f"/v1/hubs/{hub_id}/duty-reports"

    def make(i: int) -> tuple[str, str, str | None, Any, int]:
        body = {"period": "2026-08", "kind": "work", "content": f"Report {i}.", "figures": {"n": 1}}
        return "POST", path, token, body, 200

    return make


def largest_duty_report(hub_id: uuid.UUID, token: str) -> Request:
    """The largest duty report a hub may send: 20,000 characters and 100 figures."""
    path = f"/v1/hubs/{hub_id}/duty-reports"
    figures = {f"figure {n:03d}": n * 1.5 for n in range(100)}

    def make(i: int) -> tuple[str, str, str | None, Any, int]:
        body = {"period": "2026-08", "kind": "information", "content": "报" * 20_000,
                "figures": figures}  # fmt: skip
        return "POST", path, token, body, 200

    return make


def healthz(_: int) -> tuple[str, str, str | None, Any, int]:
    return "GET", "/healthz", None, None, 200


def hub_state(hub_id: uuid.UUID, token: str) -> Request:
    def make(_: int) -> tuple[str, str, str | None, Any, int]:
        return "GET", f"/v1/hubs/{hub_id}", token, None, 200

    return make


# The phases.


def bare_saves(url: str, seconds: float) -> Result:
    """The event store alone: one duty report saved on an in-memory hub, one thread."""
    app = open_app(url)
    try:
        (hub_id,) = designate(app, JURISDICTION, 1)
        hub = app.repository.get(hub_id)
        actor = _actor("hub")
        result = Result("bare app.save (one duty report)", 1)
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        cpu = time.process_time()
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            hub.report_duty("2026-08", "work", "Report.", {"n": 1}, actor)
            app.save(hub)
            result.latencies.append(time.perf_counter() - t0)
        result.elapsed = time.perf_counter() - started
        result.cpu = time.process_time() - cpu
        result.ok = len(result.latencies)
    finally:
        app.close()
    return result


def history_phases(store: str, history: int, args: argparse.Namespace, tmp: Path) -> list[Result]:
    results = []
    with temporary_store(store, f"history{history}", tmp) as url:
        app = open_app(url)
        try:
            hubs = designate(app, JURISDICTION, max(args.clients))
            grow_history(app, hubs, history)
            tokens = [principal(app, "hub", JURISDICTION, hub_id) for hub_id in hubs]
        finally:
            app.close()
        with running_server(url, tmp, f"{store}-{history}", projections=True) as server:
            wait_until_caught_up(server)
            for clients in args.clients:
                print(f"[{store}] history {history}, {clients} clients ...", file=sys.stderr)
                requests = [duty_report(hubs[n], tokens[n]) for n in range(clients)]
                results.append(
                    drive(server, f"duty report, history {history}", requests, args.seconds)
                )
            if history == args.histories[0] and max(args.clients) > 1:
                print(f"[{store}] the largest duty report among ordinary ones ...", file=sys.stderr)
                clients = max(args.clients)
                requests = [duty_report(hubs[n], tokens[n]) for n in range(1, clients)]
                requests.append(largest_duty_report(hubs[0], tokens[0]))
                results.append(
                    drive(server, "duty reports, one of them 20,000 characters", requests,
                          args.seconds)
                )  # fmt: skip
            if history == args.histories[0]:
                print(f"[{store}] GET /healthz and a hub's state ...", file=sys.stderr)
                results.append(drive(server, "GET /healthz (floor)", [healthz], args.seconds))
                results.append(
                    drive(
                        server, "GET /v1/hubs/{id}", [hub_state(hubs[0], tokens[0])], args.seconds
                    )
                )
    return results


def burst_phase(store: str, turns: bool, args: argparse.Namespace, tmp: Path) -> Result:
    """16 clients on one hub with a history of 100 events: commands on one aggregate taking
    turns (as shipped) or racing (SHUNIU_COMMAND_TURNS=false, the loser running again)."""
    mode = "turns" if turns else "racing"
    with temporary_store(store, f"burst{mode}", tmp) as url:
        app = open_app(url)
        try:
            (hub,) = designate(app, JURISDICTION, 1)
            grow_history(app, [hub], 100)
            token = principal(app, "hub", JURISDICTION, hub)
        finally:
            app.close()
        env = {"SHUNIU_COMMAND_TURNS": "true" if turns else "false"}
        with running_server(url, tmp, f"{store}-{mode}", projections=True, env=env) as server:
            wait_until_caught_up(server)
            print(f"[{store}] 16 clients on one hub, {mode} ...", file=sys.stderr)
            requests = [duty_report(hub, token) for _ in range(16)]
            return drive(server, f"duty report, one hub, {mode}", requests, args.seconds)


def approval_phase(store: str, roster: int, args: argparse.Namespace, tmp: Path) -> Result:
    """Approvals in a jurisdiction that already has ``roster`` active hubs."""
    approvals = max(200, int(args.seconds * 200))
    with temporary_store(store, f"roster{roster}", tmp) as url:
        app = open_app(url)
        try:
            designate(app, JURISDICTION, roster)
            waiting = reviewed_applications(app, JURISDICTION, approvals + 5, first=100_000)
            token = principal(app, "leading_group", JURISDICTION)
        finally:
            app.close()
        turn = iter(waiting)

        def decide(_: int) -> tuple[str, str, str | None, Any, int] | None:
            application = next(turn, None)
            if application is None:
                return None
            body = {"decision": "approve", "decision_ref": "LG-bench", "reasons": "Meets Art. 4."}
            return "POST", f"/v1/applications/{application}/decision", token, body, 200

        with running_server(url, tmp, f"{store}-roster{roster}", projections=True) as server:
            wait_until_caught_up(server)
            print(f"[{store}] approvals with {roster} hubs ...", file=sys.stderr)
            return drive(
                server, f"approval, {roster} hubs in the jurisdiction", [decide], args.seconds,
                warmup=5,
            )  # fmt: skip


def notice_phase(store: str, hubs: int, args: argparse.Namespace, tmp: Path) -> Result:
    """Notices to every active hub of a jurisdiction of ``hubs`` hubs, one at a time."""
    with temporary_store(store, f"notice{hubs}", tmp) as url:
        app = open_app(url)
        try:
            designate(app, JURISDICTION, hubs)
            token = principal(app, "office", JURISDICTION)
        finally:
            app.close()

        def issue(i: int) -> tuple[str, str, str | None, Any, int]:
            body = {"title": f"Notice {i}", "body": "Please read.", "jurisdiction": JURISDICTION}
            return "POST", "/v1/notices", token, body, 201

        with running_server(url, tmp, f"{store}-notice{hubs}", projections=True) as server:
            wait_until_caught_up(server)
            print(f"[{store}] notices to {hubs} hubs ...", file=sys.stderr)
            return drive(server, f"notice to {hubs} hubs", [issue], max(args.seconds, 5), warmup=2)


def bench_store(store: str, args: argparse.Namespace, tmp: Path) -> list[Result]:
    results = []
    with temporary_store(store, "bare", tmp) as url:
        print(f"[{store}] bare app.save ...", file=sys.stderr)
        results.append(bare_saves(url, args.seconds))
    for history in args.histories:
        results.extend(history_phases(store, history, args, tmp))
    if args.cases:
        results.append(burst_phase(store, True, args, tmp))
        results.append(burst_phase(store, False, args, tmp))
        for roster in (10, 1000):
            results.append(approval_phase(store, roster, args, tmp))
        results.append(notice_phase(store, 500, args, tmp))
    return results


# Report.


def environment_summary(stores: list[str]) -> dict[str, str]:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "load average": load_average(),
        "eventsourcing": version("eventsourcing"),
    }
    if "postgres" in stores:
        info["postgresql"] = postgres_version()
    return info


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def print_table(store: str, results: list[Result]) -> None:
    bare = results[0].rate
    print(f"\n{store}")
    headers = ["phase", "C", "per s", "/bare", "p50 ms", "p99 ms", "server CPU ms", "lock ms",
               "n", "errors"]  # fmt: skip
    rows = [
        [
            r.label,
            str(r.clients),
            fmt(r.rate),
            f"{r.rate / bare:.2f}" if bare and r is not results[0] else "-",
            fmt(r.percentile_ms(50), 2),
            fmt(r.percentile_ms(99), 2),
            fmt(r.cpu_ms, 3),
            f"{r.lock['mean_ms']:.2f}/{r.lock['p99_le_ms']:g}" if r.lock else "-",
            str(r.ok),
            " ".join(f"{k}:{v}" for k, v in sorted(r.errors.items())) or "0",
        ]
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(
        zip(headers, widths, strict=True))))  # fmt: skip
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(
            zip(row, widths, strict=True))))  # fmt: skip
    for r in results:
        if r.first_error:
            print(f"  first error of {r.label!r}, C={r.clients}: {r.first_error}")


def flatness(results: list[Result]) -> None:
    """The targets' ratios: largest over smallest history, 1,000 over 10 hubs."""
    for clients in sorted({r.clients for r in results if r.label.startswith("duty")}):
        by_history = [r for r in results if r.label.startswith("duty") and r.clients == clients]
        if len(by_history) > 1 and by_history[0].cpu_ms and by_history[-1].cpu_ms:
            ratio = by_history[-1].cpu_ms / by_history[0].cpu_ms
            print(f"  server CPU, {by_history[-1].label} / {by_history[0].label}, C={clients}: "
                  f"{ratio:.2f}")  # fmt: skip
    approvals = [r for r in results if r.label.startswith("approval")]
    if len(approvals) == 2 and approvals[0].latencies and approvals[1].latencies:
        p50 = [statistics.median(r.latencies) for r in approvals]
        cpu = [r.cpu_ms or 0 for r in approvals]
        print(f"  approval, 1,000 / 10 hubs: latency p50 {p50[1] / p50[0]:.2f}, "
              f"server CPU {cpu[1] / cpu[0]:.2f}")  # fmt: skip


def print_markdown(everything: dict[str, list[Result]]) -> None:
    """The README's table: one row per phase, a column pair per store."""
    stores = list(everything)
    columns = " | ".join(f"{s}: per s | {s}: server CPU ms" for s in stores)
    print(f"\n| phase | C | {columns} |")
    print("|---|---|" + "---|---|" * len(stores))
    keys = [(r.label, r.clients) for r in everything[stores[0]]]
    for label, clients in keys:
        cells = []
        for store in stores:
            found = next(
                (r for r in everything[store] if (r.label, r.clients) == (label, clients)), None
            )
            if found is None:
                cells += ["-", "-"]
                continue
            errors = f" ({sum(found.errors.values())} refused)" if found.errors else ""
            cells += [f"{found.rate:,.0f}{errors}", fmt(found.cpu_ms, 2)]
        print(f"| {label} | {clients} | " + " | ".join(cells) + " |")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    numbers = lambda s: [int(x) for x in s.split(",") if x.strip()]  # noqa: E731
    parser.add_argument("--seconds", type=float, default=5.0, help="per phase (default 5)")
    parser.add_argument("--stores", default="sqlite,postgres", type=lambda s: s.split(","))
    parser.add_argument("--histories", default="10,100,1000,10000", type=numbers)
    parser.add_argument("--clients", default="1,16", type=numbers)
    parser.add_argument(
        "--no-cases", dest="cases", action="store_false", help="skip the approval and notice cases"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the tables as the README shows them"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    everything: dict[str, list[Result]] = {}
    with tempfile.TemporaryDirectory(prefix="shuniu-bench-") as tmp:
        for store in args.stores:
            everything[store] = bench_store(store, args, Path(tmp))
    print()
    for key, value in environment_summary(args.stores).items():
        print(f"{key:>14}: {value}")
    for store, results in everything.items():
        print_table(store, results)
        flatness(results)
    print(
        "\nper s: answered commands (2xx) per second; /bare: over bare app.save in the same\n"
        "run; server CPU ms: user + system time of the server's processes over the phase,\n"
        "per answered command (projections included: they run in the server, as shipped);\n"
        "lock ms: how long a save held the store's write lock, mean/p99 (an upper bound of\n"
        "the server's histogram), from its shuniu_store_lock_seconds."
    )
    if args.markdown:
        print_markdown(everything)
    if args.json:
        args.json.write_text(json.dumps({
            store: [
                {"phase": r.label, "clients": r.clients, "per_second": r.rate, "ok": r.ok,
                 "p50_ms": r.percentile_ms(50), "p99_ms": r.percentile_ms(99),
                 "server_cpu_ms": r.cpu_ms, "errors": dict(r.errors)}
                for r in results
            ]
            for store, results in everything.items()
        }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
