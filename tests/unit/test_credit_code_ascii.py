"""A credit code is ASCII: nothing is upper-cased or normalised into its alphabet."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from shuniu.aggregates.base import CreditCode
from shuniu.aggregates.credit_code import (
    ALPHABET,
    check_character,
    credit_code_problem,
    normalised_credit_code,
)
from tests.factories import VALID_CODE

codes = TypeAdapter(CreditCode)

WITH_FF = "91110000MAFF00001" + check_character("91110000MAFF00001")
"""A valid code with "FF" in it: the ligature U+FB00 upper-cases to those two letters."""


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


def test_the_codes_these_tests_alter_are_valid() -> None:
    assert codes.validate_python(VALID_CODE) == VALID_CODE
    assert codes.validate_python(WITH_FF) == WITH_FF


@pytest.mark.parametrize(
    "code",
    [
        fullwidth(VALID_CODE),
        fullwidth(VALID_CODE.lower()),
        fullwidth(VALID_CODE[:1]) + VALID_CODE[1:],  # one fullwidth digit
        VALID_CODE[:-1] + fullwidth(VALID_CODE[-1]),
        WITH_FF.replace("FF", "\ufb00"),  # 17 characters, 18 once upper-cased
        WITH_FF.lower().replace("ff", "\ufb00"),
        VALID_CODE.replace("M", "\u041c"),  # Cyrillic capital EM, drawn like M
    ],
)
def test_a_non_ascii_character_is_refused_not_upper_cased_into_the_alphabet(code: str) -> None:
    with pytest.raises(ValidationError, match="outside"):
        codes.validate_python(code)


@pytest.mark.parametrize(
    "code",
    [
        VALID_CODE + "\n",
        VALID_CODE + "\r\n",
        "\n" + VALID_CODE,
        VALID_CODE + "\t",
        VALID_CODE + "\u00a0",  # no-break space
        "\u3000" + VALID_CODE,  # ideographic space
        VALID_CODE + "\u200b",  # zero-width space
        "\ufeff" + VALID_CODE,  # byte order mark
        VALID_CODE[:9] + " " + VALID_CODE[9:],
    ],
)
def test_only_surrounding_ascii_spaces_are_dropped(code: str) -> None:
    with pytest.raises(ValidationError, match="Unified Social Credit Code"):
        codes.validate_python(code)


def test_surrounding_spaces_and_lower_case_ascii_still_normalise() -> None:
    assert codes.validate_python(f"  {VALID_CODE.lower()}  ") == VALID_CODE
    assert codes.validate_json(f'" {WITH_FF.lower()}"') == WITH_FF


def test_no_character_outside_ascii_can_become_one_of_the_alphabet() -> None:
    """Every code point whose NFKC or upper case holds a letter or digit of the alphabet
    (fullwidth and mathematical letters, ligatures, circled digits, the Kelvin sign, ...)
    is refused where it stands."""
    sneaky = [
        c
        for c in map(chr, range(0x80, 0x110000))
        if not 0xD800 <= ord(c) <= 0xDFFF
        and any(x in ALPHABET for x in unicodedata.normalize("NFKC", c).upper() + c.upper())
    ]
    assert len(sneaky) > 500
    for c in sneaky:
        assert normalised_credit_code(c) == c
        code = VALID_CODE[:10] + c + VALID_CODE[11:]
        problem = credit_code_problem(normalised_credit_code(code))
        assert problem is not None
        assert f"U+{ord(c):04X}" in problem


def test_the_refusal_names_the_characters_it_cannot_take() -> None:
    problem = credit_code_problem(VALID_CODE + "\n")
    assert problem == f"contains characters outside {ALPHABET}: U+000A"
    with pytest.raises(ValidationError, match=re.escape("U+FB00")):
        codes.validate_python(WITH_FF.replace("FF", "\ufb00"))


def test_a_credit_code_is_a_string_never_a_number() -> None:
    class Body(BaseModel):
        uscc: CreditCode

    with pytest.raises(ValidationError):
        Body.model_validate_json('{"uscc": 913501001000100143}')
    assert Body.model_validate_json(f'{{"uscc": "{VALID_CODE}"}}').uscc == VALID_CODE
