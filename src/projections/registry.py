"""The registry: hubs, their affiliates and the applications in the pipeline.

Tables an analyst may query in SQL (see the README for every column):
- ``registry_hubs``: one row per designated hub, its status, field and counts
  (of its active affiliates, and of those whose latest Party-building record
  is not ``none``: ``party_coverage`` is the one over the other);
- ``registry_duty_reports``: one row per duty report of a hub, with its content
  and figures;
- ``registry_affiliates``: one row per affiliation, with its stage, its
  reviews, inspections, referrals (and their outcomes) and Party-building records;
- ``registry_applications``: one row per designation application;
- ``registry_rules``: one row per version of a jurisdiction's rules (Art. 19),
  for the thresholds its flags are computed with when read.
``position`` is the global log position of the event that created the row,
and the order of every list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from shuniu.aggregates.affiliate_relationship import AffiliateRelationship as Affiliation
from shuniu.aggregates.affiliate_relationship import referral_id_for
from shuniu.aggregates.designation_application import DesignationApplication as Application
from shuniu.aggregates.hub_organization import HubOrganization as Hub
from shuniu.aggregates.jurisdiction_rules import JurisdictionRules as Rules
from shuniu.projections.sql import (
    COLUMN_TYPES,
    PostgresSQLView,
    Row,
    SQLiteSQLView,
    SQLView,
    Where,
    json_value,
    time_value,
)

HUBS = "registry_hubs"
DUTY_REPORTS = "registry_duty_reports"
AFFILIATES = "registry_affiliates"
APPLICATIONS = "registry_applications"
RULES = "registry_rules"
TABLES = (HUBS, DUTY_REPORTS, AFFILIATES, APPLICATIONS, RULES)

HUB_JSON = ("responsibilities", "evaluations")


class RegistryView(SQLView):
    schema_version = 5
    """2: duty reports in registry_duty_reports, not a JSON list per hub; 3: duty reports'
    content and figures, affiliates' stage and Party building, referrals' ids and outcomes,
    hubs' ``party_covered``; 4: applications record who submitted them (``submitted_by``),
    so an applicant lists its own only; 5: each hub's latest evaluation
    (``evaluation_year``, ``evaluation_grade``) and the jurisdictions' rules
    (``registry_rules``), for the flags."""
    tables = (
        f"""CREATE TABLE IF NOT EXISTS {HUBS} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            uscc TEXT NOT NULL,
            kind TEXT NOT NULL,
            field TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            status TEXT NOT NULL,
            designated_at {{ts}} NOT NULL,
            application_id TEXT NOT NULL,
            decision_ref TEXT NOT NULL,
            affiliate_count INTEGER NOT NULL DEFAULT 0,
            party_covered INTEGER NOT NULL DEFAULT 0,
            last_duty_report_period TEXT,
            last_duty_report_at {{ts}},
            pending_adjustment TEXT,
            responsibilities {{json}} NOT NULL,
            evaluations {{json}} NOT NULL,
            evaluation_year INTEGER,
            evaluation_grade TEXT
        )""",
        f"CREATE INDEX IF NOT EXISTS {HUBS}_by_place ON {HUBS} (jurisdiction, status, position)",
        # A table of their own, not a JSON list in the hub's row: a hub sends
        # thousands over the years, and appending to a list rewrites all of it.
        f"""CREATE TABLE IF NOT EXISTS {DUTY_REPORTS} (
            hub_id TEXT NOT NULL,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            period TEXT NOT NULL,
            kind TEXT NOT NULL,
            content TEXT NOT NULL,
            figures {{json}} NOT NULL,
            reported_at {{ts}} NOT NULL,
            PRIMARY KEY (hub_id, position)
        )""",
        f"""CREATE TABLE IF NOT EXISTS {AFFILIATES} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            hub_id TEXT NOT NULL,
            name TEXT NOT NULL,
            uscc TEXT,
            type TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            stage TEXT NOT NULL,
            status TEXT NOT NULL,
            established_at {{ts}} NOT NULL,
            inspections {{json}} NOT NULL,
            registration_reviews {{json}} NOT NULL,
            violation_referrals {{json}} NOT NULL,
            party_organization TEXT,
            party_year INTEGER,
            party_members INTEGER,
            party_covered INTEGER NOT NULL DEFAULT 0,
            party_building {{json}} NOT NULL
        )""",
        f"CREATE INDEX IF NOT EXISTS {AFFILIATES}_by_hub "
        f"ON {AFFILIATES} (hub_id, status, position)",
        # A hub's affiliates of any status, in order: a page stops after its rows
        # instead of sorting every affiliate of the hub.
        f"CREATE INDEX IF NOT EXISTS {AFFILIATES}_by_hub_in_order "
        f"ON {AFFILIATES} (hub_id, position)",
        f"CREATE INDEX IF NOT EXISTS {AFFILIATES}_by_uscc ON {AFFILIATES} (uscc)",
        f"""CREATE TABLE IF NOT EXISTS {APPLICATIONS} (
            id TEXT PRIMARY KEY,
            position {{bigint}} NOT NULL,
            version INTEGER NOT NULL,
            organization {{json}} NOT NULL,
            organization_name TEXT NOT NULL,
            uscc TEXT NOT NULL,
            kind TEXT NOT NULL,
            field TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            status TEXT NOT NULL,
            opinion TEXT,
            submitted_at {{ts}} NOT NULL,
            decided_at {{ts}},
            hub_id TEXT,
            submitted_by TEXT NOT NULL
        )""",
        f"CREATE INDEX IF NOT EXISTS {APPLICATIONS}_by_applicant "
        f"ON {APPLICATIONS} (submitted_by, position)",
        f"CREATE INDEX IF NOT EXISTS {APPLICATIONS}_by_place "
        f"ON {APPLICATIONS} (jurisdiction, status, position)",
        # A handful of rows per jurisdiction that sets rules: read whole when flags are.
        f"""CREATE TABLE IF NOT EXISTS {RULES} (
            jurisdiction TEXT NOT NULL,
            version INTEGER NOT NULL,
            position {{bigint}} NOT NULL,
            effective_from {{ts}} NOT NULL,
            recorded_at {{ts}} NOT NULL,
            in_force_from {{ts}} NOT NULL,
            duty_report_max_age_days INTEGER,
            PRIMARY KEY (jurisdiction, version)
        )""",
    )

    def insert(self, cursor: Any, table: str, row: dict[str, Any]) -> None:
        self.execute(
            cursor,
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})",
            list(row.values()),
        )

    def leave_hub_if_active(self, cursor: Any, affiliation_id: object) -> None:
        """One affiliate fewer for the hub of an affiliation, if it is still active
        (before its new status is written), and one covered fewer if its Party
        organization counts, in one statement: nothing is read back."""
        self.execute(
            cursor,
            f"UPDATE {HUBS} SET affiliate_count = affiliate_count - 1, "
            f"party_covered = party_covered - "
            f"(SELECT party_covered FROM {AFFILIATES} WHERE id = %s) WHERE id = "
            f"(SELECT hub_id FROM {AFFILIATES} WHERE id = %s AND status = 'active')",
            [str(affiliation_id), str(affiliation_id)],
        )

    def join_hub(self, cursor: Any, affiliation_id: object, hub_id: object) -> None:
        """One active affiliate more for ``hub_id``, covered if its Party organization is."""
        self.add_later(cursor, HUBS, hub_id, "affiliate_count", 1)
        self.execute(
            cursor,
            f"UPDATE {HUBS} SET party_covered = party_covered + "
            f"(SELECT party_covered FROM {AFFILIATES} WHERE id = %s) WHERE id = %s",
            [str(affiliation_id), str(hub_id)],
        )

    # Reads.

    def hubs(
        self,
        jurisdictions: list[str] | None,
        field: str | None = None,
        status: str | None = None,
        after: int = 0,
        limit: int = 50,
        reported_before: datetime | None = None,
        overdue: DutyThresholds | None = None,
        failed_evaluation: bool = False,
    ) -> list[Row]:
        """Hubs in log order; ``reported_before`` (one cutoff) or ``overdue`` (each
        jurisdiction's) keeps those whose last duty report is older, ``failed_evaluation``
        the hubs that carry that flag."""
        where = Where(jurisdictions, {"field": field, "status": status}, after)
        if reported_before is not None:
            where.add("COALESCE(last_duty_report_at, designated_at) < %s", reported_before)
        if overdue is not None:
            cutoff, params = overdue.cutoff_sql(jurisdictions, COLUMN_TYPES[self.dialect]["ts"])
            where.add(f"COALESCE(last_duty_report_at, designated_at) < {cutoff}", *params)
        if failed_evaluation:
            where.add("evaluation_grade = %s AND status <> %s", "fail", "revoked")
        rows = self.query(
            f"SELECT * FROM {HUBS} WHERE {where.sql} ORDER BY position LIMIT %s",
            [*where.params, limit],
        )
        return [_hub(row) for row in rows]

    def hub(self, hub_id: str) -> Row | None:
        rows = self.query(f"SELECT * FROM {HUBS} WHERE id = %s", [hub_id])
        return _hub(rows[0]) if rows else None

    def duty_thresholds(self, now: datetime, default_days: int) -> DutyThresholds:
        """Each jurisdiction's overdue-duty threshold at ``now``: the rules in force then
        (the highest version in force by then), the server's setting elsewhere."""
        rows = self.query(
            f"SELECT jurisdiction, version, duty_report_max_age_days FROM {RULES} "
            "WHERE in_force_from <= %s ORDER BY jurisdiction, version",
            [now],
        )
        in_force = {
            row["jurisdiction"]: (int(row["version"]), row["duty_report_max_age_days"])
            for row in rows  # the last row of a jurisdiction is its highest version
        }
        return DutyThresholds(now, default_days, in_force)

    def duty_reports(
        self,
        hub_id: str,
        up_to_version: int | None = None,
        after: int = 0,
        limit: int | None = None,
        kind: str | None = None,
        period: str | None = None,
    ) -> list[Row]:
        """A hub's duty reports, oldest first, with their content and figures: after the
        position ``after``, at most ``limit`` of them (all without), and with
        ``up_to_version`` as of the hub's row at that version (rows written after the hub
        row was read are left out)."""
        where = Where(None, {"hub_id": hub_id, "kind": kind, "period": period}, after)
        if up_to_version is not None:
            where.add("version <= %s", up_to_version)
        bound = " LIMIT %s" if limit is not None else ""
        rows = self.query(
            f"SELECT position, period, kind, content, figures, reported_at FROM {DUTY_REPORTS} "
            f"WHERE {where.sql} ORDER BY position{bound}",
            [*where.params, *([limit] if limit is not None else [])],
        )
        for row in rows:
            row["figures"] = json_value(row["figures"])
            row["reported_at"] = time_value(row["reported_at"])
        return rows

    def affiliates(
        self,
        jurisdictions: list[str] | None,
        hub_id: str | None = None,
        uscc: str | None = None,
        status: str | None = None,
        after: int = 0,
        limit: int = 50,
        stage: str | None = None,
    ) -> list[Row]:
        equal = {"hub_id": hub_id, "uscc": uscc, "status": status, "stage": stage}
        where = Where(jurisdictions, equal, after)
        rows = self.query(
            f"SELECT * FROM {AFFILIATES} WHERE {where.sql} ORDER BY position LIMIT %s",
            [*where.params, limit],
        )
        return [_affiliate(row) for row in rows]

    def applications(
        self,
        jurisdictions: list[str] | None,
        status: str | None = None,
        after: int = 0,
        limit: int = 50,
        submitted_by: str | None = None,
    ) -> list[Row]:
        where = Where(jurisdictions, {"status": status, "submitted_by": submitted_by}, after)
        rows = self.query(
            f"SELECT * FROM {APPLICATIONS} WHERE {where.sql} ORDER BY position LIMIT %s",
            [*where.params, limit],
        )
        return [_application(row) for row in rows]


@dataclass(frozen=True)
class DutyThresholds:
    """How old a hub's last duty report may be, per jurisdiction, at one instant.

    ``in_force`` holds, for each jurisdiction with rules in force at ``now``,
    their version and their ``duty_report_max_age_days`` (None: the server's
    setting); every other jurisdiction has the server's setting, version 0.
    """

    now: datetime
    default_days: int
    in_force: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    def version(self, jurisdiction: str) -> int:
        return self.in_force.get(jurisdiction, (0, None))[0]

    def days(self, jurisdiction: str) -> int:
        return self.in_force.get(jurisdiction, (0, None))[1] or self.default_days

    def cutoff(self, jurisdiction: str) -> datetime:
        return self.now - timedelta(days=self.days(jurisdiction))

    def cutoff_sql(
        self, jurisdictions: list[str] | None, time_type: str = "TEXT"
    ) -> tuple[str, list[Any]]:
        """The cutoff of a hub row's jurisdiction, as SQL: a CASE over the jurisdictions
        whose rules set their own days (of those read), else the server's; each time cast
        to the dialect's type of times (a CASE of bare parameters would be text)."""
        own = sorted(
            j
            for j, (_, days) in self.in_force.items()
            if days is not None and (jurisdictions is None or j in jurisdictions)
        )
        default = self.now - timedelta(days=self.default_days)
        time = f"CAST(%s AS {time_type})"
        if not own:
            return time, [default]
        cases = " ".join(f"WHEN %s THEN {time}" for _ in own)
        params: list[Any] = [p for j in own for p in (j, self.cutoff(j))]
        return f"(CASE jurisdiction {cases} ELSE {time} END)", [*params, default]


def hub_flags(hub: Row, reported_before: datetime) -> list[str]:
    """What the registry flags on a hub for the office's attention.

    ``overdue_duty_report``: an active hub whose last duty report (or, with
    none, its designation) is older than its jurisdiction's threshold (the
    rules in force, or the server's setting); a person still decides any
    adjustment (Art. 7). ``failed_evaluation``: a hub, active or suspended,
    whose latest evaluation (by year) is graded ``fail`` (Art. 17).
    ``adjustment_pending``: an adjustment awaits the Leading Group.
    """
    flags = []
    last = hub["last_duty_report_at"] or hub["designated_at"]
    if hub["status"] == "active" and last < reported_before:
        flags.append("overdue_duty_report")
    if hub.get("evaluation_grade") == "fail" and hub["status"] != "revoked":
        flags.append("failed_evaluation")
    if hub["pending_adjustment"] is not None:
        flags.append("adjustment_pending")
    return flags


def party_coverage(active: int, covered: int) -> str | None:
    """The share of a hub's active affiliates whose latest Party-building record is not
    ``none``, as a decimal string with two decimals (half up: 1 of 3 is "0.33", 2 of 3
    "0.67"); None for a hub without an active affiliate, whose share is no number."""
    if active <= 0:
        return None
    share = (Decimal(covered) / Decimal(active)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(share)


def _hub(row: Row) -> Row:
    for column in HUB_JSON:
        row[column] = json_value(row[column])
    for column in ("designated_at", "last_duty_report_at"):
        row[column] = time_value(row[column])
    row["party_coverage"] = party_coverage(row["affiliate_count"], row["party_covered"])
    return row


AFFILIATE_JSON = (
    "inspections",
    "registration_reviews",
    "violation_referrals",
    "party_building",
)


def _affiliate(row: Row) -> Row:
    for column in AFFILIATE_JSON:
        row[column] = json_value(row[column])
    row["established_at"] = time_value(row["established_at"])
    return row


def _application(row: Row) -> Row:
    row["organization"] = json_value(row["organization"])
    row["submitted_at"] = time_value(row["submitted_at"])
    row["decided_at"] = time_value(row["decided_at"])
    return row


class SQLiteRegistryView(RegistryView, SQLiteSQLView):
    pass


class PostgresRegistryView(RegistryView, PostgresSQLView):
    pass


def _when(e: Any) -> str:
    return str(e.timestamp.isoformat())


class RegistryProjection(Projection[RegistryView]):
    name = "registry"

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Events the registry does not show still move its position."""
        with self.view.transaction(tracking):
            pass

    # Applications.

    @process_event.register
    def _(self, e: Application.Submitted, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.insert(c, APPLICATIONS, {
                "id": str(e.originator_id),
                "position": tracking.notification_id,
                "version": e.originator_version,
                "organization": e.organization.model_dump(mode="json"),
                "organization_name": e.organization.name,
                "uscc": e.organization.uscc,
                "kind": e.organization.kind,
                "field": e.field,
                "jurisdiction": e.jurisdiction,
                "status": "submitted",
                "submitted_at": e.timestamp,
                "submitted_by": str(e.actor.principal_id),
            })  # fmt: skip

    def _application(self, e: Application.Event, tracking: Tracking, **columns: Any) -> None:
        with self.view.transaction(tracking) as c:
            self.view.update(
                c, APPLICATIONS, e.originator_id, version=e.originator_version, **columns
            )

    @process_event.register
    def _(self, e: Application.SupplementRequested, tracking: Tracking) -> None:
        self._application(e, tracking, status="supplement_requested")

    @process_event.register
    def _(self, e: Application.Supplemented, tracking: Tracking) -> None:
        self._application(e, tracking, status="submitted")

    @process_event.register
    def _(self, e: Application.PreliminarilyReviewed, tracking: Tracking) -> None:
        self._application(e, tracking, status="preliminary_reviewed", opinion=e.opinion)

    @process_event.register
    def _(self, e: Application.Approved, tracking: Tracking) -> None:
        self._application(
            e, tracking, status="approved", decided_at=e.timestamp, hub_id=str(e.hub_id)
        )

    @process_event.register
    def _(self, e: Application.Rejected, tracking: Tracking) -> None:
        self._application(e, tracking, status="rejected", decided_at=e.timestamp)

    @process_event.register
    def _(self, e: Application.Withdrawn, tracking: Tracking) -> None:
        self._application(e, tracking, status="withdrawn")

    # Hubs.

    @process_event.register
    def _(self, e: Hub.Designated, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.insert(c, HUBS, {
                "id": str(e.originator_id),
                "position": tracking.notification_id,
                "version": e.originator_version,
                "name": e.name,
                "uscc": e.uscc,
                "kind": e.kind,
                "field": e.field,
                "jurisdiction": e.jurisdiction,
                "status": "active",
                "designated_at": e.timestamp,
                "application_id": str(e.application_id),
                "decision_ref": e.decision_ref,
                "responsibilities": [],
                "evaluations": [],
            })  # fmt: skip

    def _hub(
        self,
        e: Hub.Event,
        tracking: Tracking,
        append: tuple[str, Any] | None = None,
        **columns: Any,
    ) -> None:
        columns["version"] = e.originator_version
        with self.view.transaction(tracking) as c:
            if append is not None:
                self.view.append(c, HUBS, e.originator_id, *append, **columns)
            else:
                self.view.update(c, HUBS, e.originator_id, **columns)

    @process_event.register
    def _(self, e: Hub.ResponsibilitiesAssigned, tracking: Tracking) -> None:
        item = {"leader": e.leader, "department": e.department, "staff": e.staff}
        self._hub(e, tracking, ("responsibilities", {**item, "assigned_at": _when(e)}))

    @process_event.register
    def _(self, e: Hub.DutyReported, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.insert(c, DUTY_REPORTS, {
                "hub_id": str(e.originator_id),
                "position": tracking.notification_id,
                "version": e.originator_version,
                "period": e.period,
                "kind": e.kind,
                "content": e.content,
                "figures": e.figures,
                "reported_at": e.timestamp,
            })  # fmt: skip
            self.view.update(
                c,
                HUBS,
                e.originator_id,
                version=e.originator_version,
                last_duty_report_period=e.period,
                last_duty_report_at=e.timestamp,
            )

    @process_event.register
    def _(self, e: Hub.Evaluated, tracking: Tracking) -> None:
        item = {
            "year": e.year,
            "score": e.score,
            "grade": e.grade,
            "notes": e.notes,
            "indicators": e.indicators,
            "rules_version": e.rules_version,
        }
        with self.view.transaction(tracking) as c:
            self.view.append(
                c,
                HUBS,
                e.originator_id,
                "evaluations",
                {**item, "evaluated_at": _when(e)},
                version=e.originator_version,
            )
            # The latest evaluation is the one of the latest year, whatever the order.
            self.view.execute(
                c,
                f"UPDATE {HUBS} SET evaluation_year = %s, evaluation_grade = %s "
                "WHERE id = %s AND (evaluation_year IS NULL OR evaluation_year < %s)",
                [e.year, e.grade, str(e.originator_id), e.year],
            )

    @process_event.register
    def _(self, e: Hub.AdjustmentProposed, tracking: Tracking) -> None:
        self._hub(e, tracking, pending_adjustment=e.action)

    @process_event.register
    def _(self, e: Hub.AdjustmentApproved, tracking: Tracking) -> None:
        field: dict[str, Any] = {"field": e.new_field} if e.new_field is not None else {}
        self._hub(e, tracking, pending_adjustment=None, status=e.new_status, **field)

    @process_event.register
    def _(self, e: Hub.AdjustmentRejected, tracking: Tracking) -> None:
        self._hub(e, tracking, pending_adjustment=None)

    @process_event.register
    def _(
        self,
        e: Hub.UpwardReported | Hub.UpwardReportReplied | Hub.NoticeReceived,
        tracking: Tracking,
    ) -> None:
        self._hub(e, tracking)

    # Jurisdictions' rules (Art. 19): what the flags need of them.

    @process_event.register
    def _(self, e: Rules.Adopted | Rules.Revised, tracking: Tracking) -> None:
        recorded_at = e.timestamp
        with self.view.transaction(tracking) as c:
            self.view.insert(c, RULES, {
                "jurisdiction": e.jurisdiction,
                "version": e.originator_version,
                "position": tracking.notification_id,
                "effective_from": e.effective_from,
                "recorded_at": recorded_at,
                "in_force_from": max(e.effective_from, recorded_at),
                "duty_report_max_age_days": e.rules.duty_report_max_age_days,
            })  # fmt: skip

    # Affiliates.

    @process_event.register
    def _(self, e: Affiliation.Established, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            self.view.insert(c, AFFILIATES, {
                "id": str(e.originator_id),
                "position": tracking.notification_id,
                "version": e.originator_version,
                "hub_id": str(e.hub_id),
                "name": e.organization.name,
                "uscc": e.organization.uscc,
                "type": e.organization.type,
                "jurisdiction": e.jurisdiction,
                "stage": e.stage,
                "status": "active",
                "established_at": e.timestamp,
                "inspections": [],
                "registration_reviews": [],
                "violation_referrals": [],
                "party_building": [],
            })  # fmt: skip
            self.view.add_later(c, HUBS, e.hub_id, "affiliate_count", 1)

    def _affiliate(
        self,
        e: Affiliation.Event,
        tracking: Tracking,
        append: tuple[str, Any] | None = None,
        **columns: Any,
    ) -> None:
        with self.view.transaction(tracking) as c:
            self._leave_hub_if_active(c, e, columns.get("status"))
            columns["version"] = e.originator_version
            if append is not None:
                self.view.append(c, AFFILIATES, e.originator_id, *append, **columns)
            else:
                self.view.update(c, AFFILIATES, e.originator_id, **columns)

    def _leave_hub_if_active(self, c: Any, e: Affiliation.Event, new_status: str | None) -> None:
        """Keep ``affiliate_count`` and ``party_covered``: an affiliation that stops being
        active leaves its hub; one transferred joins its new hub."""
        if new_status is None:
            return
        self.view.leave_hub_if_active(c, e.originator_id)
        if new_status == "active":
            self.view.join_hub(c, e.originator_id, e.to_hub_id)  # type: ignore[attr-defined]

    @process_event.register
    def _(self, e: Affiliation.RegistrationReviewed, tracking: Tracking) -> None:
        item = {"matter": e.matter, "opinion": e.opinion, "notes": e.notes}
        self._affiliate(e, tracking, ("registration_reviews", {**item, "reviewed_at": _when(e)}))

    @process_event.register
    def _(self, e: Affiliation.Inspected, tracking: Tracking) -> None:
        item = {"year": e.year, "result": e.result, "notes": e.notes}
        self._affiliate(e, tracking, ("inspections", {**item, "inspected_at": _when(e)}))

    @process_event.register
    def _(self, e: Affiliation.Registered, tracking: Tracking) -> None:
        self._affiliate(e, tracking, uscc=e.uscc, stage="registered")

    @process_event.register
    def _(self, e: Affiliation.ViolationReferred, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            referral_id = e.referral_id
            if referral_id is None:  # recorded before referrals had ids: by its order
                earlier = self.view.read_json(c, AFFILIATES, e.originator_id, "violation_referrals")
                referral_id = referral_id_for(e.originator_id, len(earlier) + 1)
            item = {
                "id": str(referral_id),
                "description": e.description,
                "referred_to": e.referred_to,
                "referred_at": _when(e),
                "outcome": None,
                "outcome_notes": None,
                "outcome_at": None,
            }
            self.view.append(
                c,
                AFFILIATES,
                e.originator_id,
                "violation_referrals",
                item,
                version=e.originator_version,
            )

    @process_event.register
    def _(self, e: Affiliation.ReferralOutcomeRecorded, tracking: Tracking) -> None:
        with self.view.transaction(tracking) as c:
            referrals = self.view.read_json(c, AFFILIATES, e.originator_id, "violation_referrals")
            outcome = {"outcome": e.outcome, "outcome_notes": e.notes, "outcome_at": _when(e)}
            referrals = [
                {**r, **outcome} if r["id"] == str(e.referral_id) else r for r in referrals
            ]
            self.view.update(
                c,
                AFFILIATES,
                e.originator_id,
                version=e.originator_version,
                violation_referrals=referrals,
            )

    @process_event.register
    def _(self, e: Affiliation.PartyBuildingRecorded, tracking: Tracking) -> None:
        """The latest record by year (of one year, the last) is the affiliate's; its hub's
        ``party_covered`` follows while the affiliate is active."""
        item = {
            "year": e.year,
            "organization": e.organization,
            "members": e.members,
            "recorded_at": _when(e),
        }
        with self.view.transaction(tracking) as c:
            (row,) = self.view.query_in(
                c,
                f"SELECT hub_id, status, party_year, party_covered FROM {AFFILIATES} WHERE id = %s",
                [str(e.originator_id)],
            )
            latest: dict[str, Any] = {}
            if row["party_year"] is None or e.year >= row["party_year"]:
                covered = int(e.organization != "none")
                latest = {
                    "party_organization": e.organization,
                    "party_year": e.year,
                    "party_members": e.members,
                    "party_covered": covered,
                }
                delta = covered - row["party_covered"]
                if row["status"] == "active" and delta:
                    self.view.add_later(c, HUBS, row["hub_id"], "party_covered", delta)
            self.view.append(
                c,
                AFFILIATES,
                e.originator_id,
                "party_building",
                item,
                version=e.originator_version,
                **latest,
            )

    @process_event.register
    def _(self, e: Affiliation.Transferred, tracking: Tracking) -> None:
        self._affiliate(e, tracking, status="active", hub_id=str(e.to_hub_id))

    @process_event.register
    def _(self, e: Affiliation.SupervisorLost, tracking: Tracking) -> None:
        self._affiliate(e, tracking, status="needs_supervisor")

    @process_event.register
    def _(self, e: Affiliation.Ended, tracking: Tracking) -> None:
        self._affiliate(e, tracking, status="ended")

    @process_event.register
    def _(self, e: Affiliation.NoticeRelayed, tracking: Tracking) -> None:
        self._affiliate(e, tracking)
