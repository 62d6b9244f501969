"""Item tags to print: price, consignor number, intake date and markdown of chosen items, as plain
data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from posapp.db import Database
from posapp.i18n import tr
from posapp.models import Consignor, Item, ItemStatus, Store
from posapp.services.catalog import Markdown, consignor_by_number, markdown_of
from posapp.services.errors import NotFound

TAGGABLE = (ItemStatus.AVAILABLE, ItemStatus.RESERVED)


@dataclass(frozen=True)
class ItemTag:
    barcode: str
    name: str
    price: int
    currency: str
    consignor_number: str | None
    intake_date: date | None
    markdown: Markdown | None = None


def tags_to_print(
    db: Database,
    barcodes: Sequence[str] = (),
    consignor_number: str | None = None,
    intake_since: date | None = None,
) -> list[ItemTag]:
    """Tags for the listed items (in that order), or for the items on sale that match the filters
    (a consignor's, taken in since a day), oldest first."""
    with db.reading() as session:
        currency = session.scalars(select(Store.currency).order_by(Store.id).limit(1)).one()
        query = (
            select(Item, Consignor.number)
            .outerjoin(Consignor, Consignor.id == Item.consignor_id)
            .order_by(Item.id)
        )
        if barcodes:
            query = query.where(Item.barcode.in_(list(barcodes)))
        else:
            query = query.where(Item.status.in_(TAGGABLE))
        if consignor_number is not None:
            query = query.where(
                Item.consignor_id == consignor_by_number(session, consignor_number).id
            )
        if intake_since is not None:
            query = query.where(Item.intake_date >= intake_since)
        found = {
            item.barcode: ItemTag(
                item.barcode,
                item.name,
                item.price,
                currency,
                number,
                item.intake_date,
                markdown_of(item),
            )
            for item, number in session.execute(query)
        }
    for barcode in barcodes:
        if barcode not in found:
            raise NotFound(tr("No item with barcode {barcode}.", barcode=barcode))
    if not found:
        raise NotFound(tr("No items to tag."))
    return [found[b] for b in barcodes] if barcodes else list(found.values())
