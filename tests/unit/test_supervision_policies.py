"""Policies of the supervision lifecycle, in memory: fan-out, rosters, the revocation cascade."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization, AffiliateRelationship
from shuniu.aggregates.errors import StateConflict, UniquenessConflict
from shuniu.aggregates.field_seat import FieldSeat, seat_id_for
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.roster import Roster, active_affiliates_roster, active_hubs_roster
from shuniu.aggregates.supervision import Supervision, supervision_id_for
from shuniu.application import Shuniu
from shuniu.commands.affiliations import (
    EndAffiliation,
    EstablishAffiliation,
    InspectAffiliate,
    TransferAffiliation,
)
from shuniu.commands.designation import DecideApplication, ReviewApplication, SubmitApplication
from shuniu.commands.hubs import DecideAdjustment, ProposeAdjustment
from shuniu.commands.notices import IssueNotice, RelayNotice
from tests.factories import application_fields, credit_code, ctx


@pytest.fixture
def app() -> Iterator[Shuniu]:
    application = Shuniu(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def designate(app: Shuniu, seed: int, field: str) -> UUID:
    submitted = app.handle(
        SubmitApplication(**application_fields(seed=seed, field=field)), ctx("applicant")
    )
    application_id = submitted.aggregate.id
    app.handle(
        ReviewApplication(application_id=application_id, opinion="recommend", notes="ok"), ctx()
    )
    decided = app.handle(
        DecideApplication(
            application_id=application_id, decision="approve", decision_ref="D", reasons="r"
        ),
        ctx("leading_group"),
    )
    hub_id = decided.aggregate.hub_id  # type: ignore[attr-defined]
    assert isinstance(hub_id, UUID)
    return hub_id


def adjust(app: Shuniu, hub_id: UUID, action: str, new_field: str | None = None) -> int:
    proposed = app.handle(
        ProposeAdjustment(hub_id=hub_id, action=action, reasons="reasons", new_field=new_field),
        ctx(),
    )  # type: ignore[arg-type]
    adjustment_id = proposed.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
    return app.handle(
        DecideAdjustment(
            hub_id=hub_id, adjustment_id=adjustment_id, decision="approve", decision_ref="LG"
        ),
        ctx("leading_group"),
    ).position


def affiliate(app: Shuniu, hub_id: UUID, seed: int) -> UUID:
    organization = AffiliatedOrganization(
        name=f"Club {seed}", uscc=credit_code(seed), type="foundation"
    )
    return app.handle(
        EstablishAffiliation(hub_id=hub_id, organization=organization), ctx("hub")
    ).aggregate.id


def members(app: Shuniu, roster_id: UUID) -> list[UUID]:
    return app.get(roster_id, Roster).members


def test_a_notice_reaches_every_active_hub_once_and_not_a_suspended_one(app: Shuniu) -> None:
    science, culture, sport = (
        designate(app, i, f) for i, f in enumerate(["science", "culture", "sport"])
    )
    adjust(app, sport, "suspend")
    notice = app.handle(
        IssueNotice(title="Plan", body="The 2026 plan.", jurisdiction="110000"), ctx()
    ).aggregate
    assert sorted(notice.hub_ids) == sorted([science, culture])  # type: ignore[attr-defined]
    for hub_id in (science, culture):
        assert app.get(hub_id, HubOrganization).notices_received == [notice.id]
    assert app.get(sport, HubOrganization).notices_received == []


def test_naming_a_hub_that_cannot_act_is_refused(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    adjust(app, hub, "suspend")
    with pytest.raises(StateConflict):
        app.handle(
            IssueNotice(title="Plan", body="Body.", jurisdiction="110000", hub_ids=[hub]), ctx()
        )


def test_a_relay_reaches_the_active_affiliates_on_their_own_streams(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    kept, ended = affiliate(app, hub, 10), affiliate(app, hub, 11)
    app.handle(EndAffiliation(affiliation_id=ended, reason="Dissolved."), ctx("hub"))
    notice = app.handle(
        IssueNotice(title="Plan", body="Body.", jurisdiction="110000", hub_ids=[hub]), ctx()
    ).aggregate
    relayed = app.handle(
        RelayNotice(notice_id=notice.id, hub_id=hub, note="Read this."), ctx("hub")
    ).aggregate
    assert relayed.relays[0].affiliate_ids == [kept]  # type: ignore[attr-defined]
    assert [r.notice_id for r in app.get(kept, AffiliateRelationship).relayed_notices] == [
        notice.id
    ]
    assert app.get(ended, AffiliateRelationship).relayed_notices == []


def test_one_active_supervisor_per_organization(app: Shuniu) -> None:
    science, culture = designate(app, 1, "science"), designate(app, 2, "culture")
    affiliate(app, science, 10)
    head = app.last_position()
    with pytest.raises(UniquenessConflict):
        affiliate(app, culture, 10)
    assert app.last_position() == head


def test_revocation_cascade(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    active, ended = affiliate(app, hub, 10), affiliate(app, hub, 11)
    app.handle(EndAffiliation(affiliation_id=ended, reason="Dissolved."), ctx())
    adjust(app, hub, "revoke")

    assert app.get(hub, HubOrganization).status == "revoked"
    assert app.get(seat_id_for("110000", "science"), FieldSeat).hub_id is None
    assert hub not in members(app, active_hubs_roster("110000"))
    orphan = app.get(active, AffiliateRelationship)
    assert (orphan.status, orphan.hub_id) == ("needs_supervisor", hub)
    assert app.get(ended, AffiliateRelationship).status == "ended"
    assert members(app, active_affiliates_roster(hub)) == []
    assert app.get(supervision_id_for(credit_code(10)), Supervision).affiliation_id is None

    # The freed field gets a new hub, which takes over the orphaned affiliate.
    successor = designate(app, 2, "Science")
    app.handle(
        TransferAffiliation(affiliation_id=active, to_hub_id=successor, reason="New supervisor."),
        ctx(),
    )
    assert app.get(active, AffiliateRelationship).status == "active"
    assert members(app, active_affiliates_roster(successor)) == [active]
    supervision = app.get(supervision_id_for(credit_code(10)), Supervision)
    assert (supervision.affiliation_id, supervision.hub_id) == (active, successor)


def test_a_transfer_moves_the_supervision(app: Shuniu) -> None:
    science, culture = designate(app, 1, "science"), designate(app, 2, "culture")
    club = affiliate(app, science, 10)
    app.handle(
        TransferAffiliation(affiliation_id=club, to_hub_id=culture, reason="Better fit."), ctx()
    )
    assert members(app, active_affiliates_roster(science)) == []
    assert members(app, active_affiliates_roster(culture)) == [club]
    assert app.get(supervision_id_for(credit_code(10)), Supervision).hub_id == culture


def test_a_change_of_field_moves_the_seat_and_an_occupied_one_refuses(app: Shuniu) -> None:
    science, culture = designate(app, 1, "science"), designate(app, 2, "culture")
    proposed = app.handle(
        ProposeAdjustment(hub_id=science, action="change_field", reasons="r", new_field="Culture"),
        ctx(),
    )
    head = app.last_position()
    with pytest.raises(UniquenessConflict):
        app.handle(
            DecideAdjustment(
                hub_id=science,
                adjustment_id=proposed.aggregate.adjustments[-1].id,
                decision="approve",
                decision_ref="LG",
            ),
            ctx("leading_group"),
        )
    assert app.last_position() == head
    adjust(app, culture, "revoke")
    app.handle(
        DecideAdjustment(
            hub_id=science,
            adjustment_id=proposed.aggregate.adjustments[-1].id,
            decision="approve",
            decision_ref="LG",
        ),
        ctx("leading_group"),
    )
    assert app.get(seat_id_for("110000", "culture"), FieldSeat).hub_id == science
    assert app.get(seat_id_for("110000", "science"), FieldSeat).hub_id is None
    assert app.get(science, HubOrganization).field == "Culture"


def test_a_suspended_hub_cannot_act_on_its_affiliates_but_the_office_can(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    club = affiliate(app, hub, 10)
    adjust(app, hub, "suspend")
    with pytest.raises(StateConflict):
        app.handle(
            InspectAffiliate(affiliation_id=club, year=2026, result="qualified", notes=""),
            ctx("hub"),
        )
    app.handle(EndAffiliation(affiliation_id=club, reason="Closed by the office."), ctx("office"))
    assert app.get(club, AffiliateRelationship).status == "ended"
