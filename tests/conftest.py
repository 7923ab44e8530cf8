"""Stores for the tests: every store-backed test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``SHUNIU_TEST_POSTGRES_URL`` (default: the local server
on 127.0.0.1:5432, user postgres). ``scripts/test`` makes sure one is running;
if none answers here, the tests fail: they never skip PostgreSQL.
Each test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from shuniu.settings import Settings

POSTGRES_URL = os.environ.get(
    "SHUNIU_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
STORES = ("sqlite", "postgres")


def _admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as e:
        pytest.fail(
            f"PostgreSQL is required and did not answer at {POSTGRES_URL}: {e}. "
            "Run the tests with scripts/test, which starts one.",
            pytrace=False,
        )


def _url_with_database(name: str) -> str:
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture
def new_postgres_database() -> Iterator[Callable[[], str]]:
    """Makes new, empty PostgreSQL databases for this test; drops them afterwards."""
    names: list[str] = []

    def create() -> str:
        name = f"shuniu_test_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return _url_with_database(name)

    yield create
    with _admin_connection() as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(new_postgres_database: Callable[[], str]) -> str:
    """A new, empty PostgreSQL database for this test."""
    return new_postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'shuniu.db'}"


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(store: str, request: pytest.FixtureRequest) -> str:
    """The URL of an empty store of the parametrised kind."""
    fixture = "postgres_url" if store == "postgres" else "sqlite_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, admin_token=None, min_position_timeout=10)
