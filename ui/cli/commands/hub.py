"""`posapp hub serve|add-terminal|revoke|clients`: run the sync hub and say who may use it."""

from __future__ import annotations

import argparse
import signal
import socket
from typing import Any

from posapp.db import Database
from posapp.i18n import tr
from sync.hub.clients import ClientRow, add_client, list_clients, revoke_client
from sync.hub.config import HubConfig
from sync.hub.serving import pooled_for_serving, settle_memory
from ui.cli.arguments import Subparsers, add_format_option, positive_int, whole_number
from ui.cli.context import EXIT_FAILED, EXIT_OK, CliError, CommandContext
from ui.cli.output import Column, Kind, Row, render_rows

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
NO_MONEY = ""  # the hub's lists have no amounts: no currency is needed to show them


class _Stopped(Exception):
    """SIGTERM (a service manager stopping the hub): a clean stop, like Ctrl+C."""


def port_number(text: str) -> int:
    port = whole_number(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(tr("{value!r} is not a port number", value=text))
    return port


def register(subparsers: Subparsers) -> None:
    hub = subparsers.add_parser(
        "hub",
        help=tr("run the sync hub and manage the tills allowed to use it"),
        description=tr(
            "The hub keeps its own database: name it with --db before 'hub' "
            "(posapp --db hub.db hub ...)."
        ),
    )
    actions = hub.add_subparsers(dest="action", required=True, metavar="ACTION")
    serve = actions.add_parser("serve", help=tr("run the hub until Ctrl+C"))
    serve.add_argument(
        "--host", default=DEFAULT_HOST, help=tr("address to listen on (default: 127.0.0.1)")
    )
    serve.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=tr("port (default: 8765)")
    )
    serve.add_argument(
        "--apology-campaign",
        metavar="NAME",
        help=tr("campaign whose coupons go to online customers whose item a shop had sold"),
    )
    serve.add_argument(
        "--withhold-after",
        type=positive_int,
        default=HubConfig.withhold_after_minutes,
        metavar="MINUTES",
        help=tr("hide a shop's items online when it has not synced for this long (default: 1440)"),
    )
    serve.set_defaults(handler=run_serve)
    adding = actions.add_parser("add-terminal", help=tr("let a till (or an online store) sync"))
    adding.add_argument("--name", required=True, metavar="NAME")
    adding.add_argument("--online", action="store_true", help=tr("an online store, not a till"))
    adding.set_defaults(handler=run_add)
    revoking = actions.add_parser("revoke", help=tr("stop a till's token from working"))
    revoking.add_argument("--name", required=True, metavar="NAME")
    revoking.set_defaults(handler=run_revoke)
    listing = actions.add_parser("clients", help=tr("the tills and online stores of this hub"))
    add_format_option(listing)
    listing.set_defaults(handler=run_clients)


def hub_db(ctx: CommandContext) -> Database:
    """The hub's database, which must be named: a till's own database is not a hub."""
    if not ctx.args.db:
        raise CliError(
            tr(
                "Name the hub's database with --db before 'hub', e.g. "
                "'posapp --db hub.db hub {action}'.",
                action=ctx.args.action,
            )
        )
    return ctx.db


# --- serve -------------------------------------------------------------------------------------


def _server_parts() -> tuple[Any, Any]:
    try:
        import uvicorn

        from sync.hub.app import create_app
    except ModuleNotFoundError as missing:
        raise CliError(
            tr(
                "The hub needs FastAPI and uvicorn, which are not installed here ({name} is "
                "missing). Install them with: pip install 'posapp[hub]'",
                name=missing.name or "?",
            )
        ) from None
    return uvicorn, create_app


def _listen(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        listener = socket.socket(family, kind, proto)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(2048)
    except OSError as error:
        raise CliError(
            tr(
                "Cannot listen on {host} port {port}: {reason}",
                host=host,
                port=port,
                reason=error.strerror or error,
            ),
            EXIT_FAILED,
        ) from None
    return listener


def _raise_stopped(_signal: int, _frame: object) -> None:
    raise _Stopped


def run_serve(ctx: CommandContext) -> int:
    uvicorn, create_app = _server_parts()
    db = pooled_for_serving(hub_db(ctx))
    args = ctx.args
    config = HubConfig(args.apology_campaign, args.withhold_after)
    listener = _listen(args.host, args.port)
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, config), log_level="warning", lifespan="off")
    )
    settle_memory()
    print(tr("The hub is listening on http://{host}:{port} (Ctrl+C stops it).",
             host=shown, port=port), flush=True)  # fmt: skip
    previous = signal.signal(signal.SIGTERM, _raise_stopped)
    try:
        server.run(sockets=[listener])
    except (KeyboardInterrupt, _Stopped):
        pass  # uvicorn has finished the requests in progress and shut down
    finally:
        signal.signal(signal.SIGTERM, previous)
        listener.close()
    print(tr("The hub stopped."), flush=True)
    return EXIT_OK


# --- clients -----------------------------------------------------------------------------------


def run_add(ctx: CommandContext) -> int:
    kind = "online" if ctx.args.online else "terminal"
    token = add_client(hub_db(ctx), ctx.args.name, kind)
    name = ctx.args.name.strip()
    if kind == "online":
        print(tr("Online store {name} added. Its token:", name=name))
    else:
        print(tr("Till {name} added. Its token:", name=name))
    print(token)
    print(tr("Keep it now: it will not be shown again."))
    if kind == "online":
        print(tr("Give it to the online store's connector."))
    else:
        print(tr("On the till, run (with the hub's address for URL):"))
        print(f"  posapp sync setup --hub URL --token {token}")
    return EXIT_OK


def run_revoke(ctx: CommandContext) -> int:
    revoke_client(hub_db(ctx), ctx.args.name)
    print(tr("{name} can no longer sync: its token was revoked.", name=ctx.args.name))
    return EXIT_OK


def client_kind_word(kind: str) -> str:
    return {"terminal": tr("till"), "online": tr("online store")}.get(kind, kind)


def client_row(client: ClientRow) -> Row:
    return {
        "name": client.name,
        "kind": client.kind,
        "kind_text": client_kind_word(client.kind),
        "created_at": client.created_at,
        "last_seen_at": client.last_seen_at,
        "revoked": client.revoked_at is not None,
        "revoked_at": client.revoked_at,
    }


def run_clients(ctx: CommandContext) -> int:
    columns = [
        Column("name", tr("Name")),
        Column("kind", tr("Kind"), in_table=False),
        Column("kind_text", tr("Kind"), in_data=False),
        Column("created_at", tr("Created"), Kind.MOMENT),
        Column("last_seen_at", tr("Last seen"), Kind.MOMENT),
        Column("revoked", tr("Revoked"), in_table=False),
        Column("revoked_at", tr("Revoked"), Kind.MOMENT),
    ]
    rows = [client_row(c) for c in list_clients(hub_db(ctx))]
    if not rows and ctx.args.format == "table":
        print(tr("No tills yet: add one with 'posapp hub add-terminal --name NAME'."))
        return EXIT_OK
    print(render_rows(rows, columns, ctx.args.format, NO_MONEY), end="")
    return EXIT_OK
