"""A till that joins while the shop keeps selling ends with the same stock as the shop: a change
logged before a snapshot page was read is in that page already and is not applied twice."""

from __future__ import annotations

from sqlalchemy import func, select

from posapp.db import Database
from posapp.models import Item, ItemKind, StockMovement
from posapp.services.context import back_office_actor
from sync.client import HubClient
from sync.protocol import SnapshotPage, SnapshotTable
from sync.terminal import client_for, sync_now
from tests.core.helpers import sell


def _on_hand(db: Database, barcode: str) -> int:
    with db.reading() as session:
        return int(
            session.scalar(
                select(func.sum(StockMovement.quantity))
                .join(Item, Item.id == StockMovement.item_id)
                .where(Item.barcode == barcode)
            )
            or 0
        )


class _SellsDuringSnapshot(HubClient):
    """Before the items pages are read, the shop sells and syncs (as it would, any time)."""

    def __init__(self, base: HubClient, during: object) -> None:
        self.__dict__.update(base.__dict__)
        self._during = during
        self._done = False

    def snapshot(self, table: SnapshotTable, after: int, limit: int) -> SnapshotPage:
        if table == "items" and not self._done:
            self._done = True
            self._during()  # type: ignore[operator]
        return super().snapshot(table, after, limit)


def test_a_sale_during_a_new_tills_snapshot_is_counted_once(
    shop: Database, new_till: Database
) -> None:
    manager = back_office_actor(shop, "Manager")
    sync_now(shop)
    with shop.reading() as session:
        barcode = session.scalars(
            select(Item.barcode).where(Item.kind == ItemKind.STOCK).order_by(Item.id)
        ).first()
    assert barcode is not None
    before = _on_hand(shop, barcode)

    def shop_sells() -> None:
        sell(shop, manager, barcode, barcode)
        sync_now(shop)

    with client_for(new_till) as base:
        sync_now(new_till, _SellsDuringSnapshot(base, shop_sells))
    assert _on_hand(shop, barcode) == before - 2
    assert _on_hand(new_till, barcode) == before - 2
