"""Serial scanner frames: bytes in, scans (or rejections with a reason) out.

A frame ends on CR, LF or CRLF, or on a configured suffix; an optional configured prefix is
stripped, and a leading AIM symbology identifier (``]C0``, ``]E0``, ``]Q1``...) is stripped and
kept. Frames split across reads are joined, several frames in one read are separated. Bad input
(non-printable bytes, a frame over ``max_chars``, a frame whose terminator never comes) is
rejected with a reason and never passed on as a scan.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from posapp.codes import strip_scanner_noise
from posapp.i18n import tr

MAX_FRAME_CHARS = 128
FRAME_TIMEOUT_S = 0.5  # scanners send a whole frame within a few ms


class RejectReason(enum.Enum):
    NOT_PRINTABLE = "not_printable"
    TOO_LONG = "too_long"
    NO_TERMINATOR = "no_terminator"


@dataclass(frozen=True)
class Scan:
    code: str
    symbology: str | None = None  # the AIM identifier, e.g. "]E0"


@dataclass(frozen=True)
class Rejected:
    reason: RejectReason
    raw: bytes  # the dropped bytes (at most the first max_chars + 1), for the log

    @property
    def message(self) -> str:
        return reject_message(self.reason)


Frame = Scan | Rejected


def reject_message(reason: RejectReason) -> str:
    if reason is RejectReason.NOT_PRINTABLE:
        return tr("The scanner sent unreadable characters (check its baud rate); scan again.")
    if reason is RejectReason.TOO_LONG:
        return tr(
            "The scanner sent a code over {limit} characters; it was dropped.",
            limit=MAX_FRAME_CHARS,
        )
    return tr("The scanner sent a code without its end; scan again.")


@dataclass(frozen=True)
class FrameSettings:
    suffix: bytes = b""  # besides CR and LF
    prefix: bytes = b""
    max_chars: int = MAX_FRAME_CHARS
    timeout_s: float = FRAME_TIMEOUT_S

    def terminators(self) -> re.Pattern[bytes]:
        choices = [b"\r\n", b"\r", b"\n"]
        if self.suffix:
            choices.insert(0, re.escape(self.suffix))
        return re.compile(b"|".join(choices))


def decode_frame(raw: bytes, settings: FrameSettings) -> Frame | None:
    """One frame without its terminator; None for an empty frame (a CRLF's LF, a blank line)."""
    if settings.prefix and raw.startswith(settings.prefix):
        raw = raw[len(settings.prefix) :]
    if not raw.strip(b" "):
        return None
    if len(raw) > settings.max_chars:
        return Rejected(RejectReason.TOO_LONG, raw[: settings.max_chars + 1])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Rejected(RejectReason.NOT_PRINTABLE, raw)
    if not text.isprintable():
        return Rejected(RejectReason.NOT_PRINTABLE, raw)
    code, symbology = strip_scanner_noise(text)
    return Scan(code, symbology) if code else None


class FrameDecoder:
    """Feed it what the port reads, with the time of the read; it returns the finished frames."""

    def __init__(self, settings: FrameSettings | None = None) -> None:
        self.settings = settings or FrameSettings()
        self._terminators = self.settings.terminators()
        self._buffer = b""
        self._last_byte_at = 0.0
        self._discarding = False  # inside an overlong frame: drop until its terminator

    def feed(self, data: bytes, now: float) -> list[Frame]:
        frames = self.expire(now)
        if not data:
            return frames
        self._last_byte_at = now
        pieces = self._terminators.split(self._buffer + data)
        self._buffer = pieces.pop()
        for piece in pieces:
            if self._discarding:
                self._discarding = False
                continue
            frame = decode_frame(piece, self.settings)
            if frame is not None:
                frames.append(frame)
        frames.extend(self._drop_overlong())
        return frames

    def expire(self, now: float) -> list[Frame]:
        """A partial frame older than the timeout, rejected (the scanner lost its terminator)."""
        if not self._buffer or now - self._last_byte_at < self.settings.timeout_s:
            return []
        raw, self._buffer = self._buffer, b""
        if self._discarding:
            self._discarding = False
            return []
        return [Rejected(RejectReason.NO_TERMINATOR, raw)]

    @property
    def waiting(self) -> bool:
        """Bytes of an unfinished frame are held."""
        return bool(self._buffer)

    def _drop_overlong(self) -> list[Frame]:
        # a suffix may be split across reads: keep its first bytes until the next read
        limit = self.settings.max_chars + len(self.settings.prefix) + len(self.settings.suffix)
        if len(self._buffer) <= limit:
            return []
        raw, self._buffer = self._buffer, b""
        if self._discarding:
            return []
        self._discarding = True
        return [Rejected(RejectReason.TOO_LONG, raw[: self.settings.max_chars + 1])]
