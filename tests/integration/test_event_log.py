"""The event log on SQLite and PostgreSQL: commands, policies, concurrency, durability."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from structlog.testing import capture_logs

from shuniu.aggregates.designation_application import DesignationApplication, hub_id_for
from shuniu.aggregates.errors import (
    IdempotencyKeyReused,
    PreconditionFailed,
    StateConflict,
    UniquenessConflict,
)
from shuniu.aggregates.hub_organization import HubOrganization
from shuniu.aggregates.roster import Roster
from shuniu.application import Shuniu
from shuniu.application.audit import AuditLog
from shuniu.commands.designation import (
    DecideApplication,
    RequestSupplement,
    ReviewApplication,
    SubmitApplication,
)
from shuniu.commands.hubs import ReportDuty
from shuniu.settings import Settings
from tests.factories import actor, application_fields, ctx
from tests.integration.support import designate, run_projections_to


def reviewed(app: Shuniu, seed: int = 1, field: str = "science") -> UUID:
    submitted = app.handle(
        SubmitApplication(**application_fields(seed=seed, field=field)), ctx("applicant")
    )
    app.handle(
        ReviewApplication(application_id=submitted.aggregate.id, opinion="recommend", notes="ok"),
        ctx(),
    )
    return submitted.aggregate.id


def approve(app: Shuniu, application_id: UUID, **context: Any) -> int:
    return app.handle(
        DecideApplication(
            application_id=application_id, decision="approve", decision_ref="LG-1", reasons="ok"
        ),
        ctx("leading_group", **context),
    ).position


def writers(settings: Settings, n: int) -> list[Shuniu]:
    """``n`` applications on one store, as ``n`` API processes would be (each fast-forwards
    what it caches: another may have written since)."""
    several = settings.model_copy(update={"api_processes": n})
    return [Shuniu(env=several.eventsourcing_env()) for _ in range(n)]


def in_threads(n: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in n threads released together; each result or raised error."""
    results: list[object] = [None] * n
    start = threading.Barrier(n)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as e:
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_positions_are_global_and_every_event_names_its_actor(app: Shuniu) -> None:
    first = app.handle(SubmitApplication(**application_fields(seed=1)), ctx("applicant"))
    second = app.handle(SubmitApplication(**application_fields(seed=2)), ctx("applicant"))
    assert second.position == first.position + 1
    notifications = app.recorder.select_notifications(1, 10)
    assert [n.id for n in notifications] == [first.position, second.position]
    event = app.mapper.to_domain_event(notifications[0])
    assert event.actor.role == "applicant"  # type: ignore[attr-defined]


def test_the_designation_procedure_on_the_store(app: Shuniu) -> None:
    application_id = reviewed(app)
    position = approve(app, application_id)
    assert position == app.last_position()
    hub = app.get(hub_id_for(application_id), HubOrganization)
    assert (hub.status, hub.field, hub.application_id) == ("active", "science", application_id)


def test_a_second_hub_for_an_occupied_seat_is_refused_and_nothing_recorded(app: Shuniu) -> None:
    approve(app, reviewed(app, seed=1))
    second = reviewed(app, seed=2, field="SCIENCE")
    head = app.last_position()
    with pytest.raises(UniquenessConflict):
        approve(app, second)
    assert app.last_position() == head


def test_racing_approvals_for_one_seat_designate_exactly_one_hub(settings: Settings) -> None:
    apps = writers(settings, 4)
    try:
        ids = [reviewed(apps[0], seed=i) for i in range(4)]
        results = in_threads(4, lambda i: approve(apps[i], ids[i]))
        assert sum(isinstance(r, int) for r in results) == 1, results
        assert all(isinstance(r, UniquenessConflict) for r in results if not isinstance(r, int))
        designated = [
            n
            for n in apps[0].recorder.select_notifications(1, 1000)
            if n.topic.endswith("HubOrganization.Designated")
        ]
        assert len(designated) == 1
    finally:
        for a in apps:
            a.close()


