"""`posapp sync setup|now|status|conflicts`: this till's link to its hub."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from posapp.i18n import moment, tr
from printing.receipt_text import display_width
from sync.clock_offset import clock_words
from sync.conflicts import ConflictRow, kind_word, list_conflicts, summary
from ui.cli.arguments import Subparsers, add_format_option
from ui.cli.context import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, CliError, CommandContext
from ui.cli.output import Column, Kind, Row, render_rows

if TYPE_CHECKING:
    from sync.client import HubError
    from sync.terminal import SyncStatus

# sync.terminal and sync.client (httpx, pydantic) are loaded by the commands that use them: the
# other subcommands start without them.
NO_MONEY = ""  # no amounts here: no currency is needed to show them


def register(subparsers: Subparsers) -> None:
    sync = subparsers.add_parser("sync", help=tr("sync this till with its hub"))
    actions = sync.add_subparsers(dest="action", required=True, metavar="ACTION")
    linking = actions.add_parser(
        "setup",
        help=tr("link this till to a hub"),
        description=tr(
            "Link this till's database to a hub with a token from "
            "'posapp hub add-terminal'. The hub is asked first: a wrong token links nothing."
        ),
    )
    linking.add_argument(
        "--hub", required=True, metavar="URL", help=tr("e.g. http://10.0.0.5:8765")
    )
    linking.add_argument("--token", required=True, metavar="TOKEN")
    linking.set_defaults(handler=run_setup)
    now = actions.add_parser("now", help=tr("send this till's changes and fetch the others'"))
    now.set_defaults(handler=run_now)
    showing = actions.add_parser("status", help=tr("when this till last synced, what is waiting"))
    showing.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help=tr("table for people (default) or json"),
    )
    showing.set_defaults(handler=run_status)
    conflicts = actions.add_parser(
        "conflicts", help=tr("what sync found that needs a person, newest first")
    )
    add_format_option(conflicts)
    conflicts.set_defaults(handler=run_conflicts)
    ack = actions.add_parser(
        "acknowledge",
        help=tr("mark a conflict as dealt with, here, at the hub and on every till (managers)"),
    )
    ack.add_argument("conflict", metavar="ID", help=tr("the conflict's id, from 'sync conflicts'"))
    ack.set_defaults(handler=run_acknowledge)


def _hub_problem(error: HubError) -> CliError:
    """An unreachable hub is the environment (exit 1); a refusal is about the input (exit 2)."""
    from sync.client import HubUnreachable

    return CliError(str(error), EXIT_FAILED if isinstance(error, HubUnreachable) else EXIT_REFUSED)


def run_setup(ctx: CommandContext) -> int:
    from sync.client import HubError
    from sync.terminal import setup

    try:
        name = setup(ctx.db, ctx.args.hub, ctx.args.token)
    except HubError as error:
        raise _hub_problem(error) from None
    print(tr("This till is linked to the hub at {url}, which knows it as {name}.",
             url=ctx.args.hub.rstrip("/"), name=name))  # fmt: skip
    print(tr("Run 'posapp sync now' to sync."))
    return EXIT_OK


def run_now(ctx: CommandContext) -> int:
    from sync.client import HubError
    from sync.terminal import sync_now

    try:
        report = sync_now(ctx.db)  # records the error on this till before raising it
    except HubError as error:
        raise _hub_problem(error) from None
    print(tr("Synced in {seconds:.1f} s: {pushed} changes sent, {pulled} received, "
             "{conflicts} new conflicts.", seconds=report.seconds, pushed=report.pushed,
             pulled=report.pulled, conflicts=report.conflicts))  # fmt: skip
    if report.conflicts:
        print(tr("See them with 'posapp sync conflicts'."))
    return EXIT_OK


# --- status ------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value).isoformat()


def status_data(found: SyncStatus) -> dict[str, Any]:
    return {
        "configured": found.configured,
        "hub_url": found.hub_url,
        "last_success_at": _iso(found.last_success_at),
        "last_attempt_at": _iso(found.last_attempt_at),
        "last_error": found.last_error,
        "waiting": found.waiting,
        "open_conflicts": found.open_conflicts,
        "offline_since": _iso(found.offline_since),
        "interval_seconds": found.interval_seconds,
        "clock_offset_seconds": found.clock_offset_seconds,
    }


def _when(value: datetime | None) -> str:
    return moment(value) if value is not None else tr("never")


def status_lines(found: SyncStatus) -> list[tuple[str, str]]:
    hub = found.hub_url or tr("none: run 'posapp sync setup --hub URL --token T'")
    lines = [
        (tr("Hub"), hub),
        (tr("Last success"), _when(found.last_success_at)),
        (tr("Last attempt"), _when(found.last_attempt_at)),
        (tr("Last error"), found.last_error or tr("none")),
        (tr("Changes waiting"), str(found.waiting)),
        (tr("Open conflicts"), str(found.open_conflicts)),
    ]
    if found.offline_since is not None:
        lines.append((tr("Offline since"), moment(found.offline_since)))
    if found.clock_off and found.clock_offset_seconds is not None:
        lines.append((tr("Clock"), clock_words(found.clock_offset_seconds)))
    elif found.clock_offset_seconds is not None:
        lines.append((tr("Clock"), tr("agrees with the hub's")))
    return lines


def run_status(ctx: CommandContext) -> int:
    from sync.terminal import status

    found = status(ctx.db)
    if ctx.args.format == "json":
        print(json.dumps(status_data(found), ensure_ascii=False, indent=2))
        return EXIT_OK
    lines = status_lines(found)
    width = max(display_width(label) for label, _value in lines)
    for label, value in lines:
        print(tr("{label}:", label=label) + " " * (width - display_width(label) + 2) + value)
    return EXIT_OK


# --- conflicts ---------------------------------------------------------------------------------


def conflict_row(conflict: ConflictRow) -> Row:
    return {
        "id": conflict.id,
        "found_at": conflict.found_at,
        "kind": conflict.kind,
        "kind_text": kind_word(conflict.kind),
        "subject": conflict.subject,
        "summary": summary(conflict),
        "detail": conflict.detail,
        "acknowledged": conflict.acknowledged,
        "acknowledged_at": conflict.acknowledged_at,
        "acknowledged_by": conflict.acknowledged_by,
    }


def run_conflicts(ctx: CommandContext) -> int:
    in_data = ctx.args.format == "json"  # the raw detail only where it stays structured
    columns = [
        Column("found_at", tr("Found"), Kind.MOMENT),
        Column("id", tr("Id"), in_table=False),
        Column("kind", tr("Kind"), in_table=False),
        Column("kind_text", tr("Kind"), in_data=False),
        Column("subject", tr("Subject")),
        Column("summary", tr("What happened")),
        Column("detail", tr("Detail"), in_table=False, in_data=in_data),
        Column("acknowledged", tr("Acknowledged"), in_table=False),
        Column("acknowledged_at", tr("Acknowledged"), Kind.MOMENT),
        Column("acknowledged_by", tr("Acknowledged by")),
    ]
    rows = [conflict_row(c) for c in list_conflicts(ctx.db)]
    if not rows and ctx.args.format == "table":
        print(tr("No conflicts."))
        return EXIT_OK
    print(render_rows(rows, columns, ctx.args.format, NO_MONEY), end="")
    return EXIT_OK


def run_acknowledge(ctx: CommandContext) -> int:
    from sync.conflicts import acknowledge

    done = acknowledge(ctx.db, ctx.actor, ctx.args.conflict)
    print(
        tr(
            "Conflict {id} ({kind}, {subject}) acknowledged by {name}; the hub and the other "
            "tills learn it at the next sync.",
            id=done.id,
            kind=kind_word(done.kind),
            subject=done.subject,
            name=done.acknowledged_by or "",
        )
    )
    return EXIT_OK
