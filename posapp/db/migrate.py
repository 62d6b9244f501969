"""Alembic migrations, run by the app itself: upgrade an older database, refuse a newer one.

Alembic is imported inside the functions that use it, so that importing posapp.db stays cheap
for a caller that already knows the schema is current (the GUI's start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from posapp.db.engine import Database, resolve_url
from posapp.i18n import tr

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer posapp than this one."""


def _config(database: Database) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = database.engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database) -> None:
    """Bring the schema to this version's head; refuse, changing nothing, a newer database."""
    from alembic import command
    from alembic.script import ScriptDirectory

    current = current_revision(database)
    script = ScriptDirectory(str(MIGRATIONS))
    if current is not None and not _known(script, current):
        raise DatabaseTooNew(
            tr(
                "This database was made by a newer version of posapp (schema {revision}). "
                "Install the newer posapp to open it; nothing was changed.",
                revision=current,
            )
        )
    if current != script.get_current_head():
        command.upgrade(_config(database), "head")


def _known(script: ScriptDirectory, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False
    except Exception:  # alembic raises ResolutionError subclasses for an unknown id
        return False


def open_database(database: str | None = None, *, migrate: bool = True) -> Database:
    db = Database(resolve_url(database))
    if migrate:
        try:
            upgrade(db)
        except BaseException:
            db.dispose()  # a refused (newer) database must not stay open behind the message
            raise
    return db
