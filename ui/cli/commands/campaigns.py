"""`posapp campaigns create|list|pause|resume|end`."""

from __future__ import annotations

import argparse

from posapp import labels
from posapp.i18n import money, tr
from posapp.models import CampaignState, Channel, DiscountKind, Funding
from posapp.services.campaigns import (
    CampaignRow,
    NewCampaign,
    create_campaign,
    list_campaigns,
    set_campaign_state,
)
from ui.cli.arguments import (
    Subparsers,
    add_format_option,
    iso_date,
    money_option,
    percent_option,
    positive_int,
    whole_number,
)
from ui.cli.context import EXIT_OK, CommandContext
from ui.cli.output import Column, Kind, Row, percent_text, render_rows

STATE_ACTIONS = {
    "pause": CampaignState.PAUSED,
    "resume": CampaignState.ACTIVE,
    "end": CampaignState.ENDED,
}


def register(subparsers: Subparsers) -> None:
    campaigns = subparsers.add_parser("campaigns", help=tr("create and manage coupon campaigns"))
    actions = campaigns.add_subparsers(dest="action", required=True, metavar="ACTION")
    _register_create(actions)
    listing = actions.add_parser("list", help=tr("list campaigns with their coupon counts"))
    add_format_option(listing)
    listing.set_defaults(handler=run_list)
    helps = {
        "pause": tr("pause a campaign: its coupons are refused until it resumes"),
        "resume": tr("make a paused campaign active again"),
        "end": tr("end a campaign for good"),
    }
    for action, help_text in helps.items():
        parser = actions.add_parser(action, help=help_text)
        parser.add_argument(
            "--campaign", required=True, metavar="ID_OR_NAME", help=tr("campaign id or name")
        )
        parser.set_defaults(handler=run_set_state, state=STATE_ACTIONS[action])


def _register_create(actions: Subparsers) -> None:
    parser = actions.add_parser("create", help=tr("create a campaign"))
    parser.add_argument("--name", required=True, help=tr("the campaign's name"))
    value = parser.add_mutually_exclusive_group(required=True)
    value.add_argument("--amount", metavar="AMOUNT", help=tr("fixed discount, e.g. 5.00"))
    value.add_argument("--percent", metavar="PERCENT", help=tr("percentage off, e.g. 10"))
    parser.add_argument("--min-spend", default="0", metavar="AMOUNT", help=tr("minimum spend"))
    parser.add_argument(
        "--valid-days",
        type=whole_number,
        default=14,
        metavar="N",
        help=tr(
            "a coupon is valid N days from when it is first printed or issued (default 14; "
            "0: only the campaign dates)"
        ),
    )
    parser.add_argument("--valid-from", type=iso_date, metavar="DATE", help=tr("first valid day"))
    parser.add_argument("--valid-until", type=iso_date, metavar="DATE", help=tr("last valid day"))
    parser.add_argument(
        "--max-uses", type=positive_int, default=1, metavar="N", help=tr("uses per coupon (1)")
    )
    parser.add_argument(
        "--max-uses-per-customer", type=positive_int, metavar="N", help=tr("uses per customer")
    )
    parser.add_argument(
        "--channel", choices=[c.value for c in Channel], default="both", help=tr("where it works")
    )
    parser.add_argument(
        "--funding",
        choices=[f.value for f in Funding],
        default="store",
        help=tr("who pays the discount: the consignor's split is taken before (store) or after it"),
    )
    parser.add_argument("--description", metavar="TEXT", help=tr("a note shown to staff"))
    parser.add_argument(
        "--no-reuse-after-refund",
        action="store_true",
        help=tr("a refund does not make a used coupon usable again"),
    )
    parser.add_argument(
        "--bounce-back-of",
        metavar="ID_OR_NAME",
        help=tr(
            "bounce-back: a sale that redeems a coupon of this other campaign is handed one "
            "coupon of the new campaign, printed on its receipt"
        ),
    )
    parser.add_argument(
        "--bounce-back-min-spend",
        default="0",
        metavar="AMOUNT",
        help=tr("bounce-back: only when the sale pays at least this, after discounts"),
    )
    parser.set_defaults(handler=run_create)


