"""The till's first steps that need no screen, on a thread of their own while Qt and the screens
load: open the database (quick_open: migrated, or refused) and, for a kiosk till started with a
user and PIN, check the PIN. Argon2 lets go of the GIL while it works, so checking the PIN costs
the start-up nothing.

Only plain results cross back: the Database (thread-safe: an engine and a session factory) and
the signed-in Actor, or the exception that stopped either. Nothing here imports Qt.
"""

from __future__ import annotations

import threading

from posapp.db import Database
from posapp.services.context import Actor, sign_in_by_name, store_currency


class EarlyStart:
    def __init__(
        self, database: str | None, terminal: str | None, user: str | None, pin: str | None
    ) -> None:
        self._database, self._terminal = database, terminal
        self._user, self._pin = user, pin
        self._db: Database | None = None
        self._db_error: Exception | None = None
        self._currency: str | None = None
        self._actor: Actor | None = None
        self._sign_in_error: Exception | None = None
        self._db_done = threading.Event()
        self._currency_done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="posapp-early-start", daemon=True)
        self._thread.start()

    @property
    def signs_in(self) -> bool:
        return bool(self._user and self._pin)

    def database(self) -> Database:
        """The opened database (waits for it); raises what stopped it from opening."""
        self._db_done.wait()
        if self._db_error is not None:
            raise self._db_error
        assert self._db is not None
        return self._db

    def currency(self) -> str | None:
        """The shop's currency once the database is open (None if it could not be read), so
        the checkout can be built while the PIN is still being checked."""
        self._currency_done.wait()
        return self._currency

    def actor(self) -> Actor:
        """Who signed in (waits for the PIN check); raises why not."""
        self._thread.join()
        if self._sign_in_error is not None:
            raise self._sign_in_error
        assert self._actor is not None
        return self._actor

    def _run(self) -> None:
        from ui.gui.quick_open import open_for_till  # Qt-free, like everything here

        try:
            self._db = open_for_till(self._database)
        except Exception as error:  # reported by database(), on the GUI thread
            self._db_error = error
            return
        finally:
            self._db_done.set()
            if self._db is None:
                self._currency_done.set()
        try:
            self._currency = store_currency(self._db)
        except Exception:  # no shop yet: signing in (or the sign-in screen) says so
            self._currency = None
        finally:
            self._currency_done.set()
        if self._user and self._pin:
            try:
                self._actor = sign_in_by_name(self._db, self._user, self._pin, self._terminal)
            except Exception as error:  # shown on the sign-in screen
                self._sign_in_error = error
