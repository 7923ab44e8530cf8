"""The OCDS export's fixed parts: the merge rules are the official schema's, dates sort."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from ocdsmerge.rules import get_merge_rules

from shuniu.exports.ocds import MERGE_RULES, ocid, timestamp, value
from tests.schemas import SCHEMAS


def test_the_merge_rules_are_those_of_the_official_release_schema() -> None:
    derived = get_merge_rules(str(SCHEMAS / "ocds" / "release-schema.json"))
    assert derived == MERGE_RULES


def test_release_dates_sort_as_text_in_time_order() -> None:
    """ocdsmerge sorts a record's releases by their date text: every date has one width."""
    base = datetime(2026, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    moments = [base + timedelta(microseconds=n) for n in (0, 1, 999_999, 1_000_000)]
    moments.append(datetime(2026, 3, 1, 1, 0, 0, 1, tzinfo=UTC))  # = 09:00:00.000001+08:00
    texts = [timestamp(m) for m in moments]
    assert sorted(texts) == [timestamp(m) for m in sorted(moments)]
    assert len({len(t) for t in texts}) == 1
    assert texts[0] == "2026-03-01T01:00:00.000000Z"


def test_values_are_exact_yuan_in_cny() -> None:
    assert value(125_000_000) == {"amount": 1_250_000, "currency": "CNY"}
    assert value(40_000_010) == {"amount": 400_000.1, "currency": "CNY"}
    assert value(-10) == {"amount": -0.1, "currency": "CNY"}
    assert ocid("f") == "ocds-shuniu-f"
