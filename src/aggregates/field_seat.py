"""FieldSeat: at most one active hub per field per jurisdiction (Art. 2).

The seat's id is uuid5(jurisdiction, field), so two approvals racing for one
seat write the same stream at the same version: the event store's own
uniqueness rule refuses the second, not a check-then-write in our code.
"""

from __future__ import annotations

import unicodedata
from uuid import UUID, uuid5

from eventsourcing.domain import event

from shuniu.aggregates.base import Actor, Aggregate, Jurisdiction
from shuniu.aggregates.errors import StateConflict, UniquenessConflict

SEAT_NAMESPACE = UUID("0f5a8d3c-6a1e-4c5e-8f0b-2d7e9c4b1a02")


# Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt) that are not
# format characters (Cf): they draw nothing either.
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors (and U+180E, Cf)
    (0x2065, 0x2065),  # unassigned, reserved as ignorable
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFF8),  # unassigned, reserved as ignorable
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement, reserved beyond
)
_IGNORABLE = frozenset(chr(c) for first, last in _IGNORABLE_RANGES for c in range(first, last + 1))
_BLANKS = {0x2800: " "}  # the Braille pattern blank draws as a space: it is one here


def _visible(character: str) -> bool:
    """False for what draws nothing: format (Cf) and other default-ignorable
    characters (zero-width space and joiners, soft hyphen, BOM, word joiner,
    invisible operators, variation selectors, Hangul fillers, tags) and
    control characters other than whitespace."""
    if character in _IGNORABLE:
        return False
    category = unicodedata.category(character)
    return not (category == "Cf" or (category == "Cc" and not character.isspace()))


def field_key(field: str) -> str:
    """What a field's identity is: its text without regard to case, width,
    Unicode normalization (NFKC), spacing, or characters that draw nothing.

    ``Youth``, fullwidth ``Youth``, ``You\\u200bth``, ``\\ufeffYouth`` and
    `` Youth\\u00ad `` have one key, ``youth``. A field without invisible
    characters has the key it always had (NFKC, casefold, spaces collapsed), so
    the seats of stored fields keep their ids; the second NFKC, after the
    invisible characters go, composes what they stood between.
    """
    text = unicodedata.normalize("NFKC", field)
    if not all(map(_visible, text)):
        text = unicodedata.normalize("NFKC", "".join(filter(_visible, text)))
    return " ".join(text.translate(_BLANKS).casefold().split())


def seat_id_for(jurisdiction: str, field: str) -> UUID:
    return uuid5(SEAT_NAMESPACE, f"{jurisdiction}:{field_key(field)}")


class FieldSeat(Aggregate):
    @staticmethod
    def create_id(jurisdiction: str, field: str, **_: object) -> UUID:
        return seat_id_for(jurisdiction, field)

    @event("Opened")
    def __init__(self, jurisdiction: Jurisdiction, field: str, actor: Actor) -> None:
        self.jurisdiction = jurisdiction
        self.field = field
        self.hub_id: UUID | None = None

    def claim(self, hub_id: UUID, actor: Actor) -> None:
        if self.hub_id is not None:
            raise UniquenessConflict(
                f"the field {self.field!r} of jurisdiction {self.jurisdiction} "
                f"already has an active hub ({self.hub_id})"
            )
        self._claimed(hub_id=hub_id, actor=actor)

    def release(self, hub_id: UUID, actor: Actor) -> None:
        if self.hub_id != hub_id:
            raise StateConflict(f"hub {hub_id} does not hold the seat of {self.field!r}")
        self._released(hub_id=hub_id, actor=actor)

    @event("Claimed")
    def _claimed(self, hub_id: UUID, actor: Actor) -> None:
        self.hub_id = hub_id

    @event("Released")
    def _released(self, hub_id: UUID, actor: Actor) -> None:
        self.hub_id = None
