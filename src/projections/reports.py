"""Upward reports: what the hubs reported to the Leading Group, and the replies (Art. 12, 18).

Tables an analyst may query in SQL (see the README for every column):
- ``reports_upward``: one row per upward report, ``open`` until the office or
  the Leading Group replies, then ``replied``, with every reply;
- ``reports_hubs``: the jurisdiction and name of every hub, which the
  reports' events do not carry.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from shuniu.aggregates.hub_organization import HubOrganization as Hub
from shuniu.aggregates.hub_organization import upward_report_id_for
from shuniu.projections.sql import (
    PostgresSQLView,
    Row,
    SQLiteSQLView,
    SQLView,
    Where,
    json_value,
    time_value,
)

UPWARD = "reports_upward"
HUBS = "reports_hubs"
TABLES = (UPWARD, HUBS)


class ReportsView(SQLView):
    tables = (
        f"""CREATE TABLE IF NOT EXISTS {HUBS} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            name TEXT NOT NULL,
            jurisdiction TEXT NOT NULL
        )""",
        f"""CREATE TABLE IF NOT EXISTS {UPWARD} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            hub_id TEXT NOT NULL,
            hub_name TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            subject TEXT NOT NULL,
            content TEXT NOT NULL,
            reported_at {{ts}} NOT NULL,
            state TEXT NOT NULL,
            replies {{json}} NOT NULL,
            last_replied_at {{ts}}
        )""",
        f"CREATE INDEX IF NOT EXISTS {UPWARD}_by_place ON {UPWARD} (jurisdiction, state, position)",
        f"CREATE INDEX IF NOT EXISTS {UPWARD}_by_hub ON {UPWARD} (hub_id, state, position)",
    )

    def upward_reports(
        self,
        jurisdictions: list[str] | None,
        hub_id: str | None = None,
        state: str | None = None,
        after: int = 0,
        limit: int = 50,
    ) -> list[Row]:
        where = Where(jurisdictions, {"hub_id": hub_id, "state": state}, after)
        rows = self.query(
            f"SELECT * FROM {UPWARD} WHERE {where.sql} ORDER BY position LIMIT %s",
            [*where.params, limit],
        )
        for row in rows:
            row["replies"] = json_value(row["replies"])
            row["reported_at"] = time_value(row["reported_at"])
            row["last_replied_at"] = time_value(row["last_replied_at"])
        return rows


class SQLiteReportsView(ReportsView, SQLiteSQLView):
    pass


class PostgresReportsView(ReportsView, PostgresSQLView):
    pass


class ReportsProjection(Projection[ReportsView]):
    name = "reports"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        with self.view.transaction(tracking):
            pass

    @process_event.register
    def _(self, e: Hub.Designated, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.execute(
                c,
                f"INSERT INTO {HUBS} (id, position, name, jurisdiction) VALUES (%s, %s, %s, %s)",
                [str(e.originator_id), tracking.notification_id, e.name, e.jurisdiction],
            )

    @process_event.register
    def _(self, e: Hub.UpwardReported, tracking: Tracking) -> None:
        hub_id = str(e.originator_id)
        with self.view.transaction(tracking) as c:
            report_id = e.report_id
            if report_id is None:  # recorded before reports had ids: by its order
                (earlier,) = self.view.query_in(
                    c, f"SELECT COUNT(*) AS n FROM {UPWARD} WHERE hub_id = %s", [hub_id]
                )
                report_id = upward_report_id_for(e.originator_id, int(earlier["n"]) + 1)
            self.view.execute(
                c,
                f"INSERT INTO {UPWARD} (id, position, version, hub_id, hub_name, jurisdiction, "
                "subject, content, reported_at, state, replies) "
                "SELECT %s, %s, %s, id, name, jurisdiction, %s, %s, %s, 'open', %s "
                f"FROM {HUBS} WHERE id = %s",
                [
                    str(report_id),
                    tracking.notification_id,
                    e.originator_version,
                    e.subject,
                    e.content,
                    e.timestamp,
                    [],
                    hub_id,
                ],
            )

    @process_event.register
    def _(self, e: Hub.UpwardReportReplied, tracking: Tracking) -> None:
        reply = {"text": e.text, "role": e.actor.role, "replied_at": e.timestamp.isoformat()}
        with self.view.transaction(tracking) as c:
            self.view.append(
                c,
                UPWARD,
                e.report_id,
                "replies",
                reply,
                version=e.originator_version,
                state="replied",
                last_replied_at=e.timestamp,
            )
