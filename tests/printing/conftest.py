"""Printing tests run the real `posapp` command on a private copy of the demo database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import Cli, CliResult
from ui.cli.main import main


@pytest.fixture
def cli(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*args: str) -> CliResult:
        code = main(["--db", str(demo_path), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def query(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql, params).fetchall()
