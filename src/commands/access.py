"""Who may issue each command: the one table, and the checks it names.

Every command has a row in ``WHO_MAY``: the roles that may issue it, and its
*reach*, the rule that ties the caller to what the command touches. The unit
of work applies a row in two steps, so that each aggregate is loaded once and
nothing changes between the check and the act:

1. before anything is loaded: the role, and the ids a hub principal names
   (a hub acts for its own hub only);
2. when the aggregate the reach is about is loaded: its jurisdiction (a
   principal acts only inside its own, Art. 19) and its owner (the applicant
   of an application, the supervising hub of an affiliation, the owner hub of
   an action item).

The README's table of who may call what is generated from this one
(``describe``), and ``tests/e2e/test_roles.py`` holds every role x command
pair to the contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shuniu.aggregates.base import MUNICIPALITY, ROLES, Aggregate, Role
from shuniu.aggregates.errors import ShuniuError
from shuniu.commands import affiliations as aff
from shuniu.commands import designation as des
from shuniu.commands import funding as fun
from shuniu.commands import hubs
from shuniu.commands import meetings as mee
from shuniu.commands import notices as noti
from shuniu.commands import principals as pri
from shuniu.commands import rules as rul
from shuniu.commands.base import Command

READERS_OF_EVERY_DISTRICT: frozenset[Role] = frozenset({"auditor", "analyst"})


class Forbidden(ShuniuError):
    """Who you are may not do this: role, jurisdiction or hub (403)."""


class Unauthenticated(ShuniuError):
    """No token, or a token that names no active principal (401)."""


@dataclass(frozen=True)
class Caller:
    """The principal a request authenticates as."""

    id: UUID
    name: str
    role: Role
    jurisdiction: str
    hub_id: UUID | None = None

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise Forbidden(f"the {self.role} role may not do this (allowed: {', '.join(roles)})")

    def require_jurisdiction(self, jurisdiction: str) -> None:
        """A principal acts only inside its own jurisdiction (Art. 19)."""
        if jurisdiction != self.jurisdiction:
            raise Forbidden(
                f"a principal of jurisdiction {self.jurisdiction} may not act in {jurisdiction}"
            )

    def require_hub(self, hub_id: UUID) -> None:
        """A hub principal acts for its own hub only; other roles are checked by role."""
        if self.role == "hub" and self.hub_id != hub_id:
            raise Forbidden("a hub principal may act for its own hub only")

    @property
    def readable_jurisdictions(self) -> list[str] | None:
        """Jurisdictions whose reads are open to this principal; None means all.

        A municipal auditor or analyst reads its districts too; the admin
        operates the whole system.
        """
        if self.role == "admin":
            return None
        if self.role in READERS_OF_EVERY_DISTRICT and self.jurisdiction == MUNICIPALITY:
            return None
        return [self.jurisdiction]

    def sees_inside(self, hub_id: UUID, jurisdiction: str) -> bool:
        """Whether a hub's upward reports and adjustments in progress are shown to this
        principal: the office, the Leading Group and the admin of its jurisdiction, and the
        hub itself (everyone else sees what the registry shows)."""
        if self.role == "admin":
            return True
        if self.role in ("office", "leading_group"):
            return self.jurisdiction == jurisdiction
        return self.role == "hub" and self.hub_id == hub_id

    def require_readable(self, jurisdiction: str) -> None:
        readable = self.readable_jurisdictions
        if readable is not None and jurisdiction not in readable:
            raise Forbidden(f"a principal of {self.jurisdiction} may not read {jurisdiction}")


# Reaches: what ties the caller to what a command touches.


class Reach:
    """A rule of reach. ``about`` names the field whose aggregate ``loaded`` checks
    (None: no aggregate is checked); ``before`` runs before anything is loaded;
    ``text`` says it in the README's table."""

    about: str | None = None
    text: str = ""

    def before(self, caller: Caller, command: Any) -> None:
        """Checks on the command alone, before any load."""

    def loaded(self, caller: Caller, command: Any, aggregate: Any) -> None:
        """Checks on the aggregate named by ``about``, as loaded."""


