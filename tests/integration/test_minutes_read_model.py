"""A year of joint meetings on SQLite and PostgreSQL: recorded, published, corrected,
queried, and rebuilt from the events to the same rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from shuniu.aggregates.joint_meeting import AgendaItem, JointMeeting
from shuniu.application import Shuniu
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
        meeting = app.convene_meeting(ctx(), f"Joint meeting {month}", when, "110000", agenda)
        mid = meeting.aggregate.id
        app.record_attendance(ctx(), mid, science, "Wang", True)
        app.record_attendance(ctx(), mid, sport, "Zhao", False)
        app.adopt_resolution(ctx(), mid, 1, f"Adopt plan {month}.")
        app.assign_action_item(ctx(), mid, science, f"Report on {month}.", date(2026, month, 30))
        app.assign_action_item(ctx(), mid, sport, f"Survey {month}.", date(2027, 1, 31))
        app.publish_minutes(ctx(), mid, f"Summary {month}.")
        held.append(mid)
    app.correct_minutes(ctx(), held[0], "Zhao sent apologies.")
    first = app.get(held[0], JointMeeting)
    app.complete_action_item(ctx("hub"), held[0], first.action_items[0].id, "Reported.")
    future = datetime.now(UTC) + timedelta(days=30)
    cancelled = app.convene_meeting(ctx(), "Extra meeting", future, "110000", agenda).aggregate.id
    app.cancel_meeting(ctx(), cancelled, "Not needed.")
    proposal = app.propose_adjustment(ctx(), sport, "revoke", "Inactive.", None)
    adjustment = proposal.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    app.decide_adjustment(ctx("leading_group"), sport, adjustment, "approve", "LG-2026-41")

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
