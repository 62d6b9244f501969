"""List commands in their three formats: aligned tables, CSV with a header row, JSON."""

from __future__ import annotations

import csv
import io

from posapp.services.demo import DemoSummary
from printing.receipt_text import display_width
from tests.cli.helpers import Cli
from ui.cli.table import render_table


def test_items_csv_has_header_and_the_promised_columns(cli: Cli) -> None:
    result = cli("items", "list", "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 203
    header = result.out.splitlines()[0].split(",")
    for column in ("barcode", "name", "price", "quantity", "status", "consignor"):
        assert column in header
    consigned = next(row for row in rows if row["consignor"])
    assert consigned["quantity"] == "1" and consigned["status"] == "available"
    assert len(consigned["consignor"]) == 6
    whole, cents = consigned["price"].split(".")
    assert whole.isdigit() and len(cents) == 2


def test_items_json_money_as_decimal_string_and_minor_units(
    cli: Cli, demo_summary: DemoSummary
) -> None:
    [item] = cli("items", "list", "--search", demo_summary.sample_item, "--format", "json").json()
    assert item["barcode"] == demo_summary.sample_item
    assert item["price"] == f"{item['price_minor'] // 100}.{item['price_minor'] % 100:02d}"
    assert item["kind"] == "consigned" and item["quantity"] == 1
    assert item["consignor_name"]


def test_items_search_and_limit(cli: Cli) -> None:
    coats = cli("items", "list", "--search", "coat", "--format", "json").json()
    assert coats and all("coat" in item["name"].lower() for item in coats)
    assert len(cli("items", "list", "--limit", "5", "--format", "json").json()) == 5
    table = cli("items", "list", "--search", "no such thing at all")
    assert (table.code, table.out) == (0, "Nothing to show.\n")
    empty_csv = cli("items", "list", "--search", "no such thing at all", "--format", "csv")
    assert empty_csv.out.startswith("barcode,name,")
    assert len(empty_csv.out.splitlines()) == 1


def test_consignor_table_is_aligned_with_chinese_names(cli: Cli) -> None:
    result = cli("consignors", "list")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split()[:2] == ["Number", "Name"]
    assert any("陈静" in line for line in lines)
    # the last column is right-aligned, so every line ends in the same display column
    assert len({display_width(line) for line in lines}) == 1
    name_end = {display_width(line[: line.index("138")]) for line in lines[2:]}
    assert len(name_end) == 1


def test_campaigns_list_formats(cli: Cli) -> None:
    table = cli("campaigns", "list").out
    assert "Welcome ¥20" in table and "CN¥20.00" in table and "10%" in table
    campaigns = cli("campaigns", "list", "--format", "json").json()
    welcome, spring = campaigns
    assert (welcome["kind"], welcome["amount"], welcome["percent"]) == ("amount", "20.00", None)
    assert (spring["kind"], spring["amount"], spring["percent"]) == ("percent", None, "10")
    assert welcome["min_spend"] == "100.00" and welcome["coupons"] == 20
    header = cli("campaigns", "list", "--format", "csv").out.splitlines()[0]
    assert header.startswith("id,name,kind,amount,percent,min_spend")


def test_coupons_list_columns_and_filters(cli: Cli, demo_summary: DemoSummary) -> None:
    result = cli("coupons", "list", "--campaign", "1", "--state", "issued", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == 10
    for column in ("code", "campaign", "state", "uses", "max_uses", "expires"):
        assert column in rows[0]
    assert {row["state"] for row in rows} == {"issued"}
    assert demo_summary.sample_coupon in {row["code"] for row in rows}
    assert all(row["expires"].count("-") == 2 for row in rows)  # ISO dates
    table = cli("coupons", "list", "--limit", "3").out.splitlines()
    assert len(table) == 5 and table[0].split()[:2] == ["Code", "Campaign"]


def test_zh_cn_locale_formats_money_for_china(cli: Cli) -> None:
    result = cli("--locale", "zh_CN", "campaigns", "list")
    assert result.code == 0, result.err
    assert "¥20.00" in result.out and "CN¥" not in result.out


def test_render_table_pads_by_display_width() -> None:
    text = render_table(["Name", "Price"], [["陈静", "1.00"], ["Bob", "10.00"]], [False, True])
    lines = text.splitlines()
    assert lines == ["Name  Price", "----  -----", "陈静   1.00", "Bob   10.00"]
