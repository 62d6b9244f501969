"""A till whose clock is far from the hub's is told so at each sync (sales, item changes and
coupon days take their time from it); one whose clock agrees is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from posapp.db import Database
from posapp.models import SyncLink
from sync.client import HubClient
from sync.terminal import LINK_ID, status, sync_now
from ui.cli.commands.sync import status_data, status_lines


def _client(db: Database, clock_ahead: timedelta) -> HubClient:
    """The till's client, with the till's clock ``clock_ahead`` of the real time."""
    with db.reading() as session:
        link = session.get(SyncLink, LINK_ID)
        assert link is not None
        url, token = link.hub_url, link.token
    return HubClient(url, token, now=lambda: datetime.now(UTC) + clock_ahead)


def test_a_till_whose_clock_agrees_with_the_hub_is_not_warned(shop: Database) -> None:
    sync_now(shop)
    found = status(shop)
    assert found.clock_offset_seconds is not None and abs(found.clock_offset_seconds) <= 2
    assert not found.clock_off
    assert dict(status_lines(found))["Clock"] == "agrees with the hub's"


def test_a_till_whose_clock_is_fast_or_slow_is_told_by_how_much(shop: Database) -> None:
    with _client(shop, timedelta(minutes=12)) as fast:
        sync_now(shop, fast)
    found = status(shop)
    assert found.clock_offset_seconds is not None
    assert abs(found.clock_offset_seconds + 720) <= 2  # the hub is 12 minutes behind
    assert found.clock_off
    assert dict(status_lines(found))["Clock"] == (
        "This till's clock is 12 min fast (ahead of the hub's)."
    )
    assert abs(status_data(found)["clock_offset_seconds"] + 720) <= 2

    with _client(shop, -timedelta(hours=3)) as slow:
        sync_now(shop, slow)
    found = status(shop)
    assert dict(status_lines(found))["Clock"] == (
        "This till's clock is 3 h slow (behind the hub's)."
    )
