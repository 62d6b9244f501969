"""The status bar: store, till and cashier, the scanner's state, a busy sign while database work
runs, and a passing hint (a dropped scanner frame, a scan that nobody took). On a till linked to
a hub, the sync state and its conflicts sit before the scanner's state (``add_sync``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from posapp.i18n import tr
from posapp.services.context import Actor
from ui.gui.elided_label import ElidedLabel

BUSY_DELAY_MS = 250  # shorter work than this does not flicker the sign
HINT_MS = 6000
SCANNER_MAX_WIDTH = 440
KEYS_MARGIN = 16
ITEM_GAP = 6  # QStatusBar's spacing between items
DIRECT_CHILDREN = Qt.FindChildOption.FindDirectChildrenOnly


class PosStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self._signed_in = False
        self.store = QLabel()
        self.till = QLabel()
        self.cashier = QLabel()
        self.busy = QLabel(tr("Working…"))
        self.busy.setObjectName("error")
        self.busy.hide()
        self.scanner = ElidedLabel(SCANNER_MAX_WIDTH)
        self.hint = ElidedLabel()
        self.hint.setObjectName("error")
        self.hint.hide()
        self.keys = ElidedLabel()  # never widens the window: see fit_keys
        self.keys.setText(tr("F9 checkout · F10 back office · Ctrl+L lock"))
        self.keys.setObjectName("hint")
        for label in (self.store, self.till, self.cashier):
            self.addWidget(label)
        self.addWidget(self.hint, 1)
        self._normal_widgets = 4
        self.addPermanentWidget(self.busy)
        self.addPermanentWidget(self.scanner)
        self.addPermanentWidget(self.keys)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.setInterval(HINT_MS)
        self._hint_timer.timeout.connect(self._hint_over)

    def add_sync(self, *widgets: QWidget) -> None:
        """The sync items, after the busy sign and before the scanner's state (F12 is in the
        sync state's tooltip: the page keys have little room left beside it)."""
        for offset, widget in enumerate(widgets, start=self._normal_widgets + 1):
            self.insertPermanentWidget(offset, widget)
        self.fit_keys()

    def fit_keys(self) -> None:
        """The page keys show only whole, when they fit beside everything else: they give way
        to a hint, the sync state or a narrow window (each page shows its own keys too)."""
        if not self._signed_in or self.hint.isVisible():
            self.keys.hide()
            return
        shown = [
            widget
            for widget in self.findChildren(QWidget, options=DIRECT_CHILDREN)
            if widget is not self.keys and not widget.isHidden()
        ]
        wanted = sum(widget.sizeHint().width() + ITEM_GAP for widget in shown)
        self.keys.setVisible(wanted + self.keys.sizeHint().width() + KEYS_MARGIN <= self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_keys()

    def show_actor(self, actor: Actor | None) -> None:
        self._signed_in = actor is not None
        self.fit_keys()
        self.store.setText(tr("Store: {name}", name=actor.store_name) if actor else "")
        self.till.setText(tr("Till: {name}", name=actor.terminal_name) if actor else "")
        self.cashier.setText(tr("Cashier: {name}", name=actor.user_name) if actor else "")

    def set_busy(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.busy.hide()

    def show_scanner(self, text: str, good: bool) -> None:
        self.scanner.setText(text)
        self.scanner.setObjectName("" if good else "error")
        self.scanner.style().unpolish(self.scanner)
        self.scanner.style().polish(self.scanner)
        self.fit_keys()

    def show_hint(self, text: str) -> None:
        """A passing message, cut to fit (the whole of it in the tooltip): a long message never
        makes the window wider than the screen."""
        self.hint.setText(text)
        self.hint.show()
        self.keys.hide()  # the page keys are on the screens too: the hint needs the room
        self._hint_timer.start()

    def _hint_over(self) -> None:
        self.hint.hide()
        self.fit_keys()
