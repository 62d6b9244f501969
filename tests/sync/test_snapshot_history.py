"""A till that joins while another is offline ends with the hub's item states: its snapshot
carries each one-of-a-kind item's state changes, so a change that arrives later but happened
earlier is folded in its place, as it is at the hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from posapp.db import Database
from posapp.models import Item, ItemStatus
from posapp.services.context import back_office_actor
from posapp.services.holds import hold_item, release_hold
from sync.terminal import sync_now
from tests.core.helpers import available_barcodes, sell
from tests.sync.conftest import empty_till
from tests.sync.hub_server import RunningHub


def _status(db: Database, barcode: str) -> ItemStatus:
    with db.reading() as session:
        return session.scalars(select(Item.status).where(Item.barcode == barcode)).one()


@pytest.fixture
def second_till(tmp_path: Path, hub: RunningHub, hub_db: Database) -> Iterator[Database]:
    yield from empty_till(tmp_path, hub, hub_db, "second-till")


def test_a_sale_made_offline_before_a_release_the_new_till_saw_ends_sold_everywhere(
    shop: Database, second_till: Database, new_till: Database, hub_db: Database
) -> None:
    sync_now(shop)
    sync_now(second_till)
    barcode = available_barcodes(Path(str(shop.engine.url.database)), 1)[0]
    at_second = back_office_actor(second_till, "Manager")

    hold_item(second_till, at_second, barcode)  # 1. the second till puts the item aside
    sell(shop, back_office_actor(shop, "Manager"), barcode)  # 2. the shop, offline, sells it
    release_hold(second_till, at_second, barcode)  # 3. the second till lets it go
    sync_now(second_till)
    sync_now(new_till)  # joins: at the hub the item is available again
    assert _status(new_till, barcode) is ItemStatus.AVAILABLE

    sync_now(shop)  # the sale reaches the hub: sold, since it came before the release
    sync_now(new_till)
    sync_now(second_till)
    assert _status(hub_db, barcode) is ItemStatus.SOLD
    assert _status(second_till, barcode) is ItemStatus.SOLD
    assert _status(new_till, barcode) is ItemStatus.SOLD
