"""District rule sets on SQLite and PostgreSQL: each decision applies the rules in force
when it is taken and names their version; the registry flags hubs by the rules in force
when it is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from shuniu.aggregates.errors import InvalidCommand, StateConflict
from shuniu.aggregates.jurisdiction_rules import JurisdictionRules, rules_id_for
from shuniu.aggregates.money import yuan
from shuniu.application import Shuniu
from shuniu.commands.designation import DecideApplication, ReviewApplication, SubmitApplication
from shuniu.commands.funding import CommitFunding
from shuniu.commands.hubs import EvaluateHub, ReportDuty
from shuniu.commands.rules import SetJurisdictionRules
from shuniu.projections.registry import RegistryView, hub_flags
from shuniu.settings import Settings
from tests.factories import application_fields, ctx
from tests.integration.support import run_projections_to

CHAOYANG, HAIDIAN = "110105", "110108"
INDICATORS = {
    "indicators": [
        {"key": "party", "name": "党建", "weight": 0.4},
        {"key": "service", "name": "服务", "weight": 0.6},
    ],
    "pass_score": 60,
}


def set_rules(app: Shuniu, code: str, effective_from: datetime, **rules: Any) -> int:
    """A new version of ``code``'s rules; the log position of its event."""
    command = SetJurisdictionRules(code=code, effective_from=effective_from, **rules)
    return app.handle(command, ctx("leading_group")).position


def reviewed(app: Shuniu, seed: int, jurisdiction: str = CHAOYANG) -> UUID:
    fields = application_fields(
        seed=seed, field=f"field {seed}", jurisdiction=jurisdiction, kind="social_organization"
    )
    submitted = app.handle(SubmitApplication(**fields), ctx("applicant")).aggregate.id
    app.handle(ReviewApplication(application_id=submitted, opinion="recommend", notes="n"), ctx())
    return submitted


def approve(app: Shuniu, application_id: UUID, justification: str | None = None) -> Any:
    return app.handle(
        DecideApplication(
            application_id=application_id,
            decision="approve",
            decision_ref="LG-1",
            reasons="r",
            justification=justification,
        ),
        ctx("leading_group"),
    ).aggregate


def last_event(app: Shuniu, aggregate_id: UUID) -> Any:
    *_, last = app.repository.event_store.get(aggregate_id)
    return last


def first_event(app: Shuniu, aggregate_id: UUID) -> Any:
    first, *_ = app.repository.event_store.get(aggregate_id)
    return first


def hub_of(app: Shuniu, seed: int, jurisdiction: str = CHAOYANG) -> UUID:
    hub_id = approve(app, reviewed(app, seed, jurisdiction), "The work needs it.").hub_id
    assert isinstance(hub_id, UUID)
    return hub_id


def commit(app: Shuniu, hub_id: UUID) -> Any:
    return app.handle(
        CommitFunding(
            hub_id=hub_id,
            program="special_fund",
            fiscal_year=2026,
            amount=yuan(10_000_00),
            decision_ref="F-1",
            purpose="Platform",
        ),
        ctx(),
    ).aggregate


def test_decisions_before_and_after_a_change_follow_their_own_version(app: Shuniu) -> None:
    before_any = datetime.now(UTC)
    first, second, third, fourth = (reviewed(app, n) for n in range(1, 5))
    with pytest.raises(InvalidCommand, match="justification"):
        approve(app, first)  # no rules: the Art. 5 justification is required

    set_rules(
        app, CHAOYANG, datetime.now(UTC), justification_required_for_social_organizations=False
    )
    assert approve(app, first).decision.rules_version == 1
    between = datetime.now(UTC)

    set_rules(app, CHAOYANG, datetime.now(UTC))  # version 2: required again
    with pytest.raises(InvalidCommand, match="version 2"):
        approve(app, second)
    assert approve(app, second, "The work needs it.").decision.rules_version == 2

    # Version 3, scheduled for tomorrow, drops the requirement; until then version 2 holds.
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    set_rules(app, CHAOYANG, tomorrow, justification_required_for_social_organizations=False)
    with pytest.raises(InvalidCommand, match="version 2"):
        approve(app, third)
    assert approve(app, third, "Needed.").decision.rules_version == 2

    # Another jurisdiction's rules do not reach this one, nor this one's that one.
    set_rules(
        app, HAIDIAN, datetime.now(UTC), justification_required_for_social_organizations=False
    )
    elsewhere = reviewed(app, 5, HAIDIAN)
    assert approve(app, elsewhere).decision.rules_version == 1
    assert approve(app, fourth, "Needed.").decision.rules_version == 2

    # Each approval's event names the version it applied; the rules answer for any instant.
    approvals = {a: last_event(app, a) for a in (first, second, third, fourth, elsewhere)}
    assert [e.rules_version for e in approvals.values()] == [1, 2, 2, 2, 1]
    rules = app.get(rules_id_for(CHAOYANG), JurisdictionRules)
    assert rules.version == 3
    assert rules.in_force(before_any).version == 0
    assert rules.in_force(between).version == 1
    assert rules.in_force(approvals[fourth].timestamp).version == 2
    assert rules.in_force(tomorrow + timedelta(seconds=1)).version == 3