def test_eight_commands_with_the_same_if_match_one_wins(app: Shuniu) -> None:
    submitted = app.handle(SubmitApplication(**application_fields()), ctx("applicant"))
    application_id = submitted.aggregate.id
    results = in_threads(
        8,
        lambda _: app.handle(
            RequestSupplement(application_id=application_id, reason="More, please."),
            ctx(if_match=1),
        ),
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert all(isinstance(r, PreconditionFailed) for r in results if r not in winners)
    assert app.get(application_id, DesignationApplication).version == 2


def test_without_if_match_racing_commands_are_each_checked_against_the_winner(app: Shuniu) -> None:
    """No last-writer-wins: the losers re-run against the new state and are refused."""
    application_id = reviewed(app)
    results = in_threads(
        4,
        lambda _: app.handle(
            DecideApplication(
                application_id=application_id, decision="reject", decision_ref="LG-9", reasons="no"
            ),
            ctx("leading_group"),
        ),
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, StateConflict) for r in results if isinstance(r, Exception))
    assert app.get(application_id, DesignationApplication).version == 3


def test_an_idempotency_key_replays_the_first_answer_and_survives_a_restart(
    settings: Settings,
) -> None:
    principal = uuid4()
    first_app = Shuniu(env=settings.eventsourcing_env())
    application_id = reviewed(first_app)
    first = first_app.handle(
        DecideApplication(
            application_id=application_id, decision="approve", decision_ref="LG-1", reasons="ok"
        ),
        ctx("leading_group", principal, key="k-1", fingerprint="body-a"),
    )
    first_app.close()

    app = Shuniu(env=settings.eventsourcing_env())
    try:
        head = app.last_position()
        again = app.handle(
            DecideApplication(
                application_id=application_id, decision="approve", decision_ref="LG-1", reasons="ok"
            ),
            ctx("leading_group", principal, key="k-1", fingerprint="body-a"),
        )
        assert again.replayed
        assert again.position == first.position
        assert again.aggregate.version == first.aggregate.version
        assert app.last_position() == head
        with pytest.raises(IdempotencyKeyReused):
            app.handle(
                DecideApplication(
                    application_id=application_id,
                    decision="reject",
                    decision_ref="LG-1",
                    reasons="no",
                ),
                ctx("leading_group", principal, key="k-1", fingerprint="body-b"),
            )
    finally:
        app.close()


def test_the_same_key_from_another_principal_is_another_command(app: Shuniu) -> None:
    one = app.handle(SubmitApplication(**application_fields(seed=1)), ctx("applicant", key="same"))
    two = app.handle(SubmitApplication(**application_fields(seed=2)), ctx("applicant", key="same"))
    assert one.aggregate.id != two.aggregate.id
    assert not two.replayed


def test_a_long_stream_is_snapshotted_and_replays_to_the_same_state(app: Shuniu) -> None:
    roster = Roster(kind="test", key="long", actor=actor())
    for _ in range(249):
        roster.add(uuid4(), actor())
        app.save(roster)
    assert roster.version == 250
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(roster.id))
    assert [s.originator_version for s in snapshots] == [100, 200]
    for version in (1, 99, 100, 101, 200, 250):
        from_snapshot = app.repository.get(roster.id, version=version)
        replayed = None
        for event in app.events.get(roster.id, lte=version):
            replayed = event.mutate(replayed)
        assert vars(from_snapshot) == vars(replayed)


def test_approvals_racing_on_one_jurisdictions_roster_all_land_and_the_chain_holds(
    settings: Settings,
) -> None:
    """Each approval adds its hub to the jurisdiction's roster: a hot stream under races."""
    apps = writers(settings, 4)
    try:
        reviewed_ids = [[reviewed(apps[0], seed=100 * i + n, field=f"f{i}.{n}") for n in range(6)]
                        for i in range(4)]  # fmt: skip

        def approve_all(i: int) -> list[object]:
            answers: list[object] = []
            for application_id in reviewed_ids[i]:
                try:
                    answers.append(approve(apps[i], application_id))
                except StateConflict as e:
                    answers.append(e)
            return answers

        results = in_threads(4, approve_all)
        flat = [a for answers in results for a in answers]  # type: ignore[attr-defined]
        assert len(flat) == 24
        assert all(isinstance(a, int | StateConflict) for a in flat), flat
        assert sum(isinstance(a, int) for a in flat) >= 20
        assert AuditLog(apps[0]).verify().ok
    finally:
        for a in apps:
            a.close()


