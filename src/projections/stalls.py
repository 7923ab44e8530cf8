"""Read models that cannot apply an event: stalled, reported, and skipped by a person.

A projection whose handler fails on an event (an event stored before input
was checked, holding what a table cannot take; a bug) would otherwise fail
on it again and again, and every read waiting for a later position would
time out while ``/readyz`` said ready. Instead the read model stops at that
event (``record``), the others go on, and the stall is in
``projection_stalls`` for ``/readyz`` and ``/metrics`` of any process to
report, with the read model's name, the position and the error. A person
decides: ``shuniu projections skip NAME POSITION --reason ...`` records in
``projection_skips`` that the read model passes over that one event (who,
when, why), and the running projections take it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

STALLS = "projection_stalls"
SKIPS = "projection_skips"
TABLES = (
    f"""CREATE TABLE IF NOT EXISTS {STALLS} (
        name TEXT PRIMARY KEY,
        position {{bigint}} NOT NULL,
        error TEXT NOT NULL,
        since {{ts}} NOT NULL
    )""",
    f"""CREATE TABLE IF NOT EXISTS {SKIPS} (
        name TEXT NOT NULL,
        position {{bigint}} NOT NULL,
        reason TEXT NOT NULL,
        skipped_by TEXT NOT NULL,
        skipped_at {{ts}} NOT NULL,
        PRIMARY KEY (name, position)
    )""",
)
MAX_ERROR = 2_000


@dataclass(frozen=True)
class Stall:
    name: str
    position: int
    error: str
    since: datetime


def record(view: Any, name: str, position: int, error: BaseException) -> Stall:
    stall = Stall(name, position, f"{type(error).__name__}: {error}"[:MAX_ERROR], datetime.now(UTC))
    with view.cursor(commit=True) as c:
        view.execute(c, f"DELETE FROM {STALLS} WHERE name = %s", [name])
        view.execute(
            c,
            f"INSERT INTO {STALLS} (name, position, error, since) VALUES (%s, %s, %s, %s)",
            [stall.name, stall.position, stall.error, stall.since],
        )
    return stall


def clear(view: Any, name: str) -> None:
    with view.cursor(commit=True) as c:
        view.execute(c, f"DELETE FROM {STALLS} WHERE name = %s", [name])


def stalls(view: Any) -> list[Stall]:
    rows = view.query(f"SELECT name, position, error, since FROM {STALLS} ORDER BY name")
    return [
        Stall(
            r["name"],
            int(r["position"]),
            r["error"],
            r["since"] if isinstance(r["since"], datetime) else datetime.fromisoformat(r["since"]),
        )
        for r in rows
    ]


def skipped(view: Any, name: str, position: int) -> bool:
    rows = view.query(
        f"SELECT 1 AS found FROM {SKIPS} WHERE name = %s AND position = %s", [name, position]
    )
    return bool(rows)


def skipped_positions(view: Any, name: str) -> frozenset[int]:
    rows = view.query(f"SELECT position FROM {SKIPS} WHERE name = %s", [name])
    return frozenset(int(r["position"]) for r in rows)


def skip(view: Any, name: str, position: int, reason: str, by: str) -> None:
    with view.cursor(commit=True) as c:
        view.execute(
            c,
            f"INSERT INTO {SKIPS} (name, position, reason, skipped_by, skipped_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            [name, position, reason, by, datetime.now(UTC)],
        )
