"""How command answers and lists look on the wire."""

from __future__ import annotations

from typing import Generic, TypeVar

from fastapi import Response
from pydantic import BaseModel

from shuniu.aggregates.errors import InvalidCommand
from shuniu.application import Outcome

Item = TypeVar("Item")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_POSITION = 2**63 - 1
"""The largest log position or version a store holds (a signed 64-bit integer); larger
input is refused with 422 (SQLite cannot even compare a larger number)."""


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None


def page(items: list[Item], limit: int, position_of_last: int | None) -> Page[Item]:
    """A page and, when it is full, the cursor of the next one (the last row's position)."""
    more = len(items) == limit and position_of_last is not None
    return Page[Item](items=items, next_cursor=str(position_of_last) if more else None)


def parse_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit() or int(cursor) > MAX_POSITION:
        raise InvalidCommand("cursor must be a next_cursor value from an earlier page")
    return int(cursor)


def command_answer(response: Response, outcome: Outcome, location: str | None = None) -> None:
    """Status and headers of a command's answer (the body is the aggregate's state)."""
    response.status_code = 201 if outcome.created else 200
    response.headers["ETag"] = f'"{outcome.aggregate.version}"'
    response.headers["X-Event-Position"] = str(outcome.position)
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    if outcome.created and location is not None:
        response.headers["Location"] = location


def state_answer(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
