"""How lists and states look on the wire."""

from __future__ import annotations

import re
from typing import Annotated, Generic, TypeVar

from fastapi import Query, Response
from pydantic import BaseModel

from shuniu.aggregates.errors import InvalidCommand

Item = TypeVar("Item")

ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
"""A count or position: ASCII digits only (``str.isdigit`` takes "²" and "①")."""

Cursor = Annotated[str | None, Query(max_length=40)]
"""A ``next_cursor`` value from an earlier page (checked by ``parse_cursor``)."""

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
    if not ASCII_DIGITS.fullmatch(cursor) or int(cursor) > MAX_POSITION:
        raise InvalidCommand("cursor must be a next_cursor value from an earlier page")
    return int(cursor)


def state_answer(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'
