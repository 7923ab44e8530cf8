"""JurisdictionRules: the rules a district sets for its hub work (Art. 19).

Art. 19 lets each district draw up its own policies by reference to the
measures. A jurisdiction's Leading Group records a **version** of its rules
at a time, each one whole (not a patch of the one before) and each with the
moment it takes effect. One aggregate per jurisdiction, its id derived from
the code; version N of the aggregate is version N of the rules (one event per
change).

When a version is in force: from its ``effective_from``, or from the moment
it was recorded if that is later, since rules never act on decisions already
taken. At any instant the rules in force are those of the highest version in
force by then: a later version supersedes every earlier one from the moment
it takes effect (so an earlier version scheduled for later than that never
comes into force). Where no version is in force, the defaults apply, which
are the behaviour before districts had rules: the Art. 5 justification is
required, there are no indicators and no pass score, no funding gate, and the
overdue-duty threshold is the server's setting. Their version is 0.

Every decision that a rule governs reads the rules in force when it is taken
and records the version it applied in its event: an approval (the Art. 5
justification), an evaluation (its indicators and pass score), a funding
commitment (the gate). The registry reads the rules in force when it is read
for its ``overdue_duty_report`` flag, and names their version.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Annotated
from uuid import UUID, uuid5

from eventsourcing.domain import event
from pydantic import Field, StringConstraints

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction, Value
from shuniu.aggregates.errors import InvalidCommand, StateConflict

RULES_NAMESPACE = UUID("6d1e2f43-9b7a-4c8e-a5d0-3f2b7c9e1a04")

IndicatorKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
"""An indicator's key: 1 to 64 ASCII letters, digits, ``_``, ``.`` and ``-`` (its ``name``
is for people, in any script)."""

Number = int | float
"""A number as JSON carries it; read exactly as its decimal text (``Decimal(str(x))``)."""


def rules_id_for(jurisdiction: str) -> UUID:
    """The id of a jurisdiction's rules: one aggregate per GB/T 2260 code."""
    return uuid5(RULES_NAMESPACE, jurisdiction)


def exact(number: Number) -> Fraction:
    """A JSON number as the exact decimal it was written as (``0.3`` is 3/10)."""
    return Fraction(Decimal(str(number)))


class Indicator(Value):
    """One evaluation indicator: its key in ``indicators``, its name, its weight."""

    key: IndicatorKey
    name: str
    weight: Number = Field(gt=0)


class EvaluationRules(Value):
    """How an evaluation is scored (Art. 17): weighted indicators and a pass score."""

    indicators: list[Indicator] = Field(default_factory=list)
    pass_score: int | None = Field(default=None, ge=0, le=100)

    def score(self, indicators: dict[str, Number], given: int | None, graded_fail: bool) -> int:
        """The evaluation's score under these rules, or InvalidCommand (422).

        With indicators defined, each must be given and no other; the score is
        their weighted mean, computed exactly and rounded half up to a whole
        number (so 79.5 is 80); a ``given`` score must be that one. Without
        indicators, the score is the one given (indicators given are kept as
        they are). Either way, a score below ``pass_score`` must be graded
        ``fail``.
        """
        if self.indicators:
            defined = {i.key for i in self.indicators}
            missing = sorted(defined - set(indicators))
            unknown = sorted(set(indicators) - defined)
            if missing or unknown:
                raise InvalidCommand(
                    "the jurisdiction's rules define the indicators "
                    f"{', '.join(sorted(defined))}: each is required and no other"
                    + (f" (missing: {', '.join(missing)})" if missing else "")
                    + (f" (unknown: {', '.join(unknown)})" if unknown else "")
                )
            computed = self.weighted_mean(indicators)
            if given is not None and given != computed:
                raise InvalidCommand(
                    f"score must be the indicators' weighted mean, {computed} "
                    f"(rounded half up to a whole number); got {given}"
                )
            score = computed
        elif given is None:
            raise InvalidCommand("score is required: the jurisdiction's rules define no indicators")
        else:
            score = given
        if self.pass_score is not None and score < self.pass_score and not graded_fail:
            raise InvalidCommand(
                f"a score below the pass score ({score} < {self.pass_score}) must be graded fail"
            )
        return score

    def weighted_mean(self, indicators: dict[str, Number]) -> int:
        """sum(weight * value) / sum(weight), exact, rounded half up to a whole number."""
        total = sum(exact(i.weight) for i in self.indicators)
        mean = sum(exact(i.weight) * exact(indicators[i.key]) for i in self.indicators) / total
        return floor(mean + Fraction(1, 2))


