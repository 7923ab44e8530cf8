"""Throughput of Shuniu's write path: bare ``app.save`` against commands over HTTP.

For each store (SQLite in a temporary directory; PostgreSQL in temporary
databases created here and dropped afterwards) this measures, each phase for a
fixed duration:

1. bare saves/s: ``Shuniu.save`` of one new ``Principal`` at a time, in this
   process, one thread; no HTTP, no unit of work, no authentication;
2. the HTTP floor: ``GET /healthz`` (no token, no store) from one thread, the
   cost of uvicorn, FastAPI and the request log line alone;
3. HTTP commands/s: ``POST /v1/applications`` against a real ``shuniu serve``
   subprocess on loopback, from C client threads (one keep-alive connection
   each), counting 201 answers only;
4. the designation procedure over HTTP (optional): submit, preliminary review
   (office), decision ``approve`` (leading group), as fast as each thread can.

The bare phase and the server use separate, empty stores, so the server's
projections never catch up with the bare phase's events first. The HTTP
phases run one after another against the same server. Every phase is
preceded by a few unmeasured warm-up operations. Nothing here asserts on time.

    .venv/bin/python bench/throughput.py [--seconds N] [--stores sqlite,postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx
import psycopg

from shuniu.aggregates.base import Actor
from shuniu.aggregates.divisions import division_codes
from shuniu.aggregates.principal import Principal
from shuniu.application import CommandContext, Shuniu
from shuniu.commands.designation import SubmitApplication
from shuniu.settings import Settings

POSTGRES_URL = os.environ.get(
    "SHUNIU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
JURISDICTION = "110000"
USCC = "91350100M000100Y43"
MAX_OPS_PER_THREAD = 1_000_000  # a bound on every loop, far above what a phase reaches
WARMUP_OPS = 10
STARTUP_TIMEOUT_SECONDS = 30.0
REQUEST_TIMEOUT_SECONDS = 30.0
RAW_PHASE = "raw insert+commit (driver)"
BARE_PHASE = "bare app.save (Principal)"
IN_PROCESS_PHASE = "in-process submit_application"
FLOOR_PHASE = "HTTP GET /healthz (floor)"


# Results.


@dataclass
class Phase:
    store: str
    name: str
    concurrency: int
    ok: int  # successful commands (saves, for the bare phase)
    elapsed: float
    latencies: list[float]  # seconds, one per successful command
    errors: Counter[str] = field(default_factory=Counter)
    procedures: int | None = None  # completed designation procedures, when measured
    note: str = ""

    @property
    def per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, p: float) -> float | None:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000


# Stores.


def _url_with_database(name: str) -> str:
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{name}"


@contextlib.contextmanager
def temporary_postgres_database(purpose: str) -> Iterator[str]:
    name = f"shuniu_bench_{purpose}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _url_with_database(name)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def temporary_store(store: str, purpose: str, tmp: Path) -> Iterator[str]:
    if store == "postgres":
        with temporary_postgres_database(purpose) as url:
            yield url
    else:
        yield f"sqlite:///{tmp / f'{purpose}.db'}"


def postgres_version() -> str:
    try:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError as e:
        return f"unreachable ({e})".splitlines()[0]
    return str(row[0]) if row else "?"


# In-process phases: bare saves, commands without HTTP.


def timed_loop(op: Callable[[int], object], seconds: float) -> tuple[list[float], float]:
    """Call ``op`` in this thread for ``seconds`` (after a warm-up): latencies, elapsed."""
    for i in range(WARMUP_OPS):
        op(-i - 1)
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds
    for i in range(MAX_OPS_PER_THREAD):
        t0 = time.perf_counter()
        if t0 >= deadline:
            break
        op(i)
        latencies.append(time.perf_counter() - t0)
    return latencies, time.perf_counter() - started


def bare_saves(store: str, url: str, seconds: float) -> Phase:
    app = Shuniu(env=Settings(database_url=url).eventsourcing_env())
    actor = Actor(principal_id=uuid.uuid4(), role="admin", command_id=uuid.uuid4())

    def save_one(i: int) -> None:
        app.save(
            Principal(
                name=f"bench principal {i}",
                role="office",
                jurisdiction=JURISDICTION,
                hub_id=None,
                token_sha256=secrets.token_hex(32),
                actor=actor,
            )
        )

    try:
        latencies, elapsed = timed_loop(save_one, seconds)
    finally:
        app.close()
    return Phase(store, BARE_PHASE, 1, len(latencies), elapsed, latencies)


def raw_inserts(store: str, url: str, seconds: float) -> Phase:
    """The driver alone: one row of an event's size inserted and committed per call."""
    payload = secrets.token_bytes(400)
    if store == "postgres":
        conn: Any = psycopg.connect(url, autocommit=True)
        conn.execute("CREATE TABLE raw_bench (id bigserial PRIMARY KEY, state bytea)")

        def insert_one(i: int) -> None:
            with conn.transaction():
                conn.execute("INSERT INTO raw_bench (state) VALUES (%s)", (payload,))

    else:
        path = url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE raw_bench (id INTEGER PRIMARY KEY, state BLOB)")

        def insert_one(i: int) -> None:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO raw_bench (state) VALUES (?)", (payload,))
            conn.execute("COMMIT")

    try:
        latencies, elapsed = timed_loop(insert_one, seconds)
    finally:
        conn.close()
    return Phase(store, RAW_PHASE, 1, len(latencies), elapsed, latencies)


