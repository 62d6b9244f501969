"""Linux exclusive mode: key events to scans (pure, no evdev needed), choosing and refusing a
device, and the reader thread over a stand-in evdev module (grab, unplug, replug). A last test uses
the real evdev and a uinput device where the machine has them."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from posapp.scanning import evdev_reader
from posapp.scanning.evdev_reader import (
    ExclusiveReader,
    ExclusiveSettings,
    InputDeviceInfo,
    KeyDecoder,
    grab_refusal,
    pick_device,
)
from posapp.scanning.frames import FrameSettings, Rejected, RejectReason, Scan
from posapp.scanning.reader import Connected, Disconnected
from tests.scanning.fake_evdev import FakeEvdev
from tests.scanning.ptys import EventLog

# linux/input-event-codes.h, written out here so the module's table is checked, not reused
KEY_1, KEY_2, KEY_3, KEY_5, KEY_0 = 2, 3, 4, 6, 11
KEY_TAB, KEY_E, KEY_J, KEY_RIGHTBRACE, KEY_ENTER, KEY_LEFTCTRL = 15, 18, 36, 27, 28, 29
KEY_A, KEY_LEFTSHIFT, KEY_Z, KEY_RIGHTSHIFT = 30, 42, 44, 54
KEY_LEFTALT, KEY_CAPSLOCK, KEY_F1, KEY_KP1, KEY_KP0, KEY_KPENTER = 56, 58, 59, 79, 82, 96
DOWN, UP, HOLD = 1, 0, 2


def tap(code: int) -> list[tuple[int, int]]:
    return [(code, DOWN), (code, UP)]


def shifted(code: int, shift: int = KEY_LEFTSHIFT) -> list[tuple[int, int]]:
    return [(shift, DOWN), *tap(code), (shift, UP)]


DIGIT = {"1": KEY_1, "2": KEY_2, "5": KEY_5, "0": KEY_0}
EAN = "2000000000015"
EAN_KEYS = [event for ch in EAN for event in tap(DIGIT[ch])]
AIM_E0 = [*tap(KEY_RIGHTBRACE), *shifted(KEY_E), *tap(KEY_0)]


def feed(decoder: KeyDecoder, events: list[tuple[int, int]], at: float = 0.0) -> list[object]:
    frames: list[object] = []
    for code, value in events:
        frames.extend(decoder.feed(code, value, at))
    return frames


# -- key events to scans -----------------------------------------------------------------------


@pytest.mark.parametrize("terminator", [KEY_ENTER, KEY_TAB, KEY_KPENTER])
def test_digits_and_each_terminator_make_a_scan(terminator: int) -> None:
    assert feed(KeyDecoder(), [*EAN_KEYS, *tap(terminator)]) == [Scan(EAN)]


def test_aim_identifier_is_typed_with_shift_and_kept_as_symbology() -> None:
    frames = feed(KeyDecoder(), [*AIM_E0, *EAN_KEYS, *tap(KEY_ENTER)])
    assert frames == [Scan(EAN, "]E0")]


def test_shift_gives_capitals_and_symbols_either_shift_key() -> None:
    events = [*shifted(KEY_A), *tap(KEY_A), *shifted(KEY_Z, KEY_RIGHTSHIFT), *shifted(KEY_1)]
    assert feed(KeyDecoder(), [*events, *tap(KEY_ENTER)]) == [Scan("AaZ!")]


def test_caps_lock_turns_letters_only() -> None:
    events = [*tap(KEY_CAPSLOCK), *tap(KEY_A), *shifted(KEY_A), *tap(KEY_1), *tap(KEY_CAPSLOCK)]
    assert feed(KeyDecoder(), [*events, *tap(KEY_A), *tap(KEY_ENTER)]) == [Scan("Aa1a")]


def test_keypad_digits_count_as_digits() -> None:
    events = [*tap(KEY_KP1), *tap(KEY_KP0), *tap(KEY_KPENTER)]
    assert feed(KeyDecoder(), events) == [Scan("10")]


def test_key_up_and_autorepeat_add_nothing() -> None:
    events = [(KEY_A, DOWN), (KEY_A, HOLD), (KEY_A, HOLD), (KEY_A, UP), *tap(KEY_ENTER)]
    assert feed(KeyDecoder(), events) == [Scan("a")]


def test_shift_held_with_autorepeat_stays_held() -> None:
    events = [(KEY_LEFTSHIFT, DOWN), (KEY_LEFTSHIFT, HOLD), *tap(KEY_A), (KEY_LEFTSHIFT, UP)]
    assert feed(KeyDecoder(), [*events, *tap(KEY_A), *tap(KEY_ENTER)]) == [Scan("Aa")]


def test_empty_enter_gives_nothing() -> None:
    assert feed(KeyDecoder(), [*tap(KEY_ENTER), *tap(KEY_TAB)]) == []


@pytest.mark.parametrize(
    "noise",
    [
        tap(KEY_F1),
        [(KEY_LEFTCTRL, DOWN), *tap(KEY_J), (KEY_LEFTCTRL, UP)],
        [(KEY_LEFTALT, DOWN), *tap(KEY_A), (KEY_LEFTALT, UP)],
    ],
    ids=["function key", "ctrl+j", "alt+a"],
)
def test_keys_without_a_printable_character_reject_the_frame(
    noise: list[tuple[int, int]],
) -> None:
    decoder = KeyDecoder()
    frames = feed(decoder, [*tap(KEY_A), *noise, *tap(KEY_ENTER), *EAN_KEYS, *tap(KEY_ENTER)])
    [rejected, scan] = frames
    assert isinstance(rejected, Rejected) and rejected.reason is RejectReason.NOT_PRINTABLE
    assert rejected.raw.startswith(b"a")
    assert scan == Scan(EAN)


def test_frame_without_terminator_is_rejected_after_the_timeout() -> None:
    decoder = KeyDecoder(FrameSettings(timeout_s=0.1))
    assert feed(decoder, tap(KEY_1), at=0.0) == []
    assert decoder.waiting
    assert decoder.expire(0.05) == []
    assert decoder.expire(0.2) == [Rejected(RejectReason.NO_TERMINATOR, b"1")]
    assert not decoder.waiting
    assert feed(decoder, [*tap(KEY_2), *tap(KEY_ENTER)], at=0.3) == [Scan("2")]


def test_overlong_frame_is_rejected_once_and_dropped_to_its_terminator() -> None:
    decoder = KeyDecoder(FrameSettings(max_chars=8))
    frames = feed(decoder, [*(tap(KEY_1) * 20), *tap(KEY_ENTER), *tap(KEY_2), *tap(KEY_ENTER)])
    assert frames == [Rejected(RejectReason.TOO_LONG, b"1" * 9), Scan("2")]


def test_suffix_and_prefix() -> None:
    decoder = KeyDecoder(FrameSettings(suffix=b"#", prefix=b"!"))
    events = [*shifted(KEY_1), *EAN_KEYS, *shifted(KEY_3), *tap(KEY_ENTER)]
    assert feed(decoder, events) == [Scan(EAN)]


# -- choosing a device, and never the only keyboard --------------------------------------------

KEYBOARD = InputDeviceInfo("/dev/input/event3", "AT Translated Keyboard", "0001:0001", "", True)
SCANNER = InputDeviceInfo("/dev/input/event7", "Honeywell Scanner", "0C2E:0B61", "", True)
SCANNER_CONTROLS = InputDeviceInfo(
    "/dev/input/event8", "Honeywell Scanner Consumer Control", "0C2E:0B61", "", False
)
POWER_BUTTON = InputDeviceInfo("/dev/input/event0", "Power Button", "", "", False)


def test_pick_device_by_path_ids_or_name() -> None:
    devices = [POWER_BUTTON, KEYBOARD, SCANNER_CONTROLS, SCANNER]
    assert pick_device("/dev/input/event7", devices) == SCANNER
    assert pick_device("0c2e:0b61", devices) == SCANNER  # its keyboard interface first
    assert pick_device("Honeywell Scanner", devices) == SCANNER
    assert pick_device("honeywell scanner", devices) == SCANNER
    assert pick_device("/dev/input/event9", devices) is None
    assert pick_device("ffff:0001", devices) is None


def test_pick_device_follows_a_by_id_link(tmp_path: Path) -> None:
    link = tmp_path / "usb-Honeywell-event-kbd"
    target = tmp_path / "event7"
    target.touch()
    link.symlink_to(target)
    scanner = InputDeviceInfo(str(target), "Honeywell Scanner", "0C2E:0B61", "", True)
    assert pick_device(str(link), [KEYBOARD, scanner]) == scanner


def test_the_only_keyboard_is_refused() -> None:
    refusal = grab_refusal(SCANNER, [POWER_BUTTON, SCANNER, SCANNER_CONTROLS])
    assert refusal is not None and "only keyboard" in refusal and "Honeywell Scanner" in refusal
    assert grab_refusal(KEYBOARD, [KEYBOARD]) is not None
    assert grab_refusal(SCANNER, [KEYBOARD, SCANNER, SCANNER_CONTROLS]) is None
    assert grab_refusal(SCANNER_CONTROLS, [SCANNER_CONTROLS]) is None  # takes no keyboard away


def test_without_evdev_there_are_no_input_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "evdev", None)  # import evdev fails
    assert evdev_reader.load_evdev() is None
    assert not evdev_reader.evdev_available()
    assert evdev_reader.list_input_devices() == []


# -- the reader thread over a stand-in evdev ---------------------------------------------------

LETTERS_AND_ENTER = sorted(evdev_reader.LETTER_KEYS | {KEY_ENTER, KEY_1, KEY_LEFTSHIFT})


@pytest.fixture
def fake_evdev(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEvdev]:
    fake = FakeEvdev()
    monkeypatch.setattr(evdev_reader, "load_evdev", lambda: fake)
    yield fake
    for device in fake.all:
        device.close()


def reader_for(device: str, events: EventLog) -> ExclusiveReader:
    reader = ExclusiveReader(ExclusiveSettings(device, retry_s=0.02, poll_s=0.02), events)
    reader.start()
    return reader


def count(log: EventLog, kind: type, n: int = 1) -> bool:
    return len(log.of_type(kind)) >= n


def test_reader_grabs_the_scanner_and_turns_keys_into_scans(fake_evdev: FakeEvdev) -> None:
    fake_evdev.plug("/dev/input/event3", "AT Keyboard", (1, 1), LETTERS_AND_ENTER)
    scanner = fake_evdev.plug("/dev/input/event7", "Scanner", (0x0C2E, 0x0B61), LETTERS_AND_ENTER)
    events = EventLog()
    reader = reader_for("0c2e:0b61", events)
    try:
        events.wait_for(lambda _: count(events, Connected))
        assert scanner.grabbed_by is not None
        scanner.send([*AIM_E0, *EAN_KEYS, *tap(KEY_ENTER), *tap(KEY_F1), *tap(KEY_ENTER)])
        events.wait_for(lambda _: count(events, Rejected))
    finally:
        reader.stop()
    assert not reader.running
    assert events.events[0] == Connected("/dev/input/event7")
    assert events.of_type(Scan) == [Scan(EAN, "]E0")]
    [rejected] = events.of_type(Rejected)
    assert isinstance(rejected, Rejected) and rejected.reason is RejectReason.NOT_PRINTABLE
    assert scanner.grabbed_by is None  # let go on stop


def test_reader_follows_unplug_and_replug_under_another_path(fake_evdev: FakeEvdev) -> None:
    fake_evdev.plug("/dev/input/event3", "AT Keyboard", (1, 1), LETTERS_AND_ENTER)
    first = fake_evdev.plug("/dev/input/event7", "Scanner", (0x0C2E, 0x0B61), LETTERS_AND_ENTER)
    events = EventLog()
    reader = reader_for("Scanner", events)
    try:
        events.wait_for(lambda _: count(events, Connected))
        fake_evdev.unplug(first)
        events.wait_for(lambda _: count(events, Disconnected))
        again = fake_evdev.plug("/dev/input/event9", "Scanner", (0x0C2E, 0x0B61), LETTERS_AND_ENTER)
        events.wait_for(lambda _: count(events, Connected, 2))
        again.send([*EAN_KEYS, *tap(KEY_ENTER)])
        events.wait_for(lambda _: count(events, Scan))
    finally:
        reader.stop()
    kinds = [type(event) for event in events.events]
    assert kinds == [Connected, Disconnected, Connected, Scan]  # the absence is told once
    assert events.events[2] == Connected("/dev/input/event9")
    disconnected = events.events[1]
    assert isinstance(disconnected, Disconnected) and "No such device" in disconnected.reason


def test_reader_refuses_the_only_keyboard_until_another_comes(fake_evdev: FakeEvdev) -> None:
    scanner = fake_evdev.plug("/dev/input/event7", "Scanner", (0x0C2E, 0x0B61), LETTERS_AND_ENTER)
    events = EventLog()
    reader = reader_for("/dev/input/event7", events)
    try:
        events.wait_for(lambda _: count(events, Disconnected))
        time.sleep(0.1)  # several retries: still refused, and told only once
        assert scanner.grabbed_by is None
        fake_evdev.plug("/dev/input/event3", "AT Keyboard", (1, 1), LETTERS_AND_ENTER)
        events.wait_for(lambda _: count(events, Connected))
    finally:
        reader.stop()
    [refused] = events.of_type(Disconnected)
    assert isinstance(refused, Disconnected)
    assert refused.reason.startswith("Scanner is the only keyboard on this computer")


def test_reader_says_when_the_device_is_absent_or_evdev_missing(
    fake_evdev: FakeEvdev, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = EventLog()
    reader = reader_for("Nothing Such", events)
    try:
        events.wait_for(lambda _: count(events, Disconnected))
    finally:
        reader.stop()
    assert events.events == [Disconnected("Nothing Such", "No input device matches Nothing Such.")]
    monkeypatch.setattr(evdev_reader, "load_evdev", lambda: None)
    events = EventLog()
    reader = reader_for("Scanner", events)
    try:
        events.wait_for(lambda _: count(events, Disconnected))
    finally:
        reader.stop()
    [missing] = events.events
    assert isinstance(missing, Disconnected) and "pip install 'posapp[evdev]'" in missing.reason


def test_list_input_devices_over_the_stand_in(fake_evdev: FakeEvdev) -> None:
    fake_evdev.plug("/dev/input/event7", "Scanner", (0x0C2E, 0x0B61), LETTERS_AND_ENTER)
    fake_evdev.plug("/dev/input/event0", "Power Button", (0, 0), [116])
    fake_evdev.plug("/dev/input/event5", "Mouse", (0x046D, 0xC077), [])
    assert evdev_reader.list_input_devices() == [
        InputDeviceInfo("/dev/input/event0", "Power Button", "", "", False),
        InputDeviceInfo("/dev/input/event7", "Scanner", "0C2E:0B61", "", True),
    ]


# -- the real thing, where the machine allows it ------------------------------------------------


def _uinput_keyboard(evdev: Any, name: str, product: int) -> Any:
    keys = {evdev.ecodes.EV_KEY: [*LETTERS_AND_ENTER, KEY_0, KEY_2, KEY_5, KEY_RIGHTBRACE]}
    try:
        return evdev.UInput(keys, name=name, vendor=0x1D6B, product=product)
    except (OSError, evdev.UInputError) as error:
        pytest.skip(f"no uinput here: {error}")


def test_real_uinput_scanner_is_grabbed_and_read() -> None:
    evdev = pytest.importorskip("evdev")
    keyboard = _uinput_keyboard(evdev, "posapp test keyboard", 0x7A01)
    scanner = _uinput_keyboard(evdev, "posapp test scanner", 0x7A02)
    events = EventLog()
    reader = reader_for("1d6b:7a02", events)
    try:
        deadline = time.monotonic() + 3.0  # udev may take a moment to make the device node
        while not reader.connected and time.monotonic() < deadline:
            time.sleep(0.02)
        if not reader.connected:
            pytest.skip(f"the uinput device cannot be opened here: {events.events}")
        for code, value in [*EAN_KEYS, *tap(KEY_ENTER)]:
            scanner.write(evdev.ecodes.EV_KEY, code, value)
            scanner.syn()
        events.wait_for(lambda _: count(events, Scan))
    finally:
        reader.stop()
        scanner.close()
        keyboard.close()
    assert events.of_type(Scan) == [Scan(EAN)]