class Anywhere(Reach):
    text = "any jurisdiction"


class NamedJurisdiction(Reach):
    """The command names its jurisdiction in its body: the caller's own."""

    text = "its own jurisdiction, named in the body"

    def before(self, caller: Caller, command: Any) -> None:
        caller.require_jurisdiction(command.jurisdiction)


class PathJurisdiction(Reach):
    """The command names a jurisdiction in its path: the caller's own."""

    text = "its own jurisdiction, named in the path"

    def __init__(self, field: str) -> None:
        self.field = field

    def before(self, caller: Caller, command: Any) -> None:
        caller.require_jurisdiction(getattr(command, self.field))


class InJurisdiction(Reach):
    """The aggregate the path names is of the caller's jurisdiction."""

    def __init__(self, about: str, noun: str = "") -> None:
        self.about = about
        self.text = self.text or f"a {noun} of its own jurisdiction"

    def loaded(self, caller: Caller, command: Any, aggregate: Any) -> None:
        caller.require_jurisdiction(aggregate.jurisdiction)


class OwnHub(InJurisdiction):
    """A hub of the caller's jurisdiction, and a hub principal's own."""

    text = "a hub of its own jurisdiction (a hub principal: its own)"

    def before(self, caller: Caller, command: Any) -> None:
        caller.require_hub(getattr(command, self.about or ""))


class NamedHub(OwnHub):
    """A hub named in the body: a hub principal's own; if it exists, of the caller's
    jurisdiction (an unknown hub is the handler's 422)."""

    text = "the hub the body names, of its own jurisdiction (a hub principal: its own)"


class OwnHubOnly(Reach):
    """A hub principal names its own hub; the command checks the hub's state itself."""

    text = "the hub the body names is its own"

    def __init__(self, field: str) -> None:
        self.field = field

    def before(self, caller: Caller, command: Any) -> None:
        caller.require_hub(getattr(command, self.field))


class OwnApplication(InJurisdiction):
    text = "an application of its own jurisdiction (an applicant: its own)"

    def loaded(self, caller: Caller, command: Any, aggregate: Any) -> None:
        super().loaded(caller, command, aggregate)
        if caller.role == "applicant" and aggregate.submitted_by != caller.id:
            raise Forbidden("an applicant acts on its own applications only")


class SupervisedAffiliation(InJurisdiction):
    text = "an affiliation of its own jurisdiction (a hub principal: one it supervises)"

    def loaded(self, caller: Caller, command: Any, aggregate: Any) -> None:
        super().loaded(caller, command, aggregate)
        if caller.role == "hub" and caller.hub_id != aggregate.hub_id:
            raise Forbidden("a hub acts on the affiliations it supervises only")


class ActionItemOwner(Reach):
    text = "the hub that owns the action item"
    about = "meeting_id"

    def loaded(self, caller: Caller, command: Any, aggregate: Any) -> None:
        if caller.hub_id != aggregate.action_item(command.action_item_id).owner_hub_id:
            raise Forbidden("only the owner hub completes an action item")


@dataclass(frozen=True)
class Rule:
    roles: tuple[Role, ...]
    reach: Reach

    def before(self, caller: Caller, command: Command) -> None:
        caller.require_role(*self.roles)
        self.reach.before(caller, command)

    def about(self, command: Command) -> UUID | None:
        """The id of the aggregate whose loading ``loaded`` checks."""
        if self.reach.about is None:
            return None
        about: UUID = getattr(command, self.reach.about)
        return about

    def loaded(self, caller: Caller, command: Command, aggregate: Aggregate) -> None:
        self.reach.loaded(caller, command, aggregate)


def may(roles: str, reach: Reach) -> Rule:
    return Rule(tuple(r for r in ROLES if r in roles.split()), reach)


