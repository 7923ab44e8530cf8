"""The funding ledger read model: journal lines, balances, and 360Giving grant data."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from shuniu.aggregates.base import KnownJurisdiction as Jurisdiction
from shuniu.aggregates.errors import InvalidCommand, NotFound
from shuniu.aggregates.funding_agreement import Program
from shuniu.aggregates.money import Yuan
from shuniu.api.deps import CurrentCaller, ServicesDep, read_after
from shuniu.api.responses import DEFAULT_LIMIT, MAX_LIMIT, MAX_POSITION, Cursor, Page
from shuniu.api.routers.registry import jurisdictions
from shuniu.api.routing import OneHopRoute
from shuniu.commands.funding import FiscalYear
from shuniu.exports import ocds
from shuniu.exports.threesixtygiving import package
from shuniu.projections.ledger import LedgerView

router = APIRouter(
    prefix="/v1/ledger",
    tags=["ledger"],
    dependencies=[read_after("ledger")],
    route_class=OneHopRoute,
)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
LINE_CURSOR = re.compile(r"([0-9]{1,19})\.([12])")


class JournalLine(BaseModel):
    position: int
    line: int
    event_id: UUID
    funding_id: UUID
    hub_id: UUID
    jurisdiction: str
    program: Program
    fiscal_year: int
    kind: Literal["commitment", "disbursement", "refund", "release"]
    account: Literal["appropriations", "commitments", "treasury"]
    debit: Yuan
    credit: Yuan
    decision_ref: str
    reference: str | None
    reverses: UUID | None
    recorded_at: datetime
    paid_on: date | None = None
    """A disbursement's payment date, as its voucher gives it."""


class Balance(BaseModel):
    key: str
    committed: Yuan
    disbursed: Yuan
    refunded: Yuan
    released: Yuan
    outstanding: Yuan


def ledger(s: ServicesDep) -> LedgerView:
    view: LedgerView = s.views["ledger"]
    return view


def line_cursor(cursor: str | None) -> tuple[int, int]:
    if cursor is None:
        return (0, 0)
    matched = LINE_CURSOR.fullmatch(cursor)
    if matched is None or int(matched.group(1)) > MAX_POSITION:
        raise InvalidCommand("cursor must be a next_cursor value from an earlier page")
    return int(matched.group(1)), int(matched.group(2))


@router.get("/entries")
def entries(
    caller: CurrentCaller,
    s: ServicesDep,
    hub_id: UUID | None = None,
    program: Program | None = None,
    fiscal_year: FiscalYear | None = None,
    funding_id: UUID | None = None,
    jurisdiction: Jurisdiction | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[JournalLine]:
    """Journal lines in log order; every event's debit and credit lines are equal."""
    equal: dict[str, Any] = {
        "hub_id": str(hub_id) if hub_id else None,
        "program": program,
        "fiscal_year": fiscal_year,
        "funding_id": str(funding_id) if funding_id else None,
    }
    rows = ledger(s).entries(jurisdictions(caller, jurisdiction), equal, line_cursor(cursor), limit)
    items = [JournalLine.model_validate(row) for row in rows]
    last = items[-1] if len(items) == limit else None
    return Page[JournalLine](
        items=items, next_cursor=f"{last.position}.{last.line}" if last else None
    )


@router.get("/balances")
def balances(
    caller: CurrentCaller,
    s: ServicesDep,
    by: Literal["hub", "program", "fiscal_year"] = "hub",
    program: Program | None = None,
    fiscal_year: FiscalYear | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> Page[Balance]:
    """Balances, exact to the fen; outstanding = committed - disbursed + refunded - released."""
    rows = ledger(s).balances(
        by, jurisdictions(caller, jurisdiction), {"program": program, "fiscal_year": fiscal_year}
    )
    items = [Balance.model_validate({**row, "key": str(row["key"])}) for row in rows]
    return Page[Balance](items=items, next_cursor=None)


@router.get("/360giving")
def three_sixty_giving(
    caller: CurrentCaller,
    s: ServicesDep,
    fiscal_year: FiscalYear,
    jurisdiction: Jurisdiction | None = None,
) -> dict[str, Any]:
    """That fiscal year's funding as a 360Giving data package (``schemas/360giving``)."""
    view = ledger(s)
    agreements = view.agreements(jurisdictions(caller, jurisdiction), fiscal_year)
    if not agreements:
        raise NotFound(f"no funding recorded for fiscal year {fiscal_year}")
    lines = view.entries_of([a["id"] for a in agreements])
    return package(agreements, lines, fiscal_year)


@router.get("/ocds")
def open_contracting(
    caller: CurrentCaller,
    s: ServicesDep,
    request: Request,
    fiscal_year: FiscalYear,
    package_format: Annotated[Literal["release", "record"], Query(alias="format")] = "release",
    jurisdiction: Jurisdiction | None = None,
) -> dict[str, Any]:
    """That fiscal year's ``government_purchase`` agreements (Art. 14) as an OCDS 1.1
    release package, or with ``format=record`` a record package whose compiled releases
    ocdsmerge merges from the releases (``schemas/ocds``; the mapping is in the README)."""
    view = ledger(s)
    agreements = view.agreements(
        jurisdictions(caller, jurisdiction), fiscal_year, "government_purchase"
    )
    if not agreements:
        raise NotFound(f"no government purchase of services recorded for fiscal year {fiscal_year}")
    lines = view.entries_of([a["id"] for a in agreements])
    build = ocds.record_package if package_format == "record" else ocds.release_package
    return build(agreements, lines, str(request.url))
