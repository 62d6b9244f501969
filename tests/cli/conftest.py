"""Run the `posapp` command in-process against a private copy of the demo database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Cli, CliResult
from ui.cli.main import main


@pytest.fixture
def cli(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """cli("items", "list") runs `posapp --db <demo copy> items list` and captures what it says."""

    def run(*args: str, db: Path | str | None = demo_path) -> CliResult:
        argv = (["--db", str(db)] if db is not None else []) + list(args)
        code = main(argv)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
