"""The keyboard-wedge classifier over timed keys: scanners 7-16 ms a key, people > 50 ms."""

from __future__ import annotations

from posapp.scanning.wedge import (
    Typing,
    WedgeScan,
    WedgeSettings,
    WedgeTracker,
    classify,
    suggested_gap_ms,
)


def timed(text: str, gaps_ms: list[float] | float, start: float = 100.0) -> list[tuple[float, str]]:
    """Keys of ``text``; the first at ``start`` seconds, then each after its gap."""
    gaps = gaps_ms if isinstance(gaps_ms, list) else [gaps_ms] * (len(text) - 1)
    at, keys = start, [(start, text[0])]
    for char, gap in zip(text[1:], gaps, strict=True):
        at += gap / 1000
        keys.append((at, char))
    return keys


def test_keys_8_ms_apart_ending_in_enter_are_a_scan() -> None:
    assert classify(timed("2000000000015\r", 8)) == [WedgeScan("2000000000015", 14)]


def test_a_16_ms_spike_inside_a_scan_keeps_it_a_scan() -> None:
    gaps = [8.0] * 13
    gaps[5] = 16.0
    assert classify(timed("2000000000015\r", gaps)) == [WedgeScan("2000000000015", 14)]


def test_tab_terminates_a_scan_too() -> None:
    assert classify(timed("ABCD1234\t", 9)) == [WedgeScan("ABCD1234", 9)]


def test_typing_150_ms_apart_is_typing_even_with_enter() -> None:
    assert classify(timed("1234\r", 150)) == [Typing("1234\r")]


def test_a_short_fast_burst_is_typing() -> None:
    assert classify(timed("ab\r", 8)) == [Typing("ab\r")]
    assert classify(timed("abcd", 8)) == [Typing("abcd")]  # no terminator


def test_a_burst_after_typing_is_a_scan_and_the_typing_stays_typing() -> None:
    typed = timed("hi ", 150)
    scanned = timed("]E02000000000015\r", 10, start=typed[-1][0] + 0.4)
    assert classify(typed + scanned) == [Typing("hi "), WedgeScan("]E02000000000015", 17)]


def test_one_slow_gap_in_the_middle_turns_the_start_into_typing() -> None:
    gaps = [8.0] * 13
    gaps[3] = 150.0
    assert classify(timed("2000000000015\r", gaps)) == [Typing("2000"), WedgeScan("000000015", 10)]


def test_with_a_prefix_only_prefixed_bursts_are_scans() -> None:
    settings = WedgeSettings(prefix="§")
    assert classify(timed("§12345\r", 8), settings) == [WedgeScan("12345", 7)]
    assert classify(timed("12345\r", 8), settings) == [Typing("12345\r")]


def test_tracker_releases_keys_that_started_fast_once_the_gap_runs_out() -> None:
    tracker = WedgeTracker()
    assert tracker.key(1.000, "a") == []
    assert tracker.key(1.008, "b") == []
    assert tracker.holding
    assert tracker.expire(1.020) == []
    assert tracker.expire(1.060) == [Typing("ab")]
    assert not tracker.holding


def test_tracker_with_a_prefix_never_holds_unprefixed_keys() -> None:
    tracker = WedgeTracker(WedgeSettings(prefix="§"))
    assert tracker.key(1.0, "a") == [Typing("a")]
    assert tracker.key(1.001, "§") == []


def test_suggested_gap_has_room_above_the_scanner_and_stays_below_people() -> None:
    assert suggested_gap_ms([7, 8, 9, 16]) == 32
    assert suggested_gap_ms([2, 3]) == 20
    assert suggested_gap_ms([40]) == 45
