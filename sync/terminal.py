"""A terminal's sync with its hub: push the outbox, take a snapshot once, pull changes.

Every step is safe to cut short and repeat. The outbox is marked sent only for what the hub
acknowledged (it applies each event once, so a resend is harmless); changes are applied with the
new cursor in one transaction; snapshot pages insert what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import (
    Item,
    MovementReason,
    OutboxEvent,
    StockMovement,
    SyncConflict,
    SyncInbox,
    SyncLink,
    utcnow,
)
from posapp.services.errors import InvalidInput, NotFound
from sync import item_states, snapshot
from sync.apply import apply_event
from sync.client import HubClient, HubError
from sync.clock_offset import CLOCK_WARN_S
from sync.projection import Projection, ProjectionRefused
from sync.protocol import MAX_PULL, MAX_PUSH, MAX_SNAPSHOT, Change, WireEvent
from sync.records import insert_ignoring
from sync.staff import upload_staff

PULL_PAGE = MAX_PULL
SNAPSHOT_PAGE = MAX_SNAPSHOT
LINK_ID = 1


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: int  # new conflicts the hub reported for this push
    seconds: float


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    hub_url: str | None
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    waiting: int  # events in the outbox the hub has not acknowledged
    open_conflicts: int
    offline_since: datetime | None
    interval_seconds: int
    clock_offset_seconds: int | None = None  # the hub's clock less this till's, last sync

    @property
    def clock_off(self) -> bool:
        """Is this till's clock so far from the hub's that people should be told?"""
        offset = self.clock_offset_seconds
        return offset is not None and abs(offset) >= CLOCK_WARN_S


def link(session: Session) -> SyncLink | None:
    return session.get(SyncLink, LINK_ID)


def require_link(session: Session) -> SyncLink:
    found = link(session)
    if found is None:
        raise NotFound(
            tr("This till is not linked to a hub. Run 'posapp sync setup --hub URL --token T'.")
        )
    return found


def setup(db: Database, hub_url: str, token: str, client: HubClient | None = None) -> str:
    """Link this database to a hub, after checking the hub accepts the token; returns the name
    the hub knows this till by. Linking again (a new token, a new address) keeps the cursor."""
    if not hub_url.startswith(("http://", "https://")):
        raise InvalidInput(tr("The hub's address starts with http:// or https://."))
    with client or HubClient(hub_url, token, attempts=1) as hub:
        name = hub.status().client
    with db.unit_of_work() as session:
        found = link(session)
        if found is None:
            session.add(SyncLink(id=LINK_ID, hub_url=hub_url.rstrip("/"), token=token))
        else:
            found.hub_url, found.token = hub_url.rstrip("/"), token
    return name


def client_for(db: Database, *, attempts: int = 4, timeout: float = 10.0) -> HubClient:
    with db.reading() as session:
        found = require_link(session)
        return HubClient(found.hub_url, found.token, attempts=attempts, timeout=timeout)


def _outbox_batch(session: Session) -> list[WireEvent]:
    rows = session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.sent_at.is_(None))
        .order_by(OutboxEvent.terminal_uuid, OutboxEvent.seq)
        .limit(MAX_PUSH)
    )
    return [
        WireEvent(
            id=row.id,
            origin=row.terminal_uuid,
            seq=row.seq,
            type=row.type,
            payload=row.payload,
            created_at=row.created_at,
        )
        for row in rows
    ]


def push_outbox(db: Database, hub: HubClient) -> tuple[int, int]:
    """Send unacknowledged events until none is left; returns (events acknowledged, conflicts).
    Always sends at least once, even empty, so the hub knows this shop is alive. The last batch
    carries the pull cursor read with it: the hub then knows that everything this till did
    before applying that much of the log has reached it."""
    pushed = conflicts = 0
    while True:
        with db.reading() as session:
            cursor = require_link(session).pull_cursor
            batch = _outbox_batch(session)
        last = len(batch) < MAX_PUSH
        result = hub.push(batch, cursor if last else None)
        conflicts += len(result.conflicts)
        now = utcnow()
        with db.unit_of_work() as session:
            for origin, seq in result.acked.items():
                marked = session.execute(
                    update(OutboxEvent)
                    .where(
                        OutboxEvent.terminal_uuid == origin,
                        OutboxEvent.seq <= seq,
                        OutboxEvent.sent_at.is_(None),
                    )
                    .values(sent_at=now)
                )
                pushed += marked.rowcount  # type: ignore[attr-defined]
        if last or result.applied + result.duplicates == 0:
            return pushed, conflicts


ITEM_CHANGES = ("stock.moved", "item.edited")


def _in_snapshot(session: Session, change: Change) -> bool:
    """Is this change already in the snapshot row of its item (taken after it was logged)?"""
    barcode = change.event.payload.get("barcode")
    notes = session.scalars(
        select(StockMovement.note)
        .join(Item, Item.id == StockMovement.item_id)
        .where(
            Item.barcode == barcode,
            StockMovement.reason == MovementReason.INTAKE,
            StockMovement.note.like(f"{item_states.SNAPSHOT_NOTE}%"),
        )
    )
    marks = [item_states.snapshot_mark(note) for note in notes]
    return any(mark is not None and mark[0] >= change.cursor for mark in marks)


def _apply_changes(
    session: Session, changes: list[Change], snapshot_cursor: int, *, careful: bool = False
) -> None:
    """Apply a page of changes (their rows written together: sync.projection) and note each
    in the inbox, so that a page applied again changes nothing."""
    ids = [c.event.id for c in changes]
    seen = set(session.scalars(select(SyncInbox.event_id).where(SyncInbox.event_id.in_(ids))))
    fresh = [c for c in changes if c.event.id not in seen]
    projection = Projection(session, careful=careful)
    projection.prepare([c.event for c in fresh])
    refused: list[dict[str, Any]] = []
    for change in fresh:
        if (
            change.cursor <= snapshot_cursor
            and change.event.type in ITEM_CHANGES
            and _in_snapshot(session, change)
        ):
            continue
        problem = apply_event(projection, change.event).problem
        if problem:
            refused.append(
                {
                    "id": change.event.id,
                    "kind": "not_applied",
                    "subject": change.event.type,
                    "detail": {"why": problem, "origin": change.event.origin},
                    "found_at": utcnow(),
                }
            )
    projection.flush()
    insert_ignoring(session, SyncConflict, refused)
    insert_ignoring(
        session, SyncInbox, [{"event_id": c.event.id, "applied_at": utcnow()} for c in fresh]
    )


def pull_changes(db: Database, hub: HubClient) -> int:
    pulled = 0
    careful = False  # rows written together, unless the database refused some of them
    while True:
        with db.reading() as session:
            cursor = require_link(session).pull_cursor
        page = hub.changes(cursor, PULL_PAGE)
        try:
            with db.unit_of_work() as session:
                found = require_link(session)
                if found.pull_cursor != cursor:  # another sync of this database got here first
                    continue
                _apply_changes(session, page.changes, found.snapshot_cursor, careful=careful)
                found.pull_cursor = page.next_cursor
        except ProjectionRefused:
            careful = True  # rolled back: again, each change in a savepoint of its own
            continue
        careful = False
        pulled += len(page.changes)
        if not page.more:
            return pulled


def take_snapshot(db: Database, hub: HubClient) -> None:
    """Copy the hub's shared tables once; then pull from the log position of the first page."""
    start: int | None = None
    newest = 0
    # the next page is fetched on a thread while this one is applied (one request at a time)
    with ThreadPoolExecutor(1, thread_name_prefix="snapshot") as fetcher:
        for table in snapshot.TABLES:
            coming = fetcher.submit(hub.snapshot, table, 0, SNAPSHOT_PAGE)  # type: ignore[arg-type]
            while True:
                page = coming.result()
                if page.more:
                    coming = fetcher.submit(
                        hub.snapshot,
                        table,  # type: ignore[arg-type]
                        page.next_after,
                        SNAPSHOT_PAGE,
                    )
                start = page.cursor if start is None else start
                newest = max(newest, page.cursor)
                with db.unit_of_work() as session:
                    snapshot.apply_page(session, table, page.rows, page.cursor)
                if not page.more:
                    break
    with db.unit_of_work() as session:
        found = require_link(session)
        found.pull_cursor = max(found.pull_cursor, start or 0)
        found.snapshot_cursor = newest
        found.snapshot_done = True


