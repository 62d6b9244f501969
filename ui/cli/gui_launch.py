"""Opening the GUI from `posapp` with no subcommand. Qt is imported here only, and only then."""

from __future__ import annotations

import argparse
import importlib.util
import sys

from posapp.i18n import tr
from ui.cli.context import EXIT_FAILED

QT_PACKAGES = ("PySide6", "shiboken6")


def _qt_installed() -> bool:
    try:
        return importlib.util.find_spec("PySide6") is not None
    except (ImportError, ValueError):
        return False


def _say_install_gui() -> int:
    print(
        tr("The screens need PySide6; install them with: pip install 'posapp[gui]'"),
        file=sys.stderr,
    )
    return EXIT_FAILED


def open_gui(args: argparse.Namespace) -> int:
    if not _qt_installed():
        return _say_install_gui()
    try:
        from ui.gui.app import run_gui
    except ImportError as error:
        if error.name and error.name.split(".")[0] in QT_PACKAGES:
            return _say_install_gui()
        if error.name and error.name.split(".")[0] == "ui":
            raise  # our own module is broken: the unexpected-error handler logs it
        print(
            tr(
                "Qt could not load: {reason}. On Debian/Ubuntu, 'bash start.sh' in the posapp "
                "folder installs the system libraries it needs.",
                reason=error,
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    return run_gui(args.db, args.terminal, args.user, args.pin)
