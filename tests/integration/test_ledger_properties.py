"""Property: whatever the commands, the journal balances and every balance is its lines' sum.

Runs the ledger projection itself, on SQLite and PostgreSQL, over the events
that random command sequences record.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuniu.aggregates.funding_agreement import FundingAgreement, Program, Recipient
from shuniu.projections.ledger import AGREEMENTS, ENTRIES, TABLES, LedgerProjection, LedgerView
from shuniu.projections.runner import PROJECTIONS, open_view
from shuniu.settings import APPLICATION_NAME, Settings
from tests.factories import FUNDING_COMMANDS, actor, funding_step

PROGRAMS: list[Program] = ["government_purchase", "public_welfare", "special_fund"]

step = st.tuples(
    st.sampled_from(FUNDING_COMMANDS),
    st.integers(min_value=0, max_value=2),  # which agreement
    st.integers(min_value=1, max_value=700_00),  # amount in fen
    st.integers(min_value=0, max_value=20),  # which entry, for a reversal
)


@pytest.fixture
def view(settings: Settings) -> Iterator[LedgerView]:
    ledger: LedgerView = open_view(PROJECTIONS["ledger"], settings)
    yield ledger
    ledger.datastore.close()


def run(steps: list[tuple[str, int, int, int]], amounts: list[int]) -> list[FundingAgreement]:
    hubs = [uuid4(), uuid4()]
    agreements = [
        FundingAgreement(
            recipient=Recipient(hub_id=hubs[i % 2], name=f"Hub {i % 2}", uscc="91350100M000100Y43"),
            jurisdiction="110000",
            program=PROGRAMS[i],
            fiscal_year=2026 + i % 2,
            amount=amount,
            decision_ref=f"F-{i}",
            purpose="p",
            actor=actor(),
        )
        for i, amount in enumerate(amounts)
    ]
    for name, which, amount, pick in steps:
        funding_step(agreements[which], name, amount, pick)
    return agreements


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(step, max_size=25),
    amounts=st.lists(st.integers(min_value=1, max_value=2000_00), min_size=3, max_size=3),
)
def test_the_journal_balances_and_balances_are_sums_of_lines(
    view: LedgerView, steps: list[tuple[str, int, int, int]], amounts: list[int]
) -> None:
    view.reset(TABLES)
    agreements = run(steps, amounts)
    projection = LedgerProjection(view)
    events = [e for f in agreements for e in f.collect_events()]
    for position, event in enumerate(events, 1):
        projection.process_event(event, Tracking(APPLICATION_NAME, position))

    unbalanced = view.query(
        f"SELECT event_id FROM {ENTRIES} GROUP BY event_id HAVING SUM(debit) <> SUM(credit) "
        "OR COUNT(*) <> 2"
    )
    assert unbalanced == []
    for f in agreements:
        (row,) = view.query(f"SELECT * FROM {AGREEMENTS} WHERE id = %s", [str(f.id)])
        assert (row["committed"], row["disbursed"], row["refunded"], row["released"]) == (
            f.committed, f.disbursed, f.refunded, f.released,
        )  # fmt: skip
        lines = view.query(
            f"SELECT kind, SUM(credit - debit) AS net FROM {ENTRIES} "
            "WHERE funding_id = %s AND account = 'commitments' GROUP BY kind",
            [str(f.id)],
        )
        net = {line["kind"]: int(line["net"]) for line in lines}
        assert net.get("commitment", 0) == f.committed
        assert -net.get("disbursement", 0) == f.disbursed
        assert net.get("refund", 0) == f.refunded
        assert -net.get("release", 0) == f.released
    for by in ("hub", "program", "fiscal_year"):
        for balance in view.balances(by, None, {}):
            assert balance["outstanding"] == (
                balance["committed"] - balance["disbursed"] + balance["refunded"]
                - balance["released"]
            )  # fmt: skip
    total = sum(f.outstanding for f in agreements)
    assert sum(int(b["outstanding"]) for b in view.balances("hub", None, {})) == total
