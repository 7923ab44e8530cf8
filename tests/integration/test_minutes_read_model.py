"""A year of joint meetings on SQLite and PostgreSQL: recorded, published, corrected,
queried, and rebuilt from the events to the same rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from shuniu.aggregates.joint_meeting import AgendaItem, JointMeeting
from shuniu.application import Shuniu
from shuniu.commands.hubs import DecideAdjustment, ProposeAdjustment
from shuniu.commands.meetings import (
    AdoptResolution,
    AssignActionItem,
    CancelMeeting,
    CompleteActionItem,
    ConveneMeeting,
    CorrectMinutes,
    PublishMinutes,
    RecordAttendance,
)
from shuniu.projections.minutes import MinutesView
from shuniu.settings import Settings
from tests.factories import ctx
from tests.integration.support import all_rows, designate, rebuild, run_projections_to


def test_a_year_of_joint_meetings(app: Shuniu, settings: Settings, views: dict[str, Any]) -> None:
    science, sport = designate(app, 1, "science"), designate(app, 2, "sport")
    agenda = [AgendaItem(title="Work report"), AgendaItem(title="2027 plan", presenter="Office")]
    held = []
    for month in (3, 6, 9):
        when = datetime(2026, month, 15, 9, 30, tzinfo=UTC)
        meeting = app.handle(
            ConveneMeeting(
                title=f"Joint meeting {month}",
                scheduled_at=when,
                jurisdiction="110000",
                agenda=agenda,
            ),
            ctx(),
        )
        mid = meeting.aggregate.id
        app.handle(
            RecordAttendance(meeting_id=mid, hub_id=science, representative="Wang", present=True),
            ctx(),
        )
        app.handle(
            RecordAttendance(meeting_id=mid, hub_id=sport, representative="Zhao", present=False),
            ctx(),
        )
        app.handle(
            AdoptResolution(meeting_id=mid, agenda_item=1, text=f"Adopt plan {month}."), ctx()
        )
        app.handle(
            AssignActionItem(
                meeting_id=mid,
                owner_hub_id=science,
                description=f"Report on {month}.",
                due=date(2026, month, 30),
            ),
            ctx(),
        )
        app.handle(
            AssignActionItem(
                meeting_id=mid,
                owner_hub_id=sport,
                description=f"Survey {month}.",
                due=date(2027, 1, 31),
            ),
            ctx(),
        )
        app.handle(PublishMinutes(meeting_id=mid, summary=f"Summary {month}."), ctx())
        held.append(mid)
    app.handle(CorrectMinutes(meeting_id=held[0], text="Zhao sent apologies."), ctx())
    first = app.get(held[0], JointMeeting)
    app.handle(
        CompleteActionItem(
            meeting_id=held[0], action_item_id=first.action_items[0].id, note="Reported."
        ),
        ctx("hub"),
    )
    future = datetime.now(UTC) + timedelta(days=30)
    cancelled = app.handle(
        ConveneMeeting(
            title="Extra meeting", scheduled_at=future, jurisdiction="110000", agenda=agenda
        ),
        ctx(),
    ).aggregate.id
    app.handle(CancelMeeting(meeting_id=cancelled, reason="Not needed."), ctx())
    proposal = app.handle(
        ProposeAdjustment(hub_id=sport, action="revoke", reasons="Inactive."), ctx()
    )
    adjustment = proposal.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    app.handle(
        DecideAdjustment(
            hub_id=sport, adjustment_id=adjustment, decision="approve", decision_ref="LG-2026-41"
        ),
        ctx("leading_group"),
    )

    run_projections_to(settings, views, app.last_position())
    view: MinutesView = views["minutes"]

    spring = view.meetings(
        ["110000"], datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    )
    assert [m["title"] for m in spring] == ["Joint meeting 3", "Joint meeting 6"]
    assert all(m["attendance_count"] == 1 and m["status"] == "published" for m in spring)
    detail = view.meeting(str(held[0]))
    assert detail is not None
    assert [a["title"] for a in detail["agenda"]] == ["Work report", "2027 plan"]
    assert [(a["representative"], a["present"]) for a in detail["attendance"]] == [
        ("Wang", True),
        ("Zhao", False),
    ]
    assert [(r["agenda_item"], r["text"]) for r in detail["resolutions"]] == [(1, "Adopt plan 3.")]
    assert detail["summary"] == "Summary 3."
    assert [c["text"] for c in detail["corrections"]] == ["Zhao sent apologies."]
    assert [i["state"] for i in detail["action_items"]] == ["done", "flagged"]

    assert len(view.action_items(None, str(sport), "flagged")) == 3
    assert len(view.action_items(None, str(science), "open")) == 2
    assert [m["status"] for m in view.meetings(None, datetime(2026, 10, 1, tzinfo=UTC), None)] == [
        "cancelled"
    ]

    incremental = all_rows(views)
    rebuild(settings, views, app.last_position())
    assert all_rows(views) == incremental
    assert len(incremental["minutes_action_items"]) == 6
