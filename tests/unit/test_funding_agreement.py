"""FundingAgreement: exact money, its invariants, and reversals instead of edits."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from shuniu.aggregates.errors import NotFound, StateConflict
from shuniu.aggregates.funding_agreement import FundingAgreement, Recipient
from shuniu.aggregates.money import MAX_FEN, Amount, Yuan, fen_from_yuan, yuan
from tests.factories import FUNDING_COMMANDS, actor, funding_step


def committed(amount: int = 100_000_00) -> FundingAgreement:
    f = FundingAgreement(
        recipient=Recipient(hub_id=uuid4(), name="Science Association", uscc="91350100M000100Y43"),
        jurisdiction="110000", program="special_fund", fiscal_year=2026, amount=amount,
        decision_ref="F-2026-1", purpose="Service platform", actor=actor(),
    )  # fmt: skip
    f.collect_events()
    return f


class Body(BaseModel):
    amount: Amount


class Answer(BaseModel):
    amount: Yuan


@pytest.mark.parametrize(
    ("text", "fen"), [("1250000.00", 125_000_000), ("0.01", 1), ("7", 700), ("12.5", 1250)]
)
def test_amounts_in_yuan_become_exact_fen(text: str, fen: int) -> None:
    assert Body.model_validate({"amount": text}).amount == fen


@pytest.mark.parametrize(
    "bad", ["0", "0.00", "-1.00", "1.001", "1e3", "01.00", " 1", "", "1,000.00", 12.5, 100, True]
)
def test_bad_amounts_are_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        Body.model_validate({"amount": bad})


@given(st.integers(min_value=1, max_value=MAX_FEN))
def test_amounts_round_trip_exactly(fen: int) -> None:
    text = yuan(fen)
    assert fen_from_yuan(text) == fen
    assert Answer(amount=fen).model_dump(mode="json") == {"amount": text}
    assert Body.model_validate_json(f'{{"amount": "{text}"}}').amount == fen


def test_disbursed_never_exceeds_committed_and_refunded_never_exceeds_disbursed() -> None:
    f = committed(1000_00)
    f.disburse(600_00, "V-1", date(2026, 3, 1), actor())
    with pytest.raises(StateConflict, match="exceed what remains committed"):
        f.disburse(400_01, "V-2", date(2026, 3, 2), actor())
    f.disburse(400_00, "V-2", date(2026, 3, 2), actor())
    with pytest.raises(StateConflict, match="exceed what was disbursed"):
        f.refund(1000_01, "too much", actor())
    f.refund(100_00, "unspent", actor())
    assert (f.disbursed, f.refunded, f.outstanding) == (1000_00, 100_00, 100_00)
    f.disburse(100_00, "V-3", date(2026, 4, 1), actor())  # a refund makes room again
    assert f.outstanding == 0


def test_a_frozen_agreement_pays_nothing_until_unfrozen() -> None:
    f = committed()
    f.freeze("Hub suspended.", actor())
    with pytest.raises(StateConflict, match="frozen"):
        f.disburse(1_00, "V", date(2026, 3, 1), actor())
    with pytest.raises(StateConflict):
        f.freeze("Again.", actor())
    f.unfreeze("Hub reinstated.", actor())
    f.disburse(1_00, "V", date(2026, 3, 1), actor())


def test_closing_releases_what_was_not_disbursed_and_ends_the_agreement() -> None:
    f = committed(1000_00)
    f.disburse(250_00, "V-1", date(2026, 3, 1), actor())
    f.close("Programme ended.", actor())
    assert (f.status, f.released, f.outstanding) == ("closed", 750_00, 0)
    for command in (
        lambda: f.disburse(1, "V", date(2026, 3, 1), actor()),
        lambda: f.refund(1, "r", actor()),
        lambda: f.close("again", actor()),
    ):
        with pytest.raises(StateConflict):
            command()


def test_a_mistake_is_reversed_by_an_event_that_names_it() -> None:
    f = committed(1000_00)
    wrong = f.disburse(500_00, "V-1 (wrong amount)", date(2026, 3, 1), actor())
    f.reverse(wrong, "Keyed 500.00 for 50.00.", actor())
    events = f.collect_events()
    assert type(events[-1]).__name__ == "Reversed"
    assert events[-1].reverses == wrong  # type: ignore[attr-defined]
    assert f.entry(wrong).reversed_by is not None
    assert f.entry(wrong).amount == 500_00  # the record itself is unchanged
    assert f.disbursed == 0
    with pytest.raises(StateConflict, match="already reversed"):
        f.reverse(wrong, "Twice.", actor())
    with pytest.raises(NotFound):
        f.reverse(uuid4(), "No such entry.", actor())


def test_a_reversal_may_not_break_the_invariants() -> None:
    f = committed(1000_00)
    paid = f.disburse(1000_00, "V-1", date(2026, 3, 1), actor())
    refund = f.refund(400_00, "unspent", actor())
    with pytest.raises(StateConflict, match="more refunded than disbursed"):
        f.reverse(paid, "r", actor())
    f.disburse(400_00, "V-2", date(2026, 3, 2), actor())
    with pytest.raises(StateConflict, match="more than was committed"):
        f.reverse(refund, "r", actor())


commands = st.lists(
    st.tuples(
        st.sampled_from(FUNDING_COMMANDS),
        st.integers(min_value=1, max_value=600_00),
        st.integers(min_value=0, max_value=20),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(commands)
def test_any_sequence_of_commands_keeps_the_invariants(steps: list[tuple[str, int, int]]) -> None:
    f = committed(1000_00)
    for name, amount, pick in steps:
        funding_step(f, name, amount, pick)
        assert 0 <= f.refunded <= f.disbursed
        assert 0 <= f.outstanding <= f.committed
        assert f.committed - f.disbursed + f.refunded - f.released == f.outstanding
