"""Engines and units of work.

SQLite is the embedded default: WAL, foreign keys on, synchronous=FULL and a busy timeout. Python's
sqlite3 module is put in autocommit mode so that SQLAlchemy's ``begin`` event can issue the BEGIN
itself: ``BEGIN IMMEDIATE`` for a unit of work that writes (it waits for the write lock up front, so
two tills racing for the same item queue instead of failing), plain ``BEGIN`` for reads.

PostgreSQL keeps the same contract. A unit of work that writes first takes one transaction-level
advisory lock (``pg_advisory_xact_lock``, released at commit or rollback): writers queue one at a
time, as on SQLite, while readers never wait. Read Committed alone would not do: the services
check, then write (a coupon's uses before redeeming it, a sale not yet refunded, a count still
open, the on-hand quantity before a removal, the next barcode or consignor number, the movement
id a count marks its scans with, which must grow in commit order), and two such units of work
could both pass the check. A few writes are safe on their own (a terminal's next event or sale
number by UPDATE ... RETURNING, taking an item by UPDATE ... WHERE status = 'available': the
second writer waits for the row and re-checks it), but not all of them are. The lock wait is
bounded like SQLite's busy timeout (``lock_timeout``). Reads run in Repeatable Read: one snapshot
for the whole read, like a SQLite read transaction, so a report's queries agree with each other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 15_000
POSTGRES_WRITE_LOCK = 0x706F_7361_7070  # the advisory lock key every writing unit of work takes
_WRITE_OPTION = "posapp_write"


def default_database_path() -> Path:
    return Path(user_data_dir("posapp", appauthor=False)) / "posapp.db"


def resolve_url(database: str | None = None) -> str:
    """``--db`` value, else $POSAPP_DB, else the SQLite file in the user's data folder."""
    value = database or os.environ.get("POSAPP_DB") or str(default_database_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, see below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a session setting, outside any transaction
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
        cursor.close()
        dbapi_connection.autocommit = autocommit

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_WRITE_OPTION, False):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_WRITE_LOCK})")


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:" and "://" not in path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


class Database:
    """One database: hands out sessions for reads and units of work for writes.

    A unit of work is one user action: it commits when the block ends and rolls back everything if
    anything inside raises. Functions below the services take the session and never commit.
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        reader = self.engine
        if self.engine.dialect.name == "postgresql":
            reader = self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._reader = sessionmaker(reader, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