def in_process_commands(store: str, url: str, seconds: float) -> Phase:
    """``Shuniu.submit_application``: the unit of work and its policies, without HTTP."""
    app = Shuniu(env=Settings(database_url=url).eventsourcing_env())
    office = uuid.uuid4()
    run = uuid.uuid4().hex[:8]

    def submit_one(i: int) -> None:
        body = application_body(f"{run}-{i}")
        ctx = CommandContext(
            actor=Actor(principal_id=office, role="office", command_id=uuid.uuid4())
        )
        app.handle(SubmitApplication.model_validate(body), ctx)

    try:
        latencies, elapsed = timed_loop(submit_one, seconds)
    finally:
        app.close()
    return Phase(store, IN_PROCESS_PHASE, 1, len(latencies), elapsed, latencies)


# The server.


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def shuniu_executable() -> str:
    beside = Path(sys.executable).parent / "shuniu"
    if beside.exists():
        return str(beside)
    found = shutil.which("shuniu")
    if found is None:
        sys.exit("the shuniu command was not found; run with the project's .venv/bin/python")
    return found


@dataclass
class Server:
    base_url: str
    admin_token: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def running_server(
    url: str,
    tmp: Path,
    label: str,
    *,
    projections: bool,
    workers: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    port = free_port()
    admin_token = secrets.token_urlsafe(32)
    env = {
        **os.environ,
        "SHUNIU_DATABASE_URL": url,
        "SHUNIU_ADMIN_TOKEN": admin_token,
        "SHUNIU_LOG_FORMAT": "json",
        **(env or {}),
    }
    command = [shuniu_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    if not projections:
        command.append("--no-projections")
    if workers > 1:
        command += ["--workers", str(workers)]
    log_path = tmp / f"server-{label}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file
        )
    server = Server(f"http://127.0.0.1:{port}", admin_token, process, log_path)
    try:
        wait_until_healthy(server)
        yield server
    finally:
        stop(process)


def wait_until_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    with httpx.Client(base_url=server.base_url, timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                break
            with contextlib.suppress(httpx.TransportError):
                if client.get("/healthz").status_code == 200:
                    return
            time.sleep(0.1)
    raise RuntimeError(
        f"shuniu serve did not become healthy within {STARTUP_TIMEOUT_SECONDS:.0f} s "
        f"(exit code {server.process.poll()}); its log ends with:\n{server.log_tail()}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # uvicorn shuts down cleanly on SIGINT
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def create_principal(server: Server, name: str, role: str, jurisdiction: str) -> str:
    answer = httpx.post(
        f"{server.base_url}/v1/principals",
        headers={"Authorization": f"Bearer {server.admin_token}"},
        json={"name": name, "role": role, "jurisdiction": jurisdiction},
        timeout=REQUEST_TIMEOUT_SECONDS,
        trust_env=False,  # loopback only: no proxy from the environment
    )
    if answer.status_code != 201:
        raise RuntimeError(f"creating the {role} principal: {answer.status_code} {answer.text}")
    token: str = answer.json()["token"]
    return token


# HTTP phases.


def application_body(label: str, jurisdiction: str = JURISDICTION) -> dict[str, Any]:
    return {
        "organization": {
            "name": f"Bench Federation {label}",
            "uscc": USCC,
            "kind": "people_organization",
        },
        "field": f"bench field {label}",  # unique: an approval claims the field's one seat
        "jurisdiction": jurisdiction,
        "criteria": {
            "political_leadership": "Upholds the leadership of the Party.",
            "leading_role": "Leads the organizations of its field in the city.",
            "party_organization": "Has a Party organization of its own.",
            "legal_status_and_management": "Registered legal person; sound management.",
        },
        "contact": {"name": "Bench Contact"},
    }


class Worker:
    """One client thread: its own connection, its own tallies."""

    def __init__(self, server: Server) -> None:
        self.client = httpx.Client(
            base_url=server.base_url, timeout=REQUEST_TIMEOUT_SECONDS, trust_env=False
        )
        self.ok = 0
        self.procedures = 0
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.first_error: str | None = None
        self.finished_at = 0.0

    def command(self, path: str, token: str, body: dict[str, Any], expect: int) -> Any:
        """POST one command; its answer's JSON if it succeeded, else None."""
        return self.request("POST", path, expect, token=token, body=body)

    def request(
        self,
        method: str,
        path: str,
        expect: int,
        token: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else None
        t0 = time.perf_counter()
        try:
            answer = self.client.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as e:
            self._error(type(e).__name__, repr(e))
            return None
        elapsed = time.perf_counter() - t0
        if answer.status_code != expect:
            self._error(str(answer.status_code), answer.text[:500])
            return None
        self.ok += 1
        self.latencies.append(elapsed)
        return answer.json()

    def _error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if self.first_error is None:
            self.first_error = f"{kind}: {detail}"


Step = Callable[[Worker, str], bool]  # one unit of work of a phase; True if it completed


def healthz_step(worker: Worker, _label: str) -> bool:
    """No token, no store: the cost of the HTTP stack alone (uvicorn, FastAPI, logging)."""
    return worker.request("GET", "/healthz", 200) is not None


def submit_step(office: str) -> Step:
    def step(worker: Worker, label: str) -> bool:
        return worker.command("/v1/applications", office, application_body(label), 201) is not None

    return step


@dataclass(frozen=True)
class Desk:
    """The two principals a designation needs, in one jurisdiction."""

    jurisdiction: str
    office: str
    leading_group: str


def jurisdiction_codes(n: int) -> list[str]:
    """110000, then real division codes (the API takes no other): Beijing's districts
    110101, 110102, 110105, ..., then other provinces' divisions in code order."""
    codes = division_codes()
    beijing = [code for code in codes if code.startswith("11") and code != JURISDICTION]
    elsewhere = [code for code in codes if not code.startswith("11")]
    return [JURISDICTION, *(beijing + elsewhere)[: n - 1]]


class Approvals:
    """Hubs approved per jurisdiction so far: each approval adds one to its active-hubs roster."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, jurisdiction: str) -> None:
        with self._lock:
            self._counts[jurisdiction] += 1

    def most(self) -> int:
        with self._lock:
            return max(self._counts.values(), default=0)


def procedure_step(desks: list[Desk], approvals: Approvals) -> Step:
    turns = itertools.count()  # next() on it is atomic under the GIL

    def step(worker: Worker, label: str) -> bool:
        desk = desks[next(turns) % len(desks)]
        body = application_body(label, desk.jurisdiction)
        submitted = worker.command("/v1/applications", desk.office, body, 201)
        if submitted is None:
            return False
        path = f"/v1/applications/{submitted['id']}"
        review = {"opinion": "recommend", "notes": "Meets the four conditions of Art. 4."}
        if worker.command(f"{path}/preliminary-review", desk.office, review, 200) is None:
            return False
        decision = {
            "decision": "approve",
            "decision_ref": f"LG-{label}",
            "reasons": "The office recommends; the Leading Group agrees.",
        }
        if worker.command(f"{path}/decision", desk.leading_group, decision, 200) is None:
            return False
        approvals.add(desk.jurisdiction)
        worker.procedures += 1
        return True

    return step


def http_phase(
    store: str,
    name: str,
    server: Server,
    step: Step,
    concurrency: int,
    seconds: float,
    *,
    counts_procedures: bool = False,
) -> Phase:
    run = uuid.uuid4().hex[:8]
    workers = [Worker(server) for _ in range(concurrency)]
    # Warm-up on every connection, not measured.
    for n, worker in enumerate(workers):
        for i in range(max(1, WARMUP_OPS // concurrency)):
            step(worker, f"warmup-{run}-{n}-{i}")
    for worker in workers:
        worker.ok, worker.procedures = 0, 0
        worker.latencies.clear()
        worker.errors.clear()
        worker.first_error = None

    timing: dict[str, float] = {}

    def start_clock() -> None:
        timing["started"] = time.perf_counter()
        timing["deadline"] = timing["started"] + seconds

    barrier = threading.Barrier(concurrency, action=start_clock)

    def drive(n: int, worker: Worker) -> None:
        barrier.wait()
        deadline = timing["deadline"]
        for i in range(MAX_OPS_PER_THREAD):
            if time.perf_counter() >= deadline:
                break
            step(worker, f"{run}-{n}-{i}")
        worker.finished_at = time.perf_counter()

    threads = [
        threading.Thread(target=drive, args=(n, w), name=f"bench-client-{n}", daemon=True)
        for n, w in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT_SECONDS * 4)
    if any(thread.is_alive() for thread in threads):
        raise RuntimeError(f"{name}: a client thread did not finish")
    for worker in workers:
        worker.client.close()

    elapsed = max(w.finished_at for w in workers) - timing["started"]
    errors: Counter[str] = Counter()
    for worker in workers:
        errors.update(worker.errors)
        if worker.first_error is not None:
            print(f"  [{store}] {name}, C={concurrency}: {worker.first_error}", file=sys.stderr)
    return Phase(
        store,
        name,
        concurrency,
        ok=sum(w.ok for w in workers),
        elapsed=elapsed,
        latencies=[x for w in workers for x in w.latencies],
        errors=errors,
        procedures=sum(w.procedures for w in workers) if counts_procedures else None,
    )


# One store.


def bench_store(store: str, args: argparse.Namespace, tmp: Path) -> list[Phase]:
    phases: list[Phase] = []
    print(f"[{store}] raw insert and commit for {args.seconds:g} s ...", file=sys.stderr)
    with temporary_store(store, "raw", tmp) as url:
        phases.append(raw_inserts(store, url, args.seconds))
    print(f"[{store}] bare app.save for {args.seconds:g} s ...", file=sys.stderr)
    with temporary_store(store, "bare", tmp) as url:
        phases.append(bare_saves(store, url, args.seconds))
    if args.in_process:
        print(
            f"[{store}] in-process submit_application for {args.seconds:g} s ...", file=sys.stderr
        )
        with temporary_store(store, "inproc", tmp) as url:
            phases.append(in_process_commands(store, url, args.seconds))

    workers = args.workers if store == "postgres" else 1  # SQLite: one API process
    served = f" ({workers} workers)" if workers > 1 else ""
    with (
        temporary_store(store, "http", tmp) as url,
        running_server(url, tmp, store, projections=args.projections, workers=workers) as server,
    ):
        desks = [
            Desk(
                code,
                office=create_principal(server, f"Bench Office {code}", "office", code),
                leading_group=create_principal(
                    server, f"Bench Leading Group {code}", "leading_group", code
                ),
            )
            for code in jurisdiction_codes(args.jurisdictions)
        ]
        approvals = Approvals()
        if args.floor:
            print(f"[{store}] GET /healthz, C=1, {args.seconds:g} s ...", file=sys.stderr)
            phases.append(http_phase(store, FLOOR_PHASE, server, healthz_step, 1, args.seconds))
        for c in args.concurrency:
            print(
                f"[{store}] POST /v1/applications, C={c}, {args.seconds:g} s ...", file=sys.stderr
            )
            phases.append(
                http_phase(
                    store,
                    "HTTP POST /v1/applications" + served,
                    server,
                    submit_step(desks[0].office),
                    c,
                    args.seconds,
                )
            )
        if args.procedure:
            for c in args.concurrency:
                print(
                    f"[{store}] designation procedure, C={c}, {args.seconds:g} s ...",
                    file=sys.stderr,
                )
                phases.append(
                    http_phase(
                        store,
                        "HTTP procedure (3 commands)" + served,
                        server,
                        procedure_step(desks, approvals),
                        c,
                        args.seconds,
                        counts_procedures=True,
                    )
                )
                where = "per jurisdiction" if len(desks) > 1 else f"in {JURISDICTION}"
                phases[-1].note = f"hubs {where} at end: {approvals.most()}"
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited early; its log ends with:\n{server.log_tail()}")
    return phases


# Report.


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def ratio_to(baseline: str, phase: Phase, phases: list[Phase]) -> float | None:
    """A phase's rate over its store's baseline rate (None for the baselines and the floor)."""
    if phase.name in (RAW_PHASE, BARE_PHASE, FLOOR_PHASE):
        return None
    base = next((p.per_second for p in phases if p.store == phase.store and p.name == baseline), 0)
    return phase.per_second / base if base else None


def print_table(phases: list[Phase]) -> None:
    headers = ["store", "phase", "C", "commands/s", "rate/bare", "rate/raw", "p50 ms", "p95 ms",
               "p99 ms", "n", "errors"]  # fmt: skip
    if any(p.note for p in phases):
        headers.append("notes")
    rows: list[list[str]] = []
    for p in phases:
        is_bare = p.name in (BARE_PHASE, RAW_PHASE)
        is_floor = p.name == FLOOR_PHASE
        ratio = ratio_to(BARE_PHASE, p, phases)
        raw_ratio = ratio_to(RAW_PHASE, p, phases)
        rate = fmt(p.per_second)
        if is_bare:
            rate += " saves/s"
        if is_floor:
            rate += " req/s"
        if p.procedures is not None:
            rate += f" ({p.procedures / p.elapsed:,.1f} proc/s)"
        rows.append(
            [
                p.store,
                p.name,
                str(p.concurrency),
                rate,
                "-" if ratio is None else f"{ratio:.2f}",
                "-" if raw_ratio is None else f"{raw_ratio:.2f}",
                fmt(p.percentile_ms(50), 2),
                fmt(p.percentile_ms(95), 2),
                fmt(p.percentile_ms(99), 2),
                str(p.ok),
                " ".join(f"{k}:{v}" for k, v in sorted(p.errors.items())) or "0",
                p.note,
            ][: len(headers)]
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    right = {2, 3, 4, 5, 6, 7, 8, 9}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    previous = None
    for p, row in zip(phases, rows, strict=True):
        if previous is not None and p.store != previous:
            print()
        previous = p.store
        print(line(row))


def load_average() -> str:
    """1-minute load average: figures from a busy machine are not worth quoting."""
    try:
        return f"{os.getloadavg()[0]:.2f} (1 min)"
    except OSError:
        return "?"


def environment(args: argparse.Namespace) -> dict[str, str]:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "load average": load_average(),
        "eventsourcing": version("eventsourcing"),
        "fastapi": version("fastapi"),
        "uvicorn": version("uvicorn"),
        "seconds per phase": f"{args.seconds:g}",
        "server": "shuniu serve, projections "
        + ("in-process" if args.projections else "off (--no-projections)")
        + (
            f"; on PostgreSQL --workers {args.workers} (projections in one shuniu project)"
            if args.workers > 1 and args.projections
            else f"; on PostgreSQL --workers {args.workers}"
            if args.workers > 1
            else ""
        )
        + ", SHUNIU_LOG_FORMAT=json to a file",
    }
    if "postgres" in args.stores:
        info["postgresql"] = postgres_version()
    return info


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Bare app.save throughput against HTTP command throughput, per store."
    )
    parser.add_argument(
        "--seconds", type=float, default=3.0, help="duration of each measured phase (default 3)"
    )
    parser.add_argument(
        "--stores",
        default="sqlite,postgres",
        type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
        help="comma-separated: sqlite, postgres (default both)",
    )
    parser.add_argument(
        "--concurrency",
        default="1,4",
        type=lambda s: [int(x) for x in s.split(",") if x.strip()],
        help="client threads of each HTTP phase, comma-separated (default 1,4)",
    )
    parser.add_argument(
        "--no-procedure",
        dest="procedure",
        action="store_false",
        help="skip the designation-procedure phase",
    )
    parser.add_argument(
        "--no-in-process",
        dest="in_process",
        action="store_false",
        help="skip the in-process Shuniu.submit_application phase (no HTTP)",
    )
    parser.add_argument(
        "--jurisdictions",
        type=int,
        default=1,
        help="spread the procedures over this many jurisdictions, each with its own office "
        "and leading group (default 1: all in 110000)",
    )
    parser.add_argument(
        "--no-floor",
        dest="floor",
        action="store_false",
        help="skip the GET /healthz phase (the HTTP stack's own cost, no store)",
    )
    parser.add_argument(
        "--no-projections",
        dest="projections",
        action="store_false",
        help="serve with --no-projections (default: projections run in the server, as shipped)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="API processes of the PostgreSQL server (shuniu serve --workers; SQLite keeps 1)",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    unknown = set(args.stores) - {"sqlite", "postgres"}
    if unknown or not args.stores:
        parser.error(f"--stores takes sqlite and/or postgres, not {sorted(unknown)}")
    if not 0 < args.seconds <= 600:
        parser.error("--seconds must be in (0, 600]")
    if not 1 <= args.jurisdictions <= 99:
        parser.error("--jurisdictions takes a number from 1 to 99")
    if not 1 <= args.workers <= 16:
        parser.error("--workers takes a number from 1 to 16")
    if not args.concurrency or any(not 1 <= c <= 64 for c in args.concurrency):
        parser.error("--concurrency takes numbers from 1 to 64")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if "postgres" in args.stores:
        try:
            psycopg.connect(POSTGRES_URL, connect_timeout=5).close()
        except psycopg.OperationalError as e:
            sys.exit(
                f"PostgreSQL did not answer at {POSTGRES_URL}: {e}\n(--stores sqlite skips it)"
            )
    info = environment(args)
    begun = time.perf_counter()
    phases: list[Phase] = []
    with tempfile.TemporaryDirectory(prefix="shuniu-bench-") as tmp:
        for store in args.stores:
            phases.extend(bench_store(store, args, Path(tmp)))
    total = time.perf_counter() - begun

    print()
    for key, value in info.items():
        print(f"{key:>18}: {value}")
    print(f"{'load at the end':>18}: {load_average()}")
    print(f"{'total run':>18}: {total:.1f} s")
    print()
    print_table(phases)
    print()
    print(
        "commands/s: successful commands per wall-clock second (201/200 answers; the bare row\n"
        "counts saves, the floor row GET /healthz requests). rate/bare: that rate over the same\n"
        "store's bare saves/s (one thread): the HTTP/bare ratio on HTTP rows; rate/raw: over\n"
        "the driver alone inserting and committing one row of an event's size. p50/p95/p99:\n"
        "latency "
        "of one operation as the caller sees it. errors: status:count. A procedure is 3 commands\n"
        "(submit, preliminary review, approval); each approval adds a hub to its jurisdiction's\n"
        "active-hubs roster, which the next approval there loads, so see the notes column."
    )
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "environment": info,
                    "phases": [
                        {
                            "store": p.store,
                            "phase": p.name,
                            "concurrency": p.concurrency,
                            "ok": p.ok,
                            "elapsed_s": round(p.elapsed, 3),
                            "per_second": round(p.per_second, 2),
                            "rate_over_bare": ratio_to(BARE_PHASE, p, phases),
                            "rate_over_raw": ratio_to(RAW_PHASE, p, phases),
                            "procedures": p.procedures,
                            "p50_ms": p.percentile_ms(50),
                            "p95_ms": p.percentile_ms(95),
                            "errors": dict(p.errors),
                            "note": p.note,
                        }
                        for p in phases
                    ],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