def test_evaluations_are_scored_by_the_indicators_in_force_and_gate_funding(
    app: Shuniu,
) -> None:
    hub, other = hub_of(app, 1), hub_of(app, 2, HAIDIAN)
    unscored = commit(app, hub)  # no rules yet: no gate, version 0
    assert first_event(app, unscored.id).rules_version == 0

    set_rules(
        app, CHAOYANG, datetime.now(UTC), evaluation=INDICATORS,
        funding_requires_passing_evaluation=True,
    )  # fmt: skip
    evaluate = {"hub_id": hub, "year": 2026, "notes": "n"}
    with pytest.raises(InvalidCommand, match="missing: service"):
        app.handle(EvaluateHub(**evaluate, grade="pass", indicators={"party": 50}), ctx())
    with pytest.raises(InvalidCommand, match="weighted mean, 56"):
        app.handle(
            EvaluateHub(
                **evaluate, score=60, grade="fail", indicators={"party": 50, "service": 60}
            ),
            ctx(),
        )
    with pytest.raises(InvalidCommand, match="must be graded fail"):
        app.handle(
            EvaluateHub(**evaluate, grade="pass", indicators={"party": 50, "service": 60}), ctx()
        )
    failed = app.handle(
        EvaluateHub(**evaluate, grade="fail", indicators={"party": 50, "service": 60}), ctx()
    ).aggregate
    (evaluation,) = failed.evaluations  # type: ignore[attr-defined]
    assert (evaluation.score, evaluation.grade, evaluation.rules_version) == (56, "fail", 1)
    assert last_event(app, hub).indicators == {"party": 50, "service": 60}

    with pytest.raises(StateConflict, match="110105, version 1"):
        commit(app, hub)
    # A hub elsewhere, without the rule, is funded whatever its evaluation.
    app.handle(EvaluateHub(hub_id=other, year=2026, score=10, grade="fail", notes="n"), ctx())
    assert first_event(app, commit(app, other).id).rules_version == 0

    # A new version without the gate: the same failed hub is funded, under version 2.
    set_rules(app, CHAOYANG, datetime.now(UTC), evaluation=INDICATORS)
    assert first_event(app, commit(app, hub).id).rules_version == 2
    # A later, passing evaluation lifts the gate under a version that has it again.
    set_rules(
        app, CHAOYANG, datetime.now(UTC), evaluation=INDICATORS,
        funding_requires_passing_evaluation=True,
    )  # fmt: skip
    app.handle(
        EvaluateHub(
            hub_id=hub, year=2027, grade="good", notes="n", indicators={"party": 90, "service": 85}
        ),
        ctx(),
    )
    assert first_event(app, commit(app, hub).id).rules_version == 3


def test_the_registry_flags_by_each_jurisdictions_rules_in_force_when_read(
    app: Shuniu, settings: Settings, views: dict[str, Any]
) -> None:
    chaoyang, haidian, municipal = hub_of(app, 1), hub_of(app, 2, HAIDIAN), hub_of(app, 3, "110000")
    app.handle(
        ReportDuty(hub_id=chaoyang, period="2026-Q3", kind="work", content="c", figures={}),
        ctx("hub"),
    )
    now = datetime.now(UTC)
    set_rules(app, CHAOYANG, now, duty_report_max_age_days=7)
    set_rules(app, HAIDIAN, now + timedelta(days=30), duty_report_max_age_days=7)  # later
    position = set_rules(app, "110000", now, duty_report_max_age_days=None)  # the server's
    app.handle(EvaluateHub(hub_id=haidian, year=2025, score=40, grade="fail", notes="n"), ctx())
    app.handle(EvaluateHub(hub_id=municipal, year=2026, score=40, grade="fail", notes="n"), ctx())
    position = app.handle(
        EvaluateHub(hub_id=municipal, year=2025, score=90, grade="excellent", notes="n"), ctx()
    ).position  # recorded later, of an earlier year: the latest evaluation is still 2026's
    run_projections_to(settings, views, position)
    registry: RegistryView = views["registry"]

    def overdue(at: datetime) -> set[UUID]:
        thresholds = registry.duty_thresholds(at, 120)
        return {UUID(r["id"]) for r in registry.hubs(None, status="active", overdue=thresholds)}

    assert overdue(now) == set()
    # In 10 days Chaoyang's 7 days have passed; Haidian's version is not in force yet.
    assert overdue(now + timedelta(days=10)) == {chaoyang}
    in_ten = registry.duty_thresholds(now + timedelta(days=10), 120)
    assert (in_ten.version(CHAOYANG), in_ten.days(CHAOYANG)) == (1, 7)
    assert (in_ten.version(HAIDIAN), in_ten.days(HAIDIAN)) == (0, 120)
    assert (in_ten.version("110000"), in_ten.days("110000")) == (1, 120)
    # In 40 days Haidian's version is in force too; the municipality keeps the server's 120.
    assert overdue(now + timedelta(days=40)) == {chaoyang, haidian}
    assert overdue(now + timedelta(days=121)) == {chaoyang, haidian, municipal}

    failed = {UUID(r["id"]) for r in registry.hubs(None, failed_evaluation=True)}
    assert failed == {haidian, municipal}
    row = registry.hub(str(municipal))
    assert row is not None
    assert (row["evaluation_year"], row["evaluation_grade"]) == (2026, "fail")
    assert hub_flags(row, now - timedelta(days=120)) == ["failed_evaluation"]
    assert [e["rules_version"] for e in row["evaluations"]] == [1, 1]  # 110000 has rules
