"""The shop's counts, newest first: what is open, who started it, how far the scanning got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from posapp.db import Database
from posapp.models import CountScan, CountScope, CountSession, CountState, User


@dataclass(frozen=True)
class CountRow:
    id: int
    scope: CountScope
    scope_value: str | None
    blind: bool
    state: CountState
    started_at: datetime
    started_by: str | None
    scans: int
    closed_at: datetime | None


def list_counts(db: Database, open_only: bool = False) -> list[CountRow]:
    scans = (
        select(CountScan.session_id, func.count().label("n"))
        .group_by(CountScan.session_id)
        .subquery()
    )
    query = (
        select(CountSession, User.name, func.coalesce(scans.c.n, 0))
        .outerjoin(User, User.id == CountSession.started_by)
        .outerjoin(scans, scans.c.session_id == CountSession.id)
        .order_by(CountSession.id.desc())
    )
    if open_only:
        query = query.where(CountSession.state == CountState.OPEN)
    with db.reading() as session:
        return [
            CountRow(
                c.id,
                c.scope,
                c.scope_value,
                c.blind,
                c.state,
                c.started_at,
                user,
                int(n),
                c.closed_at,
            )
            for c, user, n in session.execute(query)
        ]
