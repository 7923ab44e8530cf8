"""The designation policy, in memory: approval -> one hub, one seat claim, one save."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from shuniu import policies
from shuniu.aggregates.designation_application import DesignationApplication, hub_id_for
from shuniu.aggregates.errors import UniquenessConflict
from shuniu.aggregates.field_seat import FieldSeat, seat_id_for
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.application import Shuniu
from shuniu.application.unit_of_work import UnitOfWork
from shuniu.commands.designation import DecideApplication, ReviewApplication, SubmitApplication
from shuniu.policies.designation import designate_hub
from tests.factories import application_fields, ctx


@pytest.fixture
def app() -> Iterator[Shuniu]:
    application = Shuniu(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def reviewed(app: Shuniu, seed: int = 1, field: str = "science") -> UUID:
    fields = application_fields(seed=seed, field=field)
    submitted = app.handle(SubmitApplication(**fields), ctx("applicant"))
    app.handle(
        ReviewApplication(application_id=submitted.aggregate.id, opinion="recommend", notes="ok"),
        ctx(),
    )
    return submitted.aggregate.id


def approve(app: Shuniu, application_id: UUID) -> int:
    return app.handle(
        DecideApplication(
            application_id=application_id,
            decision="approve",
            decision_ref="LG-1",
            reasons="Qualified.",
        ),
        ctx("leading_group"),
    ).position


def test_approval_designates_one_hub_and_claims_the_seat_in_the_same_save(app: Shuniu) -> None:
    application_id = reviewed(app)
    before = app.last_position()
    position = approve(app, application_id)
    hub = app.get(hub_id_for(application_id), HubOrganization)
    seat = app.get(seat_id_for("110000", "science"), FieldSeat)
    assert hub.status == "active"
    assert hub.seat_id == seat.id
    assert seat.hub_id == hub.id
    # One save: the approval, the seat, the hub and the jurisdiction's roster of active hubs.
    saved = [n.topic.split(":")[1] for n in app.recorder.select_notifications(before + 1, 100)]
    assert saved == [
        "DesignationApplication.Approved",
        "FieldSeat.Opened",
        "FieldSeat.Claimed",
        "HubOrganization.Designated",
        "Roster.Opened",
        "Roster.Joined",
    ]
    assert position == before + len(saved)
    designated = app.repository.get(hub.id, version=1)
    assert designated.version == 1
    events = list(app.events.get(hub.id))
    assert events[0].actor.policy == "designation"  # type: ignore[attr-defined]


def test_an_occupied_seat_refuses_the_approval_and_nothing_is_recorded(app: Shuniu) -> None:
    approve(app, reviewed(app, seed=1))
    second = reviewed(app, seed=2, field="  Science ")
    before = app.last_position()
    with pytest.raises(UniquenessConflict):
        approve(app, second)
    assert app.last_position() == before
    assert app.get(second, DesignationApplication).status == "preliminary_reviewed"


def test_a_policy_that_crashes_mid_way_leaves_nothing_and_a_retry_designates_once(
    app: Shuniu, monkeypatch: pytest.MonkeyPatch
) -> None:
    application_id = reviewed(app)
    before = app.last_position()

    def crash_after_designating(event: DesignationApplication.Approved, work: object) -> None:
        designate_hub(event, work)  # type: ignore[arg-type]
        raise RuntimeError("the process died here")

    monkeypatch.setitem(
        policies.HANDLERS, DesignationApplication.Approved, (crash_after_designating,)
    )
    with pytest.raises(RuntimeError):
        approve(app, application_id)
    assert app.last_position() == before

    monkeypatch.undo()
    approve(app, application_id)
    hubs = [n for n in app.recorder.select_notifications(1, 100) if n.topic.endswith("Designated")]
    assert len(hubs) == 1


def test_the_policy_is_idempotent(app: Shuniu) -> None:
    """Run twice on the same approval, it records the hub once."""
    application_id = reviewed(app)
    approve(app, application_id)
    approved = next(
        e for e in app.events.get(application_id) if isinstance(e, DesignationApplication.Approved)
    )
    work = UnitOfWork(app, approved.actor)
    designate_hub(approved, work)
    assert work.aggregates() == []
