"""A jurisdiction's rules (Art. 19): versions in force by time, scoring by indicators (Art. 17),
the commands' input, and events and snapshots of before the rules that still decode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from pydantic import ValidationError

from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.jurisdiction_rules import (
    EvaluationRules,
    Indicator,
    JurisdictionRules,
    RuleSet,
    RulesInForce,
    rules_id_for,
)
from shuniu.application import Shuniu
from shuniu.application.persistence import CanonicalJSONTranscoder, PydanticMapper
from shuniu.application.snapshots import Snapshot
from shuniu.commands.designation import DecideApplication, ReviewApplication, SubmitApplication
from shuniu.commands.hubs import EvaluateHub
from shuniu.commands.rules import SetJurisdictionRules
from tests.factories import actor, application_fields, ctx

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def scored(indicators: list[tuple[str, float]], pass_score: int | None = None) -> EvaluationRules:
    return EvaluationRules(
        indicators=[Indicator(key=k, name=k.title(), weight=w) for k, w in indicators],
        pass_score=pass_score,
    )


def rules_with(*versions: tuple[datetime, datetime, RuleSet]) -> JurisdictionRules:
    """Rules whose versions were recorded at the given times (effective, recorded, rules)."""
    first, *rest = versions
    rules = JurisdictionRules(
        jurisdiction="110105", effective_from=first[0], rules=first[2], actor=actor()
    )
    rules.versions[0] = rules.versions[0].model_copy(update={"recorded_at": first[1]})
    for effective, recorded, ruleset in rest:
        rules.revise(effective, ruleset, actor())
        rules.versions[-1] = rules.versions[-1].model_copy(update={"recorded_at": recorded})
    return rules


def test_one_aggregate_per_jurisdiction_whose_versions_are_its_events() -> None:
    rules = JurisdictionRules(
        jurisdiction="110105", effective_from=NOW, rules=RuleSet(), actor=actor()
    )
    rules.revise(NOW, RuleSet(funding_requires_passing_evaluation=True), actor())
    assert rules.id == rules_id_for("110105") != rules_id_for("110108")
    assert [v.version for v in rules.versions] == [1, 2] == [e.originator_version for e in
                                                            rules.collect_events()]  # fmt: skip


def test_a_version_is_in_force_from_its_effective_time_or_from_when_it_was_recorded() -> None:
    hour = timedelta(hours=1)
    rules = rules_with(
        (NOW - 5 * hour, NOW, RuleSet(duty_report_max_age_days=30)),  # back-dated: from NOW
        (NOW + 2 * hour, NOW + hour, RuleSet(duty_report_max_age_days=60)),  # scheduled
    )
    assert rules.in_force(NOW - hour).version == 0  # never retroactive
    assert rules.in_force(NOW - hour) == RulesInForce.defaults("110105")
    assert rules.in_force(NOW).version == 1
    assert rules.in_force(NOW + hour + hour / 2).version == 1  # v2 recorded, not yet in force
    later = rules.in_force(NOW + 2 * hour)
    assert (later.version, later.rules.duty_report_max_age_days) == (2, 60)
    assert later.in_force_from == NOW + 2 * hour


def test_a_later_version_supersedes_the_earlier_ones_from_when_it_takes_effect() -> None:
    day = timedelta(days=1)
    rules = rules_with(
        (NOW + 30 * day, NOW, RuleSet(duty_report_max_age_days=30)),  # scheduled for later
        (NOW + day, NOW + day / 2, RuleSet(duty_report_max_age_days=90)),  # takes effect first
    )
    assert rules.in_force(NOW + day / 2).version == 0
    assert rules.in_force(NOW + 2 * day).version == 2
    # Version 1 is superseded before it would have taken effect: it never comes into force.
    assert rules.in_force(NOW + 60 * day).version == 2


@pytest.mark.parametrize(
    ("indicators", "given", "expected"),
    [
        ([("a", 1), ("b", 1)], {"a": 80, "b": 91}, 86),  # 85.5 rounds half up
        ([("a", 1), ("b", 1)], {"a": 80, "b": 90.98}, 85),  # 85.49
        ([("a", 0.3), ("b", 0.7)], {"a": 59.5, "b": 60}, 60),  # 59.85, exact decimals
        ([("a", 1), ("b", 2)], {"a": 0, "b": 100}, 67),  # 66.67
        ([("a", 1), ("b", 2)], {"a": 100, "b": 0}, 33),  # 33.33
        ([("a", 0.1), ("b", 0.2)], {"a": 50.5, "b": 50.5}, 51),  # 50.5 exactly, half up
        ([("x", 3)], {"x": 0}, 0),
        ([("x", 3)], {"x": 100}, 100),
    ],
)
def test_the_score_is_the_indicators_weighted_mean_rounded_half_up(
    indicators: list[tuple[str, float]], given: dict[str, float], expected: int
) -> None:
    rules = scored(indicators)
    assert rules.weighted_mean(given) == expected
    assert rules.score(given, None, graded_fail=False) == expected
    assert rules.score(given, expected, graded_fail=False) == expected


def test_a_score_other_than_the_weighted_mean_is_refused() -> None:
    rules = scored([("a", 1), ("b", 1)])
    with pytest.raises(InvalidCommand, match="weighted mean, 86"):
        rules.score({"a": 80, "b": 91}, 85, graded_fail=False)


def test_each_indicator_the_rules_define_is_required_and_no_other() -> None:
    rules = scored([("party", 1), ("service", 1)])
    with pytest.raises(InvalidCommand, match="missing: service"):
        rules.score({"party": 80}, None, graded_fail=False)
    with pytest.raises(InvalidCommand, match="unknown: other"):
        rules.score({"party": 80, "service": 80, "other": 1}, None, graded_fail=False)


def test_below_the_pass_score_the_grade_must_be_fail() -> None:
    rules = scored([("a", 1)], pass_score=60)
    with pytest.raises(InvalidCommand, match="must be graded fail"):
        rules.score({"a": 59}, None, graded_fail=False)
    assert rules.score({"a": 59}, None, graded_fail=True) == 59
    assert rules.score({"a": 60}, None, graded_fail=False) == 60
    # The pass score holds without indicators too, for the score given.
    plain = EvaluationRules(pass_score=60)
    with pytest.raises(InvalidCommand, match="must be graded fail"):
        plain.score({}, 50, graded_fail=False)


def test_without_indicators_the_score_is_required_and_indicators_are_kept_as_given() -> None:
    defaults = RulesInForce.defaults("110000").rules.evaluation
    with pytest.raises(InvalidCommand, match="score is required"):
        defaults.score({"a": 80}, None, graded_fail=False)
    assert defaults.score({"a": 10}, 75, graded_fail=False) == 75


def test_the_defaults_are_the_behaviour_before_rules() -> None:
    defaults = RulesInForce.defaults("110105")
    assert defaults.version == 0
    assert defaults.rules == RuleSet(
        duty_report_max_age_days=None,
        justification_required_for_social_organizations=True,
        evaluation=EvaluationRules(indicators=[], pass_score=None),
        funding_requires_passing_evaluation=False,
    )
    with pytest.raises(InvalidCommand, match=r"Art\. 5"):
        defaults.require_justification("social_organization", None)
    defaults.require_justification("people_organization", None)
    defaults.require_fundable("fail")  # no gate without the rule
    gated = RulesInForce(
        jurisdiction="110105",
        version=3,
        rules=RuleSet(funding_requires_passing_evaluation=True),
    )
    gated.require_fundable("pass")
    gated.require_fundable(None)  # never evaluated: no failed evaluation to stop it
    with pytest.raises(StateConflict, match="110105, version 3"):
        gated.require_fundable("fail")


BODY: dict[str, Any] = {
    "effective_from": "2026-12-01T00:00:00+08:00",
    "duty_report_max_age_days": 90,
    "justification_required_for_social_organizations": False,
    "evaluation": {
        "indicators": [
            {"key": "party", "name": "党建", "weight": 0.4},
            {"key": "service", "name": "服务", "weight": 60},
        ],
        "pass_score": 60,
    },
    "funding_requires_passing_evaluation": True,
}


def set_rules(**changes: Any) -> SetJurisdictionRules:
    body = json.dumps({**BODY, **changes, "code": "110105"})
    return SetJurisdictionRules.model_validate_json(body, strict=True)


def test_a_rules_command_takes_the_contracts_body() -> None:
    command = set_rules()
    assert command.target_id == rules_id_for("110105")
    ruleset = command.rule_set()
    assert ruleset.duty_report_max_age_days == 90
    assert [(i.key, i.weight) for i in ruleset.evaluation.indicators] == [
        ("party", 0.4), ("service", 60),
    ]  # fmt: skip
    bare = SetJurisdictionRules.model_validate_json(
        '{"code": "110105", "effective_from": "2026-12-01T00:00:00Z"}', strict=True
    )
    assert bare.rule_set() == RuleSet()


@pytest.mark.parametrize(
    "changes",
    [
        {"effective_from": "2026-12-01T00:00:00"},  # no offset
        {"effective_from": "2026-12-01"},
        {"effective_from": 1764547200},
        {"effective_from": "1900-01-01T00:00:00Z"},
        {"duty_report_max_age_days": 0},
        {"duty_report_max_age_days": "90"},
        {"justification_required_for_social_organizations": "no"},
        {"evaluation": {"indicators": [{"key": "a", "name": "A", "weight": 0}]}},
        {"evaluation": {"indicators": [{"key": "a", "name": "A", "weight": 0.00001}]}},
        {"evaluation": {"indicators": [{"key": "a", "name": "A", "weight": 1001}]}},
        {"evaluation": {"indicators": [{"key": "a b", "name": "A", "weight": 1}]}},
        {"evaluation": {"indicators": [{"key": "a", "name": "A", "weight": 1}] * 2}},
        {"evaluation": {"pass_score": 101}},
        {"evaluation": {"pass_score": 60.5}},
        {"evaluation": {"indicators": [], "extra": 1}},
        {"surprise": True},
    ],
)
def test_malformed_rules_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        set_rules(**changes)


@pytest.mark.parametrize(
    "indicators",
    [
        {"a": 101},
        {"a": -1},
        {"a": 80.123},
        {"a": "80"},
        {"a b": 80},
        {f"k{i}": 1 for i in range(51)},
    ],
)
def test_malformed_indicator_values_are_refused(indicators: dict[str, Any]) -> None:
    body = {"hub_id": str(uuid4()), "year": 2026, "grade": "good", "notes": "n"}
    with pytest.raises(ValidationError):
        EvaluateHub.model_validate_json(json.dumps({**body, "indicators": indicators}), strict=True)


# Events and snapshots recorded before jurisdictions had rules.


def test_events_of_before_the_rules_decode_with_no_version() -> None:
    mapper = PydanticMapper(transcoder=CanonicalJSONTranscoder())
    hub = HubOrganization(
        application_id=uuid4(), name="H", uscc="91350100M000100Y43",
        kind="people_organization", field="science", jurisdiction="110000",
        decision_ref="D", seat_id=uuid4(), actor=actor(),
    )  # fmt: skip
    hub.evaluate(2025, 80, "good", "n", actor())
    _, evaluated = hub.collect_events()
    stored = mapper.to_stored_event(evaluated)
    state = json.loads(stored.state)
    assert (state["rules_version"], state["indicators"]) == (0, {})
    for new in ("rules_version", "indicators"):
        del state[new]
    old = StoredEvent(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=json.dumps(state).encode(),
    )
    decoded = mapper.to_domain_event(old)
    assert (decoded.rules_version, decoded.indicators) == (None, {})  # type: ignore[attr-defined]


def test_a_snapshot_of_before_the_rules_restores_its_evaluations() -> None:
    hub = HubOrganization(
        application_id=uuid4(), name="H", uscc="91350100M000100Y43",
        kind="people_organization", field="science", jurisdiction="110000",
        decision_ref="D", seat_id=uuid4(), actor=actor(),
    )  # fmt: skip
    hub.evaluate(2025, 80, "good", "n", actor())
    snapshot = Snapshot.take(hub).model_dump(mode="json")
    items = snapshot["state"]["evaluations"]["items"]
    for item in items:  # as a snapshot written before evaluations had indicators
        del item["indicators"], item["rules_version"]
    restored = Snapshot.model_validate(snapshot).mutate(None)
    assert isinstance(restored, HubOrganization)
    (evaluation,) = restored.evaluations
    assert (evaluation.score, evaluation.rules_version, evaluation.indicators) == (80, None, {})


# Through the application's one entry point, in memory.


@pytest.fixture
def app() -> Iterator[Shuniu]:
    application = Shuniu(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield application
    application.close()


def test_setting_rules_twice_records_two_versions_of_one_aggregate(app: Shuniu) -> None:
    first = app.handle(set_rules(), ctx("leading_group")).aggregate
    second = app.handle(
        set_rules(funding_requires_passing_evaluation=False), ctx("leading_group")
    ).aggregate
    assert first.id == second.id == rules_id_for("110105")
    assert isinstance(second, JurisdictionRules)
    assert [v.version for v in second.versions] == [1, 2]
    assert second.versions[1].rules.funding_requires_passing_evaluation is False


def test_an_approval_names_the_version_of_the_rules_it_applied(app: Shuniu) -> None:
    fields = application_fields(jurisdiction="110105", kind="social_organization")
    submitted = app.handle(SubmitApplication(**fields), ctx("applicant")).aggregate.id
    app.handle(ReviewApplication(application_id=submitted, opinion="recommend", notes="n"), ctx())
    decide = DecideApplication(
        application_id=submitted, decision="approve", decision_ref="D", reasons="r"
    )
    with pytest.raises(InvalidCommand, match="no rules in force"):
        app.handle(decide, ctx("leading_group"))
    app.handle(set_rules(), ctx("leading_group"))  # no justification required
    approved = app.handle(decide, ctx("leading_group")).aggregate
    assert approved.decision.rules_version == 1  # type: ignore[attr-defined]
    event = app.repository.event_store.get(submitted, gt=approved.version - 1)
    assert [e.rules_version for e in event] == [1]  # type: ignore[attr-defined]


def test_a_snapshot_of_rules_restores_every_version() -> None:
    rules = rules_with(
        (NOW, NOW, RuleSet(evaluation=scored([("a", 0.3), ("b", 7)], pass_score=60))),
        (NOW + timedelta(days=1), NOW, RuleSet(duty_report_max_age_days=30)),
    )
    restored = Snapshot.model_validate_json(Snapshot.take(rules).model_dump_json()).mutate(None)
    assert isinstance(restored, JurisdictionRules)
    assert restored.versions == rules.versions
    assert restored.in_force(NOW + timedelta(days=2)) == rules.in_force(NOW + timedelta(days=2))
