"""The conflicts sync found (a coupon used beyond its limit, an item sold twice, an event that
could not be applied), as plain rows for the screens and the command line, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Role, SyncConflict, utcnow
from posapp.services.context import Actor
from posapp.services.errors import NotFound, PermissionRefused
from posapp.services.events import record_event


@dataclass(frozen=True)
class ConflictRow:
    id: str
    kind: str  # over_redemption, oversold, sold_twice, not_applied
    subject: str  # coupon code, item barcode or event type
    found_at: datetime  # naive UTC
    detail: dict[str, Any]
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


def list_conflicts(db: Database) -> list[ConflictRow]:
    with db.reading() as session:
        rows = session.scalars(
            select(SyncConflict).order_by(SyncConflict.found_at.desc(), SyncConflict.id)
        )
        return [_row(row) for row in rows]


def _row(row: SyncConflict) -> ConflictRow:
    return ConflictRow(
        id=row.id,
        kind=row.kind,
        subject=row.subject,
        found_at=row.found_at,
        detail=dict(row.detail or {}),
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
    )


def kind_word(kind: str) -> str:
    words = {
        "over_redemption": tr("coupon used too often"),
        "oversold": tr("sold online and in a shop"),
        "sold_twice": tr("item sold twice"),
        "not_applied": tr("change not applied"),
    }
    return words.get(kind, kind)


def _or_unknown(value: Any) -> str:
    return "?" if value is None or value == "" else str(value)


def summary(row: ConflictRow) -> str:
    """One line in plain words: what happened, from the conflict's detail."""
    detail = row.detail
    if row.kind == "over_redemption":
        return tr(
            "used {uses} times, {allowed} allowed",
            uses=_or_unknown(detail.get("uses")),
            allowed=_or_unknown(detail.get("max_uses") or 1),
        )
    if row.kind == "oversold":
        if detail.get("apology_code"):
            return tr(
                "online order {order} could not be delivered; apology coupon {code}",
                order=_or_unknown(detail.get("order_ref")),
                code=detail["apology_code"],
            )
        return tr(
            "online order {order} could not be delivered; no apology coupon",
            order=_or_unknown(detail.get("order_ref")),
        )
    if row.kind == "sold_twice":
        return tr("sold again by {origin}", origin=_or_unknown(detail.get("origin")))
    if row.kind == "not_applied":
        return _or_unknown(detail.get("why"))
    return ", ".join(f"{key}={value}" for key, value in sorted(detail.items()))


def acknowledge(db: Database, actor: Actor, conflict_id: str) -> ConflictRow:
    """A manager has dealt with a conflict: marked here, and on the hub and every other till
    through the conflict.acknowledged event. Acknowledging twice changes nothing more."""
    if actor.role is not Role.MANAGER:
        raise PermissionRefused(tr("Only a manager can acknowledge a sync conflict."))
    with db.unit_of_work() as session:
        row = session.get(SyncConflict, conflict_id.strip())
        if row is None:
            raise NotFound(tr("No sync conflict {id}.", id=conflict_id))
        if row.acknowledged_at is None:
            row.acknowledged_at = utcnow()
            row.acknowledged_by = actor.user_name
            record_event(
                session, actor.terminal_id, "conflict.acknowledged", id=row.id, by=actor.user_name
            )
        return _row(row)
