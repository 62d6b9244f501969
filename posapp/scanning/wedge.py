"""Keyboard-wedge scanners: telling a scan from typing by the time between keys.

A wedge scanner "types" a code 7-16 ms a key and ends it with Enter (or Tab); people type slower
than 50 ms a key. The classifier is pure: it works on (timestamp in seconds, character) pairs, so
tests drive it with exact gaps, and the GUI's event filter feeds it the time each key arrived.

``WedgeTracker`` decides key by key (what a live event filter needs): a key is held while it might
start a scan, and released as typing as soon as a gap, a short run or a missing prefix shows it is
not one. ``classify`` runs a whole sequence through a tracker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_GAP_MS = 30.0  # scanners 7-16 ms, people > 50 ms
MIN_LENGTH = 4
TERMINATORS = "\r\n\t"


@dataclass(frozen=True)
class WedgeSettings:
    max_gap_ms: float = MAX_GAP_MS
    min_length: int = MIN_LENGTH
    terminators: str = TERMINATORS  # Enter (\r or \n) and Tab
    prefix: str = ""  # a character the shop programmed its scanners to send first


@dataclass(frozen=True)
class WedgeScan:
    code: str
    keys: int  # how many key presses it took, prefix and terminator included


@dataclass(frozen=True)
class Typing:
    text: str  # keys a person typed, to pass on as they were; one key per character


Piece = WedgeScan | Typing


@dataclass
class WedgeTracker:
    settings: WedgeSettings = field(default_factory=WedgeSettings)
    _held: list[str] = field(default_factory=list)
    _last_at: float = 0.0

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def key(self, at: float, char: str) -> list[Piece]:
        """One key press at ``at`` seconds; what it settles (held keys, a scan), in order."""
        pieces = self.expire(at)
        self._last_at = at
        if char in self.settings.terminators:
            scan = self._scan_so_far()
            if scan is not None:
                self._held = []
                return [*pieces, scan]
            return [*pieces, *self.release(), Typing(char)]
        self._held.append(char)
        prefix = self.settings.prefix
        if prefix and not "".join(self._held).startswith(prefix[: len(self._held)]):
            pieces.extend(self.release())
        return pieces

    def expire(self, now: float) -> list[Piece]:
        """Held keys whose next key is later than the maximum gap are typing."""
        if self._held and (now - self._last_at) * 1000 > self.settings.max_gap_ms:
            return self.release()
        return []

    def release(self) -> list[Piece]:
        """The held keys, given back as typing (a non-character key came, or time ran out)."""
        held, self._held = self._held, []
        return [Typing("".join(held))] if held else []

    def _scan_so_far(self) -> WedgeScan | None:
        text = "".join(self._held)
        prefix = self.settings.prefix
        if prefix:
            if not text.startswith(prefix):
                return None
            text = text[len(prefix) :]
        if len(text) < self.settings.min_length:
            return None
        return WedgeScan(text, len(self._held) + 1)


def classify(
    keys: Iterable[tuple[float, str]], settings: WedgeSettings | None = None
) -> list[Piece]:
    """Split timed key presses into scans and typing, in order; adjacent typing is joined."""
    tracker = WedgeTracker(settings or WedgeSettings())
    pieces: list[Piece] = []
    for at, char in keys:
        pieces.extend(tracker.key(at, char))
    pieces.extend(tracker.release())
    return _joined(pieces)


def _joined(pieces: list[Piece]) -> list[Piece]:
    joined: list[Piece] = []
    for piece in pieces:
        last = joined[-1] if joined else None
        if isinstance(piece, Typing) and isinstance(last, Typing):
            joined[-1] = Typing(last.text + piece.text)
        else:
            joined.append(piece)
    return joined


def suggested_gap_ms(gaps_ms: Iterable[float], margin: float = 2.0, floor: float = 20.0) -> float:
    """A maximum gap for a scanner whose measured key gaps are ``gaps_ms`` (calibration)."""
    measured = sorted(gaps_ms)
    if not measured:
        return MAX_GAP_MS
    return max(floor, min(measured[-1] * margin, 45.0))
