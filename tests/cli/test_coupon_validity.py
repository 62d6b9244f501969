"""Coupon validity through `posapp`: the listing's state is the one the till acts on, printing
starts a coupon's days, a coupon never handed out is refused, and new codes are shown grouped."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from posapp import codes
from posapp.i18n import day
from posapp.services import clock
from posapp.services.demo import DemoSummary
from tests.cli.helpers import Cli, count_rows


@pytest.fixture
def shift_today(monkeypatch: pytest.MonkeyPatch) -> object:
    """shift_today(days) moves every service's today by ``days`` (the one place it comes from)."""
    real = date.today()

    def shift(days: int) -> date:
        moved = real + timedelta(days=days)
        monkeypatch.setattr(clock, "today", lambda: moved)
        return moved

    return shift


def new_code(cli: Cli, campaign: str = "1") -> str:
    made = cli("coupons", "generate", "--campaign", campaign, "--count", "1")
    assert made.code == 0, made.err
    return codes.normalise(made.out)


def listed(cli: Cli, code: str, *options: str) -> dict[str, object] | None:
    rows = cli("coupons", "list", "--format", "json", *options).json()
    return next((row for row in rows if row["code"] == code), None)


def test_a_coupon_past_its_last_day_lists_as_expired_as_the_till_refuses_it(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary, shift_today: object
) -> None:
    assert callable(shift_today)
    code = new_code(cli)
    assert cli("coupons", "issue", code).code == 0
    last = date.today() + timedelta(days=14)
    row = listed(cli, code)
    assert row is not None and (row["state"], row["expires"]) == ("issued", last.isoformat())

    shift_today(15)
    row = listed(cli, code)
    assert row is not None and (row["state"], row["expires"]) == ("expired", last.isoformat())
    assert listed(cli, code, "--state", "expired") is not None
    assert listed(cli, code, "--state", "issued") is None
    table = cli("coupons", "list", "--campaign", "1", "--state", "expired").out
    assert codes.grouped(code) in table and "expired" in table
    sale = cli("sale", "--scan", demo_summary.sample_item, "--scan", code, "--pay", "cash")
    assert sale.code == 2 and f"This coupon expired on {day(last)}." in sale.err
    assert count_rows(demo_path, "sales") == 0


def test_printing_starts_the_days_and_issuing_later_keeps_them(
    cli: Cli, tmp_path: Path, shift_today: object
) -> None:
    assert callable(shift_today)
    code = new_code(cli)
    printed_on = shift_today(0)
    out = tmp_path / "sheet.pdf"
    assert cli("coupons", "print", "--campaign", "1", "--out", str(out)).code == 0
    last = printed_on + timedelta(days=14)
    row = listed(cli, code)
    assert row is not None and (row["state"], row["expires"]) == ("printed", last.isoformat())
    shift_today(5)
    issued = cli("coupons", "issue", code)
    assert issued.code == 0 and f"Valid until {day(last)}." in issued.out
    row = listed(cli, code)
    assert row is not None and (row["state"], row["expires"]) == ("issued", last.isoformat())


def test_a_coupon_never_handed_out_is_refused_at_the_till(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary
) -> None:
    code = new_code(cli)
    sale = cli("sale", "--scan", demo_summary.sample_item, "--scan", code, "--pay", "cash")
    assert sale.code == 2 and "never handed out" in sale.err
    assert count_rows(demo_path, "sales") == 0


def test_generated_codes_are_shown_grouped_like_the_list(cli: Cli) -> None:
    made = cli("coupons", "generate", "--campaign", "2", "--count", "3")
    assert made.code == 0, made.err
    shown = made.out.splitlines()
    assert len(shown) == 3
    table = cli("coupons", "list", "--campaign", "2").out
    for line in shown:
        code = codes.normalise(line)
        assert line == codes.grouped(code) and len(line.split("-")) == 3
        assert line in table  # the same text the table shows
    data = cli("coupons", "generate", "--campaign", "2", "--count", "2", "--format", "json")
    assert all("-" not in row["code"] for row in data.json())  # data stays plain, as in list
