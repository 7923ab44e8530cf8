"""The registry: hubs and the applications in the pipeline (SPEC.md, read models).

Tables an analyst may query in SQL:
- ``registry_hubs``: one row per designated hub, its status and its counts.
- ``registry_applications``: one row per designation application.
``position`` is the global position of the event that created the row, and
the order of every list.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from shuniu.aggregates.designation_application import DesignationApplication
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.projections.sql import (
    PostgresSQLView,
    Row,
    SQLiteSQLView,
    SQLView,
    json_value,
    time_value,
)

TABLES = ("registry_hubs", "registry_applications")


class RegistryView(SQLView):
    tables = (
        """CREATE TABLE IF NOT EXISTS registry_hubs (
            id TEXT PRIMARY KEY,
            position {bigint} NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            uscc TEXT NOT NULL,
            kind TEXT NOT NULL,
            field TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            status TEXT NOT NULL,
            designated_at {ts} NOT NULL,
            application_id TEXT NOT NULL,
            decision_ref TEXT NOT NULL,
            affiliate_count INTEGER NOT NULL DEFAULT 0,
            last_duty_report_period TEXT,
            flags {json} NOT NULL,
            responsibilities {json} NOT NULL,
            evaluations {json} NOT NULL,
            duty_reports {json} NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS registry_hubs_by_place "
        "ON registry_hubs (jurisdiction, status, position)",
        """CREATE TABLE IF NOT EXISTS registry_applications (
            id TEXT PRIMARY KEY,
            position {bigint} NOT NULL,
            version INTEGER NOT NULL,
            organization {json} NOT NULL,
            organization_name TEXT NOT NULL,
            uscc TEXT NOT NULL,
            kind TEXT NOT NULL,
            field TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            status TEXT NOT NULL,
            opinion TEXT,
            submitted_at {ts} NOT NULL,
            decided_at {ts},
            hub_id TEXT
        )""",
        "CREATE INDEX IF NOT EXISTS registry_applications_by_place "
        "ON registry_applications (jurisdiction, status, position)",
    )

    # Writes, each inside ``transaction(tracking)``.

    def insert_application(
        self, cursor: Any, e: DesignationApplication.Submitted, position: int
    ) -> None:
        org = e.organization
        self.execute(
            cursor,
            "INSERT INTO registry_applications (id, position, version, organization, "
            "organization_name, uscc, kind, field, jurisdiction, status, submitted_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                str(e.originator_id),
                position,
                e.originator_version,
                org.model_dump(mode="json"),
                org.name,
                org.uscc,
                org.kind,
                e.field,
                e.jurisdiction,
                "submitted",
                e.timestamp,
            ],
        )

    def set_application(self, cursor: Any, e: DesignationApplication.Event, **columns: Any) -> None:
        names = ", ".join(f"{name} = %s" for name in columns)
        self.execute(
            cursor,
            f"UPDATE registry_applications SET version = %s, {names} WHERE id = %s",  # noqa: S608
            [e.originator_version, *columns.values(), str(e.originator_id)],
        )

    def insert_hub(self, cursor: Any, e: HubOrganization.Designated, position: int) -> None:
        self.execute(
            cursor,
            "INSERT INTO registry_hubs (id, position, version, name, uscc, kind, field, "
            "jurisdiction, status, designated_at, application_id, decision_ref, flags, "
            "responsibilities, evaluations, duty_reports) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                str(e.originator_id),
                position,
                e.originator_version,
                e.name,
                e.uscc,
                e.kind,
                e.field,
                e.jurisdiction,
                "active",
                e.timestamp,
                str(e.application_id),
                e.decision_ref,
                [],
                [],
                [],
                [],
            ],
        )

    # Reads.

    def hubs(
        self,
        jurisdictions: list[str] | None,
        field: str | None = None,
        status: str | None = None,
        after: int = 0,
        limit: int = 50,
    ) -> list[Row]:
        where, params = _filters(jurisdictions, {"field": field, "status": status}, after)
        rows = self.query(
            f"SELECT * FROM registry_hubs WHERE {where} ORDER BY position LIMIT %s",  # noqa: S608
            [*params, limit],
        )
        return [_hub(row) for row in rows]

    def hub(self, hub_id: str) -> Row | None:
        rows = self.query("SELECT * FROM registry_hubs WHERE id = %s", [hub_id])
        return _hub(rows[0]) if rows else None

    def applications(
        self,
        jurisdictions: list[str] | None,
        status: str | None = None,
        after: int = 0,
        limit: int = 50,
    ) -> list[Row]:
        where, params = _filters(jurisdictions, {"status": status}, after)
        rows = self.query(
            f"SELECT * FROM registry_applications WHERE {where} "  # noqa: S608
            "ORDER BY position LIMIT %s",
            [*params, limit],
        )
        return [_application(row) for row in rows]


def _filters(
    jurisdictions: list[str] | None, equal: dict[str, str | None], after: int
) -> tuple[str, list[Any]]:
    clauses = ["position > %s"]
    params: list[Any] = [after]
    if jurisdictions is not None:
        clauses.append(f"jurisdiction IN ({', '.join(['%s'] * len(jurisdictions))})")
        params.extend(jurisdictions)
    for column, value in equal.items():
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    return " AND ".join(clauses), params


def _hub(row: Row) -> Row:
    for column in ("flags", "responsibilities", "evaluations", "duty_reports"):
        row[column] = json_value(row[column])
    row["designated_at"] = time_value(row["designated_at"])
    return row


def _application(row: Row) -> Row:
    row["organization"] = json_value(row["organization"])
    row["submitted_at"] = time_value(row["submitted_at"])
    row["decided_at"] = time_value(row["decided_at"])
    return row


class SQLiteRegistryView(RegistryView, SQLiteSQLView):
    pass


class PostgresRegistryView(RegistryView, PostgresSQLView):
    pass


class RegistryProjection(Projection[RegistryView]):
    name = "registry"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events the registry does not show still move its position."""
        with self.view.transaction(tracking):
            pass

    @process_event.register
    def _(self, e: DesignationApplication.Submitted, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.insert_application(c, e, tracking.notification_id)

    @process_event.register
    def _(self, e: DesignationApplication.SupplementRequested, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_application(c, e, status="supplement_requested")

    @process_event.register
    def _(self, e: DesignationApplication.Supplemented, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_application(c, e, status="submitted")

    @process_event.register
    def _(self, e: DesignationApplication.PreliminarilyReviewed, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_application(c, e, status="preliminary_reviewed", opinion=e.opinion)

    @process_event.register
    def _(self, e: DesignationApplication.Approved, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_application(
                c, e, status="approved", decided_at=e.timestamp, hub_id=str(e.hub_id)
            )

    @process_event.register
    def _(self, e: DesignationApplication.Rejected, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_application(c, e, status="rejected", decided_at=e.timestamp)

    @process_event.register
    def _(self, e: DesignationApplication.Withdrawn, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_application(c, e, status="withdrawn")

    @process_event.register
    def _(self, e: HubOrganization.Designated, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.insert_hub(c, e, tracking.notification_id)
