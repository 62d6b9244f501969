"""Coupons sent to a system printer: marked printed only when the print queue took the job.

CUPS is not installed on the test machines, so a stand-in `lpstat`/`lp` pair on PATH plays it:
it answers like CUPS for a ready printer, a paused one and an unknown one, and spools the PDF.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import Cli
from tests.printing.conftest import query
from tests.printing.pdf_reading import LASER_DPI, decoded_codes

LPSTAT = """#!/bin/sh
case "$2" in
  Front) echo "printer Front is idle.  enabled since Tue 01 Dec 2026 09:00:00" ;;
  Back) printf 'printer Back disabled since Tue 01 Dec 2026 09:00:00 -\\n\\tPaused\\n' ;;
  *) echo "lpstat: Invalid destination name in list \\"$2\\"." >&2; exit 1 ;;
esac
"""
LP = """#!/bin/sh
for last; do :; done
cp "$last" "$SPOOL/job.pdf" && echo "request id is Front-1 (1 file(s))"
"""


@pytest.fixture
def stand_in_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir, spool = tmp_path / "bin", tmp_path / "spool"
    bin_dir.mkdir()
    spool.mkdir()
    for name, script in (("lpstat", LPSTAT), ("lp", LP)):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("SPOOL", str(spool))
    return spool


def _states(db: Path) -> dict[str, int]:
    rows = query(db, "SELECT state, count(*) FROM coupons WHERE campaign_id = 2 GROUP BY state")
    return {str(state): int(str(count)) for state, count in rows}


def test_job_taken_by_the_printer_marks_coupons_printed(
    cli: Cli, demo_path: Path, stand_in_cups: Path
) -> None:
    result = cli("coupons", "print", "--campaign", "2", "--printer", "Front")
    assert result.code == 0, result.err
    assert "written to printer Front" in result.out
    printed = {
        str(c) for (c,) in query(demo_path, "SELECT code FROM coupons WHERE state = 'printed'")
    }
    assert len(printed) == 10
    assert sorted(decoded_codes(stand_in_cups / "job.pdf", LASER_DPI)) == sorted(printed)
    ((payload,),) = query(
        demo_path, "SELECT payload FROM outbox_events WHERE type = 'coupons.printed'"
    )
    assert json.loads(str(payload))["output"] == "printer:Front"


@pytest.mark.parametrize(
    ("printer", "message"),
    [("Back", "is stopped or offline"), ("Nowhere", "There is no printer called Nowhere")],
)
def test_offline_or_missing_printer_marks_nothing(
    cli: Cli, demo_path: Path, stand_in_cups: Path, printer: str, message: str
) -> None:
    before = _states(demo_path), query(demo_path, "SELECT count(*) FROM outbox_events")
    result = cli("coupons", "print", "--campaign", "2", "--printer", printer)
    assert result.code == 2
    assert message in result.err and "nothing was printed" in result.err
    assert (_states(demo_path), query(demo_path, "SELECT count(*) FROM outbox_events")) == before
    assert not (stand_in_cups / "job.pdf").exists()


def test_no_print_system(
    cli: Cli, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    before = _states(demo_path)
    result = cli("coupons", "print", "--campaign", "2", "--printer", "Front")
    assert result.code == 2 and "No print system found" in result.err
    assert _states(demo_path) == before


def test_tags_to_a_system_printer(cli: Cli, stand_in_cups: Path) -> None:
    result = cli("tags", "print", "--item", "2000000000015", "--printer", "Front")
    assert result.code == 0 and "1 tags written to printer Front" in result.out
    assert decoded_codes(stand_in_cups / "job.pdf", LASER_DPI) == ["2000000000015"]
    paused = cli("tags", "print", "--item", "2000000000015", "--printer", "Back")
    assert paused.code == 2 and "is stopped or offline" in paused.err
