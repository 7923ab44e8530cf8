"""GB/T 2260 division codes: the shipped list, and the jurisdictions commands accept."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from shuniu.aggregates.base import Jurisdiction, KnownJurisdiction
from shuniu.aggregates.divisions import LIST_DATE, division_codes, is_division, name_of
from shuniu.generate import DISTRICTS

known = TypeAdapter(KnownJurisdiction)
stored = TypeAdapter(Jurisdiction)

BEIJING = {
    "110000": "北京市",
    "110101": "东城区", "110102": "西城区", "110105": "朝阳区", "110106": "丰台区",
    "110107": "石景山区", "110108": "海淀区", "110109": "门头沟区", "110111": "房山区",
    "110112": "通州区", "110113": "顺义区", "110114": "昌平区", "110115": "大兴区",
    "110116": "怀柔区", "110117": "平谷区", "110118": "密云区", "110119": "延庆区",
}  # fmt: skip


def test_the_list_has_every_division_at_county_level_and_above() -> None:
    codes = division_codes()
    assert len(codes) >= 3200
    assert list(codes) == sorted(set(codes))
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
    provinces = [code for code in codes if code.endswith("0000")]
    assert len(provinces) == 34
    # Every division lies in a province of the list; every name is Chinese, unpadded.
    assert all(code[:2] + "0000" in provinces for code in codes)
    names = [name_of(code) for code in codes]
    assert all(name and name == name.strip() and not name.isascii() for name in names)


def test_beijing_and_its_sixteen_districts() -> None:
    in_beijing = {code: name_of(code) for code in division_codes() if code.startswith("11")}
    assert in_beijing == BEIJING
    assert not is_division("110100")  # the "市辖区" placeholder is no division


@pytest.mark.parametrize(
    ("code", "name"),
    [("120000", "天津市"), ("130100", "石家庄市"), ("130629", "容城县"), ("419001", "济源市"),
     ("460300", "三沙市"), ("652300", "昌吉回族自治州"), ("810000", "香港特别行政区")],
)  # fmt: skip
def test_a_division_has_its_name(code: str, name: str) -> None:
    assert is_division(code)
    assert name_of(code) == name


@pytest.mark.parametrize(
    "code",
    ["190000", "123456", "000000", "999999", "110100", "110104", "1１００００", "110000\n",
     " 110000", "11000", "1100000", ""],
)  # fmt: skip
def test_what_is_not_a_division(code: str) -> None:
    assert not is_division(code)
    assert name_of(code) is None


def test_the_generator_and_the_municipality_use_real_codes() -> None:
    assert all(is_division(code) for code in ["110000", *DISTRICTS])


@pytest.mark.parametrize("code", ["110000", "110105", "110119", "310115", "650000", "820000"])
def test_a_known_jurisdiction_is_accepted_as_it_is(code: str) -> None:
    assert known.validate_python(code) == code
    assert known.validate_json(f'"{code}"') == code


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("1１００００", "six ASCII digits"),  # fullwidth digits
        ("1١٠٠٠٠", "six ASCII digits"),  # Arabic-Indic digits
        ("110000\n", "six ASCII digits"),
        ("110000 ", "six ASCII digits"),
        (" 110000", "six ASCII digits"),
        ("11000", "six ASCII digits"),
        ("1100000", "six ASCII digits"),
        ("", "six ASCII digits"),
        ("beijing", "six ASCII digits"),
        ("190000", "190000 is not a GB/T 2260 administrative division code"),
        ("123456", "123456 is not a GB/T 2260 administrative division code"),
        ("110100", "110100 is not a GB/T 2260 administrative division code"),
    ],
)
def test_a_jurisdiction_that_is_not_a_division_is_refused_saying_why(
    code: str, reason: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(reason)):
        known.validate_python(code)


def test_the_refusal_names_the_list_and_quotes_the_input() -> None:
    with pytest.raises(ValidationError, match=f"as at {LIST_DATE}"):
        known.validate_python("190000")
    with pytest.raises(ValidationError, match=re.escape(r"got '110000\n'")):
        known.validate_python("110000\n")
    with pytest.raises(ValidationError, match=r"\(5000 characters\)"):
        known.validate_python("1" * 5000)


@pytest.mark.parametrize("value", [110000, 110000.0, True, None, ["110000"]])
def test_a_jurisdiction_is_a_string_never_a_number(value: object) -> None:
    with pytest.raises(ValidationError):
        known.validate_python(value)


def test_in_a_request_body() -> None:
    class Body(BaseModel):
        jurisdiction: KnownJurisdiction

    assert Body.model_validate_json('{"jurisdiction": "110105"}').jurisdiction == "110105"
    for bad in ('"190000"', '"1\\uff11\\uff10\\uff10\\uff10\\uff10"', '"110000\\n"', "110000"):
        with pytest.raises(ValidationError):
            Body.model_validate_json(f'{{"jurisdiction": {bad}}}')
    schema = Body.model_json_schema()["properties"]["jurisdiction"]
    assert (schema["type"], schema["pattern"]) == ("string", "^[0-9]{6}$")


@pytest.mark.parametrize("code", ["110000", "190000", "123456", "110100", "1１００００"])
def test_events_keep_any_code_they_were_stored_with(code: str) -> None:
    """``Jurisdiction`` (inside events) checks no list: what is stored always decodes."""
    assert stored.validate_python(code) == code
