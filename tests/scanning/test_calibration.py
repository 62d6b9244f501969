"""Calibration of a keyboard scanner: gaps and a suggested threshold from exact timed keys, and the
keyboard-layout mix-ups named from the text that arrived instead of the printed code."""

from __future__ import annotations

import pytest

from posapp.scanning.calibration import (
    CALIBRATION_CODE,
    Calibration,
    KeyGaps,
    Mismatch,
    calibrate,
    check_layout,
    gaps_ms,
    gaps_text,
    layout_text,
    milliseconds,
    suggestion_text,
)

GERMAN_ARRIVAL = "CALß0123456789ßAQWYZM"
FRENCH_ARRIVAL = "CQL)à&é\"'(-è_ç)QAZWY?"


def timed(text: str, gaps_ms: list[float] | float, start: float = 100.0) -> list[tuple[float, str]]:
    """Keys of ``text``; the first at ``start`` seconds, then each after its gap."""
    gaps = gaps_ms if isinstance(gaps_ms, list) else [gaps_ms] * (len(text) - 1)
    at, keys = start, [(start, text[0])]
    for char, gap in zip(text[1:], gaps, strict=True):
        at += gap / 1000
        keys.append((at, char))
    return keys


def test_the_calibration_code_is_code_128_and_holds_what_layouts_change() -> None:
    from printing.barcodes import code128

    pattern = code128(CALIBRATION_CODE)
    assert pattern.text == CALIBRATION_CODE and pattern.bars()
    assert set("0123456789AQWZYM-") <= set(CALIBRATION_CODE)


def test_keys_8_ms_apart_with_one_12_ms_spike() -> None:
    gaps = [8.0] * 21  # 21 characters and Enter: 21 gaps
    gaps[7] = 12.0
    result = calibrate(timed(CALIBRATION_CODE + "\r", gaps))
    assert result.text == CALIBRATION_CODE
    assert result.gaps is not None
    assert result.gaps.count == 21
    assert result.gaps.median_ms == pytest.approx(8.0)
    assert result.gaps.max_ms == pytest.approx(12.0)
    assert result.suggested_gap_ms == 24  # twice the largest gap
    assert result.mismatch is None
    assert not result.typed_by_hand


def test_the_suggestion_has_a_floor_and_a_ceiling_and_is_whole_milliseconds() -> None:
    assert calibrate(timed(CALIBRATION_CODE + "\r", 4.0)).suggested_gap_ms == 20
    assert calibrate(timed(CALIBRATION_CODE + "\r", 30.0)).suggested_gap_ms == 45
    assert calibrate(timed(CALIBRATION_CODE + "\r", 11.3)).suggested_gap_ms == 23  # 22.6 up


def test_typing_by_hand_is_measured_but_suggests_nothing() -> None:
    result = calibrate(timed(CALIBRATION_CODE + "\r", 120.0))
    assert result.typed_by_hand
    assert result.suggested_gap_ms is None
    assert "typing speed" in gaps_text(result)
    assert suggestion_text(result) == ""


def test_one_key_has_no_gaps() -> None:
    result = calibrate([(1.0, "\r")])
    assert result.gaps is None and result.suggested_gap_ms is None
    assert result.mismatch is not None and result.mismatch.kinds == (Mismatch.NOTHING,)
    assert gaps_text(result) == "Too few keys arrived to measure the time between them."


def test_gaps_are_milliseconds_between_neighbours() -> None:
    assert gaps_ms([(1.0, "a"), (1.009, "b"), (1.025, "c")]) == pytest.approx([9.0, 16.0])
    assert gaps_ms([]) == []


def test_the_code_as_printed_is_no_mismatch() -> None:
    assert check_layout(CALIBRATION_CODE, CALIBRATION_CODE) is None
    result = Calibration(CALIBRATION_CODE, CALIBRATION_CODE, KeyGaps(9.0, 14.0, 21), 28, None)
    assert layout_text(result) == (
        "The code arrived exactly as printed: the keyboard layout is right."
    )
    assert gaps_text(result) == "Keys arrived 9 ms apart (median), 14 ms at most (21 gaps)."
    assert suggestion_text(result) == "Suggested maximum key gap: 28 ms."


