"""Two tills (two processes) on the same SQLite file, committing at the same moment."""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path

from posapp.db import Database
from posapp.services.demo import DemoSummary
from tests.core.helpers import available_barcodes, count, one
from tests.core.race_worker import run_till

ROUNDS = 4


def race(path: Path, baskets: dict[str, list[list[str]]]) -> list[tuple[int, str, str, str]]:
    """Run one process per terminal over its baskets, in lockstep; returns every outcome."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(baskets))
    results = context.Queue()
    tills = [
        context.Process(target=run_till, args=(str(path), terminal, rounds, barrier, results))
        for terminal, rounds in baskets.items()
    ]
    for till in tills:
        till.start()
    outcomes = []
    expected = sum(len(rounds) for rounds in baskets.values())
    try:
        for _ in range(expected):
            outcomes.append(results.get(timeout=90))
    except queue.Empty:
        raise AssertionError(f"a till hung; got only {outcomes}") from None
    finally:
        for till in tills:
            till.join(timeout=30)
            if till.is_alive():
                till.kill()
    assert all(till.exitcode == 0 for till in tills)
    return sorted(outcomes)


def test_two_tills_racing_for_one_item_end_with_exactly_one_sale(
    demo_db: Database, demo_path: Path
) -> None:
    items = available_barcodes(demo_path, ROUNDS)
    demo_db.dispose()
    outcomes = race(demo_path, {"T2": [[b] for b in items], "T3": [[b] for b in items]})
    for round_number, barcode in enumerate(items):
        this_round = [o for o in outcomes if o[0] == round_number]
        sold = [o for o in this_round if o[2] == "sold"]
        lost = [o for o in this_round if o[2] != "sold"]
        assert len(sold) == 1 and len(lost) == 1, this_round
        name = str(one(demo_path, "SELECT name FROM items WHERE barcode = ?", barcode)[0])
        assert lost[0][2] == "Conflict"
        assert (
            lost[0][3] == f"{name} was sold or taken off sale meanwhile; remove it from the sale."
        )
        sales = count(
            demo_path,
            "SELECT count(*) FROM sale_lines JOIN items ON items.id = sale_lines.item_id"
            " WHERE items.barcode = ?",
            barcode,
        )
        assert sales == 1
    assert count(demo_path, "SELECT count(*) FROM sales") == ROUNDS
    assert count(demo_path, "SELECT count(*) FROM stock_movements WHERE reason = 'sale'") == ROUNDS


def test_a_single_use_coupon_raced_by_two_tills_is_redeemed_once(
    demo_db: Database, demo_path: Path, demo_summary: DemoSummary
) -> None:
    first, second = available_barcodes(demo_path, 2)
    code = demo_summary.sample_coupon
    demo_db.dispose()
    outcomes = race(demo_path, {"T2": [[first, code]], "T3": [[second, code]]})
    assert sorted(o[2] for o in outcomes) == ["Conflict", "sold"], outcomes
    (lost,) = [o for o in outcomes if o[2] == "Conflict"]
    (won,) = [o for o in outcomes if o[2] == "sold"]
    assert lost[3].startswith(f"Coupon {code}: Already used on ")
    assert lost[3].endswith(f" at till {won[1]}.")
    assert count(demo_path, "SELECT count(*) FROM coupon_redemptions") == 1
    assert count(demo_path, "SELECT count(*) FROM sales") == 1
    assert one(demo_path, "SELECT state FROM coupons WHERE code = ?", code) == ("redeemed",)
