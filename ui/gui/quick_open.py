"""Open the database for the till without loading Alembic when the schema is already current.

``posapp.db.open_database`` asks Alembic whether the schema is at this version's head, and
importing Alembic alone costs a tenth of a second of a one-second start. The answer depends only
on the migration scripts, so it is remembered in the user's cache folder, keyed by those files:
when the database's stamped revision equals the remembered head, it is opened as it is; any
other case (first start, new migrations, an older or newer database) goes through
``open_database``, which upgrades or refuses exactly as before.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from platformdirs import user_cache_dir
from sqlalchemy import text

from posapp.db import Database, open_database, resolve_url
from posapp.db.migrate import MIGRATIONS, head_revision

log = logging.getLogger(__name__)


def cache_file() -> Path:
    return Path(user_cache_dir("posapp", appauthor=False)) / "schema-head.json"


def migrations_fingerprint() -> list[list[object]]:
    """Name, size and modification time of every migration script."""
    return [
        [path.name, path.stat().st_size, path.stat().st_mtime_ns]
        for path in sorted((MIGRATIONS / "versions").glob("*.py"))
    ]


def remembered_head() -> str | None:
    try:
        saved = json.loads(cache_file().read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("scripts") != migrations_fingerprint():
        return None
    head = saved.get("head")
    return head if isinstance(head, str) else None


def remember_head(head: str) -> None:
    try:
        cache_file().parent.mkdir(parents=True, exist_ok=True)
        cache_file().write_text(json.dumps({"scripts": migrations_fingerprint(), "head": head}))
    except OSError as error:  # a read-only home only costs the next start a little time
        log.warning("cannot remember the schema head: %s", error)


def stamped_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return str(value) if value is not None else None


def open_for_till(database: str | None) -> Database:
    """Like ``open_database``; skips Alembic when the schema is known to be current."""
    head = remembered_head()
    if head is not None:
        db = Database(resolve_url(database))
        try:
            if stamped_revision(db) == head:
                return db
        except Exception as error:  # no schema yet, or not a posapp database: the long way
            log.debug("quick open declined: %s", error)
        db.dispose()
    db = open_database(database)
    remember_head(head_revision())
    return db
