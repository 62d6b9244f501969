"""Coupon sheet benchmark: full coupon labels beside bare reportlab Code 128 barcodes.

    .venv/bin/python bench/print_bench.py [--coupons 1000] [--repeat 3] [--out FILE.pdf]

In one run it writes N coupons of a campaign (Chinese name, so the CJK font is embedded) to an
A4 3x8 PDF in memory with printing.coupon_sheet, and draws the same N codes as bare reportlab
Code 128 barcodes at the same label positions on the same pages. Each is timed ``--repeat`` times
(after one warm-up that loads the fonts); the best times, their ratio (target <= 1.5x) and the
coupon PDF's size (target < 1 MB) are printed. Exit status 1 when a target is missed at 1,000 or
more coupons (small smoke runs only report).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.graphics.barcode.code128 import Code128
from reportlab.pdfgen.canvas import Canvas

from posapp import codes
from posapp.models import DiscountKind
from posapp.services.coupon_printing import CouponLabel, CouponPrintJob
from printing.barcodes import DOT, MM
from printing.coupon_sheet import coupon_sheet_pdf
from printing.layouts import LAYOUTS, SheetLayout

RATIO_TARGET = 1.5
SIZE_TARGET = 1_000_000


def coupon_job(count: int) -> CouponPrintJob:
    labels = tuple(CouponLabel(codes.new_code(), None) for _ in range(count))
    return CouponPrintJob(
        1, "春季九折 Spring 10%", "10% off everything", DiscountKind.PERCENT, 1000, 10000, 14,
        "CNY", labels,
    )  # fmt: skip


def bare_barcodes_pdf(job: CouponPrintJob, layout: SheetLayout) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.page_width, layout.page_height), pageCompression=1)
    for index, label in enumerate(job.coupons):
        if index and index % layout.per_page == 0:
            canvas.showPage()
        x, y = layout.label_origin(index)
        Code128(label.code, barWidth=2 * DOT, barHeight=10 * MM).drawOn(
            canvas, x + 5 * MM, y + 8 * MM
        )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def best_time(make: Callable[[], bytes], repeat: int) -> tuple[float, bytes]:
    make()  # warm-up: fonts registered, modules imported
    times, data = [], b""
    for _ in range(repeat):
        start = time.perf_counter()
        data = make()
        times.append(time.perf_counter() - start)
    return min(times), data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coupons", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also save the coupon PDF here")
    args = parser.parse_args()
    layout = LAYOUTS["a4-3x8"]
    job = coupon_job(args.coupons)
    coupon_time, coupon_pdf = best_time(lambda: coupon_sheet_pdf(job, layout), args.repeat)
    bare_time, bare_pdf = best_time(lambda: bare_barcodes_pdf(job, layout), args.repeat)
    ratio = coupon_time / bare_time
    pages = -(-args.coupons // layout.per_page)
    print(f"coupons: {args.coupons} on A4 3x8 ({pages} pages), best of {args.repeat}")
    print(f"coupon sheet PDF:      {coupon_time * 1000:8.1f} ms  {len(coupon_pdf):>9,} bytes")
    print(f"bare Code 128 PDF:     {bare_time * 1000:8.1f} ms  {len(bare_pdf):>9,} bytes")
    print(f"ratio: {ratio:.2f}x (target <= {RATIO_TARGET}x)")
    print(f"coupon PDF size: {len(coupon_pdf) / 1e6:.3f} MB (target < 1 MB)")
    if args.out:
        args.out.write_bytes(coupon_pdf)
    missed = ratio > RATIO_TARGET or len(coupon_pdf) >= SIZE_TARGET
    return 1 if missed and args.coupons >= 1000 else 0


if __name__ == "__main__":
    sys.exit(main())
