"""`posapp campaigns create --bounce-back-of`, the campaign list naming it, and
`posapp items markdown` with the item list showing the markdown."""

from __future__ import annotations

from tests.cli.helpers import Cli


def test_create_a_bounce_back_campaign_and_list_it(cli: Cli) -> None:
    created = cli("campaigns", "create", "--name", "Come back", "--amount", "10",
                  "--bounce-back-of", "Welcome ¥20", "--bounce-back-min-spend", "50")  # fmt: skip
    assert created.code == 0, created.err
    rows = {row["name"]: row for row in cli("campaigns", "list", "--format", "json").json()}
    assert rows["Come back"]["bounce_back_of"] == "Welcome ¥20"
    assert rows["Come back"]["bounce_back_min_spend"] == "50.00"
    assert rows["Welcome ¥20"]["bounce_back_of"] is None
    table = cli("campaigns", "list").out.splitlines()
    assert "Bounce-back of" in table[0]
    assert table[-1].rstrip().endswith("Welcome ¥20, paying CN¥50.00 or more")
    by_id = cli("campaigns", "create", "--name", "Again", "--percent", "5", "--bounce-back-of", "2")
    assert by_id.code == 0, by_id.err
    again = cli("campaigns", "list", "--format", "json").json()[-1]
    assert (again["bounce_back_of"], again["bounce_back_min_spend"]) == (
        "春季九折 Spring 10%",
        "0.00",
    )


def test_bounce_back_settings_refused_in_plain_words(cli: Cli) -> None:
    unknown = cli("campaigns", "create", "--name", "X", "--amount", "1", "--bounce-back-of", "Nope")
    assert unknown.code != 0 and "No campaign Nope." in unknown.err
    alone = cli("campaigns", "create", "--name", "Y", "--amount", "1",
                "--bounce-back-min-spend", "20")  # fmt: skip
    assert alone.code != 0 and "needs the campaign" in alone.err
    bad = cli("campaigns", "create", "--name", "Z", "--amount", "1", "--bounce-back-of", "1",
              "--bounce-back-min-spend", "lots")  # fmt: skip
    assert bad.code != 0 and "--bounce-back-min-spend" in bad.err
    names = [row["name"] for row in cli("campaigns", "list", "--format", "json").json()]
    assert not {"X", "Y", "Z"} & set(names)


def test_items_markdown_set_listed_and_cleared(cli: Cli) -> None:
    barcode = "2000000000022"
    marked = cli("items", "markdown", "--item", barcode, "--percent", "30", "--from", "2026-12-15")
    assert marked.code == 0, marked.err
    assert marked.out == f"Item {barcode}: markdown 30% from Dec 15, 2026.\n"
    (row,) = cli("items", "list", "--search", barcode, "--format", "json").json()
    assert (row["markdown_date"], row["markdown_percent"]) == ("2026-12-15", "30")
    table = cli("items", "list", "--search", barcode).out
    assert "Markdown" in table and "Dec 15, 2026" in table
    assert cli("items", "markdown", "--item", barcode, "--clear").code == 0
    (row,) = cli("items", "list", "--search", barcode, "--format", "json").json()
    assert (row["markdown_date"], row["markdown_percent"]) == (None, None)


def test_items_markdown_refused_in_plain_words(cli: Cli) -> None:
    half = cli("items", "markdown", "--item", "2000000000022", "--percent", "30")
    assert half.code == 2 and "Give --percent and --from" in half.err
    both = cli("items", "markdown", "--item", "2000000000022", "--clear", "--percent", "3")
    assert both.code == 2 and "--clear takes no" in both.err
    whole = cli("items", "markdown", "--item", "2000000000022", "--percent", "100",
                "--from", "2026-12-15")  # fmt: skip
    assert whole.code != 0 and "less than 100%" in whole.err
    missing = cli("items", "markdown", "--item", "999", "--percent", "10", "--from", "2026-12-15")
    assert missing.code != 0 and "No item with barcode 999." in missing.err
