"""A till sends its shop's staff to the hub, so a new till of the shop signs the same people in
with the same PINs (its snapshot brings them)."""

from __future__ import annotations

from sqlalchemy import select

from posapp.db import Database
from posapp.models import User
from sync.client import HubClient
from sync.protocol import Staff, StaffMember


def upload_staff(db: Database, hub: HubClient) -> None:
    with db.reading() as session:
        staff = [
            StaffMember(name=u.name, role=u.role.value, pin_hash=u.pin_hash, active=u.active)
            for u in session.scalars(select(User).order_by(User.id))
        ]
    if staff:
        hub.put_staff(Staff(staff=staff))
