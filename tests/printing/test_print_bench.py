"""The printing benchmark runs (small) and reports both times, the ratio and the PDF size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.printing.pdf_reading import LASER_DPI, decoded_codes

BENCH = Path(__file__).resolve().parents[2] / "bench" / "print_bench.py"


def test_print_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.pdf"
    run = subprocess.run(
        [sys.executable, str(BENCH), "--coupons", "50", "--repeat", "1", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "coupon sheet PDF:" in run.stdout and "bare Code 128 PDF:" in run.stdout
    assert "ratio:" in run.stdout and "coupon PDF size:" in run.stdout
    assert len(set(decoded_codes(out, LASER_DPI))) == 50
