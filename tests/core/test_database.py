"""The database file: created at the newest schema, older ones upgraded on open, newer ones
refused untouched; SQLite runs durable (WAL, synchronous=FULL, foreign keys, busy timeout)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from posapp.db import Database, DatabaseTooNew, open_database
from posapp.db.engine import BUSY_TIMEOUT_MS
from posapp.db.migrate import MIGRATIONS, current_revision, head_revision
from posapp.services.context import back_office_actor
from posapp.services.demo import seed_demo
from tests.core.helpers import sell


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = db.engine
    return config


def older_revisions() -> list[str]:
    """Every schema an older posapp could have left: 'base' (nothing yet) and each non-head."""
    script = ScriptDirectory(str(MIGRATIONS))
    return ["base"] + [r.revision for r in script.walk_revisions() if r.revision != head_revision()]


def folded(path: Path) -> None:
    """Checkpoint the WAL into the main file so the file alone holds the database."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def test_a_new_database_gets_the_newest_schema(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "new.db"))
    try:
        assert current_revision(db) == head_revision()
        assert seed_demo(db) is not None
    finally:
        db.dispose()


@pytest.mark.parametrize("revision", older_revisions())
def test_an_older_database_is_upgraded_when_opened(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "old.db"
    db = open_database(str(path))
    command.downgrade(alembic_config(db), revision)
    assert current_revision(db) == (None if revision == "base" else revision)
    db.dispose()

    reopened = open_database(str(path))
    try:
        assert current_revision(reopened) == head_revision()
        summary = seed_demo(reopened)
        assert summary is not None
        actor = back_office_actor(reopened, "Cashier")
        assert sell(reopened, actor, summary.sample_item, summary.sample_coupon).total > 0
    finally:
        reopened.dispose()


def test_a_newer_database_is_refused_and_left_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    db = open_database(str(path))
    seed_demo(db)
    db.dispose()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    folded(path)
    before = path.read_bytes()

    with pytest.raises(DatabaseTooNew) as refused:
        open_database(str(path))
    message = str(refused.value)
    assert "newer version of posapp" in message
    assert "9999_from_the_future" in message
    assert "nothing was changed" in message
    assert "Traceback" not in message
    folded(path)
    assert path.read_bytes() == before


def test_sqlite_runs_durable(demo_db: Database) -> None:
    with demo_db.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.execute(text(f"PRAGMA {name}")).scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == BUSY_TIMEOUT_MS > 0


def test_foreign_keys_are_enforced(demo_db: Database) -> None:
    with pytest.raises(IntegrityError), demo_db.unit_of_work() as session:
        session.execute(
            text("INSERT INTO payments (sale_id, method, amount, tendered, change)"
                 " VALUES (999999, 'cash', 1, 1, 0)")
        )  # fmt: skip
