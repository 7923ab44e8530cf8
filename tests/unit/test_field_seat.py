import unicodedata
from uuid import UUID, uuid4, uuid5

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuniu.aggregates.errors import StateConflict, UniquenessConflict
from shuniu.aggregates.field_seat import SEAT_NAMESPACE, FieldSeat, field_key, seat_id_for
from tests.factories import actor


def test_a_seat_is_named_by_jurisdiction_and_field_whatever_its_spelling() -> None:
    assert seat_id_for("110000", "Science  and Technology") == seat_id_for(
        "110000", "science and technology"
    )
    assert seat_id_for("110000", "ＳＣＩＥＮＣＥ") == seat_id_for("110000", "science")
    assert seat_id_for("110000", "science") != seat_id_for("110105", "science")
    seat = FieldSeat(jurisdiction="110000", field="Science", actor=actor())
    assert seat.id == seat_id_for("110000", "science")


def test_an_occupied_seat_refuses_a_second_hub_until_released() -> None:
    seat = FieldSeat(jurisdiction="110000", field="science", actor=actor())
    first, second = uuid4(), uuid4()
    seat.claim(first, actor())
    with pytest.raises(UniquenessConflict):
        seat.claim(second, actor())
    with pytest.raises(StateConflict):
        seat.release(second, actor())
    seat.release(first, actor())
    seat.claim(second, actor())
    assert seat.hub_id == second
    assert [type(e).__name__ for e in seat.collect_events()] == [
        "Opened",
        "Claimed",
        "Released",
        "Claimed",
    ]


def key_before_invisibles(field: str) -> str:
    """field_key as it was before invisible characters were dropped: what stored seats use."""
    return " ".join(unicodedata.normalize("NFKC", field).casefold().split())


INVISIBLE = [
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\u061c",  # Arabic letter mark
    "\u115f", "\u1160",  # Hangul choseong and jungseong fillers
    "\u17b4", "\u17b5",  # Khmer inherent vowels
    "\u180b", "\u180e", "\u180f",  # Mongolian variation selector, vowel separator
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",  # zero-width space, (non-)joiner, marks
    "\u202a", "\u202e",  # bidi embedding and override
    "\u2060", "\u2061", "\u2062", "\u2063", "\u2064",  # word joiner, invisible operators
    "\u2066", "\u2069",  # bidi isolates
    "\u3164",  # Hangul filler
    "\ufe00", "\ufe0e", "\ufe0f",  # variation selectors
    "\ufeff",  # byte order mark, zero-width no-break space
    "\uffa0",  # halfwidth Hangul filler
    "\U0001d173",  # musical symbol begin beam
    "\U000e0001", "\U000e0041",  # language tag, tag letter A
    "\U000e0100", "\U000e01ef",  # variation selectors supplement
    "\x00", "\x07", "\x7f", "\x9b",  # control characters that are not whitespace
]  # fmt: skip


@pytest.mark.parametrize(
    "spelling",
    [
        "Youth", "youth", "YOUTH", "ｙｏｕｔｈ", "ＹＯＵＴＨ", "You\u200bth", "Youth\u00ad",
        "\ufeffYouth", "Yo\u200cuth", "Youth\u2060", "You\u200dth", "Y\ufe0fouth",
        "Yout\U000e0100h", "  Youth  ", "\tYouth\n", "\u3000Youth\u3000", "\u00a0Youth",
        "\u200b \u200bYouth\u200b \u200b", "Y\u180eouth", "Yo\u2061uth", "Youth\u3164",
        "\u115fYouth", "Youth\uffa0", "Y\u034fouth", "\u2800Youth", "Yo\x00uth",
        "Y\u00adO\u200bU\u200cT\u200dH\ufeff",
    ],
)  # fmt: skip
def test_one_seat_whatever_the_case_width_or_invisible_characters(spelling: str) -> None:
    assert field_key(spelling) == "youth"
    assert seat_id_for("110000", spelling) == seat_id_for("110000", "Youth")


@pytest.mark.parametrize(
    "spelling",
    [
        "Science and Technology", " science  and technology ", "Science\tand\nTechnology",
        "Science\u3000and\u00a0Technology", "Science \u200band\u200b Technology",
        "Science\u2800and Technology", "ＳＣＩＥＮＣＥ ＡＮＤ ＴＥＣＨＮＯＬＯＧＹ",
    ],
)  # fmt: skip
def test_spaces_around_and_between_words_are_one_space(spelling: str) -> None:
    assert field_key(spelling) == "science and technology"


def test_what_stood_between_invisible_characters_composes() -> None:
    assert field_key("e\u200b\u0301") == field_key("\u00e9") == "\u00e9"
    assert field_key("Caf\u00e9") == field_key("Cafe\u2060\u0301")
    assert field_key("a\u0301\u034f\u0323") == field_key("a\u0323\u0301")


def test_a_field_is_still_told_from_another() -> None:
    assert field_key("youth") != field_key("youths")
    assert field_key("科技") != field_key("科学")
    assert field_key("Youth-work") != field_key("Youthwork")  # a hyphen that shows is kept
    assert field_key("Yo uth") != field_key("Youth")


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("science", "science"), ("Science  and Technology", "science and technology"),
        ("ＳＣＩＥＮＣＥ", "science"), ("Straße", "strasse"), ("ﬁnance", "finance"),
        ("科技 创新", "科技 创新"), ("青年", "青年"), ("Ⅻ", "xii"), ("café", "café"),
        ("Women's rights", "women's rights"),
    ],
)  # fmt: skip
def test_ordinary_fields_keep_the_key_and_seat_they_had(field: str, key: str) -> None:
    assert field_key(field) == key == key_before_invisibles(field)
    assert seat_id_for("110000", field) == uuid5(SEAT_NAMESPACE, f"110000:{key}")


def test_a_stored_seat_id_is_unchanged() -> None:
    assert seat_id_for("110000", "science") == SCIENCE_SEAT
    assert seat_id_for("110105", "Science and Technology") == SCIENCE_AND_TECHNOLOGY_SEAT


# Seat ids that stores hold: uuid5 of the namespace and "jurisdiction:key", pinned.
SCIENCE_SEAT = UUID("ef8fb7c3-7201-57c4-9813-9f0a9703f430")
SCIENCE_AND_TECHNOLOGY_SEAT = UUID("3ac19c98-6819-551e-9841-ab958182331f")


def drawn(character: str) -> bool:
    """Whether the character draws something (the test's own reading of Unicode)."""
    if character in INVISIBLE or 0xE0000 <= ord(character) <= 0xE0FFF:
        return False
    category = unicodedata.category(character)
    return category not in ("Cf", "Cc", "Cs") and character not in "\u115f\u1160\u3164\uffa0\u2800"


ordinary_text = st.text(
    alphabet=st.characters(exclude_categories=("Cf", "Cc", "Cs")).filter(drawn), max_size=30
).filter(lambda text: all(map(drawn, unicodedata.normalize("NFKC", text))))


@given(ordinary_text)
@settings(max_examples=500)
def test_any_field_without_invisible_characters_keeps_its_key(field: str) -> None:
    assert field_key(field) == key_before_invisibles(field)


@given(
    ordinary_text, st.lists(st.tuples(st.integers(0, 30), st.sampled_from(INVISIBLE)), max_size=5)
)
@settings(max_examples=500)
def test_invisible_characters_anywhere_do_not_change_the_key(
    field: str, insertions: list[tuple[int, str]]
) -> None:
    spelled = field
    for at, character in insertions:
        spelled = spelled[:at] + character + spelled[at:]
    assert field_key(spelled) == field_key(field)
