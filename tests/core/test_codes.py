"""Coupon codes: random, unambiguous, normalised, and a check character that catches typos."""

from __future__ import annotations

import math
import secrets
from itertools import pairwise

import pytest
from sqlalchemy import event

from posapp import codes
from posapp.db import Database
from posapp.services.cart import ScanRefused, resolve_scan
from posapp.services.coupon_rules import RefusalReason

SAMPLE_CODES = [codes.new_code() for _ in range(4)] + [
    "0Z0Z0Z0Z0Z0" + codes.check_symbol("0Z0Z0Z0Z0Z0")
]


def test_alphabet_is_crockford_base32_without_ambiguous_letters() -> None:
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 32
    assert not set("ILOU") & set(codes.ALPHABET)
    assert set(codes.ALPHABET) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_codes_carry_at_least_50_random_bits_and_one_check_character() -> None:
    assert codes.RANDOM_LENGTH * math.log2(len(codes.ALPHABET)) >= 50
    generated = [codes.new_code() for _ in range(5000)]
    assert len(set(generated)) == len(generated)
    for code in generated:
        assert len(code) == codes.CODE_LENGTH == codes.RANDOM_LENGTH + 1
        assert set(code) <= set(codes.ALPHABET)
        assert codes.problem_with(code) is None
        assert codes.looks_like_coupon(code)


def test_generation_draws_from_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    real_choice = secrets.choice

    def spy(alphabet: str) -> str:
        symbol = real_choice(alphabet)
        drawn.append(symbol)
        return symbol

    monkeypatch.setattr(codes.secrets, "choice", spy)
    code = codes.new_code()
    assert len(drawn) >= codes.RANDOM_LENGTH
    assert code[: codes.RANDOM_LENGTH] == "".join(drawn[-codes.RANDOM_LENGTH :])


def test_every_symbol_is_used_roughly_evenly() -> None:
    counts = dict.fromkeys(codes.ALPHABET, 0)
    for _ in range(3000):
        for symbol in codes.new_code()[: codes.RANDOM_LENGTH]:
            counts[symbol] += 1
    expected = 3000 * codes.RANDOM_LENGTH / 32
    assert all(0.7 * expected < n < 1.3 * expected for n in counts.values()), counts


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn", "ABCDEFGHJKMN"),
        ("  ABCD EFGH JKMN \n", "ABCDEFGHJKMN"),
        ("]C0ABCD-EFGH-JKMN", "ABCDEFGHJKMN"),
        ("]Q3abcdefghjkmn", "ABCDEFGHJKMN"),
        ("IL1O0o-ilLO", "1110001110"),
        ("ab_cd.ef\tgh", "ABCDEFGH"),
    ],
)
def test_typed_and_scanned_text_is_normalised(typed: str, expected: str) -> None:
    assert codes.normalise(typed) == expected


def test_a_printed_code_read_back_in_any_form_is_valid() -> None:
    code = codes.new_code()
    for form in (codes.grouped(code), codes.grouped(code).lower(), "]C0" + code, f" {code} "):
        assert codes.problem_with(codes.normalise(form)) is None
    assert codes.grouped(code).count("-") == 2


@pytest.mark.parametrize("code", SAMPLE_CODES)
def test_check_character_catches_every_single_substitution(code: str) -> None:
    for position in range(len(code)):
        for symbol in codes.ALPHABET:
            if symbol == code[position]:
                continue
            typo = code[:position] + symbol + code[position + 1 :]
            assert codes.problem_with(typo) is codes.CodeProblem.BAD_CHECK, typo


def _transpositions(code: str) -> list[tuple[str, str]]:
    """(swapped code, the two symbols) for each adjacent pair of different symbols."""
    return [
        (code[:i] + b + a + code[i + 2 :], a + b)
        for i, (a, b) in enumerate(pairwise(code))
        if a != b
    ]


def test_check_character_catches_adjacent_transpositions_except_0_and_z() -> None:
    """Luhn mod N guarantees every adjacent swap is caught except of the first and last symbol
    of the alphabet ('0' and 'Z'). Measured over random codes, the rate is above 99%."""
    caught = missed = 0
    for _ in range(2000):
        for swapped, pair in _transpositions(codes.new_code()):
            if codes.problem_with(swapped) is None:
                missed += 1
                assert set(pair) == {"0", "Z"}, (swapped, pair)
            else:
                caught += 1
    assert caught / (caught + missed) > 0.99
    all_swaps = _transpositions(SAMPLE_CODES[-1])
    assert all(codes.problem_with(swapped) is None for swapped, _ in all_swaps[:-1])


def test_a_mistyped_code_is_refused_before_any_coupon_lookup(demo_db: Database) -> None:
    code = next(c for c in (codes.new_code() for _ in range(100)) if c[3].isalpha())
    typo = code[:3] + ("B" if code[3] != "B" else "C") + code[4:]
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(demo_db.engine, "before_cursor_execute", record)
    try:
        outcome = resolve_scan(demo_db, codes.grouped(typo))
    finally:
        event.remove(demo_db.engine, "before_cursor_execute", record)
    assert isinstance(outcome, ScanRefused)
    assert outcome.refusal.reason is RefusalReason.BAD_CHECK
    assert "typo" in outcome.refusal.message
    assert statements, "the listener saw no statement at all"
    assert not [s for s in statements if "coupons" in s.lower()]
