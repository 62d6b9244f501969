"""A till that is not linked to a hub starts without sync, httpx or pydantic (the cold start
stays lean); a linked one loads them once it knows it is linked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from posapp.db import Database
from sync.hub.clients import add_client
from sync.terminal import setup
from tests.sync.hub_server import RunningHub

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[3]
CHILD = """
import sys
from PySide6.QtCore import QTimer
from ui.gui.app import run_gui

def ready(window):
    def report():
        heavy = ("httpx", "pydantic", "tenacity", "sync")
        loaded = sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in heavy})
        print("LINKED" if window.hub else "UNLINKED", ",".join(loaded), flush=True)
        window.close()
    QTimer.singleShot(300, report)

sys.exit(run_gui(sys.argv[1], None, "Cashier", "0000", on_ready=ready))
"""


def start(db_path: Path) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_an_unlinked_till_starts_without_sync(demo_path: Path) -> None:
    assert start(demo_path) == "UNLINKED"


def test_a_linked_till_loads_sync_once_it_knows(
    demo_db: Database, demo_path: Path, hub: RunningHub, hub_db: Database
) -> None:
    setup(demo_db, hub.url, add_client(hub_db, "shop"))
    assert start(demo_path).split() == ["LINKED", "httpx,pydantic,sync,tenacity"]
