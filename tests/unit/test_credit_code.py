import pytest
from pydantic import TypeAdapter, ValidationError

from shuniu.aggregates.base import CreditCode
from shuniu.aggregates.credit_code import ALPHABET, credit_code_problem, is_valid_credit_code
from tests.factories import VALID_CODE, credit_code

codes = TypeAdapter(CreditCode)


def test_a_published_code_is_valid() -> None:
    assert is_valid_credit_code(VALID_CODE)
    assert codes.validate_python(VALID_CODE) == VALID_CODE


@pytest.mark.parametrize("position", range(18))
def test_changing_any_one_character_is_caught(position: int) -> None:
    original = VALID_CODE[position]
    replacement = ALPHABET[(ALPHABET.index(original) + 1) % len(ALPHABET)]
    altered = VALID_CODE[:position] + replacement + VALID_CODE[position + 1 :]
    assert not is_valid_credit_code(altered)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (VALID_CODE[:-1], "must be 18 characters"),
        (VALID_CODE + "3", "must be 18 characters"),
        ("91350100M000100I43", "outside"),  # I is not in the alphabet
        ("91350100M0001000S3", "outside"),  # nor S
        ("91350100M000100Y44", "check character is 4, expected 3"),
    ],
)
def test_a_bad_code_is_refused_with_its_reason(code: str, reason: str) -> None:
    problem = credit_code_problem(code)
    assert problem is not None
    assert reason in problem
    with pytest.raises(ValidationError, match="Unified Social Credit Code"):
        codes.validate_python(code)


def test_lower_case_and_spaces_are_normalised() -> None:
    assert codes.validate_python(f"  {VALID_CODE.lower()} ") == VALID_CODE


def test_generated_codes_are_valid() -> None:
    assert all(is_valid_credit_code(credit_code(seed)) for seed in range(200))