class RuleSet(Value):
    """What one version of a jurisdiction's rules says (each field has its default)."""

    duty_report_max_age_days: int | None = Field(default=None, ge=1)
    """None: the server's setting (``SHUNIU_DUTY_REPORT_MAX_AGE_DAYS``)."""
    justification_required_for_social_organizations: bool = True
    evaluation: EvaluationRules = Field(default_factory=EvaluationRules)
    funding_requires_passing_evaluation: bool = False


class RuleVersion(Value):
    version: int
    effective_from: datetime
    recorded_at: datetime
    rules: RuleSet

    @property
    def in_force_from(self) -> datetime:
        """From its ``effective_from``, or from when it was recorded if that is later."""
        return max(self.effective_from, self.recorded_at)


class RulesInForce(Value):
    """The rules a decision applies, and the version they are (0: none set, the defaults)."""

    jurisdiction: str
    version: int
    rules: RuleSet
    in_force_from: datetime | None = None

    @classmethod
    def defaults(cls, jurisdiction: str) -> RulesInForce:
        return cls(jurisdiction=jurisdiction, version=0, rules=RuleSet())

    def require_justification(self, kind: str, justification: str | None) -> None:
        """Art. 5: approving an applicant other than a people's organization needs a
        written justification of the work need, unless these rules drop it."""
        if not self.rules.justification_required_for_social_organizations:
            return
        if kind != "people_organization" and not (justification or "").strip():
            raise InvalidCommand(
                "approving an applicant that is not a people's organization needs a "
                f"written justification of the actual work need (Art. 5; {self.named})"
            )

    def require_fundable(self, latest_grade: str | None) -> None:
        """The funding gate: under ``funding_requires_passing_evaluation``, a hub whose
        latest evaluation is ``fail`` gets no new agreement (409)."""
        if self.rules.funding_requires_passing_evaluation and latest_grade == "fail":
            raise StateConflict(
                "the hub's latest evaluation is fail, and new funding requires a passing "
                f"evaluation ({self.named})"
            )

    @property
    def named(self) -> str:
        if self.version == 0:
            return f"jurisdiction {self.jurisdiction} has no rules in force: the defaults"
        return f"rules of jurisdiction {self.jurisdiction}, version {self.version}"


class JurisdictionRules(Aggregate):
    """Every version of one jurisdiction's rules, in the order they were recorded."""

    @staticmethod
    def create_id(jurisdiction: str, **_: object) -> UUID:
        return rules_id_for(jurisdiction)

    class Adopted(Aggregate.Created):
        """The jurisdiction's first rules: version 1."""

        jurisdiction: Jurisdiction
        effective_from: datetime
        rules: RuleSet

    @event(Adopted)
    def __init__(
        self, jurisdiction: str, effective_from: datetime, rules: RuleSet, actor: Actor
    ) -> None:
        self.jurisdiction = jurisdiction
        self.versions: list[RuleVersion] = [
            RuleVersion(
                version=1, effective_from=effective_from, recorded_at=self.created_on, rules=rules
            )
        ]

    def revise(self, effective_from: datetime, rules: RuleSet, actor: Actor) -> None:
        """A new version, whole: it supersedes the earlier ones from when it takes effect."""
        self.trigger_event(
            self.Revised,
            jurisdiction=self.jurisdiction,
            effective_from=effective_from,
            rules=rules,
            actor=actor,
        )

    def version_of(self, version: int) -> RuleVersion | None:
        return self.versions[version - 1] if 1 <= version <= len(self.versions) else None

    def in_force(self, at: datetime) -> RulesInForce:
        """The rules in force at ``at``: the highest version in force by then."""
        for v in reversed(self.versions):
            if v.in_force_from <= at:
                return RulesInForce(
                    jurisdiction=self.jurisdiction,
                    version=v.version,
                    rules=v.rules,
                    in_force_from=v.in_force_from,
                )
        return RulesInForce.defaults(self.jurisdiction)

    class Revised(Aggregate.Event):
        """A new version; it names the jurisdiction too, as every version stands alone."""

        jurisdiction: Jurisdiction
        effective_from: datetime
        rules: RuleSet

        def apply(self, aggregate: JurisdictionRules) -> None:
            aggregate.versions.append(
                RuleVersion(
                    version=self.originator_version,
                    effective_from=self.effective_from,
                    recorded_at=self.timestamp,
                    rules=self.rules,
                )
            )
