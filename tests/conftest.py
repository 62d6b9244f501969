"""Shared fixtures. Every test runs with its own home, data and config folders, so nothing touches
the real user's settings or database; the demo database is built once and copied per test."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.db import Database, open_database
from posapp.services.context import Actor, back_office_actor
from posapp.services.demo import DemoSummary, seed_demo
from tests.postgres_server import postgres_server, postgres_url  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("POSAPP_LOCALE", "en_US")
    for name in ("POSAPP_DB", "POSAPP_TERMINAL", "POSAPP_USER"):
        monkeypatch.delenv(name, raising=False)
    from posapp import i18n

    monkeypatch.setattr(i18n, "_current_locale", "en_US")


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = open_database(str(path))
    summary = seed_demo(db)
    assert summary is not None
    db.dispose()
    with sqlite3.connect(path) as connection:  # fold the WAL into the file before copying it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path, summary


@pytest.fixture
def demo_path(tmp_path: Path, _demo_template: tuple[Path, DemoSummary]) -> Path:
    """A private copy of the demo database file."""
    target = tmp_path / "shop.db"
    shutil.copyfile(_demo_template[0], target)
    return target


@pytest.fixture
def demo_summary(_demo_template: tuple[Path, DemoSummary]) -> DemoSummary:
    return _demo_template[1]


@pytest.fixture
def demo_db(demo_path: Path) -> Iterator[Database]:
    db = open_database(str(demo_path))
    yield db
    db.dispose()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(str(tmp_path / "empty.db"))
    yield db
    db.dispose()


@pytest.fixture
def manager(demo_db: Database) -> Actor:
    return back_office_actor(demo_db, "Manager")


@pytest.fixture
def cashier(demo_db: Database) -> Actor:
    return back_office_actor(demo_db, "Cashier")
