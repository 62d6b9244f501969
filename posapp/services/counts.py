"""Stock counts: start a session, scan into it from any terminal, commit or cancel it.

A scan is one row of its own (never an update of a running total), so several terminals can count
the same session at once. Committing writes the count corrections in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Consignor,
    CountCorrection,
    CountScope,
    CountSession,
    CountState,
    Item,
    ItemKind,
    ItemStatus,
    MovementReason,
    StockMovement,
    utcnow,
)
from posapp.services.context import Actor
from posapp.services.count_variance import VarianceLine, movement_mark, variance_lines
from posapp.services.errors import Conflict, InvalidInput, NotFound
from posapp.services.events import record_event, record_events
from posapp.services.stock import find_location, require_manager

CHUNK = 500


@dataclass(frozen=True)
class CountCommitted:
    corrections: int
    missing: int
    extra: int
    left_for_review: int


def parse_scope(text: str) -> tuple[CountScope, str | None]:
    """'all', 'location:Back room', 'category:Dresses' or 'consignor:100001'."""
    kind, _, value = text.partition(":")
    try:
        scope = CountScope(kind.strip().lower())
    except ValueError:
        raise InvalidInput(
            tr("A count's scope is all, location:NAME, category:NAME or consignor:NUMBER.")
        ) from None
    if scope is CountScope.ALL:
        return scope, None
    if not value.strip():
        raise InvalidInput(tr("Say which {scope} to count, e.g. {scope}:NAME.", scope=kind))
    return scope, value.strip()


def _check_scope(session: Session, scope: CountScope, value: str | None) -> None:
    if scope is CountScope.LOCATION and value:
        find_location(session, value)
    elif scope is CountScope.CATEGORY:
        if session.scalar(select(Item.id).where(Item.category == value).limit(1)) is None:
            raise NotFound(tr("No items in category {category}.", category=value))
    elif scope is CountScope.CONSIGNOR and (
        session.scalar(select(Consignor.id).where(Consignor.number == value)) is None
    ):
        raise NotFound(tr("No consignor number {number}.", number=value))


def start_count(db: Database, actor: Actor, scope_text: str, blind: bool = False) -> int:
    """Open a count session; returns its id."""
    scope, value = parse_scope(scope_text)
    with db.unit_of_work() as session:
        _check_scope(session, scope, value)
        count = CountSession(
            scope=scope,
            scope_value=value,
            blind=blind,
            start_mark=movement_mark(session),
            started_by=actor.user_id,
            terminal_id=actor.terminal_id,
        )
        session.add(count)
        session.flush()
        record_event(session, actor.terminal_id, "count.started", count=count.uuid,
                     scope=scope.value, value=value, blind=blind)  # fmt: skip
        return count.id


def raise_if_closed(count_id: int, state: CountState | None) -> None:
    """Refuse to work on a count that does not exist (None) or is no longer open."""
    if state is None:
        raise NotFound(tr("No count {id}.", id=count_id))
    if state is CountState.COMMITTED:
        raise Conflict(tr("Count {id} is already committed.", id=count_id))
    if state is CountState.CANCELLED:
        raise Conflict(tr("Count {id} was cancelled.", id=count_id))


def open_count(session: Session, count_id: int) -> CountSession:
    count = session.get(CountSession, count_id)
    raise_if_closed(count_id, count.state if count else None)
    assert count is not None
    return count


def cancel_count(db: Database, actor: Actor, count_id: int) -> None:
    """Close the count without changing any stock; its scans stay for the record."""
    with db.unit_of_work() as session:
        count = open_count(session, count_id)
        count.state = CountState.CANCELLED
        count.closed_at = utcnow()
        count.closed_by = actor.user_id
        record_event(session, actor.terminal_id, "count.cancelled", count=count.uuid)


def _correction_rows(
    actor: Actor, lines: Sequence[VarianceLine], now: datetime
) -> list[dict[str, object]]:
    return [
        {
            "item_id": line.item_id,
            "quantity": line.variance,
            "reason": MovementReason.COUNT_CORRECTION,
            "user_id": actor.user_id,
            "terminal_id": actor.terminal_id,
            "created_at": now,
        }
        for line in lines
    ]


def _set_status(session: Session, item_ids: Sequence[int], status: ItemStatus) -> None:
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start : start + CHUNK]
        session.execute(
            update(Item).where(Item.id.in_(chunk)).values(status=status, updated_at=utcnow())
        )


def _one_of_a_kind_states(session: Session, lines: Sequence[VarianceLine]) -> None:
    consigned = [line for line in lines if line.kind is ItemKind.CONSIGNED]
    _set_status(session, [line.item_id for line in consigned if line.counted == 0],
                ItemStatus.MISSING)  # fmt: skip
    found = [line.item_id for line in consigned if line.counted > 0 and line.variance > 0]
    _set_status(session, found, ItemStatus.AVAILABLE)


def _write_corrections(
    session: Session, actor: Actor, count: CountSession, lines: Sequence[VarianceLine]
) -> None:
    if not lines:
        return
    # Plain executemany on the unit of work's connection (no RETURNING, no ORM bulk path: both cost
    # seconds for a whole shop); the write lock is held, so the new ids are the ones above ``mark``.
    connection = session.connection()
    mark, now = movement_mark(session), utcnow()
    connection.execute(insert(StockMovement), _correction_rows(actor, lines, now))
    written = connection.execute(
        select(StockMovement.item_id, StockMovement.id).where(
            StockMovement.id > mark,
            StockMovement.reason == MovementReason.COUNT_CORRECTION,
            StockMovement.created_at == now,
            StockMovement.terminal_id == actor.terminal_id,
        )
    )
    movement_of = {item_id: movement_id for item_id, movement_id in written}
    connection.execute(
        insert(CountCorrection),
        [
            {
                "session_id": count.id,
                "item_id": line.item_id,
                "movement_id": movement_of[line.item_id],
                "expected_at_start": line.expected_at_start,
                "moved_since": line.moved_since,
                "counted": line.counted,
            }
            for line in lines
        ],
    )


def _commit_events(
    actor: Actor, count: CountSession, lines: Sequence[VarianceLine]
) -> list[tuple[str, dict[str, Any]]]:
    """One stock.moved event per correction, like every other movement, then count.committed."""
    moved = [
        ("stock.moved", {"barcode": line.barcode, "reason": "count_correction",
                         "quantity": line.variance, "note": None, "user": actor.user_name,
                         "count": count.uuid})
        for line in lines
    ]  # fmt: skip
    summary = {"count": count.uuid, "corrections": len(lines)}
    return [*moved, ("count.committed", summary)]


def commit_count(db: Database, actor: Actor, count_id: int) -> CountCommitted:
    """Write a count-correction movement for every item whose count differs, all or nothing."""
    require_manager(actor)
    with db.unit_of_work() as session:
        count = open_count(session, count_id)
        lines = variance_lines(session, count)
        applied = [line for line in lines if not line.needs_review]
        _write_corrections(session, actor, count, applied)
        _one_of_a_kind_states(session, applied)
        count.state = CountState.COMMITTED
        count.closed_at = utcnow()
        count.closed_by = actor.user_id
        record_events(session, actor.terminal_id, _commit_events(actor, count, applied), bulk=True)
        return CountCommitted(
            corrections=len(applied),
            missing=sum(-line.variance for line in applied if line.variance < 0),
            extra=sum(line.variance for line in applied if line.variance > 0),
            left_for_review=len(lines) - len(applied),
        )
