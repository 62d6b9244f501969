"""What every subcommand gets: the parsed options, the database and the acting user, opened once."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from posapp.db import Database, DatabaseTooNew, open_database, resolve_url
from posapp.i18n import tr
from posapp.services.context import Actor, back_office_actor

EXIT_OK = 0
EXIT_FAILED = 1  # the environment or the program: too-new database, no GUI, unexpected error
EXIT_REFUSED = 2  # the input was refused: bad options, unknown codes, rules of the shop


class CliError(Exception):
    """A plain-words message for stderr and the exit code that goes with it."""

    def __init__(self, message: str, exit_code: int = EXIT_REFUSED) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def _error_reason(error: Exception) -> str:
    original = getattr(error, "orig", None)
    return str(original or error).splitlines()[0]


def open_cli_database(value: str | None) -> Database:
    """Open (and migrate) the database named by --db / $POSAPP_DB / the default location."""
    url = resolve_url(value)
    where = url
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        where = str(path)
        if path.is_dir():
            raise CliError(tr("{path} is a folder, not a database file.", path=where))
    try:
        return open_database(value)
    except DatabaseTooNew as error:
        raise CliError(str(error), EXIT_FAILED) from None
    except (SQLAlchemyError, ImportError, OSError) as error:
        raise CliError(
            tr(
                "Cannot open the database {where}: {reason}",
                where=where,
                reason=_error_reason(error),
            )
        ) from None


@dataclass
class CommandContext:
    args: argparse.Namespace
    _db: Database | None = field(default=None, init=False)
    _actor: Actor | None = field(default=None, init=False)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_cli_database(self.args.db)
        return self._db

    @property
    def actor(self) -> Actor:
        """The --user (else the first manager) at the --terminal; needs a database with a shop."""
        if self._actor is None:
            self._actor = back_office_actor(self.db, self.args.user, self.args.terminal)
        return self._actor

    @property
    def currency(self) -> str:
        return self.actor.currency

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
