"""The notice inbox: what each hub has received and not yet acknowledged (Art. 12).

Tables:
- ``inbox_notices``: one row per notice (title, body, category, jurisdiction, issued_at);
- ``inbox_deliveries``: one row per (notice, addressed hub), with when it was
  received, acknowledged and relayed.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.notice import Notice
from shuniu.projections.sql import PostgresSQLView, Row, SQLiteSQLView, SQLView, time_value

NOTICES = "inbox_notices"
DELIVERIES = "inbox_deliveries"
TABLES = (NOTICES, DELIVERIES)


class InboxView(SQLView):
    schema_version = 2  # 2: the notices' category
    tables = (
        f"""CREATE TABLE IF NOT EXISTS {NOTICES} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            category TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            issued_at {{ts}} NOT NULL
        )""",
        f"""CREATE TABLE IF NOT EXISTS {DELIVERIES} (
            notice_id TEXT NOT NULL,
            hub_id TEXT NOT NULL,
            position {{bigint}} NOT NULL,
            received_at {{ts}} NOT NULL,
            acknowledged_at {{ts}},
            relayed_at {{ts}},
            PRIMARY KEY (notice_id, hub_id)
        )""",
        f"CREATE INDEX IF NOT EXISTS {DELIVERIES}_by_hub "
        f"ON {DELIVERIES} (hub_id, acknowledged_at, position)",
    )

    def set_delivery(self, cursor: Any, e: Notice.Event, column: str) -> None:
        self.execute(
            cursor,
            f"UPDATE {DELIVERIES} SET {column} = %s WHERE notice_id = %s AND hub_id = %s",
            [e.timestamp, str(e.originator_id), str(e.hub_id)],  # type: ignore[attr-defined]
        )

    def inbox(
        self, hub_id: str, after: int = 0, limit: int = 50, category: str | None = None
    ) -> list[Row]:
        of_category = " AND n.category = %s" if category is not None else ""
        rows = self.query(
            f"SELECT n.id, d.position, n.title, n.body, n.category, n.jurisdiction, "
            f"n.issued_at, d.hub_id, d.received_at, d.relayed_at "
            f"FROM {DELIVERIES} d JOIN {NOTICES} n ON n.id = d.notice_id "
            "WHERE d.hub_id = %s AND d.acknowledged_at IS NULL AND d.position > %s"
            f"{of_category} ORDER BY d.position LIMIT %s",
            [hub_id, after, *([category] if category is not None else []), limit],
        )
        for row in rows:
            for column in ("issued_at", "received_at", "relayed_at"):
                row[column] = time_value(row[column])
        return rows


class SQLiteInboxView(InboxView, SQLiteSQLView):
    pass


class PostgresInboxView(InboxView, PostgresSQLView):
    pass


class InboxProjection(Projection[InboxView]):
    name = "inbox"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        with self.view.transaction(tracking):
            pass

    @process_event.register
    def _(self, e: Notice.Issued, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.execute(
                c,
                f"INSERT INTO {NOTICES} "
                "(id, position, title, body, category, jurisdiction, issued_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [
                    str(e.originator_id),
                    tracking.notification_id,
                    e.title,
                    e.body,
                    e.category,
                    e.jurisdiction,
                    e.timestamp,
                ],
            )

    @process_event.register
    def _(self, e: HubOrganization.NoticeReceived, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.execute(
                c,
                f"INSERT INTO {DELIVERIES} (notice_id, hub_id, position, received_at) "
                "VALUES (%s, %s, %s, %s)",
                [str(e.notice_id), str(e.originator_id), tracking.notification_id, e.timestamp],
            )

    @process_event.register
    def _(self, e: Notice.Acknowledged, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_delivery(c, e, "acknowledged_at")

    @process_event.register
    def _(self, e: Notice.Relayed, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.set_delivery(c, e, "relayed_at")
