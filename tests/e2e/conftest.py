"""Fixtures of the end-to-end tests: real ``shuniu serve`` processes on both stores.

``database_url`` (tests/conftest.py) gives each test an empty SQLite file or
an empty PostgreSQL database, so every test here runs once on each store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.support import Api, Cast, Launcher, Server


@pytest.fixture
def launcher(tmp_path: Path) -> Iterator[Launcher]:
    """Starts shuniu processes; every one still running is stopped after the test."""
    workdir = tmp_path / "processes"
    workdir.mkdir()
    launched = Launcher(workdir)
    try:
        yield launched
    finally:
        launched.close()


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
