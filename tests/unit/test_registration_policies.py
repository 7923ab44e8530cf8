"""Policies of founding and deregistration, in memory: the supervision of an organization
being founded is claimed at its registration (409 if another hub holds its code), and an
approved deregistration review ends the affiliation in the same save."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship
from shuniu.aggregates.errors import StateConflict, UniquenessConflict
from shuniu.aggregates.roster import active_affiliates_roster
from shuniu.aggregates.supervision import Supervision, supervision_id_for
from shuniu.application import Shuniu
from shuniu.commands.affiliations import (
    AffiliatedOrganizationInput,
    EstablishAffiliation,
    RegisterAffiliate,
    ReviewRegistration,
    TransferAffiliation,
)
from shuniu.commands.notices import IssueNotice, RelayNotice
from tests.factories import credit_code, ctx
from tests.unit.test_supervision_policies import affiliate, designate, members


@pytest.fixture
def app() -> Iterator[Shuniu]:
    application = Shuniu(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def founding(app: Shuniu, hub_id: UUID, name: str = "Go Club") -> UUID:
    organization = AffiliatedOrganizationInput(name=name, type="social_group")
    return app.handle(
        EstablishAffiliation(hub_id=hub_id, organization=organization, stage="preparing"),
        ctx("hub"),
    ).aggregate.id


def approve_establishment(app: Shuniu, affiliation_id: UUID) -> None:
    app.handle(
        ReviewRegistration(
            affiliation_id=affiliation_id, matter="establishment", opinion="approve", notes="ok"
        ),
        ctx("hub"),
    )


def test_an_organization_being_founded_claims_no_supervision_until_registered(
    app: Shuniu,
) -> None:
    hub = designate(app, 1, "science")
    club = founding(app, hub)
    assert members(app, active_affiliates_roster(hub)) == [club]
    approve_establishment(app, club)
    registered = app.handle(
        RegisterAffiliate(affiliation_id=club, uscc=credit_code(10)), ctx("hub")
    )
    assert registered.aggregate.organization.uscc == credit_code(10)  # type: ignore[attr-defined]
    held = app.get(supervision_id_for(credit_code(10)), Supervision)
    assert (held.affiliation_id, held.hub_id) == (club, hub)
    assert held.version == 2  # opened and claimed in the registration's save


def test_registration_under_a_code_another_hub_supervises_is_409_and_records_nothing(
    app: Shuniu,
) -> None:
    science, culture = designate(app, 1, "science"), designate(app, 2, "culture")
    affiliate(app, science, 10)
    club = founding(app, culture)
    approve_establishment(app, club)
    head = app.last_position()
    with pytest.raises(UniquenessConflict, match="already has an active supervising hub"):
        app.handle(RegisterAffiliate(affiliation_id=club, uscc=credit_code(10)), ctx("hub"))
    assert app.last_position() == head
    assert app.get(club, AffiliateRelationship).stage == "preparing"


def test_an_approved_deregistration_review_ends_the_affiliation_in_the_same_save(
    app: Shuniu,
) -> None:
    hub = designate(app, 1, "science")
    club = affiliate(app, hub, 10)
    reviewed = app.handle(
        ReviewRegistration(
            affiliation_id=club, matter="deregistration", opinion="approve", notes="Dissolved."
        ),
        ctx("hub"),
    )
    ended = app.get(club, AffiliateRelationship)
    assert ended.status == "ended"
    assert ended.end_reason is not None
    assert "Dissolved." in ended.end_reason
    assert reviewed.aggregate.version == ended.version  # the answer shows it ended
    assert app.get(supervision_id_for(credit_code(10)), Supervision).affiliation_id is None
    assert members(app, active_affiliates_roster(hub)) == []
    (ending,) = [e for e in app.events.get(club) if isinstance(e, AffiliateRelationship.Ended)]
    assert ending.actor.policy == "deregistration"
    # The freed code may be supervised again, by any hub.
    affiliate(app, designate(app, 2, "culture"), 10)


def test_a_rejected_deregistration_or_another_review_ends_nothing(app: Shuniu) -> None:
    hub = designate(app, 1, "science")
    club = affiliate(app, hub, 10)
    for matter, opinion in (("deregistration", "reject"), ("change", "approve")):
        app.handle(
            ReviewRegistration(affiliation_id=club, matter=matter, opinion=opinion, notes="n"),  # type: ignore[arg-type]
            ctx("hub"),
        )
    assert app.get(club, AffiliateRelationship).status == "active"


def test_an_organization_being_founded_is_relayed_to_moved_and_not_deregistered(
    app: Shuniu,
) -> None:
    science, culture = designate(app, 1, "science"), designate(app, 2, "culture")
    club = founding(app, science)
    notice = app.handle(
        IssueNotice(title="Plan", body="Body.", jurisdiction="110000", hub_ids=[science]), ctx()
    ).aggregate
    relayed = app.handle(RelayNotice(notice_id=notice.id, hub_id=science), ctx("hub")).aggregate
    assert relayed.relays[0].affiliate_ids == [club]  # type: ignore[attr-defined]
    app.handle(TransferAffiliation(affiliation_id=club, to_hub_id=culture, reason="r"), ctx())
    assert members(app, active_affiliates_roster(culture)) == [club]
    with pytest.raises(StateConflict, match="no deregistration review"):
        app.handle(
            ReviewRegistration(
                affiliation_id=club, matter="deregistration", opinion="approve", notes="n"
            ),
            ctx("hub"),
        )
