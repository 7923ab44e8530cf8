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
from shuniu.aggregates.money import yuan
from shuniu.application import Shuniu
from shuniu.commands.affiliations import (
    AffiliatedOrganizationInput,
    EstablishAffiliation,
    InspectAffiliate,
    RecordPartyBuilding,
    RecordReferralOutcome,
    ReferViolation,
    RegisterAffiliate,
    ReviewRegistration,
)
from shuniu.commands.funding import CommitFunding, Disburse
from shuniu.commands.hubs import (
    DecideAdjustment,
    ProposeAdjustment,
    ReplyToUpwardReport,
    ReportDuty,
    ReportUpward,
)
from shuniu.commands.meetings import AssignActionItem, ConveneMeeting, RecordAttendance
from shuniu.commands.notices import AcknowledgeNotice, IssueNotice
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
                app.handle(
                    ReportDuty(
                        hub_id=hub, period="2026-Q2", kind="work", content="c", figures={"n": seed}
                    ),
                    ctx("hub"),
                )
            elif step == "affiliate":
                organization = AffiliatedOrganization(
                    name=f"Org {seed}", uscc=credit_code(seed), type="social_group"
                )
                affiliation = app.handle(
                    EstablishAffiliation(hub_id=hub, organization=organization), ctx("hub")
                )
                app.handle(
                    InspectAffiliate(
                        affiliation_id=affiliation.aggregate.id,
                        year=2026,
                        result="qualified",
                        notes="",
                    ),
                    ctx("hub"),
                )
            elif step == "found":
                found(app, hub, seed)
            elif step == "upward":
                reported = app.handle(
                    ReportUpward(hub_id=hub, subject="s", content="c"), ctx("hub")
                )
                report_id = reported.aggregate.upward_reports[-1].id  # type: ignore[attr-defined]
                app.handle(ReplyToUpwardReport(hub_id=hub, report_id=report_id, text="t"), ctx())
            elif step == "notice":
                notice = app.handle(
                    IssueNotice(title=f"Notice {seed}", body="b", jurisdiction="110000"), ctx()
                )
                app.handle(AcknowledgeNotice(notice_id=notice.aggregate.id, hub_id=hub), ctx("hub"))
            elif step == "meeting":
                when = datetime.now(UTC) + timedelta(days=1)
                meeting = app.handle(
                    ConveneMeeting(
                        title="M",
                        scheduled_at=when,
                        jurisdiction="110000",
                        agenda=[AgendaItem(title="a")],
                    ),
                    ctx(),
                )
                app.handle(
                    RecordAttendance(
                        meeting_id=meeting.aggregate.id,
                        hub_id=hub,
                        representative="Rep",
                        present=True,
                    ),
                    ctx(),
                )
                app.handle(
                    AssignActionItem(
                        meeting_id=meeting.aggregate.id,
                        owner_hub_id=hub,
                        description="d",
                        due=date(2027, 1, 1),
                    ),
                    ctx(),
                )
            elif step == "fund":
                funding = app.handle(
                    CommitFunding(
                        hub_id=hub,
                        program="special_fund",
                        fiscal_year=2026,
                        amount=yuan(100_00),
                        decision_ref="F",
                        purpose="p",
                    ),
                    ctx(),
                )
                app.handle(
                    Disburse(
                        funding_id=funding.aggregate.id,
                        amount=yuan(40_00),
                        voucher_ref="V",
                        paid_on=date(2026, 2, 1),
                    ),
                    ctx(),
                )
            elif step == "revoke":
                proposal = app.handle(
                    ProposeAdjustment(hub_id=hub, action="revoke", reasons="r"), ctx()
                )
                adjustment = proposal.aggregate.adjustments[-1].id  # type: ignore[attr-defined]
                app.handle(
                    DecideAdjustment(
                        hub_id=hub, adjustment_id=adjustment, decision="approve", decision_ref="LG"
                    ),
                    ctx("leading_group"),
                )


def found(app: Shuniu, hub: UUID, seed: int) -> None:
    """An organization founded under the hub, registered, with Party building and a referral."""
    organization = AffiliatedOrganizationInput(name=f"New org {seed}", type="foundation")
    affiliation = app.handle(
        EstablishAffiliation(hub_id=hub, organization=organization, stage="preparing"),
        ctx("hub"),
    ).aggregate.id
    app.handle(
        ReviewRegistration(
            affiliation_id=affiliation, matter="establishment", opinion="approve", notes="ok"
        ),
        ctx("hub"),
    )
    app.handle(RegisterAffiliate(affiliation_id=affiliation, uscc=credit_code(seed)), ctx("hub"))
    app.handle(
        RecordPartyBuilding(
            affiliation_id=affiliation, year=2026, organization="branch", members=seed % 7
        ),
        ctx("hub"),
    )
    referred = app.handle(
        ReferViolation(affiliation_id=affiliation, description="d", referred_to="r"), ctx("hub")
    )
    referral_id = referred.aggregate.violation_referrals[-1].id  # type: ignore[attr-defined]
    app.handle(
        RecordReferralOutcome(
            affiliation_id=affiliation, referral_id=referral_id, outcome="rectified", notes="n"
        ),
        ctx("hub"),
    )
