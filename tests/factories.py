"""Small builders shared by the tests: actors, organizations, valid credit codes."""

from __future__ import annotations

import contextlib
import random
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from shuniu.aggregates.base import Actor, Role
from shuniu.aggregates.credit_code import ALPHABET, check_character
from shuniu.aggregates.designation_application import Contact, Criteria, Organization
from shuniu.aggregates.errors import NotFound, StateConflict
from shuniu.aggregates.funding_agreement import FundingAgreement
from shuniu.application import CommandContext

VALID_CODE = "91350100M000100Y43"


def credit_code(seed: int) -> str:
    """A valid Unified Social Credit Code, different for each seed."""
    rng = random.Random(seed)
    body = "91" + "110000" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def actor(role: Role = "office", principal_id: UUID | None = None, key: str | None = None) -> Actor:
    return Actor(
        principal_id=principal_id or uuid4(),
        role=role,
        command_id=uuid4(),
        idempotency_key=key,
    )


def ctx(
    role: Role = "office",
    principal_id: UUID | None = None,
    key: str | None = None,
    fingerprint: str = "",
    if_match: int | None = None,
) -> CommandContext:
    return CommandContext(
        actor=actor(role, principal_id, key), fingerprint=fingerprint, if_match=if_match
    )


def organization(kind: str = "people_organization", seed: int = 1) -> Organization:
    return Organization(name=f"Organization {seed}", uscc=credit_code(seed), kind=kind)  # type: ignore[arg-type]


def criteria() -> Criteria:
    return Criteria(
        political_leadership="Firm political stance; unites the field's organizations.",
        leading_role="Leads the field's development.",
        party_organization="Sound Party organization.",
        legal_status_and_management="Independent legal person with sound management.",
    )


def application_fields(
    field: str = "science and technology",
    jurisdiction: str = "110000",
    kind: str = "people_organization",
    seed: int = 1,
) -> dict[str, Any]:
    return {
        "organization": organization(kind, seed),
        "field": field,
        "jurisdiction": jurisdiction,
        "criteria": criteria(),
        "contact": Contact(name="Li Ming", phone="010-12345678"),
    }


FUNDING_COMMANDS = ("disburse", "refund", "reverse", "freeze", "unfreeze", "close")


def funding_step(f: FundingAgreement, name: str, amount: int, pick: int) -> None:
    """One command on a funding agreement, as a random test draws it; refusals are fine."""
    entries = [e.id for e in f.entries] or [uuid4()]
    commands = {
        "disburse": lambda: f.disburse(amount, "V", date(2026, 1, 1), actor()),
        "refund": lambda: f.refund(amount, "r", actor()),
        "reverse": lambda: f.reverse(entries[pick % len(entries)], "r", actor()),
        "freeze": lambda: f.freeze("r", actor()),
        "unfreeze": lambda: f.unfreeze("r", actor()),
        "close": lambda: f.close("n", actor()),
    }
    with contextlib.suppress(StateConflict, NotFound):
        commands[name]()
