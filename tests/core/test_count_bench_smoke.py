"""The count benchmark still runs end to end on a small database (its CI smoke run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import count_bench


def test_count_bench_runs_on_a_small_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--items", "400", "--coupons", "300", "--scans", "20", "--cache", str(tmp_path)]
    assert count_bench.main(argv) == 0
    printed = capsys.readouterr().out
    assert "scan_into_count: p50" in printed
    assert "count_report:" in printed and "commit_count:" in printed
    assert "items sold during the count reported as missing: 0 (want 0)" in printed
