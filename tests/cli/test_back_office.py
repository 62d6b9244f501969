"""Campaigns, coupons, item import and the demo, through `posapp` subcommands."""

from __future__ import annotations

from pathlib import Path

from posapp import codes
from posapp.services.demo import DemoSummary
from tests.cli.helpers import Cli, count_rows


def test_create_campaign_then_generate_and_list_its_coupons(cli: Cli) -> None:
    created = cli("campaigns", "create", "--name", "Spring", "--amount", "5.00",
                  "--min-spend", "30", "--valid-days", "14", "--max-uses", "2",
                  "--funding", "consignor")  # fmt: skip
    assert created.code == 0, created.err
    assert "Campaign Spring created (id 3)." in created.out
    spring = cli("campaigns", "list", "--format", "json").json()[-1]
    assert (spring["name"], spring["kind"], spring["amount"]) == ("Spring", "amount", "5.00")
    assert (spring["min_spend"], spring["valid_days"], spring["max_uses"]) == ("30.00", 14, 2)
    assert (spring["funding"], spring["channel"], spring["state"]) == (
        "consignor",
        "both",
        "active",
    )
    generated = cli("coupons", "generate", "--campaign", "Spring", "--count", "5")
    assert generated.code == 0, generated.err
    shown = generated.out.split()
    assert all(line == codes.grouped(codes.normalise(line)) for line in shown)  # as in the list
    made = [codes.normalise(line) for line in shown]
    assert len(made) == 5 and all(codes.problem_with(code) is None for code in made)
    assert "5 coupons generated" in generated.err
    listed = cli("coupons", "list", "--campaign", "Spring", "--format", "json").json()
    assert sorted(c["code"] for c in listed) == sorted(made)
    assert {(c["state"], c["uses"], c["max_uses"]) for c in listed} == {("generated", 0, 2)}


def test_percent_campaign_and_generate_as_csv(cli: Cli) -> None:
    created = cli("campaigns", "create", "--name", "Ten", "--percent", "12.5",
                  "--valid-from", "2026-01-01", "--valid-until", "2026-01-31",
                  "--channel", "shop", "--no-reuse-after-refund")  # fmt: skip
    assert created.code == 0, created.err
    ten = cli("campaigns", "list", "--format", "json").json()[-1]
    assert (ten["percent"], ten["valid_from"], ten["valid_until"]) == (
        "12.5",
        "2026-01-01",
        "2026-01-31",
    )
    as_csv = cli("coupons", "generate", "--campaign", "Ten", "--count", "2", "--format", "csv")
    assert as_csv.out.splitlines()[0] == "code" and len(as_csv.out.splitlines()) == 3


def test_campaign_input_refused_in_plain_words(cli: Cli, demo_path: Path) -> None:
    before = count_rows(demo_path, "campaigns")
    both = cli("campaigns", "create", "--name", "X", "--amount", "5", "--percent", "10")
    assert both.code == 2 and "not allowed with argument --amount" in both.err
    neither = cli("campaigns", "create", "--name", "X")
    assert neither.code == 2 and "one of the arguments --amount --percent" in neither.err
    cents = cli("campaigns", "create", "--name", "X", "--amount", "5.001")
    assert (cents.code, cents.err.strip()) == (2, "--amount: '5.001' is not an amount of money.")
    too_much = cli("campaigns", "create", "--name", "X", "--percent", "150")
    assert too_much.code == 2 and "--percent: '150'" in too_much.err
    backwards = cli("campaigns", "create", "--name", "X", "--amount", "5",
                    "--valid-from", "2026-02-01", "--valid-until", "2026-01-01")  # fmt: skip
    assert (backwards.code, backwards.err.strip()) == (2, "The campaign ends before it starts.")
    bad_date = cli("campaigns", "create", "--name", "X", "--amount", "5", "--valid-from", "soon")
    assert bad_date.code == 2 and "'soon' is not a date" in bad_date.err
    same_name = cli("campaigns", "create", "--name", "Welcome ¥20", "--amount", "5")
    assert same_name.code == 2 and "already a campaign called" in same_name.err
    assert count_rows(demo_path, "campaigns") == before


