"""The registry read model: hubs and applications, from projection tables only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from shuniu.aggregates.affiliate_relationship import (
    AffiliateStatus,
    AffiliationStage,
    OrganizationType,
    PartyOrganization,
)
from shuniu.aggregates.base import KnownJurisdiction as Jurisdiction
from shuniu.aggregates.designation_application import ApplicationStatus, Organization
from shuniu.aggregates.errors import NotFound
from shuniu.aggregates.hub_organization import DutyReportKind, HubStatus, ReportPeriod
from shuniu.api.deps import CurrentCaller, Services, ServicesDep, read_after
from shuniu.api.responses import DEFAULT_LIMIT, MAX_LIMIT, Cursor, Page, page, parse_cursor
from shuniu.api.routing import OneHopRoute
from shuniu.commands.access import Caller
from shuniu.commands.fields import MAX_NAME
from shuniu.projections.registry import DutyThresholds, RegistryView, hub_flags

router = APIRouter(
    prefix="/v1/registry",
    tags=["registry"],
    dependencies=[read_after("registry")],
    route_class=OneHopRoute,
)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


class RegistryHub(BaseModel):
    """A hub in the registry; ``flags`` are computed when read (see ``hub_flags``)."""

    id: UUID
    name: str
    uscc: str
    field: str
    jurisdiction: str
    status: HubStatus
    designated_at: datetime
    affiliate_count: int
    party_coverage: str | None
    """The share of its active affiliates whose latest Party-building record is not
    ``none``, two decimals ("0.33"); null while the hub has no active affiliate."""
    last_duty_report_period: str | None
    last_duty_report_at: datetime | None
    pending_adjustment: str | None
    flags: list[str]
    rules_version: int
    """The version of the jurisdiction's rules in force when read, whose threshold the
    ``overdue_duty_report`` flag applied (0: none set, the server's setting)."""
    position: int


class RegistryDutyReport(BaseModel):
    """A duty report (Art. 8, 13): an information report, a work report or a report on
    Party building, with its content and figures."""

    period: str
    kind: DutyReportKind
    content: str
    figures: dict[str, float]
    reported_at: datetime
    position: int


class RegistryHubDetail(RegistryHub):
    application_id: UUID
    decision_ref: str
    responsibilities: list[dict[str, Any]]
    evaluations: list[dict[str, Any]]
    duty_reports: list[RegistryDutyReport]
    """A page of its duty reports, oldest first (``duty_reports_limit``,
    ``duty_reports_cursor``); every one is also at ``/v1/registry/hubs/{id}/duty-reports``."""
    duty_reports_next_cursor: str | None


class RegistryAffiliate(BaseModel):
    id: UUID
    hub_id: UUID
    name: str
    uscc: str | None
    """Null while the organization is being founded (stage ``preparing``)."""
    type: OrganizationType
    jurisdiction: str
    stage: AffiliationStage
    status: AffiliateStatus
    established_at: datetime
    inspections: list[dict[str, Any]]
    registration_reviews: list[dict[str, Any]]
    violation_referrals: list[dict[str, Any]]
    """Each with its ``id`` and, once recorded, the department's ``outcome``."""
    party_organization: PartyOrganization | None
    """Of its latest Party-building record by year; null without a record."""
    party_year: int | None
    party_members: int | None
    party_building: list[dict[str, Any]]
    position: int


class RegistryApplication(BaseModel):
    id: UUID
    organization: Organization
    field: str
    jurisdiction: str
    status: ApplicationStatus
    opinion: Literal["recommend", "not_recommend"] | None
    submitted_at: datetime
    decided_at: datetime | None
    hub_id: UUID | None
    position: int


def registry(s: ServicesDep) -> RegistryView:
    view: RegistryView = s.views["registry"]
    return view


def overdue_cutoff(s: Services) -> datetime:
    return datetime.now(UTC) - timedelta(days=s.settings.duty_report_max_age_days)


def duty_thresholds(s: Services) -> DutyThresholds:
    """Each jurisdiction's overdue-duty threshold now: its rules in force, or the server's
    setting (``SHUNIU_DUTY_REPORT_MAX_AGE_DAYS``) where none are."""
    return registry(s).duty_thresholds(datetime.now(UTC), s.settings.duty_report_max_age_days)


def flagged(
    row: dict[str, Any], s: Services, thresholds: DutyThresholds | None = None
) -> dict[str, Any]:
    thresholds = thresholds or duty_thresholds(s)
    jurisdiction = row["jurisdiction"]
    return {
        **row,
        "flags": hub_flags(row, thresholds.cutoff(jurisdiction)),
        "rules_version": thresholds.version(jurisdiction),
    }


def jurisdictions(caller: Caller, asked: str | None) -> list[str] | None:
    if asked is None:
        return caller.readable_jurisdictions
    caller.require_readable(asked)
    return [asked]


@router.get("/hubs")
def hubs(
    caller: CurrentCaller,
    s: ServicesDep,
    jurisdiction: Jurisdiction | None = None,
    field: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    status: HubStatus | None = None,
    flag: Literal["overdue_duty_report", "failed_evaluation"] | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[RegistryHub]:
    """Hubs; ``flag=overdue_duty_report`` and ``flag=failed_evaluation`` list the candidates
    for the office's attention (Art. 7)."""
    thresholds = duty_thresholds(s)
    overdue = flag == "overdue_duty_report"
    rows = registry(s).hubs(
        jurisdictions(caller, jurisdiction),
        field,
        "active" if overdue else status,
        parse_cursor(cursor),
        limit,
        overdue=thresholds if overdue else None,
        failed_evaluation=flag == "failed_evaluation",
    )
    items = [RegistryHub.model_validate(flagged(row, s, thresholds)) for row in rows]
    return page(items, limit, items[-1].position if items else None)


def readable_hub(s: Services, caller: Caller, hub_id: UUID) -> dict[str, Any]:
    row = registry(s).hub(str(hub_id))
    if row is None:
        raise NotFound(f"no hub with id {hub_id} in the registry")
    caller.require_readable(row["jurisdiction"])
    return row


@router.get("/hubs/{hub_id}")
def hub(
    hub_id: UUID,
    caller: CurrentCaller,
    s: ServicesDep,
    duty_reports_limit: Limit = DEFAULT_LIMIT,
    duty_reports_cursor: str | None = None,
) -> RegistryHubDetail:
    """One hub, with a page of its duty reports (Art. 13: their content and figures)."""
    row = readable_hub(s, caller, hub_id)
    reports = registry(s).duty_reports(
        str(hub_id),
        row["version"],
        after=parse_cursor(duty_reports_cursor),
        limit=duty_reports_limit,
    )
    items = [RegistryDutyReport.model_validate(r) for r in reports]
    more = page(items, duty_reports_limit, items[-1].position if items else None)
    return RegistryHubDetail.model_validate(
        {**flagged(row, s), "duty_reports": items, "duty_reports_next_cursor": more.next_cursor}
    )


@router.get("/hubs/{hub_id}/duty-reports")
def duty_reports(
    hub_id: UUID,
    caller: CurrentCaller,
    s: ServicesDep,
    kind: DutyReportKind | None = None,
    period: ReportPeriod | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> Page[RegistryDutyReport]:
    """A hub's duty reports, oldest first, with their content and figures (Art. 13)."""
    readable_hub(s, caller, hub_id)
    rows = registry(s).duty_reports(
        str(hub_id), after=parse_cursor(cursor), limit=limit, kind=kind, period=period
    )
    items = [RegistryDutyReport.model_validate(row) for row in rows]
    return page(items, limit, items[-1].position if items else None)


@router.get("/affiliates")
def affiliates(
    caller: CurrentCaller,
    s: ServicesDep,
    hub_id: UUID | None = None,
    uscc: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    status: AffiliateStatus | None = None,
    jurisdiction: Jurisdiction | None = None,
    stage: AffiliationStage | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[RegistryAffiliate]:
    rows = registry(s).affiliates(
        jurisdictions(caller, jurisdiction),
        str(hub_id) if hub_id else None,
        uscc.strip().upper() if uscc else None,
        status,
        parse_cursor(cursor),
        limit,
        stage,
    )
    items = [RegistryAffiliate.model_validate(row) for row in rows]
    return page(items, limit, items[-1].position if items else None)


@router.get("/applications")
def applications(
    caller: CurrentCaller,
    s: ServicesDep,
    jurisdiction: Jurisdiction | None = None,
    status: ApplicationStatus | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Page[RegistryApplication]:
    """An applicant lists its own applications only."""
    own = str(caller.id) if caller.role == "applicant" else None
    rows = registry(s).applications(
        jurisdictions(caller, jurisdiction), status, parse_cursor(cursor), limit, own
    )
    items = [RegistryApplication.model_validate(row) for row in rows]
    return page(items, limit, items[-1].position if items else None)
