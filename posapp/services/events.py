"""Writing events to the outbox, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from posapp.models import OutboxEvent, Terminal, new_uuid, utcnow


def record_event(session: Session, terminal_id: int, event_type: str, **payload: Any) -> None:
    """Append one event; the per-terminal sequence number is taken in the same transaction.

    The UPDATE holds the terminal's row until commit, so even without the write lock (see
    posapp.db.engine) a second writer waits and reads the number the first one left: no repeats,
    no gaps, committed in order."""
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


_TAKE_SEQUENCE = (  # built once: a sale runs it with its own values
    update(Terminal)
    .where(Terminal.id == bindparam("terminal_key"))
    .values(last_event_seq=Terminal.last_event_seq + bindparam("event_count"))
    .returning(Terminal.uuid, Terminal.last_event_seq)
)
_INSERT_EVENTS = insert(OutboxEvent)


def record_events(
    session: Session,
    terminal_id: int,
    events: Sequence[tuple[str, dict[str, Any]]],
    *,
    bulk: bool = False,
) -> None:
    """Append several events in order with one sequence bump and one multi-row insert.

    ``bulk``: thousands of events (a count's corrections): the rows go straight to the
    connection's executemany, skipping the ORM's bulk-insert bookkeeping (seconds per 100,000).
    """
    if not events:
        return
    row = session.execute(
        _TAKE_SEQUENCE, {"terminal_key": terminal_id, "event_count": len(events)}
    ).one()
    first = row.last_event_seq - len(events) + 1
    now = utcnow()
    target = session.connection() if bulk else session
    target.execute(
        _INSERT_EVENTS,
        [
            {
                "id": new_uuid(),
                "terminal_uuid": row.uuid,
                "seq": first + offset,
                "type": event_type,
                "payload": payload,
                "created_at": now,
            }
            for offset, (event_type, payload) in enumerate(events)
        ],
    )
