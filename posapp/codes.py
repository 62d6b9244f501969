"""Coupon codes: random Crockford base32 with a Luhn mod 32 check character.

A code is ``RANDOM_LENGTH`` symbols drawn with :mod:`secrets` (55 random bits) followed by one check
symbol from the same alphabet, computed with the Luhn mod N algorithm (python-stdnum), which catches
every single mistyped symbol and most swapped neighbours before any database lookup.
"""

from __future__ import annotations

import re
import secrets
from enum import Enum

from stdnum import luhn
from stdnum.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
RANDOM_LENGTH = 11
CODE_LENGTH = RANDOM_LENGTH + 1
GROUP_SIZE = 4
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_SEPARATORS = re.compile(r"[\s\-_.]+")
_READS_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


class CodeProblem(Enum):
    """Why a typed or scanned text is not a coupon code."""

    WRONG_LENGTH = "wrong_length"
    BAD_CHARACTER = "bad_character"
    BAD_CHECK = "bad_check"


def strip_scanner_noise(raw: str) -> tuple[str, str | None]:
    """Remove surrounding whitespace, control characters and a leading AIM identifier (]C0...)."""
    text = "".join(ch for ch in raw if ch.isprintable()).strip()
    symbology = None
    match = _AIM_PREFIX.match(text)
    if match:
        symbology = match.group(0)
        text = text[match.end() :]
    return text, symbology


def normalise(raw: str) -> str:
    """Canonical form of a typed or scanned coupon code: upper case, I/L->1, O->0, no separators."""
    text, _ = strip_scanner_noise(raw)
    return _SEPARATORS.sub("", text).upper().translate(_READS_AS)


def check_symbol(body: str) -> str:
    return str(luhn.calc_check_digit(body, alphabet=ALPHABET))


def problem_with(code: str) -> CodeProblem | None:
    """None when ``code`` (already normalised) is a well-formed coupon code."""
    if len(code) != CODE_LENGTH:
        return CodeProblem.WRONG_LENGTH
    if any(ch not in ALPHABET for ch in code):
        return CodeProblem.BAD_CHARACTER
    try:
        luhn.validate(code, alphabet=ALPHABET)
    except ValidationError:
        return CodeProblem.BAD_CHECK
    return None


def looks_like_coupon(code: str) -> bool:
    """Shape test without the check: right length, coupon alphabet, at least one letter.

    Item tags and loyalty cards are all digits, so a coupon always carries a letter.
    """
    return (
        len(code) == CODE_LENGTH
        and all(ch in ALPHABET for ch in code)
        and any(ch.isalpha() for ch in code)
    )


def new_code() -> str:
    """A fresh random code with its check symbol. Always holds a letter (see looks_like_coupon)."""
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        code = body + check_symbol(body)
        if any(ch.isalpha() for ch in code):
            return code


def grouped(code: str) -> str:
    """'ABCD-EFGH-JKMN' for reading aloud and printing."""
    return "-".join(code[i : i + GROUP_SIZE] for i in range(0, len(code), GROUP_SIZE))
