"""A till linked to a hub: the status bar says whether it is synced or offline (with what is
waiting), F12 syncs now, and scans made during a sync are all applied, in order."""

from __future__ import annotations

import threading
from typing import Any

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("uvicorn")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from posapp.db import Database
from posapp.models import utcnow
from posapp.services.demo import DemoSummary, in_store_ean
from sync.terminal import SyncStatus
from tests.gui.helpers import press, rows, scan, settle
from tests.sync.hub_server import RunningHub
from ui.gui.hub import driver as sync_driver
from ui.gui.hub.indicator import SyncIndicator
from ui.gui.main_window import MainWindow

pytestmark = pytest.mark.gui

WAIT_MS = 15_000


def indicator(window: MainWindow) -> str:
    assert window.hub is not None
    return window.hub.indicator.full_text()


def test_synced_then_offline_with_the_events_waiting(
    qtbot: QtBot, till: MainWindow, hub: RunningHub, demo_summary: DemoSummary
) -> None:
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: indicator(till).startswith("Synced "), timeout=WAIT_MS)
    assert till.hub is not None and till.hub.indicator.isVisible()
    assert "F12" in till.hub.indicator.toolTip()
    assert not till.hub.badge.isVisible()  # no conflicts

    hub.stop()
    checkout = till.checkout
    assert checkout is not None
    scan(qtbot, checkout, demo_summary.sample_item)
    settle(qtbot, checkout)
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checkout.sale.receipt is not None)
    # a second after the sale the till tries the hub, finds it gone and says what is waiting
    # (the item's reservation at the scan may already have found it gone, before the sale)
    qtbot.waitUntil(lambda: "events waiting" in indicator(till), timeout=WAIT_MS)
    assert indicator(till).startswith("Offline since")
    assert till.hub.indicator.tone == "bad"
    assert "Cannot reach the hub" in till.hub.indicator.toolTip()


def test_scans_made_during_a_sync_are_all_applied_in_order(
    qtbot: QtBot, till: MainWindow, shop: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    real_sync = sync_driver.sync_now

    def slow_sync(*args: Any, **kwargs: Any) -> Any:
        gate.wait(WAIT_MS / 1000)
        return real_sync(*args, **kwargs)

    monkeypatch.setattr(sync_driver, "sync_now", slow_sync)
    assert till.hub is not None and till.checkout is not None
    press(qtbot, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: indicator(till) == "Syncing…")
    codes = [in_store_ean(n) for n in (2, 3, 4, 5, 6)]
    for code in codes:
        scan(qtbot, till.checkout, code)
    settle(qtbot, till.checkout)
    assert till.hub.driver.running  # the sync is still going on
    assert [row[1] for row in rows(till.checkout)] == codes
    press(qtbot, Qt.Key.Key_F12)  # asked again meanwhile: one more sync after this one
    gate.set()
    qtbot.waitUntil(lambda: indicator(till).startswith("Synced "), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not till.hub.driver.running, timeout=WAIT_MS)


def test_a_clock_far_from_the_hubs_is_shown_with_how_far(qtbot: QtBot) -> None:
    def synced(offset: int | None) -> sync_driver.SyncState:
        found = SyncStatus(
            configured=True,
            hub_url="http://127.0.0.1:8765",
            last_success_at=utcnow(),
            last_attempt_at=utcnow(),
            last_error=None,
            waiting=0,
            open_conflicts=0,
            offline_since=None,
            interval_seconds=120,
            clock_offset_seconds=offset,
        )
        return sync_driver.SyncState(found)

    shown = SyncIndicator()
    qtbot.addWidget(shown)
    shown.show_state(synced(-720))
    assert shown.full_text().startswith("Synced ")
    assert shown.full_text().endswith(" — clock 12 min fast")
    assert shown.tone == "bad"
    assert "This till's clock is 12 min fast (ahead of the hub's)." in shown.details

    shown.show_state(synced(30))  # half a minute: nothing to say
    assert "clock" not in shown.full_text() and shown.tone == "good"
