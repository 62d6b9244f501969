"""A linked till's database from 0006 upgrades to 0007 keeping its link, with no clock offset
measured yet; going down drops the offset and keeps the link."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from posapp.db import Database
from posapp.db.migrate import _config, current_revision
from tests.core.old_databases import columns, database_at


def _link(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT id, hub_url, token, pull_cursor FROM sync_link"
        ).fetchall()


def test_a_linked_0006_database_goes_up_to_0007_and_back_keeping_its_link(tmp_path: Path) -> None:
    path = tmp_path / "till.db"
    database_at(path, "0006")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO sync_link (id, hub_url, token, pull_cursor, snapshot_done,"
            " snapshot_cursor, interval_seconds, offline_max_count, offline_max_value,"
            " offline_max_minutes) VALUES (1, 'http://hub:8765', 'posapp_t', 42, 1, 40, 120,"
            " 10, 50000, 1440)"
        )
    link = _link(path)
    db = Database(f"sqlite:///{path}")
    try:
        command.upgrade(_config(db), "0007")
        assert current_revision(db) == "0007"
        assert columns(path)["sync_link"][-1] == "clock_offset_seconds"
        assert _link(path) == link
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT clock_offset_seconds FROM sync_link").fetchall() == [
                (None,)
            ]
        command.downgrade(_config(db), "0006")
        assert "clock_offset_seconds" not in columns(path)["sync_link"]
        assert _link(path) == link
    finally:
        db.dispose()
