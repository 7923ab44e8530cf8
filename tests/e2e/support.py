"""What the end-to-end tests share: real server processes, HTTP clients, request bodies.

Every test here talks to ``shuniu serve`` (and ``shuniu project``) started as
a subprocess, over real HTTP, exactly as an outside client would.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shuniu.aggregates.credit_code import check_character
from shuniu.aggregates.divisions import division_codes

STARTUP_TIMEOUT = 20.0
CLEAN_EXITS = (0, -signal.SIGTERM)
"""A graceful stop: uvicorn re-raises the SIGTERM it caught once it has shut down."""
STOP_TIMEOUT = 10.0
PROBLEM_JSON = "application/problem+json"
MUNICIPALITY = "110000"
DISTRICT = "110105"
VALID_USCC = "91350100M000100Y43"


def shuniu_executable() -> str:
    beside = Path(sys.executable).with_name("shuniu")
    if beside.exists():
        return str(beside)
    found = shutil.which("shuniu")
    assert found is not None, "the shuniu command is not installed (pip install -e .)"
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# Processes.


@dataclass
class Process:
    """A shuniu subprocess whose stderr goes to a file (no pipe to fill up)."""

    name: str
    args: list[str]
    proc: subprocess.Popen[bytes]
    stderr_path: Path
    hung: bool = False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, then SIGKILL if it does not exit in time; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.hung = True
                # PYTHONFAULTHANDLER=1: SIGABRT writes every thread's stack to stderr.
                self.proc.send_signal(signal.SIGABRT)
                try:
                    self.proc.wait(5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(5)
        return int(self.proc.returncode)

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def log_records(self) -> list[dict[str, Any]]:
        """Every stderr line that is a JSON object (the structured log)."""
        records = []
        for line in self.stderr().splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    records.append(record)
        return records

    def log_events(self, event: str) -> list[dict[str, Any]]:
        return [r for r in self.log_records() if r.get("event") == event]


@dataclass
class Server(Process):
    base_url: str = ""
    admin_token: str = ""
    healthz_polls: int = 0

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30.0)


@dataclass
class Launcher:
    """Starts shuniu processes for one test and stops every one of them afterwards."""

    workdir: Path
    processes: list[Process] = field(default_factory=list)
    _count: int = 0

    def _environment(self, database_url: str, extra: dict[str, str] | None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHUNIU_")}
        env.update(
            SHUNIU_DATABASE_URL=database_url,
            SHUNIU_LOG_FORMAT="json",
            PYTHONUNBUFFERED="1",
            PYTHONFAULTHANDLER="1",
        )
        env.update(extra or {})
        return env

    def _spawn(
        self, name: str, args: list[str], env: dict[str, str]
    ) -> tuple[subprocess.Popen[bytes], Path]:
        self._count += 1
        stderr_path = self.workdir / f"{self._count:02d}-{name}.stderr"
        with stderr_path.open("wb") as stderr:
            proc = subprocess.Popen(
                args,
                env=env,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        return proc, stderr_path

    def serve(
        self,
        database_url: str,
        *,
        projections: bool = True,
        admin_token: str | None = None,
        env: dict[str, str] | None = None,
        workers: int = 1,
    ) -> Server:
        """``shuniu serve`` on a free port, once ``/healthz`` answers."""
        admin_token = admin_token or secrets.token_urlsafe(24)
        environment = self._environment(
            database_url, {"SHUNIU_ADMIN_TOKEN": admin_token, **(env or {})}
        )
        last_failure = ""
        for _ in range(3):  # a port taken between free_port() and bind: try another
            port = free_port()
            args = [shuniu_executable(), "serve", "--host", "127.0.0.1", "--port", str(port)]
            if not projections:
                args.append("--no-projections")
            if workers > 1:
                args += ["--workers", str(workers)]
            proc, stderr_path = self._spawn("serve", args, environment)
            server = Server(
                name="serve",
                args=args,
                proc=proc,
                stderr_path=stderr_path,
                base_url=f"http://127.0.0.1:{port}",
                admin_token=admin_token,
            )
            self.processes.append(server)
            if _wait_healthy(server):
                return server
            server.stop()
            last_failure = server.stderr()
            if "address already in use" not in last_failure.lower():
                break
        msg = f"shuniu serve did not answer /healthz within {STARTUP_TIMEOUT}s:\n{last_failure}"
        raise AssertionError(msg)

    def project(self, database_url: str, *, env: dict[str, str] | None = None) -> Process:
        """``shuniu project``: the projection workers alone."""
        args = [shuniu_executable(), "project"]
        proc, stderr_path = self._spawn("project", args, self._environment(database_url, env))
        process = Process(name="project", args=args, proc=proc, stderr_path=stderr_path)
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def _wait_healthy(server: Server) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    with httpx.Client(base_url=server.base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if not server.alive():
                return False
            try:
                answer = client.get("/healthz")
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            server.healthz_polls += 1
            if answer.status_code == 200:
                return True
            time.sleep(0.05)
    return False


BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


class PrivateServer:
    """A throw-away PostgreSQL cluster this test may stop and start at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="shuniu-outage-"))
        self.bin = BIN[-1]
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run(f"{self.bin}/initdb -D {self.data} -U postgres -A trust")

    def _run(self, command: str) -> None:
        as_postgres = (
            ["su", "postgres", "-s", "/bin/sh", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
        )
        subprocess.run([*as_postgres, command], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1"
        self._run(f"{self.bin}/pg_ctl -D {self.data} -o '{options}' -l {self.data}/log -w start")

    def stop(self) -> None:
        self._run(f"{self.bin}/pg_ctl -D {self.data} -m fast -w stop")

    def restart(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1"
        self._run(
            f"{self.bin}/pg_ctl -D {self.data} -o '{options}' -l {self.data}/log -m fast -w restart"
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"


# Principals and clients.


@dataclass
class Principal:
    id: str
    token: str
    role: str
    jurisdiction: str
    client: httpx.Client


class Api:
    """One server seen by several principals, each with a client of its own."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.admin = server.client(server.admin_token)
        self.anonymous = server.client()
        self._clients = [self.admin, self.anonymous]
        self._names = 0

    def client(self, token: str | None) -> httpx.Client:
        c = self.server.client(token)
        self._clients.append(c)
        return c

    def principal(
        self, role: str, jurisdiction: str = MUNICIPALITY, hub_id: str | None = None
    ) -> Principal:
        self._names += 1
        body: dict[str, Any] = {
            "name": f"{role} {self._names}",
            "role": role,
            "jurisdiction": jurisdiction,
        }
        if hub_id is not None:
            body["hub_id"] = hub_id
        answer = self.admin.post("/v1/principals", json=body)
        assert answer.status_code == 201, answer.text
        created = answer.json()
        assert created["token"], created
        return Principal(
            id=created["id"],
            token=created["token"],
            role=role,
            jurisdiction=jurisdiction,
            client=self.client(created["token"]),
        )

    def head(self) -> int:
        """The global position of the last recorded event (from /readyz)."""
        answer = self.anonymous.get("/readyz")
        assert answer.status_code == 200, answer.text
        return int(answer.json()["position"])

    def close(self) -> None:
        for c in self._clients:
            c.close()


@dataclass
class Cast:
    """The usual principals of a procedure in a jurisdiction (home), and another's (other).

    By default home is the municipality and other a district; on a server that
    several tests share, each test takes jurisdictions of its own
    (``fresh_jurisdictions``), so it sees only what it wrote in reads.
    """

    applicant: Principal
    other_applicant: Principal
    office: Principal
    leading_group: Principal
    auditor: Principal
    district_applicant: Principal
    district_office: Principal
    district_leading_group: Principal
    home: str = MUNICIPALITY
    other: str = DISTRICT

    @classmethod
    def create(cls, api: Api, home: str = MUNICIPALITY, other: str = DISTRICT) -> Cast:
        return cls(
            applicant=api.principal("applicant", home),
            other_applicant=api.principal("applicant", home),
            office=api.principal("office", home),
            leading_group=api.principal("leading_group", home),
            auditor=api.principal("auditor", home),
            district_applicant=api.principal("applicant", other),
            district_office=api.principal("office", other),
            district_leading_group=api.principal("leading_group", other),
            home=home,
            other=other,
        )


_JURISDICTIONS = iter([code for code in division_codes() if not code.startswith("11")])
"""Real GB/T 2260 codes (the API takes no other) outside Beijing, whose 110000 and
districts (DISTRICT, 110105) tests name: 3,198 codes, enough for 1,599 tests a run."""


def fresh_jurisdictions() -> tuple[str, str]:
    """Two division codes no other test of this run uses (never 110000, the municipality,
    nor any of Beijing's districts)."""
    try:
        return next(_JURISDICTIONS), next(_JURISDICTIONS)
    except StopIteration:
        msg = "every division code outside Beijing is taken: too many tests for one run"
        raise RuntimeError(msg) from None


# Request bodies.


def credit_code(n: int) -> str:
    """A valid Unified Social Credit Code, different for each n."""
    first = f"9111000{n:010d}"
    return first + check_character(first)


def invalid_credit_code() -> str:
    """VALID_USCC with one character changed: the check character no longer fits."""
    return VALID_USCC[:8] + "N" + VALID_USCC[9:]


def application_body(
    n: int = 1,
    *,
    field: str = "culture and arts",
    kind: str = "people_organization",
    jurisdiction: str = MUNICIPALITY,
    uscc: str | None = None,
) -> dict[str, Any]:
    return {
        "organization": {
            "name": f"Federation of Literary and Art Circles {n}",
            "uscc": uscc or credit_code(n),
            "kind": kind,
        },
        "field": field,
        "jurisdiction": jurisdiction,
        "criteria": {
            "political_leadership": "Upholds the Party's leadership in its field.",
            "leading_role": "Largest and most representative organization of the field.",
            "party_organization": "Has a Party committee and sound Party building work.",
            "legal_status_and_management": "Registered legal person, sound internal rules.",
        },
        "contact": {"name": "Wang Fang", "phone": "010-12345678", "email": "wang@example.org"},
    }


DECISION = {
    "decision": "approve",
    "decision_ref": "Leading Group decision 2026-7",
    "reasons": "Meets the four conditions of Art. 4.",
}
REVIEW = {"opinion": "recommend", "notes": "All four conditions documented."}


def submit(applicant: Principal, **kwargs: Any) -> dict[str, Any]:
    """An application by this applicant, in its own jurisdiction unless told otherwise."""
    kwargs.setdefault("jurisdiction", applicant.jurisdiction)
    answer = applicant.client.post("/v1/applications", json=application_body(**kwargs))
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def reviewed_application(cast: Cast, **kwargs: Any) -> dict[str, Any]:
    """An application submitted by cast.applicant and recommended by the office."""
    created = submit(cast.applicant, **kwargs)
    answer = cast.office.client.post(
        f"/v1/applications/{created['id']}/preliminary-review", json=REVIEW
    )
    assert answer.status_code == 200, answer.text
    reviewed: dict[str, Any] = answer.json()
    assert reviewed["status"] == "preliminary_reviewed"
    return reviewed


def approve(cast: Cast, application_id: str, **extra: Any) -> httpx.Response:
    return cast.leading_group.client.post(
        f"/v1/applications/{application_id}/decision", json={**DECISION, **extra}
    )


# Assertions.


def assert_problem(
    answer: httpx.Response, status: int, detail_contains: str = ""
) -> dict[str, Any]:
    """An RFC 9457 problem with this status, and the fields the contract names."""
    request = f"{answer.request.method} {answer.request.url.path}"
    assert answer.status_code == status, (
        f"{request}: expected {status}, got {answer.status_code}: {answer.text}"
    )
    content_type = answer.headers.get("content-type", "")
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, (
        f"{request}: a {status} must be {PROBLEM_JSON}, got {content_type!r}"
    )
    body: dict[str, Any] = answer.json()
    for name in ("type", "title", "detail"):
        assert isinstance(body.get(name), str), f"{request}: problem lacks {name}: {body}"
        assert body[name], f"{request}: problem has an empty {name}: {body}"
    assert body.get("status") == status, f"{request}: problem status is not {status}: {body}"
    if detail_contains:
        assert detail_contains.lower() in body["detail"].lower(), (
            f"{request}: detail should mention {detail_contains!r}: {body['detail']!r}"
        )
    return body


def ok(answer: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The JSON body of an answer that must have this status."""
    assert answer.status_code == status, f"{answer.request.url.path}: {answer.text}"
    body: dict[str, Any] = answer.json()
    return body


def etag(answer: httpx.Response) -> str:
    return answer.headers["ETag"]


def event_position(answer: httpx.Response) -> int:
    return int(answer.headers["X-Event-Position"])


@contextlib.contextmanager
def nothing_recorded(api: Api) -> Iterator[None]:
    """The block must leave the event log as it found it."""
    before = api.head()
    yield
    after = api.head()
    assert after == before, f"the refused requests recorded events: log head {before} -> {after}"