def _new_campaign(args: argparse.Namespace, currency: str) -> NewCampaign:
    if args.amount is not None:
        kind, value = DiscountKind.AMOUNT, money_option(args.amount, currency, "--amount")
    else:
        kind, value = DiscountKind.PERCENT, percent_option(args.percent, "--percent")
    return NewCampaign(
        name=args.name,
        kind=kind,
        value=value,
        description=args.description,
        min_spend=money_option(args.min_spend, currency, "--min-spend"),
        valid_from=args.valid_from,
        valid_until=args.valid_until,
        valid_days=args.valid_days or None,
        max_uses=args.max_uses,
        max_uses_per_customer=args.max_uses_per_customer,
        channel=Channel(args.channel),
        funding=Funding(args.funding),
        reusable_after_refund=not args.no_reuse_after_refund,
        bounce_back_of=args.bounce_back_of,
        bounce_back_min_spend=money_option(
            args.bounce_back_min_spend, currency, "--bounce-back-min-spend"
        ),
    )


def run_create(ctx: CommandContext) -> int:
    campaign_id = create_campaign(ctx.db, ctx.actor, _new_campaign(ctx.args, ctx.currency))
    print(tr("Campaign {name} created (id {id}).", name=ctx.args.name.strip(), id=campaign_id))
    print(
        tr("Make coupons with: posapp coupons generate --campaign {id} --count 100", id=campaign_id)
    )
    return EXIT_OK


def campaign_columns() -> list[Column]:
    return [
        Column("id", tr("Id"), Kind.INT),
        Column("name", tr("Name")),
        Column("kind", tr("Kind"), Kind.STATE, in_table=False),
        Column("amount", tr("Amount"), Kind.MONEY, in_table=False),
        Column("percent", tr("Percent"), Kind.PERCENT, in_table=False),
        Column("value", tr("Value"), in_data=False),
        Column("min_spend", tr("Min spend"), Kind.MONEY),
        Column("valid_from", tr("From"), Kind.DATE),
        Column("valid_until", tr("Until"), Kind.DATE),
        Column("valid_days", tr("Days"), Kind.INT),
        Column("max_uses", tr("Uses"), Kind.INT),
        Column("max_uses_per_customer", tr("Per customer"), Kind.INT),
        Column("channel", tr("Channel"), Kind.STATE),
        Column("funding", tr("Funding"), Kind.STATE),
        Column("state", tr("State"), Kind.STATE),
        Column("coupons", tr("Coupons"), Kind.INT),
        Column("redeemed", tr("Redeemed"), Kind.INT),
        Column("bounce_back_of", tr("Bounce-back of"), in_table=False),
        Column("bounce_back_min_spend", tr("Bounce-back min spend"), Kind.MONEY, in_table=False),
        Column("bounce_back", tr("Bounce-back of"), in_data=False),
    ]


def campaign_row(campaign: CampaignRow, currency: str) -> Row:
    is_amount = campaign.kind is DiscountKind.AMOUNT
    value = (
        money(campaign.value, currency)
        if is_amount
        else tr("{value}%", value=percent_text(campaign.value))
    )
    return {
        "id": campaign.id,
        "name": campaign.name,
        "kind": campaign.kind,
        "amount": campaign.value if is_amount else None,
        "percent": None if is_amount else campaign.value,
        "value": value,
        "min_spend": campaign.min_spend,
        "valid_from": campaign.valid_from,
        "valid_until": campaign.valid_until,
        "valid_days": campaign.valid_days,
        "max_uses": campaign.max_uses,
        "max_uses_per_customer": campaign.max_uses_per_customer,
        "channel": campaign.channel,
        "funding": campaign.funding,
        "state": campaign.state,
        "coupons": campaign.coupons,
        "redeemed": campaign.redeemed,
        "bounce_back_of": campaign.bounce_back_of,
        "bounce_back_min_spend": campaign.bounce_back_min_spend,
        "bounce_back": _bounce_back_text(campaign, currency),
    }


def _bounce_back_text(campaign: CampaignRow, currency: str) -> str:
    if not campaign.bounce_back_of:
        return ""
    if not campaign.bounce_back_min_spend:
        return campaign.bounce_back_of
    return tr(
        "{name}, paying {amount} or more",
        name=campaign.bounce_back_of,
        amount=money(campaign.bounce_back_min_spend, currency),
    )


def run_list(ctx: CommandContext) -> int:
    currency = ctx.currency
    rows = [campaign_row(c, currency) for c in list_campaigns(ctx.db)]
    print(render_rows(rows, campaign_columns(), ctx.args.format, currency), end="")
    return EXIT_OK


def run_set_state(ctx: CommandContext) -> int:
    state: CampaignState = ctx.args.state
    set_campaign_state(ctx.db, ctx.actor, ctx.args.campaign, state)
    print(
        tr(
            "Campaign {campaign} is now {state}.",
            campaign=ctx.args.campaign,
            state=labels.campaign_state(state),
        )
    )
    return EXIT_OK