def test_us_scanner_into_a_german_keyboard() -> None:
    check = check_layout(CALIBRATION_CODE, GERMAN_ARRIVAL)
    assert check is not None
    assert check.kinds == (Mismatch.GERMAN_LAYOUT,)
    assert "German (QWERTZ)" in check.message and "'ß'" in check.message


def test_us_scanner_into_a_french_keyboard() -> None:
    check = check_layout(CALIBRATION_CODE, FRENCH_ARRIVAL)
    assert check is not None
    assert check.kinds == (Mismatch.FRENCH_LAYOUT,)
    assert "French (AZERTY)" in check.message and "&é\"'(-è_çà" in check.message


def test_caps_lock_inverts_the_case() -> None:
    check = check_layout(CALIBRATION_CODE, "cal-0123456789-aqwzym")
    assert check is not None
    assert check.kinds == (Mismatch.CAPS_LOCK,)
    assert check.message.startswith("Caps Lock is on")


def test_german_layout_with_caps_lock_says_both() -> None:
    check = check_layout(CALIBRATION_CODE, "calß0123456789ßaqwyzm")
    assert check is not None
    assert check.kinds == (Mismatch.GERMAN_LAYOUT, Mismatch.CAPS_LOCK)
    assert "German" in check.message and "Caps Lock" in check.message


@pytest.mark.parametrize(
    "arrived",
    [
        "CAL-013456789-AQWZYM",  # '2' lost
        "CAL-0123456789-AQWZY",  # the last key lost
        "CAL--0123456789-AQWZYM",  # '-' doubled
        "CCAL-01223456789-AQWZYMM",  # three doubled
        "CAL-01234556789AQWZYM",  # one doubled, one lost
    ],
)
def test_lost_or_doubled_keys(arrived: str) -> None:
    check = check_layout(CALIBRATION_CODE, arrived)
    assert check is not None
    assert check.kinds == (Mismatch.LOST_OR_DOUBLED,)
    assert "lost or doubled" in check.message


def test_french_layout_with_a_lost_key_says_both() -> None:
    check = check_layout(CALIBRATION_CODE, FRENCH_ARRIVAL[:-1])
    assert check is not None
    assert check.kinds == (Mismatch.FRENCH_LAYOUT, Mismatch.LOST_OR_DOUBLED)


@pytest.mark.parametrize(
    ("arrived", "words"),
    [
        ("]C0" + CALIBRATION_CODE, "The scanner adds ']C0' before the code. Set it as"),
        (CALIBRATION_CODE + "#", "The scanner adds '#' after the code."),
        ("*" + CALIBRATION_CODE + "#", "The scanner adds '*' before the code and '#' after it."),
    ],
)
def test_a_prefix_or_suffix_from_the_scanner_is_named(arrived: str, words: str) -> None:
    check = check_layout(CALIBRATION_CODE, arrived)
    assert check is not None
    assert check.kinds == (Mismatch.EXTRA_CHARACTERS,)
    assert check.message.startswith(words)


@pytest.mark.parametrize("arrived", ["2000000000015", "CAL-9876543210-AQWZYM", "C"])
def test_anything_else_is_a_different_code(arrived: str) -> None:
    check = check_layout(CALIBRATION_CODE, arrived)
    assert check is not None
    assert check.kinds == (Mismatch.DIFFERENT,)
    assert check.message == (
        f"A different code arrived: '{arrived}' instead of '{CALIBRATION_CODE}'. Scan the code "
        "on the screen, not another barcode."
    )


def test_calibrate_leaves_the_terminator_out_of_the_text_and_checks_the_layout() -> None:
    result = calibrate(timed(FRENCH_ARRIVAL + "\r", 9.0))
    assert result.text == FRENCH_ARRIVAL
    assert result.mismatch is not None
    assert result.mismatch.kinds == (Mismatch.FRENCH_LAYOUT,)
    assert result.suggested_gap_ms == 20
    assert layout_text(result) == result.mismatch.message


def test_milliseconds_to_a_tenth() -> None:
    assert [milliseconds(v) for v in (9.25, 12.0, 0.04, 131.66)] == ["9.2", "12", "0", "131.7"]
