"""Money: exact, in integer fen inside, decimal yuan strings outside; never a float.

An amount in a request is ASCII digits, an optional point and one or two
decimals, nothing around them (no sign, no space, no newline, no exponent, no
leading zero, no other script's digits), strictly positive and at most
``MAX_YUAN``: ten billion yuan (10,000,000,000.00), 10^12 fen.

Why ten billion: what this system records is public money committed to and
paid to one hub organization (government purchase of services, public welfare
projects, special funds), in the thousands to the tens of millions of yuan;
Beijing's whole general public budget is in the hundreds of billions a year.
Ten billion is far above anything one agreement carries, so no real amount is
refused, and it refuses what can only be a slip (a voucher number pasted into
the amount, a row of zeros too many). At 10^12 fen, over nine million maximal
amounts still fit in a signed 64-bit total, and the ledger's totals are exact
however many rows there are (``shuniu.projections.ledger``).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

MAX_FEN = 10_000_000_000_00
"""The largest amount one request may carry: ten billion yuan, in fen."""
MAX_YUAN = "10000000000.00"

YUAN = re.compile(r"(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?")
"""An amount in yuan, matched whole (``fullmatch``): ASCII digits only."""
_MAX_WHOLE_DIGITS = len(str(MAX_FEN // 100))
_TOO_MUCH = f"an amount may be at most {MAX_YUAN} yuan (ten billion)"


def fen_from_yuan(text: str) -> int:
    """``"1250000.00"`` -> 125000000; refuses floats, signs, over 2 decimals, zero, too much."""
    if not isinstance(text, str):
        msg = 'money is a decimal string in yuan, as "1250000.00" (never a JSON number)'
        raise ValueError(msg)  # noqa: TRY004 - pydantic makes a ValueError (not a TypeError) a 422
    match = YUAN.fullmatch(text)
    if match is None:
        shown = repr(text) if len(text) <= 24 else f"{text[:24]!r}... ({len(text)} characters)"
        msg = (
            f"{shown} is not an amount in yuan: ASCII digits with at most 2 decimals "
            'and nothing around them, as "1250000.00"'
        )
        raise ValueError(msg)
    whole, cents = match.group(1), match.group(2) or ""
    if len(whole) > _MAX_WHOLE_DIGITS:  # refused before int() reads a megabyte of digits
        raise ValueError(_TOO_MUCH)
    fen = int(whole) * 100 + int(cents.ljust(2, "0"))
    if fen > MAX_FEN:
        raise ValueError(_TOO_MUCH)
    if fen <= 0:
        msg = "an amount must be strictly positive"
        raise ValueError(msg)
    return fen


def yuan(fen: int) -> str:
    """125000000 -> ``"1250000.00"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


MONEY_SCHEMA = {
    "type": "string",
    "pattern": r"^(0|[1-9][0-9]{0,10})(\.[0-9]{1,2})?$",
    "description": f"A decimal string in yuan with at most 2 decimals, at most {MAX_YUAN}.",
    "examples": ["1250000.00"],
}

Amount = Annotated[int, BeforeValidator(fen_from_yuan), WithJsonSchema(MONEY_SCHEMA)]
"""In a request: a strictly positive decimal string in yuan, parsed to integer fen.

A JSON number is refused, whatever its value: money never passes through a float.
"""

YUAN_SCHEMA = {
    "type": "string",
    "pattern": r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$",
    "examples": ["1250000.00"],
}

Yuan = Annotated[int, PlainSerializer(yuan, return_type=str), WithJsonSchema(YUAN_SCHEMA)]
"""In an answer: integer fen, written as a decimal string in yuan (totals may pass MAX_YUAN)."""
