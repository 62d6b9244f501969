"""Whether this database is linked to a hub: a plain read with the core's model only, so asking
costs an unlinked till no import of sync (httpx, pydantic)."""

from __future__ import annotations

from sqlalchemy import select

from posapp.db import Database
from posapp.models import SyncLink


def has_hub_link(db: Database) -> bool:
    with db.reading() as session:
        return session.scalar(select(SyncLink.id).limit(1)) is not None
