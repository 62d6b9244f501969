"""The checkout benchmark still runs end to end on a small database (its CI smoke run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import checkout_bench


def test_checkout_bench_runs_on_a_small_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--items", "400", "--coupons", "600", "--scans", "20", "--sales", "10"]
    assert checkout_bench.main([*argv, "--cache", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "item tag" in printed and "coupon" in printed
    assert "commit_sale" in printed and "raw sqlite3 floor" in printed
    assert "p99 ratio service / floor" in printed
    assert (tmp_path / "big-400-600.db.params.json").exists()
