"""Set lookups that stay within SQLite's limit on bound parameters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

CHUNK = 500  # values per IN (...) query


def existing_values(
    session: Session, column: InstrumentedAttribute[str], values: Sequence[str]
) -> set[str]:
    """Which of ``values`` are already stored in ``column``."""
    found: set[str] = set()
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found