def _record(db: Database, error: str | None, clock_offset: float | None = None) -> None:
    now = utcnow()
    with db.unit_of_work() as session:
        found = require_link(session)
        found.last_attempt_at = now
        found.last_error = error
        if error is None:
            found.last_success_at = now
            found.offline_since = None
        elif found.offline_since is None:
            found.offline_since = now
        if clock_offset is not None:
            found.clock_offset_seconds = round(clock_offset)


def sync_now(
    db: Database,
    hub: HubClient | None = None,
    on_step: Callable[[str], None] | None = None,
) -> SyncReport:
    """One full sync. Raises HubError (after recording it) when the hub cannot be used."""
    started = time.perf_counter()
    own = hub is None
    hub = hub or client_for(db)
    step = on_step or (lambda _name: None)
    try:
        step("push")
        pushed, conflicts = push_outbox(db, hub)
        upload_staff(db, hub)
        with db.reading() as session:
            needs_snapshot = not require_link(session).snapshot_done
        if needs_snapshot:
            step("snapshot")
            take_snapshot(db, hub)
        step("pull")
        pulled = pull_changes(db, hub)
        if pulled:  # confirm what was applied (and send what was sold meanwhile)
            more, later = push_outbox(db, hub)
            pushed, conflicts = pushed + more, conflicts + later
    except HubError as problem:
        _record(db, str(problem), hub.clock_offset)
        raise
    finally:
        if own:
            hub.close()
    _record(db, None, hub.clock_offset)
    return SyncReport(pushed, pulled, conflicts, time.perf_counter() - started)


def status(db: Database) -> SyncStatus:
    with db.reading() as session:
        found = link(session)
        waiting = session.scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.sent_at.is_(None))
        )
        open_conflicts = session.scalar(
            select(func.count())
            .select_from(SyncConflict)
            .where(SyncConflict.acknowledged_at.is_(None))
        )
        return SyncStatus(
            configured=found is not None,
            hub_url=found.hub_url if found else None,
            last_success_at=found.last_success_at if found else None,
            last_attempt_at=found.last_attempt_at if found else None,
            last_error=found.last_error if found else None,
            waiting=int(waiting or 0),
            open_conflicts=int(open_conflicts or 0),
            offline_since=found.offline_since if found else None,
            interval_seconds=found.interval_seconds if found else 120,
            clock_offset_seconds=found.clock_offset_seconds if found else None,
        )
