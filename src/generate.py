"""Realistic data, fast: hubs across fields and districts, affiliates with valid
credit codes, a year of duty reports, joint meetings and payments.

For benchmarks (``bench/scale.py``), demos and tests at small sizes. It runs the
real aggregates and the real policies (a designation claims its field seat,
an affiliation its organization's supervision, ...) but many commands to a
unit of work and one save, so events are written in bulk, not a command at a
time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from shuniu.aggregates.affiliate_relationship import AffiliatedOrganization, AffiliateRelationship
from shuniu.aggregates.base import MUNICIPALITY, Actor, Role
from shuniu.aggregates.credit_code import ALPHABET, check_character
from shuniu.aggregates.designation_application import (
    Contact,
    Criteria,
    DesignationApplication,
    Organization,
    hub_id_for,
)
from shuniu.aggregates.funding_agreement import FundingAgreement, Recipient
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.joint_meeting import AgendaItem, JointMeeting
from shuniu.application import Shuniu
from shuniu.application.unit_of_work import UnitOfWork

DISTRICTS = ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111"]
FIELDS = [
    "science and technology", "culture and arts", "sport", "education", "health",
    "environment", "women", "youth", "trade unions", "charity", "law", "economy",
]  # fmt: skip
ORGANIZATION_TYPES = ("social_group", "social_service_agency", "foundation")
CRITERIA = Criteria(
    political_leadership="Firm political stance.",
    leading_role="Leads the field.",
    party_organization="Sound Party organization.",
    legal_status_and_management="Independent legal person.",
)


@dataclass(frozen=True)
class Scale:
    jurisdictions: int = 3
    fields: int = 4
    affiliates_per_hub: int = 5
    meetings_per_jurisdiction: int = 2
    batch: int = 200
    seed: int = 2026


def credit_code(rng: random.Random) -> str:
    body = "91" + rng.choice(DISTRICTS) + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_character(body)


def _actor(role: Role) -> Actor:
    return Actor(principal_id=uuid4(), role=role, command_id=uuid4())


class Generator:
    def __init__(
        self, app: Shuniu, scale: Scale, progress: Callable[[int], None] | None = None
    ) -> None:
        self.app = app
        self.scale = scale
        self.rng = random.Random(scale.seed)  # noqa: S311 - reproducible data, not secrets
        self.progress = progress
        self.hubs: list[tuple[UUID, str]] = []
        self.events = 0

    def _save(self, work: UnitOfWork) -> None:
        work.react()
        recordings = self.app.save(*work.aggregates())
        self.events += len(recordings)
        if self.progress is not None:
            self.progress(self.events)

    def _in_batches(self, items: list[Callable[[UnitOfWork], object]]) -> None:
        for start in range(0, len(items), self.scale.batch):
            work = UnitOfWork(self.app, _actor("office"))
            for item in items[start : start + self.scale.batch]:
                item(work)
            self._save(work)

    def jurisdictions(self) -> Iterator[str]:
        yield MUNICIPALITY
        yield from DISTRICTS[: self.scale.jurisdictions - 1]

    def designate(self) -> None:
        def designation(jurisdiction: str, field: str) -> Callable[[UnitOfWork], object]:
            def run(work: UnitOfWork) -> None:
                organization = Organization(
                    name=f"{field.title()} Federation ({jurisdiction})",
                    uscc=credit_code(self.rng),
                    kind=self.rng.choice(["people_organization", "social_organization"]),
                )
                application = DesignationApplication(
                    organization=organization, field=field, jurisdiction=jurisdiction,
                    criteria=CRITERIA, contact=Contact(name="Contact"), actor=_actor("applicant"),
                )  # fmt: skip
                work.add(application)
                application.review_preliminarily("recommend", "Meets Art. 4.", _actor("office"))
                application.decide("approve", "LG", "ok", "Work needs it.", _actor("leading_group"))
                self.hubs.append((hub_id_for(application.id), jurisdiction))

            return run

        self._in_batches(
            [
                designation(jurisdiction, field)
                for jurisdiction in self.jurisdictions()
                for field in FIELDS[: self.scale.fields]
            ]
        )

    def affiliate(self) -> None:
        def affiliation(hub_id: UUID, jurisdiction: str, n: int) -> Callable[[UnitOfWork], object]:
            def run(work: UnitOfWork) -> None:
                organization = AffiliatedOrganization(
                    name=f"Organization {n}",
                    uscc=credit_code(self.rng),
                    type=self.rng.choice(ORGANIZATION_TYPES),
                )
                a = AffiliateRelationship(
                    hub_id=hub_id, organization=organization, jurisdiction=jurisdiction,
                    actor=_actor("hub"),
                )  # fmt: skip
                work.add(a)
                a.inspect(2026, "qualified", "", _actor("hub"))

            return run

        self._in_batches(
            [
                affiliation(hub_id, jurisdiction, i * 10_000 + n)
                for i, (hub_id, jurisdiction) in enumerate(self.hubs)
                for n in range(self.scale.affiliates_per_hub)
            ]
        )

    def report(self) -> None:
        def reports(hub_id: UUID) -> Callable[[UnitOfWork], object]:
            def run(work: UnitOfWork) -> None:
                hub = work.get(hub_id, HubOrganization)
                hub.assign_responsibilities(
                    "Leader", "Social Work Dept.", ["A", "B"], _actor("hub")
                )
                for quarter in range(1, 5):
                    hub.report_duty(
                        f"2026-Q{quarter}", "work", "Quarterly work.", {"n": quarter}, _actor("hub")
                    )
                hub.evaluate(
                    2026, self.rng.randint(55, 99), "good", "Yearly evaluation.", _actor("office")
                )

            return run

        self._in_batches([reports(hub_id) for hub_id, _ in self.hubs])

    def meet(self) -> None:
        by_place: dict[str, list[UUID]] = {}
        for hub_id, jurisdiction in self.hubs:
            by_place.setdefault(jurisdiction, []).append(hub_id)

        def meeting(jurisdiction: str, n: int) -> Callable[[UnitOfWork], object]:
            def run(work: UnitOfWork) -> None:
                when = datetime(2026, 1 + n % 12, 15, 9, tzinfo=UTC)
                m = JointMeeting(
                    title=f"Joint meeting {n + 1}", scheduled_at=when, jurisdiction=jurisdiction,
                    agenda=[AgendaItem(title="Work report"), AgendaItem(title="Plan")],
                    actor=_actor("office"),
                )  # fmt: skip
                work.add(m)
                for hub_id in by_place[jurisdiction]:
                    hub = work.get(hub_id, HubOrganization)
                    m.record_attendance(hub_id, hub.name, "Representative", True, _actor("office"))
                m.adopt_resolution(1, "Adopt the plan.", _actor("office"))
                m.assign_action_item(
                    by_place[jurisdiction][0], "Follow up.", date(2026, 12, 31), _actor("office")
                )
                m.publish_minutes("Reported and deployed.", _actor("office"))

            return run

        self._in_batches(
            [
                meeting(jurisdiction, n)
                for jurisdiction in by_place
                for n in range(self.scale.meetings_per_jurisdiction)
            ]
        )

    def fund(self) -> None:
        def funding(hub_id: UUID, jurisdiction: str) -> Callable[[UnitOfWork], object]:
            def run(work: UnitOfWork) -> None:
                hub = work.get(hub_id, HubOrganization)
                f = FundingAgreement(
                    recipient=Recipient(hub_id=hub_id, name=hub.name, uscc=hub.uscc),
                    jurisdiction=jurisdiction, program=self.rng.choice(
                        ["government_purchase", "public_welfare", "special_fund"]),
                    fiscal_year=2026, amount=1_000_000_00, decision_ref="F-2026",
                    purpose="Management services", actor=_actor("office"),
                )  # fmt: skip
                work.add(f)
                for month in (3, 6, 9):
                    f.disburse(200_000_00, f"V-{month}", date(2026, month, 1), _actor("office"))

            return run

        self._in_batches([funding(hub_id, jurisdiction) for hub_id, jurisdiction in self.hubs])

    def run(self) -> int:
        """Everything; the number of events written."""
        self.designate()
        self.report()
        self.affiliate()
        self.meet()
        self.fund()
        return self.events


def generate(
    app: Shuniu, scale: Scale | None = None, progress: Callable[[int], None] | None = None
) -> int:
    return Generator(app, scale or Scale(), progress).run()