APPLICATION = OwnApplication("application_id")
HUB = OwnHub("hub_id")
AFFILIATION = SupervisedAffiliation("affiliation_id")
MEETING = InJurisdiction("meeting_id", "meeting")
FUNDING = InJurisdiction("funding_id", "funding agreement")

WHO_MAY: dict[type[Command], Rule] = {
    pri.CreatePrincipal:            may("admin", Anywhere()),
    pri.RevokePrincipal:            may("admin", Anywhere()),
    des.SubmitApplication:          may("applicant office", NamedJurisdiction()),
    des.RequestSupplement:          may("office", APPLICATION),
    des.SupplementApplication:      may("applicant", APPLICATION),
    des.ReviewApplication:          may("office", APPLICATION),
    des.DecideApplication:          may("leading_group", APPLICATION),
    des.WithdrawApplication:        may("applicant", APPLICATION),
    hubs.AssignResponsibilities:    may("hub", HUB),
    hubs.ReportDuty:                may("hub", HUB),
    hubs.ReportUpward:              may("hub", HUB),
    hubs.ReplyToUpwardReport:       may("office leading_group", HUB),
    hubs.ProposeAdjustment:         may("office", HUB),
    hubs.DecideAdjustment:          may("leading_group", HUB),
    hubs.EvaluateHub:               may("office", HUB),
    aff.EstablishAffiliation:       may("hub office", NamedHub("hub_id")),
    aff.ReviewRegistration:         may("hub", AFFILIATION),
    aff.RegisterAffiliate:          may("hub", AFFILIATION),
    aff.InspectAffiliate:           may("hub", AFFILIATION),
    aff.ReferViolation:             may("hub", AFFILIATION),
    aff.RecordReferralOutcome:      may("hub", AFFILIATION),
    aff.RecordPartyBuilding:        may("hub", AFFILIATION),
    aff.TransferAffiliation:        may("office", AFFILIATION),
    aff.EndAffiliation:             may("hub office", AFFILIATION),
    noti.IssueNotice:               may("office leading_group", NamedJurisdiction()),
    noti.AcknowledgeNotice:         may("hub", OwnHubOnly("hub_id")),
    noti.RelayNotice:               may("hub", OwnHubOnly("hub_id")),
    mee.ConveneMeeting:             may("office leading_group", NamedJurisdiction()),
    mee.RecordAttendance:           may("office", MEETING),
    mee.AdoptResolution:            may("office", MEETING),
    mee.AssignActionItem:           may("office", MEETING),
    mee.CompleteActionItem:         may("hub", ActionItemOwner()),
    mee.PublishMinutes:             may("office", MEETING),
    mee.CorrectMinutes:             may("office", MEETING),
    mee.CancelMeeting:              may("office leading_group", MEETING),
    fun.CommitFunding:              may("office", NamedHub("hub_id")),
    fun.Disburse:                   may("office", FUNDING),
    fun.Refund:                     may("office", FUNDING),
    fun.ReverseEntry:               may("office", FUNDING),
    fun.FreezeFunding:              may("office", FUNDING),
    fun.UnfreezeFunding:            may("office", FUNDING),
    fun.CloseFunding:               may("office", FUNDING),
    rul.SetJurisdictionRules:       may("leading_group", PathJurisdiction("code")),
}  # fmt: skip


def rule_for(command: Command) -> Rule:
    return WHO_MAY[type(command)]


def describe() -> str:
    """``WHO_MAY`` as the Markdown table the README shows (``python -m shuniu.commands.access``)."""
    from shuniu.api.commands import routes_of  # noqa: PLC0415 - the API imports this module

    lines = ["| command | route | who may | reach |", "|---|---|---|---|"]
    for command, rule in WHO_MAY.items():
        method, path = routes_of(command)
        roles = ", ".join(rule.roles)
        lines.append(f"| `{command.__name__}` | `{method} {path}` | {roles} | {rule.reach.text} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(describe(), end="")
