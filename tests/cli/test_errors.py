"""Bad input and broken set-ups get one plain line and an exit code, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from posapp.db import default_database_path
from posapp.services.catalog import ItemRow
from posapp.services.demo import DemoSummary
from tests.cli.helpers import Cli
from ui.cli import crashlog
from ui.cli.commands import items


def test_db_that_is_a_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("items", "list", db=tmp_path)
    assert result.code == 2
    assert result.err.strip() == f"{tmp_path} is a folder, not a database file."
    assert result.out == ""


def test_db_that_is_not_a_database(cli: Cli, tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list\n" * 100)
    result = cli("items", "list", db=notes)
    assert result.code == 2
    assert result.err.strip() == f"Cannot open the database {notes}: file is not a database"


def test_db_url_with_an_unknown_driver(cli: Cli) -> None:
    result = cli("items", "list", db="nosuchdb://host/shop")
    assert result.code == 2
    assert result.err.startswith("Cannot open the database nosuchdb://host/shop:")
    assert len(result.err.splitlines()) == 1


def test_database_newer_than_the_app_is_refused_unchanged(cli: Cli, demo_path: Path) -> None:
    with sqlite3.connect(demo_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'fromthefuture'")
    result = cli("items", "list")
    assert result.code == 1
    assert "newer version of posapp" in result.err and "nothing was changed" in result.err
    with sqlite3.connect(demo_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "fromthefuture",
        )


def test_empty_database_points_to_the_demo(cli: Cli, tmp_path: Path) -> None:
    result = cli("sales", "list", db=tmp_path / "new.db")
    assert result.code == 2
    assert "Run 'posapp demo'" in result.err


def test_unknown_user(cli: Cli) -> None:
    result = cli("--user", "Nobody", "items", "list")
    assert (result.code, result.err.strip()) == (2, "No active user called Nobody.")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["items"], "the following arguments are required: ACTION"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["items", "list", "--limit", "0"], "'0' is not a whole number of 1 or more"),
        (["items", "list", "--format", "xml"], "invalid choice: 'xml'"),
        (["--locale", "fr_FR", "items", "list"], "invalid choice: 'fr_FR'"),
        (["coupons", "list", "--state", "lost"], "invalid choice: 'lost'"),
    ],
)
def test_usage_errors_exit_2_with_usage(cli: Cli, argv: list[str], expected: str) -> None:
    result = cli(*argv)
    assert result.code == 2
    assert result.err.startswith("usage: posapp")
    assert expected in result.err


def test_version_and_help(cli: Cli) -> None:
    version = cli("--version", db=None)
    assert version.code == 0 and version.out.startswith("posapp ")
    top = cli("--help", db=None)
    assert top.code == 0
    for command in ("demo", "items", "consignors", "campaigns", "coupons", "sale", "refund"):
        assert command in top.out


def test_unexpected_error_prints_one_line_and_logs_the_details(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> list[ItemRow]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(items, "list_items", broken)
    result = cli("items", "list")
    log = crashlog.log_path()
    assert result.code == 1
    assert result.err.strip() == (
        f"posapp stopped on an unexpected error: disk on fire. Details are in {log}."
    )
    assert "Traceback" in log.read_text(encoding="utf-8")
    assert "disk on fire" in log.read_text(encoding="utf-8")


def test_env_database_terminal_and_user(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSAPP_DB", str(demo_path))
    monkeypatch.setenv("POSAPP_TERMINAL", "Front")
    monkeypatch.setenv("POSAPP_USER", "Cashier")
    result = cli("sale", "--scan", demo_summary.sample_item, "--pay", "cash", db=None)
    assert result.code == 0, result.err
    assert result.out.startswith("Sale Front-000001")
    assert "Cashier: Cashier" in result.out
    by_option = cli("--terminal", "T2", "--user", "Manager", "sale", "--scan", "2000000009001",
                    "--pay", "cash")  # fmt: skip
    assert by_option.out.startswith("Sale T2-000001") and "Cashier: Manager" in by_option.out


def test_default_database_lives_in_the_user_data_folder(cli: Cli) -> None:
    assert not default_database_path().exists()
    made = cli("demo", db=None)
    assert made.code == 0, made.err
    assert default_database_path().is_file()
    assert "--db" not in made.out.splitlines()[-1]
