"""What the hub does once before it serves requests, whoever starts it (``posapp hub serve``,
the benchmark)."""

from __future__ import annotations

import gc


def settle_memory() -> None:
    """Keep the collector off what start-up made. A full collection walks every object the
    process holds (FastAPI, pydantic and SQLAlchemy make some 130,000 at start-up): 70-100 ms on
    a small machine, with every request in progress stopped meanwhile. Frozen, those objects are
    never walked again, and a full collection walks only what was made since."""
    gc.collect()
    gc.freeze()
