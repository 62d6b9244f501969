"""The hub's settings, given on `posapp hub serve`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HubConfig:
    # The campaign whose coupons apologise to an online customer whose item a shop had sold.
    apology_campaign: str | None = None
    # A shop silent for longer than this has its items withheld from the online channel.
    withhold_after_minutes: int = 24 * 60
