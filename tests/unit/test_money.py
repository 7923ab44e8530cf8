"""Money in requests: ASCII digits only, nothing around them, and at most ten billion yuan."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from shuniu.aggregates.money import MAX_FEN, MAX_YUAN, Amount, Yuan, fen_from_yuan, yuan


class Body(BaseModel):
    amount: Amount


class Answer(BaseModel):
    amount: Yuan


@pytest.mark.parametrize(
    "text",
    [
        "10.00\n", "10.00\r\n", "\n10.00", "1٠.٠٠", "1００.００", "１", "1.٥", "+5", "-5", " 5",
        "5 ", "5\t", "5.", ".5", "05", "00.50", "1e3", "1E3", "5.000", "1_000", "1,000.00",
        "0x10", "NaN", "Infinity", "５.00", "1\u200b0.00", "1\u00a0000.00",
    ],
)  # fmt: skip
def test_an_amount_not_written_in_ascii_digits_alone_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="is not an amount in yuan"):
        Body.model_validate({"amount": text})


@pytest.mark.parametrize(("text", "fen"), [("7", 700), ("0.01", 1), ("12.5", 1250), ("0.5", 50)])
def test_plain_amounts_still_parse_exactly(text: str, fen: int) -> None:
    assert Body.model_validate({"amount": text}).amount == fen


def test_ten_billion_yuan_is_the_most_one_amount_may_be() -> None:
    assert MAX_YUAN == "10000000000.00" == yuan(MAX_FEN)
    assert Body.model_validate({"amount": "10000000000.00"}).amount == MAX_FEN
    assert Body.model_validate({"amount": "10000000000"}).amount == MAX_FEN
    assert Body.model_validate({"amount": "9999999999.99"}).amount == MAX_FEN - 1


@pytest.mark.parametrize(
    "text",
    ["10000000000.01", "10000000001", "99999999999.99", "999999999999999.99", "1" + "0" * 5000],
)
def test_above_ten_billion_yuan_is_refused_saying_the_bound(text: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(f"at most {MAX_YUAN} yuan")):
        Body.model_validate({"amount": text})


@pytest.mark.parametrize("bad", ["0", "0.00", "0.0"])
def test_zero_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="strictly positive"):
        Body.model_validate({"amount": bad})


@pytest.mark.parametrize("bad", ["12.5", "100", "1e3", "true", "null", '["5"]'])
def test_a_json_value_that_is_not_a_string_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        Body.model_validate_json(f'{{"amount": {bad}}}')
    if bad in ("12.5", "100"):
        with pytest.raises(ValidationError, match="never a JSON number"):
            Body.model_validate_json(f'{{"amount": {bad}}}')


@given(st.integers(min_value=1, max_value=MAX_FEN))
def test_every_amount_up_to_the_bound_round_trips_exactly(fen: int) -> None:
    text = yuan(fen)
    assert fen_from_yuan(text) == fen
    assert Answer(amount=fen).model_dump(mode="json") == {"amount": text}
    assert Body.model_validate_json(f'{{"amount": "{text}"}}').amount == fen


def test_an_answer_writes_totals_past_the_bound_exactly() -> None:
    """Totals of many amounts pass the bound of one, and 2^63 too: answers write them all."""
    assert Answer(amount=2**64 + 1).model_dump(mode="json") == {"amount": "184467440737095516.17"}
    assert yuan(-150) == "-1.50"


def test_the_schema_says_what_is_accepted() -> None:
    schema = Body.model_json_schema()["properties"]["amount"]
    assert schema["type"] == "string"
    pattern = schema["pattern"]
    assert (pattern[0], pattern[-1]) == ("^", "$")
    body = pattern[1:-1]
    for text in ("1250000.00", "0.01", "7", MAX_YUAN):
        assert re.fullmatch(body, text)
    for text in ("05", "+5", "1e3", "5.", "1٠.٠٠", "100000000000.00"):
        assert not re.fullmatch(body, text)
