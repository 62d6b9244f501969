"""`posapp sale`, `posapp sales list` and `posapp refund`, as a cashier or manager sees them."""

from __future__ import annotations

from pathlib import Path

from posapp import codes
from posapp.i18n import money
from posapp.services.demo import DemoSummary
from tests.cli.helpers import Cli, count_rows


def _price_minor(cli: Cli, barcode: str) -> int:
    [item] = cli("items", "list", "--search", barcode, "--format", "json").json()
    return int(item["price_minor"])


def test_sale_with_coupon_prints_receipt_starting_with_sale_number(
    cli: Cli, demo_summary: DemoSummary
) -> None:
    item, coupon = demo_summary.sample_item, demo_summary.sample_coupon
    result = cli("sale", "--scan", item, "--scan", coupon, "--pay", "cash")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Sale T1-000001"
    assert f"Coupon {codes.grouped(coupon)}" in result.out
    assert "-CN¥20.00" in result.out
    [sale] = cli("sales", "list", "--format", "json").json()
    assert sale["number"] == "T1-000001"
    assert sale["discount"] == "20.00" and sale["discount_minor"] == 2000
    assert sale["total_minor"] == _price_minor(cli, item) - 2000
    [used] = [c for c in cli("coupons", "list", "--format", "json").json() if c["code"] == coupon]
    assert (used["state"], used["uses"]) == ("redeemed", 1)


def test_coupon_scanned_before_the_item_still_applies(cli: Cli, demo_summary: DemoSummary) -> None:
    coupon, item = demo_summary.sample_coupon, demo_summary.sample_item
    result = cli("sale", "--scan", coupon, "--scan", item, "--pay", "card")
    assert result.code == 0, result.err
    assert "TOTAL" in result.out and "Card" in result.out


def test_refused_coupon_exits_2_with_reason_and_sells_nothing(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary
) -> None:
    assert cli("coupons", "void", demo_summary.sample_coupon).code == 0
    events_before = count_rows(demo_path, "outbox_events")
    result = cli(
        "sale", "--scan", demo_summary.sample_item, "--scan", demo_summary.sample_coupon,
        "--pay", "cash",
    )  # fmt: skip
    assert result.code == 2
    assert result.out == ""
    assert "This coupon was voided." in result.err
    assert "Nothing was sold." in result.err
    assert "Traceback" not in result.err
    assert cli("sales", "list", "--format", "json").json() == []
    assert count_rows(demo_path, "sales") == 0
    assert count_rows(demo_path, "outbox_events") == events_before
    [item] = cli("items", "list", "--search", demo_summary.sample_item, "--format", "json").json()
    assert item["status"] == "available"


def test_unknown_code_and_mistyped_coupon_are_refused(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary
) -> None:
    typo = demo_summary.sample_coupon[:-1] + ("A" if demo_summary.sample_coupon[-1] != "A" else "B")
    result = cli("sale", "--scan", demo_summary.sample_item, "--scan", "999", "--scan", typo,
                 "--pay", "cash")  # fmt: skip
    assert result.code == 2
    assert "Unknown code 999." in result.err
    assert "check it for a typo" in result.err
    assert count_rows(demo_path, "sales") == 0


def test_split_tender_gives_change_from_cash(cli: Cli, demo_summary: DemoSummary) -> None:
    price = _price_minor(cli, demo_summary.sample_item)
    result = cli("sale", "--scan", demo_summary.sample_item, "--pay", "card:50",
                 "--pay", "cash:1000")  # fmt: skip
    assert result.code == 0, result.err
    assert "Card" in result.out and "CN¥50.00" in result.out
    change = 5000 + 100000 - price
    assert money(change, "CNY") in result.out.split("Change")[1]


def test_payment_short_of_the_total_sells_nothing(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary
) -> None:
    result = cli("sale", "--scan", demo_summary.sample_item, "--pay", "card:1")
    assert result.code == 2
    assert "is still to pay" in result.err
    assert count_rows(demo_path, "sales") == 0


def test_bad_payment_words_are_usage_errors(cli: Cli, demo_summary: DemoSummary) -> None:
    bad_method = cli("sale", "--scan", demo_summary.sample_item, "--pay", "bitcoin")
    assert bad_method.code == 2
    assert "usage:" in bad_method.err and "pay with cash, card or other" in bad_method.err
    bad_amount = cli("sale", "--scan", demo_summary.sample_item, "--pay", "cash:ten")
    assert bad_amount.code == 2
    assert "'ten' is not an amount of money" in bad_amount.err


def test_refund_prints_refunded_receipt_and_frees_the_item(
    cli: Cli, demo_summary: DemoSummary
) -> None:
    sold = cli("sale", "--scan", demo_summary.sample_item, "--scan", demo_summary.sample_coupon,
               "--pay", "cash")  # fmt: skip
    assert sold.code == 0, sold.err
    refund = cli("refund", "--sale", "T1-000001", "--reason", "changed mind")
    assert refund.code == 0, refund.err
    assert refund.out.splitlines()[0] == "Sale T1-000001"
    assert refund.out.rstrip().endswith("REFUNDED")
    [sale] = cli("sales", "list", "--format", "json").json()
    assert sale["status"] == "refunded"
    again = cli("sale", "--scan", demo_summary.sample_item, "--scan", demo_summary.sample_coupon,
                "--pay", "cash")  # fmt: skip
    assert again.code == 0, again.err
    assert again.out.startswith("Sale T1-000002")


def test_second_refund_and_unknown_sale_are_refused(cli: Cli, demo_summary: DemoSummary) -> None:
    assert cli("sale", "--scan", demo_summary.sample_item, "--pay", "cash").code == 0
    sale_id = str(cli("sales", "list", "--format", "json").json()[0]["id"])
    assert cli("refund", "--sale", sale_id).code == 0
    twice = cli("refund", "--sale", sale_id)
    assert (twice.code, twice.err.strip()) == (2, "Sale T1-000001 has already been refunded.")
    missing = cli("refund", "--sale", "T1-999999")
    assert (missing.code, missing.err.strip()) == (2, "No sale T1-999999.")


def test_sales_table_lists_newest_first(cli: Cli, demo_summary: DemoSummary) -> None:
    assert cli("sale", "--scan", demo_summary.sample_item, "--pay", "cash").code == 0
    assert cli("sale", "--scan", "2000000009001", "--pay", "cash").code == 0
    table = cli("sales", "list").out.splitlines()
    assert table[0].split()[:2] == ["Id", "Sale"]
    assert "T1-000002" in table[2] and "T1-000001" in table[3]
    assert "completed" in table[2]
