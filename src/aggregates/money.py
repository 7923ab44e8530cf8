"""Money: exact, in integer fen inside, decimal yuan strings outside; never a float."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

YUAN = re.compile(r"^(0|[1-9]\d{0,14})(\.\d{1,2})?$")


def fen_from_yuan(text: str) -> int:
    """``"1250000.00"`` -> 125000000; refuses floats, signs, over 2 decimals, zero."""
    if not isinstance(text, str):
        msg = 'money is a decimal string in yuan, as "1250000.00" (never a JSON number)'
        raise ValueError(msg)  # noqa: TRY004 - pydantic makes a ValueError (not a TypeError) a 422
    if not YUAN.match(text):
        msg = f'{text!r} is not an amount in yuan with at most 2 decimals, as "1250000.00"'
        raise ValueError(msg)
    fen = int(Decimal(text) * 100)
    if fen <= 0:
        msg = "an amount must be strictly positive"
        raise ValueError(msg)
    return fen


def yuan(fen: int) -> str:
    """125000000 -> ``"1250000.00"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


MONEY_SCHEMA = {"type": "string", "pattern": YUAN.pattern, "examples": ["1250000.00"]}

Amount = Annotated[int, BeforeValidator(fen_from_yuan), WithJsonSchema(MONEY_SCHEMA)]
"""In a request: a strictly positive decimal string in yuan, parsed to integer fen.

A JSON number is refused, whatever its value: money never passes through a float.
"""

Yuan = Annotated[int, PlainSerializer(yuan, return_type=str), WithJsonSchema(MONEY_SCHEMA)]
"""In an answer: integer fen, written as a decimal string in yuan."""
