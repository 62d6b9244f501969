"""A counting terminal in its own process: it waits for the other one, then scans its codes into
the same count and reports what its counter saw."""

from __future__ import annotations

import os
from typing import Any

from posapp.db import open_database
from posapp.services.context import back_office_actor
from posapp.services.count_scan import scan_into_count


def count_at_terminal(
    path: str, terminal: str, count_id: int, barcodes: list[str], barrier: Any, results: Any
) -> None:
    os.environ["POSAPP_LOCALE"] = "en_US"
    db = open_database(path)
    actor = back_office_actor(db, "Cashier", terminal=terminal)
    barrier.wait(timeout=60)
    seen = [scan_into_count(db, actor, count_id, code) for code in barcodes]
    results.put((terminal, [(s.code, s.repeated) for s in seen]))
    db.dispose()
