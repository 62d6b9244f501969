"""What the hub does once before it serves requests, whoever starts it (``posapp hub serve``,
the benchmark)."""

from __future__ import annotations

import gc

from posapp.db import Database

# Connections kept open for the requests in progress: a push, pulls, snapshot pages and short
# writes, one each; more than the pool keeps are opened and closed again, which on PostgreSQL
# costs a server process each time.
POOL_SIZE = 16
POOL_OVERFLOW = 16


def pooled_for_serving(db: Database) -> Database:
    """The same database with a pool as large as the hub's requests in progress."""
    url = db.engine.url.render_as_string(hide_password=False)
    db.dispose()
    return Database(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)


def settle_memory() -> None:
    """Keep the collector off what start-up made. A full collection walks every object the
    process holds (FastAPI, pydantic and SQLAlchemy make some 130,000 at start-up): 60-130 ms on
    a small machine, with every request in progress stopped meanwhile. Frozen, those objects are
    never walked again, and a full collection walks only what was made since."""
    gc.collect()
    gc.freeze()
