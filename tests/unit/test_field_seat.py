from uuid import uuid4

import pytest

from shuniu.aggregates.errors import StateConflict, UniquenessConflict
from shuniu.aggregates.field_seat import FieldSeat, seat_id_for
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
