"""Meeting minutes: joint meetings and their action items (Art. 11).

Tables:
- ``minutes_meetings``: one row per meeting, with agenda, attendance,
  resolutions, summary and corrections;
- ``minutes_action_items``: one row per action item, by owner hub and state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from shuniu.aggregates.joint_meeting import JointMeeting as Meeting
from shuniu.projections.sql import (
    PostgresSQLView,
    Row,
    SQLiteSQLView,
    SQLView,
    Where,
    date_value,
    json_value,
    time_value,
)

MEETINGS = "minutes_meetings"
ACTION_ITEMS = "minutes_action_items"
TABLES = (MEETINGS, ACTION_ITEMS)
MEETING_JSON = ("agenda", "attendance", "resolutions", "corrections")


class MinutesView(SQLView):
    tables = (
        f"""CREATE TABLE IF NOT EXISTS {MEETINGS} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            scheduled_at {{ts}} NOT NULL,
            jurisdiction TEXT NOT NULL,
            status TEXT NOT NULL,
            agenda {{json}} NOT NULL,
            attendance {{json}} NOT NULL,
            attendance_count INTEGER NOT NULL DEFAULT 0,
            resolutions {{json}} NOT NULL,
            summary TEXT,
            published_at {{ts}},
            corrections {{json}} NOT NULL,
            cancel_reason TEXT
        )""",
        f"CREATE INDEX IF NOT EXISTS {MEETINGS}_by_time ON {MEETINGS} (jurisdiction, scheduled_at)",
        f"""CREATE TABLE IF NOT EXISTS {ACTION_ITEMS} (
            id TEXT PRIMARY KEY,
            meeting_id TEXT NOT NULL,
            position {{bigint}} NOT NULL,
            jurisdiction TEXT NOT NULL,
            owner_hub_id TEXT NOT NULL,
            description TEXT NOT NULL,
            due {{date}} NOT NULL,
            state TEXT NOT NULL,
            note TEXT,
            closed_at {{ts}}
        )""",
        f"CREATE INDEX IF NOT EXISTS {ACTION_ITEMS}_by_owner "
        f"ON {ACTION_ITEMS} (owner_hub_id, state, position)",
    )

    # Reads.

    def meetings(
        self,
        jurisdictions: list[str] | None,
        start: datetime | None,
        end: datetime | None,
        after: int = 0,
        limit: int = 50,
    ) -> list[Row]:
        where = Where(jurisdictions, after=after)
        if start is not None:
            where.add("scheduled_at >= %s", start)
        if end is not None:
            where.add("scheduled_at < %s", end)
        rows = self.query(
            f"SELECT * FROM {MEETINGS} WHERE {where.sql} ORDER BY position LIMIT %s",
            [*where.params, limit],
        )
        return [_meeting(row) for row in rows]

    def meeting(self, meeting_id: str) -> Row | None:
        rows = self.query(f"SELECT * FROM {MEETINGS} WHERE id = %s", [meeting_id])
        if not rows:
            return None
        meeting = _meeting(rows[0])
        meeting["action_items"] = [
            _item(row)
            for row in self.query(
                f"SELECT * FROM {ACTION_ITEMS} WHERE meeting_id = %s ORDER BY position",
                [meeting_id],
            )
        ]
        return meeting

    def action_items(
        self,
        jurisdictions: list[str] | None,
        owner_hub_id: str | None,
        state: str | None,
        after: int = 0,
        limit: int = 50,
    ) -> list[Row]:
        where = Where(jurisdictions, {"owner_hub_id": owner_hub_id, "state": state}, after)
        rows = self.query(
            f"SELECT * FROM {ACTION_ITEMS} WHERE {where.sql} ORDER BY position LIMIT %s",
            [*where.params, limit],
        )
        return [_item(row) for row in rows]


def _meeting(row: Row) -> Row:
    for column in MEETING_JSON:
        row[column] = json_value(row[column])
    for column in ("scheduled_at", "published_at"):
        row[column] = time_value(row[column])
    return row


def _item(row: Row) -> Row:
    row["due"] = date_value(row["due"])
    row["closed_at"] = time_value(row["closed_at"])
    return row


class SQLiteMinutesView(MinutesView, SQLiteSQLView):
    pass


class PostgresMinutesView(MinutesView, PostgresSQLView):
    pass


def _when(e: Any) -> str:
    return str(e.timestamp.isoformat())


class MinutesProjection(Projection[MinutesView]):
    name = "minutes"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        with self.view.transaction(tracking):
            pass

    @process_event.register
    def _(self, e: Meeting.Convened, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.execute(
                c,
                f"INSERT INTO {MEETINGS} (id, position, version, title, scheduled_at, "
                "jurisdiction, status, agenda, attendance, resolutions, corrections) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    str(e.originator_id),
                    tracking.notification_id,
                    e.originator_version,
                    e.title,
                    e.scheduled_at,
                    e.jurisdiction,
                    "scheduled",
                    [item.model_dump(mode="json") for item in e.agenda],
                    [],
                    [],
                    [],
                ],
            )

    def _meeting(self, c: Any, e: Meeting.Event, **columns: Any) -> None:
        self.view.update(c, MEETINGS, e.originator_id, version=e.originator_version, **columns)

    @process_event.register
    def _(self, e: Meeting.AttendanceRecorded, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            lines = self.view.read_json(c, MEETINGS, e.originator_id, "attendance")
            line = {
                "hub_id": str(e.hub_id),
                "hub_name": e.hub_name,
                "representative": e.representative,
                "present": e.present,
                "recorded_at": _when(e),
            }
            lines = [x for x in lines if x["hub_id"] != line["hub_id"]] + [line]
            present = sum(1 for x in lines if x["present"])
            self._meeting(c, e, attendance=lines, attendance_count=present)

    @process_event.register
    def _(self, e: Meeting.ResolutionAdopted, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            item = {"id": str(e.resolution_id), "agenda_item": e.agenda_item, "text": e.text}
            self.view.append(
                c, MEETINGS, e.originator_id, "resolutions", {**item, "adopted_at": _when(e)}
            )
            self._meeting(c, e)

    @process_event.register
    def _(self, e: Meeting.ActionItemAssigned, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            rows = self.view.query_in(
                c, f"SELECT jurisdiction FROM {MEETINGS} WHERE id = %s", [str(e.originator_id)]
            )
            self.view.execute(
                c,
                f"INSERT INTO {ACTION_ITEMS} (id, meeting_id, position, jurisdiction, "
                "owner_hub_id, description, due, state) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    str(e.action_item_id),
                    str(e.originator_id),
                    tracking.notification_id,
                    rows[0]["jurisdiction"],
                    str(e.owner_hub_id),
                    e.description,
                    e.due,
                    "open",
                ],
            )
            self._meeting(c, e)

    def _close(self, e: Any, tracking: Tracking, state: str, note: str) -> None:
        with self.view.transaction(tracking) as c:
            self.view.update(
                c, ACTION_ITEMS, e.action_item_id, state=state, note=note, closed_at=e.timestamp
            )
            self._meeting(c, e)

    @process_event.register
    def _(self, e: Meeting.ActionItemCompleted, tracking: Tracking) -> None:
        self._close(e, tracking, "done", e.note)

    @process_event.register
    def _(self, e: Meeting.ActionItemFlagged, tracking: Tracking) -> None:
        self._close(e, tracking, "flagged", e.reason)

    @process_event.register
    def _(self, e: Meeting.MinutesPublished, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self._meeting(c, e, status="published", summary=e.summary, published_at=e.timestamp)

    @process_event.register
    def _(self, e: Meeting.Corrected, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            item = {"text": e.text, "corrected_at": _when(e)}
            self.view.append(c, MEETINGS, e.originator_id, "corrections", item)
            self._meeting(c, e)

    @process_event.register
    def _(self, e: Meeting.Cancelled, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self._meeting(c, e, status="cancelled", cancel_reason=e.reason)
