"""The shop's staff at the hub, as the tills last sent them (the latest PIN hash of each)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from posapp.models import Role, User
from sync.protocol import Staff


def replace_staff(session: Session, sent: Staff) -> int:
    """Add or update each member by name; returns how many changed."""
    known = {user.name: user for user in session.scalars(select(User))}
    changed = 0
    for member in sent.staff:
        role = Role(member.role)
        user = known.get(member.name)
        if user is None:
            user = User(name=member.name, role=role, pin_hash=member.pin_hash)
            session.add(user)
            known[member.name] = user  # named twice in one list: the last one counts
        elif (user.role, user.pin_hash, user.active) != (role, member.pin_hash, member.active):
            user.role, user.pin_hash, user.active = role, member.pin_hash, member.active
        else:
            continue
        changed += 1
    return changed
