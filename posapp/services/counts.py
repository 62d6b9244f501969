"""Stock counts: start a session, scan into it from any terminal, commit or cancel it.

A scan is one row of its own (never an update of a running total), so several terminals can count
the same session at once. Committing writes the count corrections in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Subquery,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Consignor,
    CountCorrection,
    CountScan,
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
from posapp.services.count_variance import LEFT_THE_SHOP, movement_mark, variance_query
from posapp.services.errors import Conflict, InvalidInput, NotFound
from posapp.services.events import record_event, record_events
from posapp.services.stock import find_location, require_manager


@dataclass(frozen=True)
class CountCommitted:
    corrections: int
    missing: int
    extra: int
    left_for_review: int  # found although sold, returned or donated: left unchanged
    outside_scope: int = 0  # scanned but outside the count's scope: left unchanged


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


def _corrections_query(count: CountSession, mark: int) -> Subquery:
    """The variance lines a commit corrects: all but the ones left for a person to review
    (``review``): items found although they left the shop (``left_shop``) and items scanned
    outside the count's scope, whose expected quantity is the whole shop's (``outside``)."""
    lines = variance_query(count, mark).subquery()
    variance = lines.c.counted - lines.c.expected_at_start - lines.c.moved_since
    outside = ~lines.c.in_scope
    left_shop = and_(
        lines.c.kind == ItemKind.CONSIGNED,
        variance > 0,
        lines.c.status.in_(LEFT_THE_SHOP),
        lines.c.in_scope,
    )
    return select(
        lines,
        variance.label("variance"),
        or_(left_shop, outside).label("review"),
        left_shop.label("left_shop"),
        outside.label("outside"),
    ).subquery()


def _write_movements(connection: Connection, actor: Actor, fixes: Subquery, now: datetime) -> None:
    rows = select(
        fixes.c.item_id,
        fixes.c.variance,
        literal(MovementReason.COUNT_CORRECTION, StockMovement.reason.type),
        literal(actor.user_id),
        literal(actor.terminal_id),
        literal(now, StockMovement.created_at.type),
    ).where(~fixes.c.review)
    columns = ["item_id", "quantity", "reason", "user_id", "terminal_id", "created_at"]
    connection.execute(insert(StockMovement).from_select(columns, rows))


def _record_corrections(
    connection: Connection, actor: Actor, count: CountSession, fixes: Subquery, mark: int,
    now: datetime,
) -> None:  # fmt: skip
    """Link each new movement to what the count found; the write lock is held, so the new
    movements are this terminal's count corrections above ``mark`` stamped ``now``."""
    written = and_(
        StockMovement.item_id == fixes.c.item_id,
        StockMovement.id > mark,
        StockMovement.reason == MovementReason.COUNT_CORRECTION,
        StockMovement.created_at == now,
        StockMovement.terminal_id == actor.terminal_id,
    )
    rows = (
        select(
            literal(count.id),
            fixes.c.item_id,
            StockMovement.id,
            fixes.c.expected_at_start,
            fixes.c.moved_since,
            fixes.c.counted,
        )
        .join(StockMovement, written)
        .where(~fixes.c.review)
    )
    columns = ["session_id", "item_id", "movement_id", "expected_at_start", "moved_since",
               "counted"]  # fmt: skip
    connection.execute(insert(CountCorrection).from_select(columns, rows))


def _one_of_a_kind_states(connection: Connection, count: CountSession, now: datetime) -> None:
    """Consigned items not found become missing; found ones (extra) are available again."""
    fixed = select(CountCorrection.item_id).where(CountCorrection.session_id == count.id)
    expected = CountCorrection.expected_at_start + CountCorrection.moved_since
    changes = (
        (fixed.where(CountCorrection.counted == 0), ItemStatus.MISSING),
        (fixed.where(CountCorrection.counted > 0, CountCorrection.counted > expected),
         ItemStatus.AVAILABLE),
    )  # fmt: skip
    for items, status in changes:
        connection.execute(
            update(Item)
            .where(Item.kind == ItemKind.CONSIGNED, Item.id.in_(items))
            .values(status=status, updated_at=now)
        )


def _corrections_made(connection: Connection, count: CountSession) -> list[tuple[str, int, int]]:
    """(barcode, quantity, counted) of each correction the count wrote, in the order written."""
    change = CountCorrection.counted - CountCorrection.expected_at_start
    rows = connection.execute(
        select(Item.barcode, change - CountCorrection.moved_since, CountCorrection.counted)
        .join(Item, Item.id == CountCorrection.item_id)
        .where(CountCorrection.session_id == count.id)
        .order_by(CountCorrection.movement_id)
    )
    return [(barcode, int(quantity), int(counted)) for barcode, quantity, counted in rows]


def _commit_events(
    actor: Actor, count: CountSession, made: Sequence[tuple[str, int, int]]
) -> list[tuple[str, dict[str, Any]]]:
    """One stock.moved event per correction, like every other movement, then count.committed.
    ``counted`` lets another database set a one-of-a-kind item's state as this one did."""
    moved = [
        ("stock.moved", {"barcode": barcode, "reason": "count_correction", "quantity": quantity,
                         "note": None, "user": actor.user_name, "count": count.uuid,
                         "counted": counted})
        for barcode, quantity, counted in made
    ]  # fmt: skip
    summary = {"count": count.uuid, "corrections": len(made)}
    return [*moved, ("count.committed", summary)]


def commit_count(db: Database, actor: Actor, count_id: int) -> CountCommitted:
    """Write a count-correction movement for every item whose count differs, all or nothing."""
    require_manager(actor)
    with db.unit_of_work() as session:
        count = open_count(session, count_id)
        if not session.scalar(select(exists().where(CountScan.session_id == count.id))):
            raise Conflict(
                tr(
                    "Count {id} has no scans: committing it would mark everything in it missing. "
                    "Scan first, or cancel the count.",
                    id=count_id,
                )
            )
        connection, mark, now = session.connection(), movement_mark(session), utcnow()
        # All in SQL (INSERT ... SELECT): a whole shop's corrections never pass through Python.
        fixes = _corrections_query(count, mark)
        _write_movements(connection, actor, fixes, now)
        _record_corrections(connection, actor, count, fixes, mark, now)
        _one_of_a_kind_states(connection, count, now)
        made = _corrections_made(connection, count)
        left_for_review, outside = _left_alone(connection, fixes)
        count.state = CountState.COMMITTED
        count.closed_at = now
        count.closed_by = actor.user_id
        record_events(session, actor.terminal_id, _commit_events(actor, count, made), bulk=True)
        return CountCommitted(
            corrections=len(made),
            missing=sum(-quantity for _, quantity, _ in made if quantity < 0),
            extra=sum(quantity for _, quantity, _ in made if quantity > 0),
            left_for_review=left_for_review,
            outside_scope=outside,
        )


def _left_alone(connection: Connection, fixes: Subquery) -> tuple[int, int]:
    """How many lines the commit left for review: (found though they left the shop, outside
    the count's scope)."""
    counts = select(
        func.coalesce(func.sum(case((fixes.c.left_shop, 1), else_=0)), 0),
        func.coalesce(func.sum(case((fixes.c.outside, 1), else_=0)), 0),
    ).where(fixes.c.review)
    left_shop, outside = connection.execute(counts).one()
    return int(left_shop), int(outside)
