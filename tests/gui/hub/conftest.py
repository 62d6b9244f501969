"""Fixtures for a till linked to a hub: a real hub on 127.0.0.1 (uvicorn in a thread), the demo
shop linked to it, and the main window on that shop, signed in as the cashier. A test's first
sync waits for the test (F12), not for a timer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("uvicorn")

import httpx
from pytestqt.qtbot import QtBot

from posapp.db import Database, open_database
from posapp.services.context import Actor
from sync.hub.clients import add_client
from sync.terminal import setup, sync_now
from tests.gui.hub.linked import close, linked_window
from tests.sync.hub_server import RunningHub
from ui.gui.checkout import CheckoutWidget
from ui.gui.hub import driver as sync_driver
from ui.gui.main_window import MainWindow
from ui.gui.operations import Operations

NEVER_MS = 3_600_000


@pytest.fixture
def hub_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(str(tmp_path / "hub.db"))
    yield db
    db.dispose()


@pytest.fixture
def hub(hub_db: Database) -> Iterator[RunningHub]:
    with RunningHub(hub_db) as running:
        yield running


@pytest.fixture
def shop(demo_db: Database, hub: RunningHub, hub_db: Database) -> Database:
    """The demo shop linked to the hub as 'shop', synced once (the hub knows its items)."""
    setup(demo_db, hub.url, add_client(hub_db, "shop"))
    sync_now(demo_db)
    return demo_db


@pytest.fixture
def online(hub: RunningHub, hub_db: Database) -> Iterator[httpx.Client]:
    """The online store's client of the hub."""
    token = add_client(hub_db, "web", kind="online")
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as web:
        yield web


@pytest.fixture(autouse=True)
def no_timed_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_driver, "FIRST_SYNC_MS", NEVER_MS)


@pytest.fixture
def till(qtbot: QtBot, shop: Database, ops: Operations, cashier: Actor) -> Iterator[MainWindow]:
    """The main window of the linked demo shop, signed in as the cashier."""
    window = linked_window(qtbot, shop, ops, cashier)
    yield window
    close(window, ops)


@pytest.fixture
def checkout(till: MainWindow) -> CheckoutWidget:
    assert till.checkout is not None
    return till.checkout
