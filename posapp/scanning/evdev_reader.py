"""Linux exclusive mode: read a keyboard-wedge scanner straight from its input device (evdev).

A wedge scanner types its codes like a keyboard, so every application sees them. On Linux, with
the optional ``evdev`` package (``pip install posapp[evdev]``), the till can instead open the
scanner's ``/dev/input/event*`` device and ``grab()`` it: its key presses then reach posapp only.
The device is chosen by the user by path, by name or by USB ``VID:PID``; posapp refuses to grab it
when it is the only keyboard present, so nobody is locked out of their computer.

:class:`KeyDecoder` is pure (key codes in, :class:`Scan` or :class:`Rejected` frames out, US
layout), so it is tested without evdev. ``evdev`` is imported lazily: the core imports without it.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import re
import select
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from posapp.i18n import tr
from posapp.scanning.frames import Frame, FrameSettings, Rejected, RejectReason, decode_frame
from posapp.scanning.reader import Disconnected, EventSink, ReaderThread

log = logging.getLogger(__name__)

# linux/input-event-codes.h
EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_HOLD = 0, 1, 2
KEY_1, KEY_0, KEY_TAB, KEY_Q, KEY_ENTER, KEY_LEFTCTRL = 2, 11, 15, 16, 28, 29
KEY_A, KEY_LEFTSHIFT, KEY_Z, KEY_M, KEY_RIGHTSHIFT = 30, 42, 44, 50, 54
KEY_LEFTALT, KEY_SPACE, KEY_CAPSLOCK, KEY_KPENTER, KEY_RIGHTCTRL = 56, 57, 58, 96, 97
KEY_RIGHTALT, KEY_LEFTMETA, KEY_RIGHTMETA = 100, 125, 126


def _row(first: int, plain: str, shifted: str) -> dict[int, tuple[str, str]]:
    return {first + i: pair for i, pair in enumerate(zip(plain, shifted, strict=True))}


# key code -> (character, character with Shift), US layout
US_KEYS: dict[int, tuple[str, str]] = {
    **_row(KEY_1, "1234567890-=", "!@#$%^&*()_+"),
    **_row(KEY_Q, "qwertyuiop[]", "QWERTYUIOP{}"),
    **_row(KEY_A, "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    **_row(43, "\\zxcvbnm,./", "|ZXCVBNM<>?"),
    KEY_SPACE: (" ", " "),
}
# the numeric keypad, as scanners in "keypad" mode send digits (whatever Num Lock says)
KEYPAD = {
    55: "*", 71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+",
    79: "1", 80: "2", 81: "3", 82: "0", 83: ".", 98: "/",
}  # fmt: skip
TERMINATORS = frozenset({KEY_ENTER, KEY_TAB, KEY_KPENTER})
SHIFTS = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
CTRLS = frozenset({KEY_LEFTCTRL, KEY_RIGHTCTRL})
OTHER_MODIFIERS = frozenset({KEY_LEFTALT, KEY_RIGHTALT, KEY_LEFTMETA, KEY_RIGHTMETA})
MODIFIERS = SHIFTS | CTRLS | OTHER_MODIFIERS
LETTER_KEYS = frozenset(code for code, (plain, _) in US_KEYS.items() if plain.isalpha())
UNREADABLE = "\ufffd"  # stands for a key with no character (F1, Alt+key...) in the log


class KeyDecoder:
    """Feed it key events (code, value) with their time; it returns the finished frames.

    Enter, Tab and keypad Enter end a frame (or the configured suffix); the frame then goes
    through the same checks as a serial one (prefix, AIM identifier, length, printable). A key
    without a character, or a character typed with Alt or Meta held, makes the frame unreadable;
    Ctrl+letter gives the control character, which is unreadable too. Autorepeat ("hold") events
    are ignored: a scanner never holds a key, so a repeat would only double a character.
    """

    def __init__(self, settings: FrameSettings | None = None) -> None:
        self.settings = settings or FrameSettings()
        self._chars: list[str] = []
        self._unreadable = False
        self._discarding = False  # inside an overlong frame: drop until its terminator
        self._held: set[int] = set()
        self._caps_lock = False
        self._last_key_at = 0.0

    def feed(self, code: int, value: int, now: float) -> list[Frame]:
        frames = self.expire(now)
        if code in MODIFIERS:
            self._track_modifier(code, value)
            return frames
        if value != KEY_DOWN:
            return frames
        self._last_key_at = now
        if code in TERMINATORS:
            return frames + self._finish()
        if code == KEY_CAPSLOCK:
            self._caps_lock = not self._caps_lock
            return frames
        self._chars.append(self._character(code))
        return frames + self._after_character()

    def expire(self, now: float) -> list[Frame]:
        """A partial frame older than the timeout, rejected (the scanner lost its terminator)."""
        if not self.waiting or now - self._last_key_at < self.settings.timeout_s:
            return []
        raw = self._take()
        if self._discarding:
            self._discarding = False
            return []
        return [Rejected(RejectReason.NO_TERMINATOR, raw)]

    @property
    def waiting(self) -> bool:
        """Characters of an unfinished frame are held."""
        return bool(self._chars)

    def _track_modifier(self, code: int, value: int) -> None:
        if value == KEY_UP:
            self._held.discard(code)
        else:
            self._held.add(code)

    def _character(self, code: int) -> str:
        pair = US_KEYS.get(code)
        plain = KEYPAD.get(code) if pair is None else pair[0]
        if plain is None or self._held & OTHER_MODIFIERS:
            self._unreadable = True
            return UNREADABLE
        if self._held & CTRLS:
            if code not in LETTER_KEYS:
                self._unreadable = True
                return UNREADABLE
            return chr(ord(plain) - ord("a") + 1)
        if pair is None:
            return plain
        upper = bool(self._held & SHIFTS) != (self._caps_lock and code in LETTER_KEYS)
        return pair[1] if upper else plain

    def _after_character(self) -> list[Frame]:
        suffix = self.settings.suffix.decode("latin-1")
        if suffix and "".join(self._chars).endswith(suffix):
            del self._chars[-len(suffix) :]
            return self._finish()
        s = self.settings
        if len(self._chars) <= s.max_chars + len(s.prefix) + len(suffix):
            return []
        raw = self._take()
        if self._discarding:
            return []
        self._discarding = True
        return [Rejected(RejectReason.TOO_LONG, raw[: s.max_chars + 1])]

    def _finish(self) -> list[Frame]:
        unreadable = self._unreadable
        raw = self._take()
        if self._discarding:
            self._discarding = False
            return []
        if unreadable:
            return [Rejected(RejectReason.NOT_PRINTABLE, raw)]
        frame = decode_frame(raw, self.settings)
        return [] if frame is None else [frame]

    def _take(self) -> bytes:
        raw = "".join(self._chars).encode("utf-8")
        self._chars.clear()
        self._unreadable = False
        return raw


# -- input devices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InputDeviceInfo:
    path: str  # /dev/input/eventN
    name: str
    vid_pid: str  # '05E0:1200', or '' when the kernel gives no ids
    serial_number: str  # the kernel's "uniq", often empty
    keyboard: bool  # has letter keys and Enter: it may be someone's keyboard


def load_evdev() -> Any | None:
    """The evdev module, or None where it is not installed (it is optional, and Linux only)."""
    try:
        return importlib.import_module("evdev")
    except ImportError:
        return None


def evdev_available() -> bool:
    return load_evdev() is not None


def describe_device(device: Any) -> InputDeviceInfo | None:
    """An open ``evdev.InputDevice`` as plain data; None for a device without keys."""
    keys = set(device.capabilities().get(EV_KEY, []))
    if not keys:
        return None
    info = device.info
    vid_pid = f"{info.vendor:04X}:{info.product:04X}" if info.vendor or info.product else ""
    keyboard = keys >= LETTER_KEYS and KEY_ENTER in keys
    return InputDeviceInfo(device.path, device.name, vid_pid, device.uniq or "", keyboard)


def _devices_with_keys(evdev: Any) -> list[InputDeviceInfo]:
    found = []
    try:
        paths = list(evdev.list_devices())
    except OSError:
        return []
    for path in paths:
        try:
            device = evdev.InputDevice(path)
        except OSError:  # no permission, or gone since the listing
            continue
        try:
            info = describe_device(device)
        except OSError:
            info = None
        finally:
            _close_quietly(device)
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda info: info.path)


def list_input_devices() -> list[InputDeviceInfo]:
    """The input devices with keys that this user may open; empty without evdev."""
    evdev = load_evdev()
    return [] if evdev is None else _devices_with_keys(evdev)


_VID_PID = re.compile(r"^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$")


def pick_device(wanted: str, devices: Sequence[InputDeviceInfo]) -> InputDeviceInfo | None:
    """The device the user chose, by path (also /dev/input/by-id/...), VID:PID or name."""
    wanted = wanted.strip()
    if wanted.startswith("/"):
        real = os.path.realpath(wanted)
        matches = [d for d in devices if os.path.realpath(d.path) == real]
    elif ids := _VID_PID.match(wanted):
        vid_pid = f"{int(ids.group(1), 16):04X}:{int(ids.group(2), 16):04X}"
        matches = [d for d in devices if d.vid_pid == vid_pid]
    else:
        matches = [d for d in devices if d.name == wanted]
        matches = matches or [d for d in devices if d.name.casefold() == wanted.casefold()]
    matches.sort(key=lambda d: not d.keyboard)  # a scanner's keyboard interface first
    return matches[0] if matches else None


def grab_refusal(target: InputDeviceInfo, devices: Sequence[InputDeviceInfo]) -> str | None:
    """Why ``target`` must not be grabbed (it is the only keyboard), or None."""
    if not target.keyboard:
        return None
    for other in devices:
        same_device = other.path == target.path or (
            bool(target.vid_pid) and other.vid_pid == target.vid_pid
        )
        if other.keyboard and not same_device:
            return None
    return tr(
        "{name} is the only keyboard on this computer, so posapp will not take it over for "
        "scans. Plug in another keyboard, or choose the scanner's own device.",
        name=target.name,
    )


# -- the reader thread -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExclusiveSettings:
    device: str  # /dev/input/event5, /dev/input/by-id/..., a device name, or VID:PID
    frames: FrameSettings = field(default_factory=FrameSettings)
    retry_s: float = 0.5  # how often to look for an unplugged (or refused) device
    poll_s: float = 0.05  # how often the thread checks for stop and cut-off frames


class ExclusiveReader(ReaderThread):
    """Like :class:`~posapp.scanning.reader.SerialReader`, for a grabbed input device.

    ``start()`` it, ``stop()`` it; ``on_event`` is called on the reader's thread with
    ``Connected``, ``Disconnected``, ``Scan`` and ``Rejected``. While the device is absent, refused
    or cannot be opened, the reader tells why once and tries again every ``retry_s``.
    """

    thread_name = "scanner-evdev"

    def __init__(self, settings: ExclusiveSettings, on_event: EventSink) -> None:
        super().__init__(on_event)
        self.settings = settings

    def _run(self) -> None:
        told: str | None = None
        while not self._stopping.is_set():
            device, where = self._open()
            if device is None:
                if where != told:
                    self._emit(Disconnected(self.settings.device, where))
                    told = where
                self._stopping.wait(self.settings.retry_s)
                continue
            self._serve(device, where, (OSError,))
            told = self._absent()  # the usual absence after an unplug was told just now

    def _absent(self) -> str:
        return tr("No input device matches {device}.", device=self.settings.device)

    def _open(self) -> tuple[Any | None, str]:
        """The grabbed device and its path, or None and why not (in plain words)."""
        evdev = load_evdev()
        if evdev is None:
            return None, tr(
                "Exclusive mode needs the evdev package; install it with: "
                "pip install 'posapp[evdev]'"
            )
        devices = _devices_with_keys(evdev)
        target = pick_device(self.settings.device, devices)
        if target is None:
            return None, self._absent()
        refusal = grab_refusal(target, devices)
        if refusal is not None:
            return None, refusal
        device = None
        try:
            device = evdev.InputDevice(target.path)
            device.grab()
        except OSError as error:
            if device is not None:
                _close_quietly(device)
            return None, tr("Cannot open {path}: {error}", path=target.path, error=error)
        return device, target.path

    def _close(self, device: Any) -> None:
        with contextlib.suppress(OSError):
            device.ungrab()
        _close_quietly(device)

    def _read(self, device: Any) -> None:
        decoder = KeyDecoder(self.settings.frames)
        while not self._stopping.is_set():
            ready, _, _ = select.select([device.fd], [], [], self.settings.poll_s)
            now = time.monotonic()
            keys = _key_events(device) if ready else []
            frames = decoder.expire(now)
            for code, value in keys:
                frames.extend(decoder.feed(code, value, now))
            self._emit_frames(frames)


def _key_events(device: Any) -> list[tuple[int, int]]:
    """The key events waiting on the device; OSError when it was unplugged."""
    try:
        return [(e.code, e.value) for e in device.read() if e.type == EV_KEY]
    except BlockingIOError:
        return []


def _close_quietly(device: Any) -> None:
    with contextlib.suppress(OSError):
        device.close()
