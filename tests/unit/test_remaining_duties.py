"""The seed's remaining duties on their aggregates, given/when/then: organizations being
founded and their registration (Art. 8(2)1), referral outcomes (Art. 8(2)4), Party
building (Art. 4(3), 8(1)2), replies to upward reports (Art. 12, 18), notice categories."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shuniu.aggregates.affiliate_relationship import (
    AffiliatedOrganization,
    AffiliateRelationship,
    AffiliationStage,
    referral_id_for,
)
from shuniu.aggregates.errors import InvalidCommand, NotFound, StateConflict
from shuniu.aggregates.hub_organization import HubOrganization, upward_report_id_for
from shuniu.aggregates.notice import Notice
from tests.factories import actor, credit_code

HUB = uuid4()


def affiliation(stage: AffiliationStage = "registered") -> AffiliateRelationship:
    uscc = credit_code(7) if stage == "registered" else None
    a = AffiliateRelationship(
        hub_id=HUB,
        organization=AffiliatedOrganization(name="Go Club", uscc=uscc, type="social_group"),
        jurisdiction="110000",
        stage=stage,
        actor=actor("hub"),
    )
    a.collect_events()
    return a


def new_events(aggregate: AffiliateRelationship | HubOrganization) -> list[str]:
    return [type(e).__name__ for e in aggregate.collect_events()]


# Organizations being founded (Art. 8(2)1).


def test_an_organization_being_founded_has_no_credit_code_and_a_registered_one_has_one() -> None:
    founding = AffiliatedOrganization(name="Go Club", type="social_group")
    AffiliateRelationship.check_founding(founding, "preparing")
    with pytest.raises(InvalidCommand, match="uscc is required"):
        AffiliateRelationship.check_founding(founding, "registered")
    registered = AffiliatedOrganization(name="Go Club", uscc=credit_code(7), type="social_group")
    with pytest.raises(InvalidCommand, match="no credit code yet"):
        AffiliateRelationship.check_founding(registered, "preparing")


def test_an_approved_establishment_review_then_registration_records_the_credit_code() -> None:
    a = affiliation("preparing")
    assert (a.stage, a.organization.uscc) == ("preparing", None)
    a.review_registration("establishment", "approve", "Charter and founders in order.", actor())
    a.register(credit_code(8), actor("hub"))
    assert new_events(a) == ["RegistrationReviewed", "Registered"]
    assert (a.stage, a.organization.uscc) == ("registered", credit_code(8))


def test_registration_needs_the_latest_establishment_review_to_approve() -> None:
    a = affiliation("preparing")
    with pytest.raises(StateConflict, match="has not been recorded"):
        a.register(credit_code(8), actor("hub"))
    a.review_registration("establishment", "approve", "First look.", actor("hub"))
    a.review_registration("establishment", "reject", "Founders changed.", actor("hub"))
    with pytest.raises(StateConflict, match="rejected"):
        a.register(credit_code(8), actor("hub"))
    a.collect_events()
    a.review_registration("establishment", "approve", "In order now.", actor("hub"))
    a.register(credit_code(8), actor("hub"))
    assert new_events(a) == ["RegistrationReviewed", "Registered"]


def test_an_organization_is_registered_once() -> None:
    with pytest.raises(StateConflict, match="already registered"):
        affiliation().register(credit_code(8), actor("hub"))


def test_before_registration_no_inspection_change_or_deregistration_review() -> None:
    a = affiliation("preparing")
    with pytest.raises(StateConflict, match="no annual inspection"):
        a.inspect(2026, "qualified", "", actor("hub"))
    for matter in ("change", "deregistration"):
        with pytest.raises(StateConflict, match=f"no {matter} review"):
            a.review_registration(matter, "approve", "n", actor("hub"))  # type: ignore[arg-type]
    assert new_events(a) == []


def test_an_organization_being_founded_may_be_referred_recorded_moved_and_ended() -> None:
    a = affiliation("preparing")
    a.refer_violation("Fundraising before registration.", "Civil Affairs Bureau", actor("hub"))
    a.record_party_building(2026, "none", 2, actor("hub"))
    a.transfer(uuid4(), "Better fit.", actor())
    a.end("Founding abandoned.", actor())
    assert new_events(a) == [
        "ViolationReferred",
        "PartyBuildingRecorded",
        "Transferred",
        "Ended",
    ]


# Referral outcomes (Art. 8(2)4).


def test_a_referral_has_an_id_and_one_outcome() -> None:
    a = affiliation()
    first = a.refer_violation("Unregistered fundraising.", "Civil Affairs Bureau", actor("hub"))
    second = a.refer_violation("Misused funds.", "Audit Bureau", actor("hub"))
    assert (first, second) == (referral_id_for(a.id, 1), referral_id_for(a.id, 2))
    a.record_referral_outcome(second, "penalized", "Fined 10,000 yuan.", actor("hub"))
    assert new_events(a) == ["ViolationReferred", "ViolationReferred", "ReferralOutcomeRecorded"]
    assert [(r.id, r.outcome) for r in a.violation_referrals] == [
        (first, None),
        (second, "penalized"),
    ]
    assert a.violation_referrals[1].outcome_notes == "Fined 10,000 yuan."
    with pytest.raises(StateConflict, match="already recorded"):
        a.record_referral_outcome(second, "dismissed", "n", actor("hub"))
    with pytest.raises(NotFound):
        a.record_referral_outcome(uuid4(), "dismissed", "n", actor("hub"))


def test_a_referrals_outcome_may_come_after_the_affiliation_ended() -> None:
    a = affiliation()
    referral = a.refer_violation("Misused funds.", "Audit Bureau", actor("hub"))
    a.end("Dissolved.", actor())
    a.record_referral_outcome(referral, "dismissed", "No case.", actor("hub"))
    assert new_events(a)[-1] == "ReferralOutcomeRecorded"


def test_an_old_referral_without_an_id_gets_the_id_of_its_place() -> None:
    """Referrals recorded before they had ids: the event carries none, its order gives it."""
    a = affiliation()
    a.trigger_event(
        AffiliateRelationship.ViolationReferred,
        description="d",
        referred_to="r",
        actor=actor("hub"),
    )
    assert a.violation_referrals[0].id == referral_id_for(a.id, 1)


# Party building (Art. 4(3), 8(1)2).


def test_the_latest_party_record_by_year_stands() -> None:
    a = affiliation()
    assert a.party_organization is None
    a.record_party_building(2026, "branch", 5, actor("hub"))
    a.record_party_building(2025, "none", 1, actor("hub"))  # an earlier year, recorded late
    assert a.party_organization == "branch"
    a.record_party_building(2026, "general_branch", 40, actor("hub"))  # a correction
    assert a.party_organization == "general_branch"
    assert new_events(a) == ["PartyBuildingRecorded"] * 3


def test_an_ended_affiliation_records_no_party_building() -> None:
    a = affiliation()
    a.end("Dissolved.", actor())
    with pytest.raises(StateConflict):
        a.record_party_building(2026, "branch", 5, actor("hub"))


# Replies to upward reports (Art. 12, 18).


def designated() -> HubOrganization:
    hub = HubOrganization(
        application_id=uuid4(), name="Science Association", uscc="91350100M000100Y43",
        kind="people_organization", field="science", jurisdiction="110000",
        decision_ref="LG-1", seat_id=uuid4(), actor=actor("leading_group"),
    )  # fmt: skip
    hub.collect_events()
    return hub


def test_an_upward_report_has_an_id_and_may_get_replies() -> None:
    hub = designated()
    report = hub.report_upward("Venue shortage", "Member groups lack venues.", actor("hub"))
    assert report == upward_report_id_for(hub.id, 1)
    assert hub.upward_reports[0].state == "open"
    hub.reply_to_upward_report(report, "The district will offer two venues.", actor())
    hub.reply_to_upward_report(report, "Approved at the joint meeting.", actor("leading_group"))
    assert new_events(hub) == ["UpwardReported", "UpwardReportReplied", "UpwardReportReplied"]
    (answered,) = hub.upward_reports
    assert answered.state == "replied"
    assert [(r.role, r.text) for r in answered.replies] == [
        ("office", "The district will offer two venues."),
        ("leading_group", "Approved at the joint meeting."),
    ]


def test_a_reply_names_a_report_of_the_hub_and_a_revoked_hub_gets_none() -> None:
    hub = designated()
    with pytest.raises(NotFound):
        hub.reply_to_upward_report(uuid4(), "t", actor())
    report = hub.report_upward("s", "c", actor("hub"))
    adjustment = hub.propose_adjustment("suspend", "r", None, actor())
    hub.decide_adjustment(adjustment, "approve", "LG-2", actor("leading_group"))
    hub.reply_to_upward_report(report, "Still answered while suspended.", actor())
    adjustment = hub.propose_adjustment("revoke", "r", None, actor())
    hub.decide_adjustment(adjustment, "approve", "LG-3", actor("leading_group"))
    with pytest.raises(StateConflict, match="revoked"):
        hub.reply_to_upward_report(report, "t", actor())


# Notice categories (Art. 12).


def test_a_notice_is_of_category_other_unless_told() -> None:
    plain = Notice(title="T", body="B", jurisdiction="110000", hub_ids=[HUB], actor=actor())
    plan = Notice(
        title="T", body="B", jurisdiction="110000", hub_ids=[HUB], category="plan", actor=actor()
    )
    assert (plain.category, plan.category) == ("other", "plan")
    assert plan.collect_events()[0].category == "plan"  # type: ignore[attr-defined]
