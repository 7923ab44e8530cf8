"""A jurisdiction's rules (Art. 19): setting a new version, reading those in force."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Query, Response
from pydantic import AwareDatetime, BaseModel

from shuniu.aggregates.base import MUNICIPALITY
from shuniu.aggregates.base import KnownJurisdiction as Jurisdiction
from shuniu.aggregates.errors import InvalidCommand, NotFound
from shuniu.aggregates.jurisdiction_rules import (
    EvaluationRules,
    JurisdictionRules,
    RuleSet,
    RuleVersion,
    rules_id_for,
)
from shuniu.api.commands import CommandRouter
from shuniu.api.deps import App, CurrentCaller, ServicesDep
from shuniu.api.responses import MAX_POSITION, state_answer
from shuniu.application import Outcome
from shuniu.commands import rules
from shuniu.commands.access import Caller, Forbidden

router = CommandRouter(prefix="/v1/jurisdictions", tags=["jurisdictions"])

RULE_FIELDS = (
    "duty_report_max_age_days",
    "justification_required_for_social_organizations",
    "evaluation",
    "funding_requires_passing_evaluation",
)


class Rules(BaseModel):
    """One version of a jurisdiction's rules, with the defaults filled in where it set none.

    ``version`` is the version shown (0: no rules in force, the defaults);
    ``latest_version`` is how many the jurisdiction has recorded (the ETag).
    ``defaults`` names the fields that hold a default rather than a value the
    version set: every field for version 0, ``duty_report_max_age_days`` when a
    version leaves it to the server's setting (which reads show; a command's
    answer shows null there).
    """

    id: UUID
    jurisdiction: str
    version: int
    latest_version: int
    at: datetime | None
    effective_from: datetime | None
    recorded_at: datetime | None
    in_force_from: datetime | None
    duty_report_max_age_days: int | None
    justification_required_for_social_organizations: bool
    evaluation: EvaluationRules
    funding_requires_passing_evaluation: bool
    defaults: list[str]


def shown(
    jurisdiction: str,
    version: RuleVersion | None,
    latest_version: int,
    server_days: int | None,
    at: datetime | None,
) -> Rules:
    ruleset = version.rules if version is not None else RuleSet()
    if version is None:
        defaults = list(RULE_FIELDS)
    else:
        defaults = ["duty_report_max_age_days"] if ruleset.duty_report_max_age_days is None else []
    return Rules(
        id=rules_id_for(jurisdiction),
        jurisdiction=jurisdiction,
        version=version.version if version is not None else 0,
        latest_version=latest_version,
        at=at,
        effective_from=version.effective_from if version is not None else None,
        recorded_at=version.recorded_at if version is not None else None,
        in_force_from=version.in_force_from if version is not None else None,
        duty_report_max_age_days=ruleset.duty_report_max_age_days or server_days,
        justification_required_for_social_organizations=(
            ruleset.justification_required_for_social_organizations
        ),
        evaluation=ruleset.evaluation,
        funding_requires_passing_evaluation=ruleset.funding_requires_passing_evaluation,
        defaults=defaults,
    )


def answer(outcome: Outcome) -> Rules:
    """The version just recorded, as recorded (it may take effect later: ``in_force_from``):
    a ``duty_report_max_age_days`` left to the server is null here, and the server's
    setting in the rules ``GET`` answers."""
    aggregate = outcome.aggregate
    assert isinstance(aggregate, JurisdictionRules)
    return shown(aggregate.jurisdiction, aggregate.versions[-1], aggregate.version, None, None)


router.command("/{code}/rules", rules.SetJurisdictionRules, answer)


def require_rules_readable(caller: Caller, code: str) -> None:
    """Any principal of that jurisdiction, and municipal ones (and the admin), may read."""
    if caller.role == "admin" or caller.jurisdiction in (code, MUNICIPALITY):
        return
    raise Forbidden(f"a principal of {caller.jurisdiction} may not read the rules of {code}")


@router.get("/{code}/rules")
def read(
    code: Jurisdiction,
    app: App,
    s: ServicesDep,
    caller: CurrentCaller,
    response: Response,
    at: AwareDatetime | None = None,
    version: Annotated[int | None, Query(ge=1, le=MAX_POSITION)] = None,
) -> Rules:
    """The rules in force at ``at`` (default: now), or version ``version`` as recorded."""
    require_rules_readable(caller, code)
    if at is not None and version is not None:
        raise InvalidCommand("ask for the rules in force at a time, or for a version: not both")
    found = app.find(rules_id_for(code), JurisdictionRules)
    latest = found.version if found is not None else 0
    state_answer(response, latest)
    days = s.settings.duty_report_max_age_days
    if version is not None:
        recorded = found.version_of(version) if found is not None else None
        if recorded is None:
            raise NotFound(f"jurisdiction {code} has no version {version} of its rules")
        return shown(code, recorded, latest, days, None)
    moment = at or datetime.now(UTC)
    in_force = found.in_force(moment) if found is not None else None
    chosen = found.version_of(in_force.version) if found and in_force else None
    return shown(code, chosen, latest, days, moment)
