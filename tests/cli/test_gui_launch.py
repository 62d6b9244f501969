"""`posapp` with no subcommand opens the screens; the command line itself never loads Qt."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from tests.cli.helpers import Cli

NO_QT_CHECK = """
import sys
import ui.cli.main
ui.cli.main.build_parser()
for module in ("ui.cli.commands.sales", "ui.cli.gui_launch", "printing.receipt_text"):
    assert module in sys.modules, module
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(qt)
"""


def test_importing_the_command_line_never_imports_qt() -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_QT_CHECK], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_without_pyside6_bare_posapp_says_how_to_install_the_screens(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6", None)  # what an install without Qt looks like
    result = cli(db=None)
    assert result.code == 1
    assert result.err == "The screens need PySide6; install them with: pip install 'posapp[gui]'\n"
    assert result.out == ""


def test_bare_posapp_hands_the_global_options_to_the_screens(
    cli: Cli, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str | None, ...]] = []

    def run_gui(
        database: str | None,
        terminal: str | None = None,
        user: str | None = None,
        pin: str | None = None,
    ) -> int:
        opened.append((database, terminal, user, pin))
        return 0

    app = types.ModuleType("ui.gui.app")
    app.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui.gui.app", app)
    result = cli("--terminal", "T3", "--user", "Cashier", "--pin", "0000")
    assert result.code == 0, result.err
    assert opened == [(str(demo_path), "T3", "Cashier", "0000")]


BARE_CHECK = """
import sys
import ui.cli.main as main
def open_gui(args):
    heavy = ("ui.cli.commands", "escpos", "reportlab", "printing")
    print(args.db, args.user, sorted(m for m in sys.modules if m.startswith(heavy)))
    return 0
main.open_gui = open_gui
sys.exit(main.main(["--db", "shop.db", "--user", "Cashier"]))
"""


def test_bare_posapp_opens_the_screens_without_loading_the_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BARE_CHECK], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "shop.db Cashier []"


GC_CHECK = """
import gc, sys
import ui.cli.main as main
from ui.cli.launch import main as posapp
main.run = lambda args: print(getattr(args, "command", None), gc.isenabled()) or 0
sys.argv = ["posapp", *sys.argv[1:]]
sys.exit(posapp())
"""


@pytest.mark.parametrize(
    ("arguments", "printed"),
    [(["--db", "x.db", "items", "list"], "items True"), (["--db", "x.db"], "None False")],
    ids=["subcommand", "screens"],
)
def test_the_collector_is_held_off_while_loading_and_back_on_for_a_subcommand(
    arguments: list[str], printed: str
) -> None:
    """The screens turn it back on themselves once built (ui.gui.app.run_gui)."""
    done = subprocess.run(
        [sys.executable, "-c", GC_CHECK, *arguments], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == printed
