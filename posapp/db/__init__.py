"""Database access: engine set-up, units of work and schema migrations."""

from posapp.db.engine import Database, default_database_path, resolve_url
from posapp.db.migrate import DatabaseTooNew, open_database, upgrade

__all__ = [
    "Database",
    "DatabaseTooNew",
    "default_database_path",
    "open_database",
    "resolve_url",
    "upgrade",
]
