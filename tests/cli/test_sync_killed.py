"""A sync killed half-way (the till's process, or the hub's) resumes without losing or doubling
anything: real `posapp` processes, killed with SIGKILL in the middle of pushing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from posapp.db import Database, open_database
from posapp.models import Customer, HubLogEntry, OutboxEvent
from posapp.services.context import back_office_actor
from posapp.services.events import record_events
from tests.cli.test_hub_sync_cli import ROOT, TOKEN, ServedHub, _posapp, posapp

CUSTOMERS = 12_000  # events enough for the push to take a while (12 batches)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL"),
]


def _log_size(hub_db: Path) -> int:
    db = open_database(str(hub_db))
    try:
        with db.reading() as session:
            return int(session.scalar(select(func.count()).select_from(HubLogEntry)) or 0)
    finally:
        db.dispose()


def _busy_shop(path: Path) -> int:
    """Many real changes waiting in the shop's outbox; returns how many events it holds."""
    db = open_database(str(path))
    try:
        actor = back_office_actor(db, "Manager")
        with db.unit_of_work() as session:
            cards = [f"K{n:06d}" for n in range(CUSTOMERS)]
            session.add_all(Customer(name=f"Customer {card}", card_code=card) for card in cards)
            record_events(
                session,
                actor.terminal_id,
                [("customer.added", {"name": f"Customer {c}", "card": c}) for c in cards],
                bulk=True,
            )
        with db.reading() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxEvent)) or 0)
    finally:
        db.dispose()


def _kill_when(process: subprocess.Popen[str], ready: object, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not ready():  # type: ignore[operator]
        assert process.poll() is None, "finished before it could be killed"
        assert time.monotonic() < deadline, "never got there"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(30)


def test_killed_tills_and_a_killed_hub_lose_and_double_nothing(
    tmp_path: Path, demo_path: Path
) -> None:
    hub_db = tmp_path / "hub.db"
    added = posapp("hub", "add-terminal", "--name", "shop", db=hub_db)
    [token] = TOKEN.findall(added.out)
    total = _busy_shop(demo_path)

    hub = ServedHub(hub_db)
    with hub:
        assert posapp("sync", "setup", "--hub", hub.url, "--token", token, db=demo_path).code == 0
        till = subprocess.Popen(
            [*_posapp(), "--db", str(demo_path), "sync", "now"], cwd=ROOT, text=True
        )
        _kill_when(till, lambda: _log_size(hub_db) > 0)  # the till dies mid-push
        first = _log_size(hub_db)
        assert 0 < first < total

        till = subprocess.Popen(
            [*_posapp(), "--db", str(demo_path), "sync", "now"], cwd=ROOT, text=True
        )
        _kill_when(hub.process, lambda: _log_size(hub_db) > first)  # now the hub dies
        till.wait(120)
        assert till.returncode != 0  # it said the hub could not be reached
        second = _log_size(hub_db)
        assert first < second < total

    with ServedHub(hub_db, port=hub.port):  # the hub comes back at the same address
        done = posapp("sync", "now", db=demo_path)
        assert done.code == 0, done.err

    assert _log_size(hub_db) == total
    shop = open_database(str(demo_path))
    hub_database = open_database(str(hub_db))
    try:
        _every_event_once(shop, hub_database)
    finally:
        shop.dispose()
        hub_database.dispose()


def _every_event_once(shop: Database, hub: Database) -> None:
    counted = select(func.count()).select_from(Customer)
    with shop.reading() as session:
        sent = dict(session.execute(select(OutboxEvent.id, OutboxEvent.sent_at)).all())
        customers = session.scalar(counted)
    with hub.reading() as session:
        logged = list(session.scalars(select(HubLogEntry.event_id)))
        assert session.scalar(counted) == customers  # each one exactly once
    assert sorted(logged) == sorted(sent) and all(sent.values())
