"""AffiliateRelationship, Supervision and Notice: given/when/then."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization, AffiliateRelationship
from shuniu.aggregates.errors import InvalidCommand, StateConflict, UniquenessConflict
from shuniu.aggregates.notice import Notice
from shuniu.aggregates.supervision import Supervision, supervision_id_for
from tests.factories import actor, credit_code

HUB = uuid4()


def affiliation() -> AffiliateRelationship:
    a = AffiliateRelationship(
        hub_id=HUB,
        organization=AffiliatedOrganization(name="Club", uscc=credit_code(7), type="social_group"),
        jurisdiction="110000",
        actor=actor("hub"),
    )
    a.collect_events()
    return a


def test_reviews_inspections_and_referrals_are_recorded() -> None:
    a = affiliation()
    a.review_registration("establishment", "approve", "Charter in order.", actor("hub"))
    a.inspect(2026, "basically_qualified", "Late filing.", actor("hub"))
    a.refer_violation("Unregistered fundraising.", "Civil Affairs Bureau", actor("hub"))
    assert [type(e).__name__ for e in a.collect_events()] == [
        "RegistrationReviewed",
        "Inspected",
        "ViolationReferred",
    ]
    assert a.inspections[0].result == "basically_qualified"


def test_one_inspection_per_year_and_notes_unless_qualified() -> None:
    a = affiliation()
    with pytest.raises(InvalidCommand, match="notes"):
        a.inspect(2026, "unqualified", "  ", actor("hub"))
    a.inspect(2026, "qualified", "", actor("hub"))
    with pytest.raises(StateConflict, match="2026"):
        a.inspect(2026, "qualified", "", actor("hub"))


def test_revocation_leaves_it_needing_a_supervisor_until_transferred() -> None:
    a = affiliation()
    a.lose_supervisor(actor())
    assert (a.status, a.hub_id) == ("needs_supervisor", HUB)
    with pytest.raises(StateConflict):
        a.inspect(2026, "qualified", "", actor("hub"))
    new_hub = uuid4()
    a.transfer(new_hub, "New home.", actor())
    assert (a.status, a.hub_id) == ("active", new_hub)
    assert [s.hub_id for s in a.supervisors] == [HUB, new_hub]


def test_an_ended_affiliation_takes_no_more_commands() -> None:
    a = affiliation()
    a.end("Dissolved.", actor("hub"))
    for command in (
        lambda: a.end("Again.", actor()),
        lambda: a.transfer(uuid4(), "r", actor()),
        lambda: a.review_registration("change", "approve", "n", actor("hub")),
    ):
        with pytest.raises(StateConflict):
            command()


def test_transfer_to_the_same_hub_is_refused() -> None:
    with pytest.raises(StateConflict):
        affiliation().transfer(HUB, "r", actor())


def test_one_supervisor_per_organization() -> None:
    code = credit_code(7)
    s = Supervision(uscc=code, actor=actor())
    assert s.id == supervision_id_for(code.lower())
    first, second = uuid4(), uuid4()
    s.claim(first, HUB, actor())
    with pytest.raises(UniquenessConflict):
        s.claim(second, uuid4(), actor())
    s.release(first, actor())
    s.claim(second, uuid4(), actor())
    assert s.affiliation_id == second


def test_a_notice_is_acknowledged_and_relayed_once_by_each_addressed_hub() -> None:
    other = uuid4()
    n = Notice(title="Plan", body="2026 plan.", jurisdiction="110000", hub_ids=[HUB], actor=actor())
    n.acknowledge(HUB, actor("hub"))
    with pytest.raises(StateConflict, match="already acknowledged"):
        n.acknowledge(HUB, actor("hub"))
    with pytest.raises(StateConflict, match="not addressed"):
        n.acknowledge(other, actor("hub"))
    n.relay(HUB, "Please read.", [uuid4()], actor("hub"))
    with pytest.raises(StateConflict, match="already relayed"):
        n.relay(HUB, None, [], actor("hub"))
    assert [type(e).__name__ for e in n.collect_events()] == ["Issued", "Acknowledged", "Relayed"]