def test_paused_campaign_coupon_is_refused_at_the_till(
    cli: Cli, demo_path: Path, demo_summary: DemoSummary
) -> None:
    paused = cli("campaigns", "pause", "--campaign", "1")
    assert (paused.code, paused.out.strip()) == (0, "Campaign 1 is now paused.")
    sale = cli("sale", "--scan", demo_summary.sample_item, "--scan", demo_summary.sample_coupon,
               "--pay", "cash")  # fmt: skip
    assert sale.code == 2 and "is paused" in sale.err
    assert count_rows(demo_path, "sales") == 0
    assert cli("campaigns", "resume", "--campaign", "Welcome ¥20").code == 0
    assert cli("campaigns", "end", "--campaign", "1").code == 0
    assert cli("campaigns", "list", "--format", "json").json()[0]["state"] == "ended"
    late = cli("coupons", "generate", "--campaign", "1", "--count", "1")
    assert late.code == 2 and "has ended" in late.err


def test_issue_and_void_a_coupon(cli: Cli, demo_summary: DemoSummary) -> None:
    code = codes.normalise(cli("coupons", "generate", "--campaign", "1", "--count", "1").out)
    issued = cli("coupons", "issue", codes.grouped(code).lower(), "--customer",
                 demo_summary.sample_card)  # fmt: skip
    assert issued.code == 0, issued.err
    assert f"Coupon {codes.grouped(code)} issued to Grace Lin." in issued.out
    assert "Valid until" in issued.out
    again = cli("coupons", "issue", code)
    assert again.code == 2 and "only a new coupon can be issued" in again.err
    voided = cli("coupons", "void", code)
    assert (voided.code, voided.out.strip()) == (0, f"Coupon {codes.grouped(code)} voided.")
    [row] = [c for c in cli("coupons", "list", "--format", "json").json() if c["code"] == code]
    assert (row["state"], row["customer"]) == ("voided", "Grace Lin")
    unknown = cli("coupons", "void", codes.new_code())
    assert unknown.code == 2 and "Unknown coupon" in unknown.err


GOOD_CSV = """barcode,name,price,kind,quantity,consignor,split,category
2100000000011,Tweed blazer,120.00,consigned,1,100001,55,coats
2100000000028,Tote bag,15,stock,12,,,supplies
"""


def test_import_adds_every_row(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "items.csv"
    source.write_text(GOOD_CSV, encoding="utf-8")
    result = cli("items", "import", "--csv", str(source))
    assert result.code == 0, result.err
    assert result.out.strip() == f"Imported 2 items from {source}."
    [blazer] = cli("items", "list", "--search", "Tweed", "--format", "json").json()
    assert (blazer["price"], blazer["consignor"], blazer["split"]) == ("120.00", "100001", "55")
    [tote] = cli("items", "list", "--search", "Tote", "--format", "json").json()
    assert (tote["quantity"], tote["kind"]) == (12, "stock")


def test_import_with_bad_rows_reports_line_numbers_and_imports_nothing(
    cli: Cli, demo_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "items.csv"
    source.write_text(
        GOOD_CSV + "2100000000035,Broken price,abc\n2100000000042,Lost owner,9,,1,999999\n",
        encoding="utf-8",
    )
    items_before = count_rows(demo_path, "items")
    result = cli("items", "import", "--csv", str(source))
    assert result.code == 2
    assert result.out == ""
    assert "Nothing was imported" in result.err
    assert "line 4: price 'abc' is not an amount" in result.err
    assert "line 5: no consignor number 999999" in result.err
    assert "line 2" not in result.err and "Traceback" not in result.err
    assert count_rows(demo_path, "items") == items_before
    assert cli("items", "list", "--search", "Tweed", "--format", "json").json() == []


def test_import_help_states_all_or_nothing(cli: Cli) -> None:
    result = cli("items", "import", "--help")
    assert result.code == 0
    words = " ".join(result.out.split())  # argparse wraps the text to the terminal
    assert "All rows or none" in words and "nothing is imported" in words
    assert "all rows or none" in cli("items", "--help").out


def test_import_of_a_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("items", "import", "--csv", str(tmp_path / "nope.csv"))
    assert (result.code, result.err.strip()) == (2, f"No file {tmp_path / 'nope.csv'}.")


def test_demo_into_an_empty_database_prints_a_working_example(cli: Cli, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    made = cli("demo", db=fresh)
    assert made.code == 0, made.err
    assert "203 items" in made.out and "PIN 0000" in made.out
    example = made.out.splitlines()[-1].split()
    assert example[:3] == ["posapp", "--db", str(fresh)] and "--scan" in example
    sold = cli(*example[3:], db=fresh)
    assert sold.code == 0, sold.err
    assert sold.out.startswith("Sale T1-000001") and "Coupon" in sold.out
    quiet = cli("demo", "--if-empty", db=fresh)
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")
    refused = cli("demo", db=fresh)
    assert refused.code == 2 and "already has a shop" in refused.err
