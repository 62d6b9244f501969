"""Two terminals (two processes) scanning into the same count on one SQLite file at once."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from posapp.db import Database
from posapp.services.context import Actor
from posapp.services.count_report import count_report
from posapp.services.counts import commit_count, start_count
from tests.core.count_worker import count_at_terminal
from tests.core.helpers import available_barcodes, count


def test_two_terminals_count_the_same_session_at_once(
    demo_db: Database, demo_path: Path, manager: Actor
) -> None:
    barcodes = available_barcodes(demo_path, 60)
    shared, left, right, unscanned = barcodes[0], barcodes[1:30], barcodes[30:59], barcodes[59]
    count_id = start_count(demo_db, manager, "all")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    work = {"T2": [shared, *left], "T3": [shared, *right]}
    terminals = [
        context.Process(
            target=count_at_terminal,
            args=(str(demo_path), name, count_id, codes, barrier, results),
        )
        for name, codes in work.items()
    ]
    for terminal in terminals:
        terminal.start()
    seen = dict(results.get(timeout=90) for _ in terminals)
    for terminal in terminals:
        terminal.join(timeout=30)
    assert all(terminal.exitcode == 0 for terminal in terminals)

    repeated = [code for scans in seen.values() for code, again in scans if again]
    assert repeated == [shared]  # whichever terminal came second was told
    scans = "SELECT count(*) FROM count_scans WHERE session_id = ? AND quantity = 1"
    assert count(demo_path, scans, count_id) == 59
    report = count_report(demo_db, count_id)
    missing = {line.barcode for line in report.missing}
    assert unscanned in missing and not missing & set(barcodes[:59])
    assert [r.code for r in report.repeated] == [shared]
    commit_count(demo_db, manager, count_id)
