"""Opening the database at start-up: Alembic is skipped only when the schema is known current."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from posapp.db import DatabaseTooNew
from posapp.db.migrate import head_revision
from ui.gui import quick_open

pytestmark = pytest.mark.gui


def stamp(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_first_open_migrates_and_remembers_the_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    assert quick_open.remembered_head() is None
    quick_open.open_for_till(str(path)).dispose()
    assert quick_open.remembered_head() == head_revision()
    db = quick_open.open_for_till(str(path))  # now the quick way
    assert quick_open.stamped_revision(db) == head_revision()
    db.dispose()


def test_a_newer_database_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    quick_open.open_for_till(str(path)).dispose()
    stamp(path, "ffffffffffff")
    with pytest.raises(DatabaseTooNew):
        quick_open.open_for_till(str(path))


def test_changed_migration_scripts_forget_the_remembered_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick_open.open_for_till(str(tmp_path / "shop.db")).dispose()
    monkeypatch.setattr(quick_open, "migrations_fingerprint", lambda: [["9999_new.py", 1, 1]])
    assert quick_open.remembered_head() is None
