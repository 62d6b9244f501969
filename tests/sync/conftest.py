"""Sync fixtures: a hub database and a real hub on 127.0.0.1, and shops linked to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.db import Database, open_database
from sync.hub.clients import add_client
from sync.terminal import setup
from tests.sync.hub_server import RunningHub


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def hub_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The hub's database: an SQLite file, and a PostgreSQL database on a server the suite
    starts (every hub test runs on both)."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = str(tmp_path / "hub.db")
    db = open_database(url)
    yield db
    db.dispose()


@pytest.fixture
def hub(hub_db: Database) -> Iterator[RunningHub]:
    with RunningHub(hub_db) as running:
        yield running


@pytest.fixture
def shop(demo_db: Database, hub: RunningHub, hub_db: Database) -> Database:
    """The demo shop, linked to the hub as terminal 'shop'."""
    setup(demo_db, hub.url, add_client(hub_db, "shop"))
    return demo_db


def empty_till(tmp_path: Path, hub: RunningHub, hub_db: Database, name: str) -> Iterator[Database]:
    """A brand-new, empty database linked to the hub as terminal ``name``."""
    db = open_database(str(tmp_path / f"{name}.db"))
    setup(db, hub.url, add_client(hub_db, name))
    yield db
    db.dispose()


@pytest.fixture
def new_till(tmp_path: Path, hub: RunningHub, hub_db: Database) -> Iterator[Database]:
    yield from empty_till(tmp_path, hub, hub_db, "new-till")
