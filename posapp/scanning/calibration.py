"""Calibrating a keyboard-wedge scanner: scan a known code, measure the keys, explain a mismatch.

The settings screen shows :data:`CALIBRATION_CODE` as a barcode and records when each key of the
scan arrived. :func:`calibrate` turns those (seconds, character) pairs into the gaps between keys
(median and largest), a suggested maximum gap for the wedge classifier, and, when the text that
arrived is not the text that was printed, the likely reason in plain words: the scanner types as
on a US keyboard into a German or French layout, Caps Lock is on, keys were lost or doubled, the
scanner adds characters, or simply another code.

The code holds what the usual mix-ups change: every digit (AZERTY types them as symbols), A Q W Z
Y M (swapped on AZERTY and QWERTZ) and hyphens ('ß' on QWERTZ, ')' on AZERTY). It uses no key that
is a dead key on those layouts, so every key arrives as one character.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from itertools import pairwise

from posapp.i18n import tr
from posapp.scanning.wedge import TERMINATORS, suggested_gap_ms

CALIBRATION_CODE = "CAL-0123456789-AQWZYM"
TYPING_GAP_MS = 50.0  # a median gap above this is a person typing, not a scanner

# What a key the scanner sends as on a US keyboard shows on another layout (dead keys left out).
GERMAN = str.maketrans(
    "yzYZ-/;:'\"[{]}\\|@#^&*()_?<>",
    "zyZYß-öÖäÄüÜ+*#'\"§&/()=?_;:",
)
FRENCH = str.maketrans(
    "1234567890!@#$%^&*()-_qQaAwWzZ;:mM,<.>/?'\"]}\\|`",
    "&é\"'(-è_çà1234567890)°aAqQzZwWmM,?;.:/!§ù%$£*µ²",
)


class Mismatch(StrEnum):
    GERMAN_LAYOUT = "german_layout"
    FRENCH_LAYOUT = "french_layout"
    CAPS_LOCK = "caps_lock"
    LOST_OR_DOUBLED = "lost_or_doubled"
    EXTRA_CHARACTERS = "extra_characters"
    NOTHING = "nothing"
    DIFFERENT = "different"


@dataclass(frozen=True)
class LayoutCheck:
    """Why the scanned text is not the printed code: the cases found, and what to do, in words."""

    kinds: tuple[Mismatch, ...]
    message: str


@dataclass(frozen=True)
class KeyGaps:
    median_ms: float
    max_ms: float
    count: int  # gaps measured (keys - 1)


@dataclass(frozen=True)
class Calibration:
    expected: str
    text: str  # what arrived, terminator left out
    gaps: KeyGaps | None  # None with fewer than two keys
    suggested_gap_ms: int | None  # None when there is nothing to go by, or a person typed it
    mismatch: LayoutCheck | None  # None when the text is the code

    @property
    def typed_by_hand(self) -> bool:
        return self.gaps is not None and self.gaps.median_ms > TYPING_GAP_MS


def gaps_ms(keys: Sequence[tuple[float, str]]) -> list[float]:
    """Milliseconds between each key and the next, in arrival order."""
    times = [at for at, _char in keys]
    return [(later - earlier) * 1000 for earlier, later in pairwise(times)]


def measure(keys: Sequence[tuple[float, str]]) -> KeyGaps | None:
    gaps = gaps_ms(keys)
    if not gaps:
        return None
    return KeyGaps(statistics.median(gaps), max(gaps), len(gaps))


def calibrate(
    keys: Sequence[tuple[float, str]],
    expected: str = CALIBRATION_CODE,
    terminators: str = TERMINATORS,
) -> Calibration:
    """What a calibration scan shows; ``keys`` may end with the terminator (its gap counts too)."""
    text = "".join(char for _at, char in keys if char not in terminators)
    gaps = measure(keys)
    suggested = None
    if gaps is not None and gaps.median_ms <= TYPING_GAP_MS:
        suggested = math.ceil(round(suggested_gap_ms(gaps_ms(keys)), 3))  # 24.000001 is 24
    return Calibration(expected, text, gaps, suggested, check_layout(expected, text))


def check_layout(expected: str, arrived: str) -> LayoutCheck | None:
    """None when ``arrived`` is ``expected``; otherwise the most likely reason why not."""
    if arrived == expected:
        return None
    if not arrived:
        return _check((Mismatch.NOTHING,))
    candidates = [
        (kinds + caps, target)
        for kinds, mapped in _layouts(expected)
        for caps, target in (((), mapped), ((Mismatch.CAPS_LOCK,), _swap_case(mapped)))
        if caps == () or target != mapped
    ]
    for kinds, target in candidates:
        if arrived == target:
            return _check(kinds)
    if expected in arrived:
        before, _, after = arrived.partition(expected)
        return _check((Mismatch.EXTRA_CHARACTERS,), before=before, after=after)
    for kinds, target in candidates:
        if _lost_or_doubled(target, arrived):
            return _check((*kinds, Mismatch.LOST_OR_DOUBLED))
    return _check((Mismatch.DIFFERENT,), arrived=arrived, expected=expected)


def _layouts(expected: str) -> list[tuple[tuple[Mismatch, ...], str]]:
    return [
        ((), expected),
        ((Mismatch.GERMAN_LAYOUT,), expected.translate(GERMAN)),
        ((Mismatch.FRENCH_LAYOUT,), expected.translate(FRENCH)),
    ]


def _swap_case(text: str) -> str:
    """Caps Lock: capitals and small letters the other way round, one character for one."""
    return "".join(c.swapcase() if len(c.swapcase()) == 1 else c for c in text)


def _lost_or_doubled(expected: str, arrived: str) -> bool:
    """``arrived`` is ``expected`` with some keys missing or repeated, and nothing else changed."""
    if len(arrived) * 2 < len(expected):
        return False
    matcher = SequenceMatcher(None, expected, arrived, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            return False
        if tag == "insert" and not all(_repeats(arrived, j) for j in range(j1, j2)):
            return False
    return True


def _repeats(text: str, index: int) -> bool:
    neighbours = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
    return text[index] in neighbours


def _check(kinds: tuple[Mismatch, ...], **values: str) -> LayoutCheck:
    return LayoutCheck(kinds, " ".join(_sentence(kind, values) for kind in kinds))


def _sentence(kind: Mismatch, values: dict[str, str]) -> str:
    if kind is Mismatch.GERMAN_LAYOUT:
        return tr(
            "The scanner types as on a US keyboard, but this computer has a German (QWERTZ) "
            "keyboard layout: Y and Z are swapped and '-' arrives as 'ß'. Set the scanner to the "
            "German layout (see its setup guide), or this computer's keyboard to US."
        )
    if kind is Mismatch.FRENCH_LAYOUT:
        return tr(
            "The scanner types as on a US keyboard, but this computer has a French (AZERTY) "
            "keyboard layout: digits arrive as &é\"'(-è_çà, A and Q and Z and W are swapped, and "
            "M arrives as '?'. Set the scanner to the French layout (see its setup guide), or "
            "this computer's keyboard to US."
        )
    if kind is Mismatch.CAPS_LOCK:
        return tr(
            "Caps Lock is on: capital and small letters arrive the other way round. Switch Caps "
            "Lock off."
        )
    if kind is Mismatch.LOST_OR_DOUBLED:
        return tr(
            "Some characters were lost or doubled: the scanner sends keys faster than this "
            "computer takes them. Set a longer delay between characters in the scanner's setup."
        )
    if kind is Mismatch.EXTRA_CHARACTERS:
        return _extra_sentence(values["before"], values["after"])
    if kind is Mismatch.NOTHING:
        return tr("Nothing arrived before Enter. Scan the code on the screen again.")
    return tr(
        "A different code arrived: '{arrived}' instead of '{expected}'. Scan the code on the "
        "screen, not another barcode.",
        **values,
    )


def _extra_sentence(before: str, after: str) -> str:
    if before and after:
        return tr(
            "The scanner adds {before!r} before the code and {after!r} after it. Switch them off "
            "in the scanner's setup.",
            before=before,
            after=after,
        )
    if before:
        return tr(
            "The scanner adds {before!r} before the code. Set it as the keyboard scanner's "
            "prefix, or switch it off in the scanner's setup.",
            before=before,
        )
    return tr(
        "The scanner adds {after!r} after the code. Switch it off in the scanner's setup.",
        after=after,
    )


def milliseconds(value: float) -> str:
    """9.25 -> '9.3', 12.0 -> '12' (gaps are shown to a tenth of a millisecond)."""
    return f"{round(value, 1):g}"


def gaps_text(result: Calibration) -> str:
    """The measured gaps in a sentence, for the calibration panel."""
    gaps = result.gaps
    if gaps is None:
        return tr("Too few keys arrived to measure the time between them.")
    measured = tr(
        "Keys arrived {median} ms apart (median), {most} ms at most ({count} gaps).",
        median=milliseconds(gaps.median_ms),
        most=milliseconds(gaps.max_ms),
        count=gaps.count,
    )
    if result.typed_by_hand:
        return measured + " " + tr("That is typing speed: scan the code with the scanner.")
    return measured


def suggestion_text(result: Calibration) -> str:
    if result.suggested_gap_ms is None:
        return ""
    return tr("Suggested maximum key gap: {gap} ms.", gap=result.suggested_gap_ms)


def layout_text(result: Calibration) -> str:
    if result.mismatch is None:
        return tr("The code arrived exactly as printed: the keyboard layout is right.")
    return result.mismatch.message


def panel_hint(waiting: bool, result: Calibration | None) -> str:
    """The line under the calibration field: what to do now."""
    if waiting:
        return tr("Waiting for the scan: scan the barcode above now (Esc starts over).")
    if result is None:
        return tr(
            "Click in the field (or Tab to it), then scan the barcode above with the scanner. "
            "A laser scanner may not read a screen; a camera (imaging) scanner will."
        )
    return tr("Press Scan again to measure once more.")
