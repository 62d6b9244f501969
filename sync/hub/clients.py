"""Who may talk to the hub: clients with a bearer token, of which the hub keeps only a hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import HubClient, utcnow
from posapp.services.errors import Conflict, InvalidInput, NotFound

CLIENT_KINDS = ("terminal", "online")
TOKEN_PREFIX = "posapp_"


def token_hash(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to keep them from being read back,
    and cheap enough to check on every request."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class ClientRow:
    id: int
    name: str
    kind: str
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None


def add_client(db: Database, name: str, kind: str = "terminal") -> str:
    """Register a terminal or an online store; returns its token, which is shown only now."""
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput(tr("A name is 1 to 80 characters."))
    if kind not in CLIENT_KINDS:
        raise InvalidInput(tr("A client is a terminal or an online store."))
    token = new_token()
    with db.unit_of_work() as session:
        if session.scalar(select(HubClient.id).where(HubClient.name == name)) is not None:
            raise Conflict(tr("There is already a client called {name}.", name=name))
        session.add(HubClient(name=name, kind=kind, token_hash=token_hash(token)))
    return token


def revoke_client(db: Database, name: str) -> None:
    with db.unit_of_work() as session:
        done = session.execute(
            update(HubClient)
            .where(HubClient.name == name, HubClient.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            raise NotFound(tr("No active client called {name}.", name=name))


def list_clients(db: Database) -> list[ClientRow]:
    with db.reading() as session:
        return [
            ClientRow(c.id, c.name, c.kind, c.created_at, c.revoked_at, c.last_seen_at)
            for c in session.scalars(select(HubClient).order_by(HubClient.name))
        ]


def authenticate(session: Session, token: str) -> HubClient | None:
    """The active client holding this token, or None (unknown or revoked)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return session.scalars(
        select(HubClient).where(
            HubClient.token_hash == token_hash(token), HubClient.revoked_at.is_(None)
        )
    ).first()
