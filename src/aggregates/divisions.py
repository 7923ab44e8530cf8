"""GB/T 2260 administrative division codes: which six-digit codes are real divisions.

The list (``data/divisions.csv``: code and Chinese name of every division at
county level and above, as at 2025-12-31; where it came from and its licence
in ``data/README.md``) ships inside the package and is read once, on first
use. Only commands consult it (``KnownJurisdiction``): an event keeps the code
it was recorded with even after the list changes.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

LIST_DATE = "2025-12-31"
"""The date the shipped list is as at."""

CODE = re.compile(r"[0-9]{6}")
"""Six ASCII digits (``\\d`` would also match other scripts' digits); use with fullmatch."""


@cache
def _names() -> dict[str, str]:
    data = resources.files("shuniu.aggregates").joinpath("data", "divisions.csv")
    text = data.read_text(encoding="utf-8")
    rows = csv.reader(text.splitlines())
    if next(rows) != ["code", "name"]:
        msg = "divisions.csv must start with the header row code,name"
        raise ValueError(msg)
    names = dict(rows)
    if not names or not all(CODE.fullmatch(code) for code in names):
        msg = "divisions.csv must list six-digit codes"
        raise ValueError(msg)
    return names


def is_division(code: str) -> bool:
    """Whether ``code`` is a division in the list (``"110105"``: yes; ``"190000"``: no)."""
    return code in _names()


def name_of(code: str) -> str | None:
    """The division's Chinese name (``"110105"`` -> ``"朝阳区"``), or None if not in the list."""
    return _names().get(code)


def division_codes() -> tuple[str, ...]:
    """Every code of the list, in ascending order."""
    return tuple(sorted(_names()))