def test_a_save_that_passes_several_snapshot_versions_takes_one_snapshot(app: Shuniu) -> None:
    roster = Roster(kind="test", key="bulk", actor=actor())
    for _ in range(249):
        roster.add(uuid4(), actor())
    app.save(roster)
    assert app.snapshots is not None
    assert [s.originator_version for s in app.snapshots.get(roster.id)] == [250]
    assert app.repository.get(roster.id).version == 250


def test_many_writers_lose_no_update_and_leave_no_position_twice_or_skipped(
    settings: Settings, views: dict[str, Any]
) -> None:
    """Writers on one hot aggregate and on many others at once: every acknowledged
    change is in the log once, positions are unique and increasing, and the read
    models apply every one of them."""
    apps = writers(settings, 6)
    try:
        hub = designate_one(apps[0])

        def write(i: int) -> list[object]:
            done: list[object] = []
            for n in range(12):
                try:
                    if i % 2:  # the same aggregate from every odd writer
                        apps[i].handle(
                            ReportDuty(
                                hub_id=hub,
                                period="2026-Q1",
                                kind="work",
                                content=f"{i}.{n}",
                                figures={},
                            ),
                            ctx("hub"),
                        )
                        done.append(("report", f"{i}.{n}"))
                    else:  # a new aggregate each time
                        fields = application_fields(seed=1000 * i + n, field=f"w{i}.{n}")
                        created = apps[i].handle(SubmitApplication(**fields), ctx("applicant"))
                        done.append(("application", created.aggregate.id))
                except StateConflict as e:
                    done.append(e)
            return done

        results = in_threads(6, write)
        acknowledged = [a for r in results for a in r if isinstance(a, tuple)]  # type: ignore[attr-defined]
        reports = {content for kind, content in acknowledged if kind == "report"}
        stream = list(apps[0].events.get(hub))
        stored = [e.content for e in stream if isinstance(e, HubOrganization.DutyReported)]
        assert sorted(stored) == sorted(reports)  # no lost update, none twice
        assert apps[0].get(hub, HubOrganization).duty_report_count == len(reports)
        notifications = apps[0].recorder.select_notifications(1, 100_000)
        positions = [n.id for n in notifications]
        assert positions == sorted(set(positions))
        run_projections_to(settings, views, positions[-1])
        registry = views["registry"]
        applications = {kind_id for kind, kind_id in acknowledged if kind == "application"}
        listed = {UUID(row["id"]) for row in registry.applications(None, limit=500)}
        assert applications <= listed
        (row,) = [h for h in registry.hubs(None) if h["id"] == str(hub)]
        assert len(registry.duty_reports(row["id"], row["version"])) == len(reports)
    finally:
        for a in apps:
            a.close()


def designate_one(app: Shuniu) -> UUID:
    application_id = reviewed(app, seed=999_999, field="hot")
    approve(app, application_id)
    return hub_id_for(application_id)


def test_a_second_writer_unannounced_is_noticed_and_its_writes_seen(settings: Settings) -> None:
    """With SHUNIU_API_PROCESSES=1 a process trusts its cache; another process writing to the
    store is noticed at the first save after it, logged, and the cache forgotten."""
    first, second = (
        Shuniu(env=settings.eventsourcing_env()),
        Shuniu(env=settings.eventsourcing_env()),
    )
    try:
        hub = designate(first, 1, "science")
        first.handle(ReportDuty(hub_id=hub, period="2026-Q1", kind="work", content="a"), ctx("hub"))
        assert first.get(hub, HubOrganization).duty_report_count == 1
        second.handle(
            ReportDuty(hub_id=hub, period="2026-Q2", kind="work", content="b"), ctx("hub")
        )
        with capture_logs() as logs:
            first.handle(
                SubmitApplication(**application_fields(seed=9, field="art")), ctx("applicant")
            )
        assert [e for e in logs if e["event"] == "another_writer"], logs
        assert first.get(hub, HubOrganization).duty_report_count == 2
    finally:
        first.close()
        second.close()
