"""Writing events to the outbox, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from posapp.models import OutboxEvent, Terminal, utcnow


def record_event(session: Session, terminal_id: int, event_type: str, **payload: Any) -> None:
    """Append one event; the per-terminal sequence number is taken in the same transaction."""
    row = session.execute(
        update(Terminal)
        .where(Terminal.id == terminal_id)
        .values(last_event_seq=Terminal.last_event_seq + 1)
        .returning(Terminal.uuid, Terminal.last_event_seq)
    ).one()
    session.add(
        OutboxEvent(
            terminal_uuid=row.uuid,
            seq=row.last_event_seq,
            type=event_type,
            payload=payload,
            created_at=utcnow(),
        )
    )
