"""Commands drawn at random for property tests: each step does something valid, if it can."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from itertools import count
from uuid import UUID

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization
from shuniu.aggregates.errors import ShuniuError
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import AgendaItem
from shuniu.application import Shuniu
from tests.factories import credit_code, ctx
from tests.integration.support import designate

_seeds = count(1000)


def _active_hubs(app: Shuniu, hubs: list[UUID]) -> list[UUID]:
    return [h for h in hubs if app.get(h, HubOrganization).status == "active"]


def play(app: Shuniu, steps: list[str]) -> None:
    hubs: list[UUID] = []
    for step in steps:
        seed = next(_seeds)
        active = _active_hubs(app, hubs)
        with contextlib.suppress(ShuniuError):
            if step == "designate" or not active:
                hubs.append(designate(app, seed, f"field {seed}"))
                continue
            hub = active[seed % len(active)]
            if step == "duty":
                app.report_duty(ctx("hub"), hub, "2026-Q2", "work", "c", {"n": seed})
            elif step == "affiliate":
                organization = AffiliatedOrganization(
                    name=f"Org {seed}", uscc=credit_code(seed), type="social_group"
                )
                affiliation = app.establish_affiliation(ctx("hub"), hub, organization)
                app.inspect_affiliate(ctx("hub"), affiliation.aggregate.id, 2026, "qualified", "")
            elif step == "notice":
                notice = app.issue_notice(ctx(), f"Notice {seed}", "b", "110000", None)
                app.acknowledge_notice(ctx("hub"), notice.aggregate.id, hub)
            elif step == "meeting":
                when = datetime.now(UTC) + timedelta(days=1)
                meeting = app.convene_meeting(ctx(), "M", when, "110000", [AgendaItem(title="a")])
                app.record_attendance(ctx(), meeting.aggregate.id, hub, "Rep", True)
                app.assign_action_item(ctx(), meeting.aggregate.id, hub, "d", date(2027, 1, 1))
            elif step == "fund":
                funding = app.commit_funding(ctx(), hub, "special_fund", 2026, 100_00, "F", "p")
                app.disburse(ctx(), funding.aggregate.id, 40_00, "V", date(2026, 2, 1))
            elif step == "revoke":
                proposal = app.propose_adjustment(ctx(), hub, "revoke", "r", None)
                adjustment = proposal.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
                app.decide_adjustment(ctx("leading_group"), hub, adjustment, "approve", "LG")
