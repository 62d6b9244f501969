"""Start the GUI: language, fonts, the database (migrated, see quick_open), sign-in, the window.

``run_gui`` is what a bare ``posapp`` runs. With a user and PIN (arguments, or $POSAPP_USER and
$POSAPP_PIN) it signs in directly, for a kiosk till or a benchmark; otherwise it shows sign-in.
The database opens (and the PIN is checked) on a thread while Qt and the screens load
(early_start.py), so Qt is imported here only inside the functions.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from posapp import i18n
from posapp.db import Database, DatabaseTooNew
from posapp.i18n import tr
from posapp.scanning.config import ScannerConfig, ScannerConfigError, load_config
from posapp.services.errors import PosError
from ui.gui.early_start import EarlyStart

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ui.gui.main_window import MainWindow

log = logging.getLogger(__name__)
WINDOW_SIZE = (1280, 800)


def apply_locale_from_env() -> None:
    """The language chosen by ``posapp --locale`` or $POSAPP_LOCALE (en_US, zh_CN); a name
    that is not a locale falls back to English."""
    wanted = i18n.current_locale()
    try:
        i18n.set_locale(wanted)
    except ValueError:
        print(f"posapp: unknown locale {wanted!r}, using {i18n.DEFAULT_LOCALE}", file=sys.stderr)
        i18n.set_locale(i18n.DEFAULT_LOCALE)


def qt_application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("posapp")
    return app


def database_or_explain(early: EarlyStart) -> Database | None:
    """The database the early start opened, or None after saying, in plain words, why not."""
    from ui.gui.dialogs import Dialogs

    try:
        return early.database()
    except DatabaseTooNew as error:
        Dialogs.error(None, str(error))
    except PosError as error:
        Dialogs.error(None, error.message)
    except Exception as error:  # a file that cannot be opened, a server that is down...
        log.error("cannot open database", exc_info=error)
        Dialogs.error(None, tr("The database could not be opened: {error}", error=error))
    return None


def run_gui(
    database: str | None,
    terminal: str | None = None,
    user: str | None = None,
    pin: str | None = None,
    *,
    on_ready: Callable[[MainWindow], None] | None = None,
) -> int:
    """Run the till until its window closes; returns the process exit code."""
    apply_locale_from_env()
    started = time.perf_counter()
    if on_ready is None and os.environ.get("POSAPP_EXIT_WHEN_READY") == "1":
        on_ready = _exit_when_ready(started)
    user = user or os.environ.get("POSAPP_USER")
    pin = pin or os.environ.get("POSAPP_PIN")
    early = EarlyStart(database, terminal, user, pin)  # from here on, beside the imports below
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.gui.main_window import MainWindow
    from ui.gui.operations import Operations
    from ui.gui.style import apply_style

    app = qt_application()
    apply_style(app)
    db = database_or_explain(early)
    if db is None:
        return 1
    ops = Operations()
    scanner_config, scanner_problem = till_scanner_config()
    window = MainWindow(db, ops, terminal, scanner_config=scanner_config)
    if scanner_problem:
        window.status.show_hint(scanner_problem)
    if on_ready is not None:
        _call_once_ready(window, on_ready)
    window.resize(*WINDOW_SIZE)
    window.show()
    window.activateWindow()  # a kiosk till may run without a window manager to give it focus
    currency = early.currency()
    if currency is not None:  # the checkout is built while argon2 checks the PIN
        window.prepare_checkout(currency)
    if early.signs_in:
        try:
            window.signed_in(early.actor())
        except Exception as error:  # a wrong PIN: the sign-in screen says so
            if not isinstance(error, PosError):
                log.error("signing in failed", exc_info=error)
            window.direct_sign_in_failed(error)
    else:
        window.show_sign_in()
    gc.enable()  # held off while the program loaded (ui.cli.launch)
    try:
        return app.exec()
    finally:
        ops.wait_idle()
        window.deleteLater()
        ops.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        db.dispose()


def till_scanner_config() -> tuple[ScannerConfig, str]:
    """This till's scanner settings, or the defaults and why the saved ones could not be used."""
    try:
        return load_config(), ""
    except ScannerConfigError as error:
        log.warning("%s", error)
        return ScannerConfig(), str(error)


def _exit_when_ready(started: float) -> Callable[[MainWindow], None]:
    """A diagnostic for installers and benchmarks: with POSAPP_EXIT_WHEN_READY=1 the till says on
    stderr when it is ready for a scan (seconds since the screens started loading) and closes."""

    def ready(window: MainWindow) -> None:
        from PySide6.QtCore import QTimer

        seconds = f"{time.perf_counter() - started:.2f}"
        print(tr("ready in {seconds} s", seconds=seconds), file=sys.stderr, flush=True)
        QTimer.singleShot(0, window.close)

    return ready


def _call_once_ready(window: MainWindow, on_ready: Callable[[MainWindow], None]) -> None:
    def ready() -> None:
        window.ready.disconnect(ready)
        on_ready(window)

    window.ready.connect(ready)
