"""A jurisdiction's rules (Art. 19): the command that sets them, and how decisions read them."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, Field, model_validator

from shuniu.aggregates.jurisdiction_rules import (
    EvaluationRules,
    IndicatorKey,
    JurisdictionRules,
    RuleSet,
    RulesInForce,
    rules_id_for,
)
from shuniu.commands.base import Command
from shuniu.commands.fields import Input, Jurisdiction, Name
from shuniu.policies.base import Workspace

MAX_INDICATORS = 50
MAX_WEIGHT = 1000
WEIGHT_DECIMALS = 4
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 12, 31, 23, 59, 59, tzinfo=UTC)


def _decimals(places: int) -> AfterValidator:
    def check(number: float) -> float:
        exponent = Decimal(str(number)).as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            raise ValueError(f"at most {places} decimal places")
        return number

    return AfterValidator(check)


Weight = Annotated[
    int | float, Field(gt=0, le=MAX_WEIGHT, allow_inf_nan=False), _decimals(WEIGHT_DECIMALS)
]
"""An indicator's weight: a positive number, at most 1,000, with at most 4 decimals."""

IndicatorValue = Annotated[int | float, Field(ge=0, le=100, allow_inf_nan=False), _decimals(2)]
"""An indicator's result: 0 to 100, with at most 2 decimals."""

IndicatorValues = Annotated[dict[IndicatorKey, IndicatorValue], Field(max_length=MAX_INDICATORS)]

PassScore = Annotated[int, Field(ge=0, le=100)]
MaxAgeDays = Annotated[int, Field(ge=1, le=3650)]


def _in_range(moment: datetime) -> datetime:
    if not EARLIEST <= moment <= LATEST:
        raise ValueError("effective_from must fall in the years 2000 to 2100")
    return moment


class IndicatorInput(Input):
    key: IndicatorKey
    name: Name
    weight: Weight


class EvaluationInput(Input):
    """Art. 17: the indicators an evaluation is scored by, and the pass score."""

    indicators: Annotated[list[IndicatorInput], Field(max_length=MAX_INDICATORS)] = Field(
        default_factory=list
    )
    pass_score: PassScore | None = None

    @model_validator(mode="after")
    def _unique_keys(self) -> EvaluationInput:
        keys = [i.key for i in self.indicators]
        if len(keys) != len(set(keys)):
            msg = "each indicator's key must be unique"
            raise ValueError(msg)
        return self


class SetJurisdictionRules(Command):
    """Art. 19: a new version of the jurisdiction's rules, whole, in force from
    ``effective_from`` (or from now, if that is earlier). Fields left out take their
    defaults: the behaviour of a jurisdiction without rules."""

    path: ClassVar[tuple[str, ...]] = ("code",)
    code: Jurisdiction
    effective_from: Annotated[AwareDatetime, AfterValidator(_in_range)]
    duty_report_max_age_days: MaxAgeDays | None = None
    justification_required_for_social_organizations: bool = True
    evaluation: EvaluationInput = Field(default_factory=EvaluationInput)
    funding_requires_passing_evaluation: bool = False

    @property
    def target_id(self) -> UUID:
        """The jurisdiction's rules, whose id derives from the code in the path."""
        return rules_id_for(self.code)

    def rule_set(self) -> RuleSet:
        return RuleSet(
            duty_report_max_age_days=self.duty_report_max_age_days,
            justification_required_for_social_organizations=(
                self.justification_required_for_social_organizations
            ),
            evaluation=EvaluationRules.model_validate(self.evaluation, from_attributes=True),
            funding_requires_passing_evaluation=self.funding_requires_passing_evaluation,
        )


def set_jurisdiction_rules(c: SetJurisdictionRules, work: Workspace) -> JurisdictionRules:
    rules = work.find(rules_id_for(c.code), JurisdictionRules)
    if rules is None:
        rules = JurisdictionRules(
            jurisdiction=c.code,
            effective_from=c.effective_from,
            rules=c.rule_set(),
            actor=work.actor,
        )
        work.add(rules)
    else:
        rules.revise(c.effective_from, c.rule_set(), work.actor)
    return rules


def rules_in_force(work: Workspace, jurisdiction: str) -> RulesInForce:
    """The rules a decision taken now applies in ``jurisdiction`` (the defaults if none)."""
    rules = work.find(rules_id_for(jurisdiction), JurisdictionRules)
    if rules is None:
        return RulesInForce.defaults(jurisdiction)
    return rules.in_force(datetime.now(UTC))
