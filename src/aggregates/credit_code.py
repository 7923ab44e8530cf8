"""The Unified Social Credit Code (统一社会信用代码, GB 32100-2015).

Only the final check character is verified; the organization-code segment's
own GB 11714 check is not, since registries hold codes that fail it (SPEC.md).
A code is ASCII: a character outside the alphabet is refused as it is, never
upper-cased or normalised into it (a fullwidth letter, the ligature U+FB00 "ff").
"""

import string

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def check_character(first_seventeen: str) -> str:
    """The check character GB 32100-2015 computes from the first 17 characters."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first_seventeen, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalised_credit_code(text: str) -> str:
    """``text`` without surrounding ASCII spaces and with ASCII letters upper-cased.

    Nothing else changes: ``str.upper`` would turn the ligature U+FB00 into ``FF``
    and the dotless i (U+0131) into ``I``, and stripping all whitespace would let
    ``"...\\n"`` pass.
    """
    return text.strip(" ").translate(_ASCII_UPPER)


def _shown(character: str) -> str:
    printable = character.isascii() and character.isprintable()
    return character if printable else f"U+{ord(character):04X}"


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code, or None when it is."""
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return f"contains characters outside {ALPHABET}: {', '.join(_shown(c) for c in bad)}"
    if len(code) != LENGTH:
        return f"must be {LENGTH} characters, got {len(code)}"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]}, expected {expected}"
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None
