"""Fixtures of the end-to-end tests: real ``shuniu serve`` processes on both stores.

Two kinds of server:
- ``server`` (with ``api`` and ``cast``): a server of the test's own, on the
  empty store ``database_url`` (tests/conftest.py) gives it, SQLite or
  PostgreSQL. For tests about the store itself: restarts, projections, logs.
- ``shared_server`` (with ``shared_api`` and ``shared_cast``): one server per
  store for the whole run, started once (a server takes over a second to
  start). Each test using it gets principals in two jurisdictions no other
  test uses, so its reads show only what it wrote; its assertions never
  depend on which tests ran before.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import POSTGRES_URL, STORES
from tests.e2e.support import (
    BIN,
    Api,
    Cast,
    Launcher,
    PrivateServer,
    Server,
    fresh_jurisdictions,
)


def _stop_all(launched: Launcher) -> None:
    launched.close()
    hung = [p for p in launched.processes if p.hung]
    assert not hung, "".join(
        f"shuniu {p.name} did not stop within 10s of SIGTERM; its stderr ends:\n"
        f"{p.stderr()[-4000:]}\n"
        for p in hung
    )


@pytest.fixture
def launcher(tmp_path: Path, database_url: str) -> Iterator[Launcher]:
    """Starts shuniu processes; every one still running is stopped after the test.

    It asks for ``database_url`` so that it is torn down first: the processes
    stop before their PostgreSQL database is dropped (dropped under it, a
    server waits for its projection threads' reconnects and has to be killed).
    """
    del database_url  # only for the teardown order
    workdir = tmp_path / "processes"
    workdir.mkdir()
    launched = Launcher(workdir)
    try:
        yield launched
    finally:
        _stop_all(launched)


@pytest.fixture
def server(launcher: Launcher, database_url: str) -> Server:
    """A server of this test's own, on an empty store, with its projections in-process."""
    return launcher.serve(database_url)


@pytest.fixture
def api(server: Server) -> Iterator[Api]:
    connected = Api(server)
    try:
        yield connected
    finally:
        connected.close()


@pytest.fixture
def cast(api: Api) -> Cast:
    return Cast.create(api)


# One server per store, shared by the tests that ask for it.


@pytest.fixture(scope="session", params=STORES)
def shared_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty store for the shared server, dropped at the end of the run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('shared-sqlite') / 'shuniu.db'}"
        return
    name = f"shuniu_e2e_{uuid.uuid4().hex[:12]}"
    base, _, _ = POSTGRES_URL.rpartition("/")
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def shared_server(shared_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    launched = Launcher(tmp_path_factory.mktemp("shared-processes"))
    try:
        yield launched.serve(shared_store)
    finally:
        _stop_all(launched)


@pytest.fixture
def shared_api(shared_server: Server) -> Iterator[Api]:
    assert shared_server.alive(), f"the shared server has exited:\n{shared_server.stderr()}"
    connected = Api(shared_server)
    try:
        yield connected
    finally:
        connected.close()


@pytest.fixture
def shared_cast(shared_api: Api) -> Cast:
    """Principals of two jurisdictions of this test's own on the shared server."""
    home, other = fresh_jurisdictions()
    return Cast.create(shared_api, home=home, other=other)


@pytest.fixture
def private_postgres() -> Iterator[PrivateServer]:
    if not BIN:
        pytest.fail("no PostgreSQL binaries under /usr/lib/postgresql (scripts/test installs them)")
    server = PrivateServer()
    server.start()
    try:
        yield server
    finally:
        subprocess.run(
            [
                "su",
                "postgres",
                "-s",
                "/bin/sh",
                "-c",
                f"{server.bin}/pg_ctl -D {server.data} -m immediate stop",
            ]
            if os.geteuid() == 0
            else [f"{server.bin}/pg_ctl", "-D", str(server.data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(server.data, ignore_errors=True)
