"""The status bar's sync items: 'Synced 14:32', 'Syncing…', 'Offline since 14:10 — 12 events
waiting', 'Hub refused this till's token'; and a warning badge with the open sync conflicts. A
click on the first syncs now; a click on the badge opens the Sync page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from babel.dates import format_datetime, format_time
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from posapp.i18n import current_locale, tr
from sync.clock_offset import clock_short, clock_words
from ui.gui.elided_label import ElidedLabel
from ui.gui.hub.driver import SyncState

INDICATOR_MAX_WIDTH = 360
TONES = {
    "good": "color: #116329;",
    "busy": "color: #4b5563;",
    "bad": "color: #b42318; font-weight: bold;",
}
BADGE_STYLE = (
    "QLabel { color: #7c2d12; background: #ffedd5; border: 1px solid #fb923c;"
    " border-radius: 4px; padding: 1px 8px; font-weight: bold; }"
)


@dataclass(frozen=True)
class Shown:
    text: str
    tone: str  # good | busy | bad
    details: str


def clock(value: datetime, now: datetime | None = None) -> str:
    """A stored (naive UTC) time in local time: the time alone today, else date and time."""
    local = value.replace(tzinfo=UTC).astimezone() if value.tzinfo is None else value
    today = (now or datetime.now(UTC)).astimezone().date()
    if local.date() == today:
        return str(format_time(local, format="short", locale=current_locale()))
    return str(format_datetime(local, format="short", locale=current_locale()))


def waiting_words(count: int) -> str:
    if count == 1:
        return tr("1 event waiting")
    return tr("{count} events waiting", count=count)


def headline(state: SyncState) -> tuple[str, str]:
    found = state.status
    if state.syncing:
        return tr("Syncing…"), "busy"
    if state.token_refused:
        return tr("Hub refused this till's token"), "bad"
    if found.offline_since is not None:
        since = tr("Offline since {time}", time=clock(found.offline_since))
        if found.waiting:
            waiting = waiting_words(found.waiting)
            return tr("{offline} — {waiting}", offline=since, waiting=waiting), "bad"
        return since, "bad"
    if found.last_success_at is not None:
        synced = tr("Synced {time}", time=clock(found.last_success_at))
        if found.clock_off and found.clock_offset_seconds is not None:
            off = clock_short(found.clock_offset_seconds)
            return tr("{synced} — {clock}", synced=synced, clock=off), "bad"
        return synced, "good"
    return tr("Not synced yet"), "busy"


def details(state: SyncState) -> str:
    found = state.status
    success = clock(found.last_success_at) if found.last_success_at else tr("never")
    lines = [
        tr("Hub: {url}", url=found.hub_url or "?"),
        tr("Last success: {time}", time=success),
        tr("Changes waiting: {count}", count=found.waiting),
    ]
    if found.last_error and (found.offline_since is not None or state.token_refused):
        lines.append(tr("Last error: {error}", error=found.last_error))
    if found.clock_off and found.clock_offset_seconds is not None:
        lines.append(clock_words(found.clock_offset_seconds))
        lines.append(tr("Set this computer's date and time right: sales are recorded by it."))
    lines.append(tr("F12 or a click: sync now"))
    return "\n".join(lines)


def shown(state: SyncState) -> Shown:
    text, tone = headline(state)
    return Shown(text, tone, details(state))


def _clicked(event: QMouseEvent) -> bool:
    return event.button() == Qt.MouseButton.LeftButton


class SyncIndicator(ElidedLabel):
    """The sync state in a few words, cut to fit a narrow window; the whole of it and the
    details (hub, last error) in the tooltip. A click asks for a sync."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INDICATOR_MAX_WIDTH, parent)
        self.setObjectName("syncIndicator")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.tone = ""
        self.details = ""
        self.hide()

    def show_state(self, state: SyncState) -> None:
        found = shown(state)
        self.details = found.details
        self.setText(found.text)
        if found.tone != self.tone:
            self.tone = found.tone
            self.setStyleSheet(f"QLabel#syncIndicator {{ {TONES[found.tone]} }}")
        self.show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setToolTip(f"{self.full_text()}\n{self.details}")

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(f"{text}\n{self.details}")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if _clicked(event):
            self.clicked.emit()
        super().mousePressEvent(event)


class ConflictBadge(QLabel):
    """'⚠ 2 conflicts' (that sync found), hidden while there are none."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.count = 0
        self.setStyleSheet(BADGE_STYLE)
        self.setToolTip(tr("Sync found something a manager should look at: see the Sync page."))
        self.hide()

    def show_state(self, state: SyncState) -> None:
        self.count = state.status.open_conflicts
        if self.count == 1:
            self.setText(tr("⚠ 1 conflict"))
        else:
            self.setText(tr("⚠ {count} conflicts", count=self.count))
        self.setVisible(self.count > 0)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if _clicked(event):
            self.clicked.emit()
        super().mousePressEvent(event)
