"""JointMeeting: every transition and its refusal, given/when/then."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from shuniu.aggregates.errors import InvalidCommand, NotFound, StateConflict
from shuniu.aggregates.joint_meeting import AgendaItem, JointMeeting
from tests.factories import actor

HUB, OTHER_HUB = uuid4(), uuid4()
SOON = datetime.now(UTC) + timedelta(days=7)


def convened(when: datetime = SOON) -> JointMeeting:
    m = JointMeeting(
        title="Second joint meeting of 2026",
        scheduled_at=when,
        jurisdiction="110000",
        agenda=[AgendaItem(title="Work report", presenter="Office"), AgendaItem(title="Plan")],
        actor=actor(),
    )
    m.collect_events()
    return m


def published() -> JointMeeting:
    m = convened()
    m.publish_minutes("Reported, studied, deployed.", actor())
    m.collect_events()
    return m


def events(m: JointMeeting) -> list[str]:
    return [type(e).__name__ for e in m.collect_events()]


def test_a_meeting_records_attendance_resolutions_and_action_items() -> None:
    m = convened()
    m.record_attendance(HUB, "Science Association", "Wang", present=True, actor=actor())
    m.record_attendance(OTHER_HUB, "Sport Federation", "Zhao", present=False, actor=actor())
    resolution = m.adopt_resolution(1, "Adopt the 2026 plan.", actor())
    item = m.assign_action_item(HUB, "Draft the survey.", date(2026, 12, 31), actor())
    assert events(m) == [
        "AttendanceRecorded",
        "AttendanceRecorded",
        "ResolutionAdopted",
        "ActionItemAssigned",
    ]
    assert m.resolutions[0].id == resolution
    assert m.resolutions[0].agenda_item == 1
    assert m.action_item(item).state == "open"


def test_recording_a_hub_again_replaces_its_attendance_line() -> None:
    m = convened()
    m.record_attendance(HUB, "Science Association", "Wang", present=False, actor=actor())
    m.record_attendance(HUB, "Science Association", "Li", present=True, actor=actor())
    assert [(a.representative, a.present) for a in m.attendance] == [("Li", True)]


@pytest.mark.parametrize("index", [-1, 2, 10])
def test_a_resolution_must_name_an_agenda_item(index: int) -> None:
    with pytest.raises(InvalidCommand, match="agenda"):
        convened().adopt_resolution(index, "text", actor())


def test_published_minutes_never_change() -> None:
    m = published()
    for command in (
        lambda: m.record_attendance(HUB, "S", "Wang", present=True, actor=actor()),
        lambda: m.adopt_resolution(0, "text", actor()),
        lambda: m.assign_action_item(HUB, "d", date(2026, 12, 31), actor()),
        lambda: m.publish_minutes("again", actor()),
        lambda: m.cancel("too late", datetime.now(UTC), actor()),
    ):
        with pytest.raises(StateConflict):
            command()
    assert events(m) == []


def test_a_correction_is_its_own_event_and_only_after_publishing() -> None:
    m = convened()
    with pytest.raises(StateConflict, match="published"):
        m.correct("Typo.", actor())
    m.publish_minutes("Summary.", actor())
    m.correct("Item 2 was presented by the office.", actor())
    assert events(m) == ["MinutesPublished", "Corrected"]
    assert m.summary == "Summary."
    assert [c.text for c in m.corrections] == ["Item 2 was presented by the office."]


def test_action_items_are_completed_once_even_after_publishing() -> None:
    m = convened()
    item = m.assign_action_item(HUB, "Draft the survey.", date(2026, 12, 31), actor())
    m.publish_minutes("Summary.", actor())
    m.complete_action_item(item, "Survey drafted.", actor("hub"))
    assert m.action_item(item).state == "done"
    with pytest.raises(StateConflict, match="done"):
        m.complete_action_item(item, "Again.", actor("hub"))
    with pytest.raises(NotFound):
        m.complete_action_item(uuid4(), "No such item.", actor("hub"))


def test_the_revocation_cascade_flags_only_the_hubs_open_items() -> None:
    m = convened()
    done = m.assign_action_item(HUB, "a", date(2026, 12, 31), actor())
    open_ = m.assign_action_item(HUB, "b", date(2026, 12, 31), actor())
    others = m.assign_action_item(OTHER_HUB, "c", date(2026, 12, 31), actor())
    m.complete_action_item(done, "ok", actor("hub"))
    m.collect_events()
    m.flag_open_items_of(HUB, "owner hub revoked", actor())
    assert events(m) == ["ActionItemFlagged"]
    assert [m.action_item(i).state for i in (done, open_, others)] == ["done", "flagged", "open"]
    with pytest.raises(StateConflict, match="flagged"):
        m.complete_action_item(open_, "late", actor("hub"))


def test_a_meeting_that_has_not_taken_place_can_be_cancelled() -> None:
    m = convened()
    m.cancel("The venue is unavailable.", datetime.now(UTC), actor())
    assert m.status == "cancelled"
    with pytest.raises(StateConflict):
        m.record_attendance(HUB, "S", "Wang", present=True, actor=actor())
    with pytest.raises(StateConflict):
        m.publish_minutes("s", actor())


@pytest.mark.parametrize("history", ["past", "attendance"])
def test_a_meeting_that_has_taken_place_cannot_be_cancelled(history: str) -> None:
    m = convened(datetime.now(UTC) - timedelta(hours=1) if history == "past" else SOON)
    if history == "attendance":
        m.record_attendance(HUB, "S", "Wang", present=True, actor=actor())
    with pytest.raises(StateConflict, match="taken place"):
        m.cancel("r", datetime.now(UTC), actor())
