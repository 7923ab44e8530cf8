"""The types of command messages: what a request may carry, bounded and checked.

Events keep the looser types of ``shuniu.aggregates`` (whatever was stored
must always decode); what comes in is checked here, before anything is
recorded (docs/api.md, "Input that is refused"):

- every string: no NUL and no other control character (a free text may hold
  tabs and line breaks); names and references at most 200 characters, free
  text at most 20,000; never empty once stripped;
- ``figures``: at most 100 entries, each a finite number;
- jurisdictions: GB/T 2260 codes that exist (``KnownJurisdiction``);
- a field: a name whose identity, once invisible characters are removed,
  is not empty (``field_key``);
- phone numbers: at most 40 characters of digits, spaces and ``+-()``.

Types are not coerced: the API validates a body from its JSON bytes in
pydantic's strict mode, so ``"92"`` is no number, ``1700000000`` no time and
``"yes"`` no boolean (``api/commands.py``).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from shuniu.aggregates.base import CreditCode, KnownJurisdiction
from shuniu.aggregates.field_seat import field_key

MAX_NAME = 200
MAX_TEXT = 20_000
MAX_FIGURES = 100
MAX_LIST = 1_000

_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (NUL among them) and lone surrogates."""
_CONTROLS_BUT_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _refused(text: str, pattern: re.Pattern[str]) -> str:
    found = pattern.search(text)
    if found is not None:
        raise ValueError(
            f"text may not hold the character U+{ord(found.group()):04X} "
            "(a control character or a lone surrogate)"
        )
    return text


def _line(text: str) -> str:
    return _refused(text, _CONTROLS)


def _text(text: str) -> str:
    return _refused(text, _CONTROLS_BUT_BREAKS)


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
    AfterValidator(_line),
]
"""A short name or reference: a person, a department, a subject, a decision's reference."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    AfterValidator(_text),
]
"""Free text a person writes: never empty."""

Note = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_text)]
"""Free text that may be empty."""


def _field(name: str) -> str:
    if not field_key(name):
        raise ValueError("a field's name must hold a visible character")
    return name


FieldName = Annotated[Name, AfterValidator(_field)]
"""The field a hub leads (Art. 2): a name with visible characters."""

Jurisdiction = KnownJurisdiction

FiniteNumber = Annotated[float, Field(allow_inf_nan=False)]
Figures = Annotated[dict[Name, FiniteNumber], Field(max_length=MAX_FIGURES)]
"""A duty report's figures: at most 100, each a finite number (no NaN, no Infinity)."""

PHONE = re.compile(r"[0-9+\-() ]{3,40}")


def _phone(phone: str) -> str:
    if not PHONE.fullmatch(phone):
        raise ValueError("a phone number is 3 to 40 ASCII digits, spaces and + - ( )")
    return phone


Phone = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_phone)]


class Input(BaseModel):
    """A value inside a command's body (an organization, a contact ...): unknown fields
    are refused, and it is turned into the domain's value by the handler."""

    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)


__all__ = [
    "MAX_LIST",
    "CreditCode",
    "EmailStr",
    "FieldName",
    "Figures",
    "Input",
    "Jurisdiction",
    "Name",
    "Note",
    "Phone",
    "Text",
]
