"""A one-of-a-kind item's state as a function of its movements, so that every node ends in the
same state whatever order the movements reached it in.

The movements are folded in the order they happened (their time, then id), with the same rules
the till follows when it makes them: a refund puts back only a sold item, a hold takes only an
available one, a release frees only a held one; a sale, a return, a donation, a loss and a count
set the state outright. A new till's snapshot movement sets the state the hub had at that time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from posapp.models import CountCorrection, ItemStatus, MovementReason, StockMovement
from sync.records import chunks

SNAPSHOT_NOTE = "sync snapshot "  # + the page's log position + " " + the state then

SETS = {
    MovementReason.SALE: ItemStatus.SOLD,
    MovementReason.RETURN_TO_CONSIGNOR: ItemStatus.RETURNED,
    MovementReason.DONATION: ItemStatus.DONATED,
    MovementReason.LOSS: ItemStatus.MISSING,
}
MOVES = {  # reason: (only from, to)
    MovementReason.REFUND: (ItemStatus.SOLD, ItemStatus.AVAILABLE),
    MovementReason.HOLD: (ItemStatus.AVAILABLE, ItemStatus.RESERVED),
    MovementReason.RELEASE: (ItemStatus.RESERVED, ItemStatus.AVAILABLE),
}
CHANGES_STATE = (*SETS, *MOVES, MovementReason.COUNT_CORRECTION)
STATE_REASONS = (*CHANGES_STATE, MovementReason.INTAKE)  # a snapshot movement is an intake


def snapshot_note(cursor: int, status: ItemStatus) -> str:
    return f"{SNAPSHOT_NOTE}{cursor} {status.value}"


def snapshot_mark(note: str | None) -> tuple[int, ItemStatus] | None:
    """(log position, state) of a snapshot movement's note, or None for any other note."""
    if not note or not note.startswith(SNAPSHOT_NOTE):
        return None
    position, _, status = note[len(SNAPSHOT_NOTE) :].partition(" ")
    return int(position), ItemStatus(status or ItemStatus.AVAILABLE.value)


COUNTED_NOTE = "counted "  # a count correction from elsewhere: + how many the count found


def counted_note(counted: int) -> str:
    return f"{COUNTED_NOTE}{counted}"


def counted_of(note: str | None, counted: int | None) -> int | None:
    """What a count correction's count found: its record's, else what its note says (one that
    came from another database), else None."""
    if counted is None and note and note.startswith(COUNTED_NOTE):
        return int(note[len(COUNTED_NOTE) :])
    return counted


def _after_count(status: ItemStatus, quantity: int, counted: int | None) -> ItemStatus:
    """The count's own rule (posapp.services.counts): not found is missing; found when fewer
    were expected is available again; anything else leaves the state alone."""
    if counted is None:  # an older event: go by the correction's sign
        counted = 0 if quantity < 0 else 1
    if counted == 0:
        return ItemStatus.MISSING
    return ItemStatus.AVAILABLE if quantity > 0 else status


def step(
    status: ItemStatus,
    reason: MovementReason,
    quantity: int,
    note: str | None,
    counted: int | None = None,
) -> ItemStatus:
    if reason in SETS:
        return SETS[reason]
    if reason in MOVES:
        only_from, to = MOVES[reason]
        return to if status is only_from else status
    if reason is MovementReason.COUNT_CORRECTION:
        return _after_count(status, quantity, counted_of(note, counted))
    if reason is MovementReason.INTAKE:
        mark = snapshot_mark(note)
        return mark[1] if mark else status
    return status


def fold(
    movements: Iterable[tuple[MovementReason, int, str | None, int | None]],
) -> ItemStatus:
    status = ItemStatus.AVAILABLE
    for reason, quantity, note, counted in movements:
        status = step(status, reason, quantity, note, counted)
    return status


def state_movements(
    session: Session, item_ids: list[int], reasons: Iterable[MovementReason]
) -> Iterator[Any]:
    """(item id, time, id, reason, quantity, note, what a count found) of these items'
    movements for these reasons, item by item, each item's in the order they are folded."""
    for chunk in chunks(item_ids):
        yield from session.execute(
            select(
                StockMovement.item_id,
                StockMovement.created_at,
                StockMovement.id,
                StockMovement.reason,
                StockMovement.quantity,
                StockMovement.note,
                CountCorrection.counted,
            )
            .outerjoin(CountCorrection, CountCorrection.movement_id == StockMovement.id)
            .where(StockMovement.item_id.in_(chunk), StockMovement.reason.in_(list(reasons)))
            .order_by(StockMovement.item_id, StockMovement.created_at, StockMovement.id)
        )


def histories(session: Session, item_ids: list[int]) -> dict[int, list[list[Any]]]:
    """The state changes of these items, oldest first, as a snapshot sends them: [time (ISO
    8601), reason, quantity, how many a count found (count corrections; else None)]."""
    found: dict[int, list[list[Any]]] = {}
    for item_id, at, _id, reason, quantity, note, counted in state_movements(
        session, item_ids, CHANGES_STATE
    ):
        found.setdefault(item_id, []).append(
            [at.isoformat(), reason.value, quantity, counted_of(note, counted)]
        )
    return found


def newest_state_change(item_id: Any) -> Any:
    """SQL: when the item's state last changed (None: never since it came in)."""
    return (
        select(func.max(StockMovement.created_at))
        .where(StockMovement.item_id == item_id, StockMovement.reason.in_(CHANGES_STATE))
        .scalar_subquery()
    )
