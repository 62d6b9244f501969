"""The installed `posapp` script, run as a real process the way a shop owner runs it."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def _posapp() -> list[str]:
    script = shutil.which("posapp", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ui.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_posapp(), *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.slow
def test_demo_sale_with_coupon_list_and_refund(tmp_path: Path) -> None:
    db = str(tmp_path / "shop.db")
    demo = _run("--db", db, "demo")
    assert demo.returncode == 0, demo.stderr
    example = shlex.split(demo.stdout.splitlines()[-1])
    assert example[0] == "posapp" and "--scan" in example

    sale = _run(*example[1:])  # the copy-paste example the demo printed: an item and a coupon
    assert sale.returncode == 0, sale.stderr
    assert sale.stdout.splitlines()[0] == "Sale T1-000001"
    assert "Coupon" in sale.stdout and "TOTAL" in sale.stdout

    again = _run(*example[1:])
    assert again.returncode == 2
    assert "Nothing was sold." in again.stderr and "Traceback" not in again.stderr

    listed = _run("--db", db, "sales", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["number"], row["status"], row["discount"]) == ("T1-000001", "completed", "20.00")

    refund = _run("--db", db, "refund", "--sale", row["number"], "--reason", "wrong size")
    assert refund.returncode == 0, refund.stderr
    assert refund.stdout.startswith("Sale T1-000001") and "REFUNDED" in refund.stdout
    [after] = json.loads(_run("--db", db, "sales", "list", "--format", "json").stdout)
    assert after["status"] == "refunded"


def test_module_entry_point_and_bad_db_as_a_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--db", str(tmp_path), "items", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path} is a folder, not a database file.\n"
