"""What every aggregate and event of Shuniu shares.

Events are pydantic models (frozen), so one mapper (``shuniu.application.
persistence``) turns every event into JSON and back without per-type code.
Every event carries its ``actor``: who did it, under which command, and, when
a policy recorded it, which policy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self
from uuid import UUID, uuid5

from eventsourcing.domain import (
    Aggregate as LibraryAggregate,
)
from eventsourcing.domain import CanInitAggregate, CanMutateAggregate
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, WithJsonSchema

from shuniu.aggregates.credit_code import credit_code_problem, normalised_credit_code
from shuniu.aggregates.divisions import CODE as DIVISION_CODE
from shuniu.aggregates.divisions import LIST_DATE, is_division

Role = Literal["leading_group", "office", "hub", "applicant", "auditor", "analyst", "admin"]
ROLES: tuple[Role, ...] = (
    "leading_group",
    "office",
    "hub",
    "applicant",
    "auditor",
    "analyst",
    "admin",
)

MUNICIPALITY = "110000"

EVENT_NAMESPACE = UUID("c3f1a9e2-7b5d-4e0c-8a6f-3d2b1c0e9f07")


def event_id_for(originator_id: UUID, version: int) -> UUID:
    """An event's own id, derived from its aggregate and version (SPEC.md)."""
    return uuid5(EVENT_NAMESPACE, f"{originator_id}:{version}")


Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[1-8]\d{5}$")]
"""A GB/T 2260 administrative division code as events hold it, e.g. 110000 or 110105.

Checks the pattern only, and must never get stricter: every event stored must
decode whatever the list of divisions says today, a division abolished or
renumbered included. (Its ``\\d`` also admits other scripts' digits, as
request bodies did before ``KnownJurisdiction``: such codes may be stored.)
New input is checked with ``KnownJurisdiction``.
"""


def _shown(text: str) -> str:
    """``text`` for an error message: quoted, escaped, and cut short if long."""
    return repr(text) if len(text) <= 24 else f"{text[:24]!r}... ({len(text)} characters)"


def _check_known_jurisdiction(code: str) -> str:
    if not DIVISION_CODE.fullmatch(code):
        raise ValueError(
            "a jurisdiction is a GB/T 2260 administrative division code of six ASCII digits "
            f"(0-9), as '110105'; got {_shown(code)}"
        )
    if not is_division(code):
        raise ValueError(
            f"{code} is not a GB/T 2260 administrative division code "
            f"(the list of divisions as at {LIST_DATE})"
        )
    return code


KnownJurisdiction = Annotated[
    str,
    AfterValidator(_check_known_jurisdiction),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{6}$",
            "description": "A GB/T 2260 administrative division code that exists "
            f"(the list as at {LIST_DATE}), as 110000 or 110105.",
            "examples": ["110000", "110105"],
        }
    ),
]
"""In a request or a command: a GB/T 2260 code of a division that exists.

Six ASCII digits (other scripts' digits and ``"110000\\n"`` are refused)
naming a division of the shipped list (``"190000"``, ``"123456"`` are refused).
Events keep ``Jurisdiction``, which checks the pattern only.
"""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
"""Free text a person writes: never empty."""


def _check_credit_code(text: str) -> str:
    code = normalised_credit_code(text)
    problem = credit_code_problem(code)
    if problem is not None:
        raise ValueError(f"not a valid Unified Social Credit Code: {problem}")
    return code


CreditCode = Annotated[str, AfterValidator(_check_credit_code)]
"""A Unified Social Credit Code: 18 characters of its ASCII alphabet, check character right.

Surrounding spaces are dropped and ASCII letters upper-cased; nothing else is
changed, so a fullwidth letter, a ligature (U+FB00 upper-cases to ``FF``) or a
trailing newline is refused rather than made to fit.
"""


class Value(BaseModel):
    """An immutable value object inside events and aggregates."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(Value):
    """Who caused an event: the principal, the command and, if any, the policy."""

    principal_id: UUID
    role: Role
    command_id: UUID
    idempotency_key: str | None = None
    policy: str | None = None

    def acting_for(self, policy: str) -> Actor:
        """The same actor, as seen in the events a policy records on its behalf."""
        return self.model_copy(update={"policy": policy})


class DomainEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    actor: Actor


class Aggregate(LibraryAggregate):
    """Base of Shuniu's aggregates: pydantic events, each with an actor."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        """A copy whose lists, dicts and sets are new, sharing every value inside them.

        The library's aggregate cache hands each command a deep copy of the
        cached aggregate, so that a command that fails leaves the cache as it
        was. Everything an aggregate holds is immutable but its containers:
        values are frozen pydantic models, ids are UUIDs, times datetimes; and
        a command changes an aggregate only by assigning attributes or by
        appending to, or replacing, its lists. So copying the containers is a
        deep copy in effect, at the cost of a few pointer copies, where
        ``copy.deepcopy`` would rebuild every value (a roster of 1,000 hubs
        made each load cost milliseconds).
        """
        copied = object.__new__(type(self))
        copied.__dict__.update({name: _copied(value) for name, value in self.__dict__.items()})
        return copied

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        pass

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str


_CONTAINERS = (list, dict, set)


def _copied(value: Any) -> Any:
    """``value`` with its containers copied, all the way down; everything else shared."""
    if isinstance(value, list):
        return [_copied(v) if isinstance(v, _CONTAINERS) else v for v in value]
    if isinstance(value, dict):
        return {k: _copied(v) if isinstance(v, _CONTAINERS) else v for k, v in value.items()}
    if isinstance(value, set):
        return set(value)
    return value
