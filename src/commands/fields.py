"""Field types of command messages: bounded, stripped text and the like."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from shuniu.aggregates.base import Text

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""A short name: a field, a person, a department, a reference."""

__all__ = ["Name", "Text"]
