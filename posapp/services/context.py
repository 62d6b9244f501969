"""Who is acting where: the terminal and the signed-in user, as plain ids."""

from __future__ import annotations

import os
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Role, Store, Terminal, User
from posapp.services.errors import InvalidInput, NotFound

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Actor:
    """The terminal an action happens on and the user doing it."""

    terminal_id: int
    terminal_name: str
    user_id: int
    user_name: str
    role: Role
    store_name: str
    currency: str


@dataclass(frozen=True)
class UserChoice:
    id: int
    name: str
    role: Role


def hash_pin(pin: str) -> str:
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise InvalidInput(tr("A PIN is 4 to 8 digits."))
    return _hasher.hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def terminal_name_from_env(name: str | None = None) -> str:
    return name or os.environ.get("POSAPP_TERMINAL") or "T1"


def _store(session: Session) -> Store:
    store = session.scalars(select(Store).order_by(Store.id).limit(1)).first()
    if store is None:
        raise NotFound(tr("This database has no shop yet. Run 'posapp demo' to create one."))
    return store


def ensure_terminal(session: Session, name: str) -> Terminal:
    terminal = session.scalars(select(Terminal).where(Terminal.name == name)).first()
    if terminal is None:
        terminal = Terminal(name=name, store_id=_store(session).id)
        session.add(terminal)
        session.flush()
    return terminal


def list_users(db: Database) -> list[UserChoice]:
    with db.reading() as session:
        users = session.scalars(select(User).where(User.active).order_by(User.name))
        return [UserChoice(u.id, u.name, u.role) for u in users]


def _actor(session: Session, terminal: Terminal, user: User) -> Actor:
    store = _store(session)
    return Actor(
        terminal.id, terminal.name, user.id, user.name, user.role, store.name, store.currency
    )


def sign_in(db: Database, user_id: int, pin: str, terminal: str | None = None) -> Actor:
    """Check a user's PIN at this terminal; a wrong PIN says so and changes nothing."""
    with db.unit_of_work() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or not pin_matches(user.pin_hash, pin):
            raise InvalidInput(tr("Wrong PIN."))
        return _actor(session, ensure_terminal(session, terminal_name_from_env(terminal)), user)


def store_currency(db: Database) -> str:
    """The shop's currency (the till's screens are built for it before anyone signs in)."""
    with db.unit_of_work() as session:
        return _store(session).currency


def sign_in_by_name(db: Database, name: str, pin: str, terminal: str | None = None) -> Actor:
    """Kiosk and benchmark sign-in: the active user named ``name``, with their PIN."""
    for user in list_users(db):
        if user.name == name:
            return sign_in(db, user.id, pin, terminal)
    raise NotFound(tr("No active user called {name}.", name=name))


def back_office_actor(db: Database, user_name: str | None, terminal: str | None = None) -> Actor:
    """The actor for command-line work: the named user, else the first manager."""
    name = user_name or os.environ.get("POSAPP_USER")
    with db.unit_of_work() as session:
        query = select(User).where(User.active)
        if name:
            query = query.where(User.name == name)
        else:
            query = query.order_by((User.role == Role.MANAGER).desc(), User.id)
        user = session.scalars(query.limit(1)).first()
        if user is None:
            if name:
                raise NotFound(tr("No active user called {name}.", name=name))
            raise NotFound(tr("This database has no users yet. Run 'posapp demo' first."))
        return _actor(session, ensure_terminal(session, terminal_name_from_env(terminal)), user)
