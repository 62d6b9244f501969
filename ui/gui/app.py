"""Start the GUI: language, fonts, the database (migrated, see quick_open), sign-in, the window.

``run_gui`` is what a bare ``posapp`` runs. With a user and PIN (arguments, or $POSAPP_USER and
$POSAPP_PIN) it signs in directly, for a kiosk till or a benchmark; otherwise it shows sign-in.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from posapp import i18n
from posapp.db import Database, DatabaseTooNew
from posapp.i18n import tr
from posapp.scanning.config import ScannerConfig, ScannerConfigError, load_config
from posapp.services.errors import PosError
from ui.gui.dialogs import Dialogs
from ui.gui.operations import Operations
from ui.gui.quick_open import open_for_till
from ui.gui.signin import sign_in_by_name
from ui.gui.style import apply_style

if TYPE_CHECKING:
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
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("posapp")
    return app


def open_or_explain(database: str | None) -> Database | None:
    """The migrated database, or None after telling the user, in plain words, why not."""
    try:
        return open_for_till(database)
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
    app = qt_application()
    apply_style(app)
    db = open_or_explain(database)
    if db is None:
        return 1
    ops = Operations()
    user = user or os.environ.get("POSAPP_USER")
    pin = pin or os.environ.get("POSAPP_PIN")
    windows: list[MainWindow] = []  # the callbacks below run from app.exec(), once it exists
    if user and pin:
        ops.run(
            lambda: sign_in_by_name(db, user, pin, terminal),
            success=lambda actor: windows[0].signed_in(actor),
            failure=lambda error: windows[0].direct_sign_in_failed(error),
        )
    # the screens' imports run here, while the worker checks the PIN (argon2 lets go of the GIL)
    from ui.gui.main_window import MainWindow

    scanner_config, scanner_problem = till_scanner_config()
    window = MainWindow(db, ops, terminal, scanner_config=scanner_config)
    if scanner_problem:
        window.status.show_hint(scanner_problem)
    windows.append(window)
    if on_ready is not None:
        _call_once_ready(window, on_ready)
    if not (user and pin):
        window.show_sign_in()
    window.resize(*WINDOW_SIZE)
    window.show()
    window.activateWindow()  # a kiosk till may run without a window manager to give it focus
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


def _call_once_ready(window: MainWindow, on_ready: Callable[[MainWindow], None]) -> None:
    def ready() -> None:
        window.ready.disconnect(ready)
        on_ready(window)

    window.ready.connect(ready)
