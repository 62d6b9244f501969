"""`posapp scanner list` and `posapp scanner listen`: diagnose a serial scanner in the shop.

``listen`` prints one JSON line per event (connected, disconnected, scan, rejected) and keeps going
across unplug and replug until interrupted (Ctrl+C) or, with --scans N, after N scans. With
``--input DEVICE`` instead of ``--url`` it reads a keyboard-wedge scanner's input device exclusively
(Linux, with the optional evdev package); ``list`` then shows the input devices too.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
from typing import Any

from posapp.i18n import tr
from posapp.scanning import evdev_reader
from posapp.scanning.evdev_reader import ExclusiveReader, ExclusiveSettings, InputDeviceInfo
from posapp.scanning.frames import FrameSettings, Rejected, Scan
from posapp.scanning.ports import DEFAULT_BAUD, DeviceMatch, PortSettings, serial_ports
from posapp.scanning.reader import Connected, Disconnected, ReaderEvent, SerialReader
from ui.cli.arguments import Subparsers, add_format_option, positive_int
from ui.cli.context import EXIT_OK, CommandContext
from ui.cli.output import Column, Row, render_rows

POLL_S = 0.2


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser(
        "scanner", help=tr("list serial scanners and watch what they send")
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help=tr(
            "show the serial ports (and, with evdev, the input devices) with their USB vendor "
            "and product ids"
        ),
    )
    add_format_option(listing)
    listing.set_defaults(handler=run_list)
    listen = actions.add_parser(
        "listen",
        help=tr("print one JSON line per scanner event until interrupted"),
        description=tr(
            "Open the scanner's port and print one JSON line per event: connected, "
            "disconnected, scan, rejected. Unplugging and plugging the scanner back in is "
            "followed; Ctrl+C stops."
        ),
    )
    _add_port_options(listen)
    listen.set_defaults(handler=run_listen)


def _add_port_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--url",
        help=tr("port or pyserial URL: COM3, /dev/ttyACM0, hwgrep://VID:PID, socket://HOST:PORT"),
    )
    source.add_argument(
        "--input",
        metavar="DEVICE",
        help=tr(
            "read a keyboard-wedge scanner's input device exclusively (Linux, evdev): its path, "
            "name or VID:PID as 'scanner list' shows them"
        ),
    )
    parser.add_argument("--baud", type=positive_int, default=DEFAULT_BAUD, help=tr("baud rate"))
    parser.add_argument("--data-bits", type=int, choices=(5, 6, 7, 8), default=8)
    parser.add_argument("--parity", choices=("N", "E", "O", "M", "S"), default="N")
    parser.add_argument("--stop-bits", type=float, choices=(1, 1.5, 2), default=1)
    parser.add_argument(
        "--suffix",
        type=escaped_bytes,
        default=b"",
        help=tr("bytes that end a code besides CR and LF, e.g. '#' or '\\x03'"),
    )
    parser.add_argument(
        "--prefix", type=escaped_bytes, default=b"", help=tr("bytes the scanner sends first")
    )
    parser.add_argument(
        "--device",
        type=device_match,
        metavar="VID:PID[:SERIAL]",
        help=tr("find the scanner by its USB ids when it comes back under another port"),
    )
    parser.add_argument("--scans", type=positive_int, metavar="N", help=tr("stop after N scans"))


def escaped_bytes(text: str) -> bytes:
    """'#', '\\x03', '\\r\\n' as typed on a command line -> the bytes."""
    try:
        return text.encode("latin-1").decode("unicode_escape").encode("latin-1")
    except (UnicodeError, ValueError):
        raise argparse.ArgumentTypeError(
            tr("{value!r} is not text or \\xNN byte escapes", value=text)
        ) from None


def device_match(text: str) -> DeviceMatch:
    try:
        return DeviceMatch.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            tr("{value!r} is not VID:PID or VID:PID:SERIAL in hexadecimal", value=text)
        ) from None


def list_columns(input_devices: bool = False) -> list[Column]:
    return [
        Column("kind", tr("Kind"), in_table=False),  # 'serial' or 'input'
        Column("device", tr("Device") if input_devices else tr("Port")),
        Column("vid_pid", tr("VID:PID")),
        Column("serial_number", tr("Serial number")),
        Column("description", tr("Name") if input_devices else tr("Description")),
        Column("manufacturer", tr("Manufacturer"), in_table=not input_devices),
    ]


def input_row(device: InputDeviceInfo) -> Row:
    return {
        "kind": "input",
        "device": device.path,
        "vid_pid": device.vid_pid,
        "serial_number": device.serial_number,
        "description": device.name,
        "manufacturer": "",
    }


def run_list(ctx: CommandContext) -> int:
    serial_rows: list[Row] = [{"kind": "serial", **vars(port)} for port in serial_ports()]
    input_rows = [input_row(device) for device in evdev_reader.list_input_devices()]
    if ctx.args.format != "table":
        rows = serial_rows + input_rows
        print(render_rows(rows, list_columns(), ctx.args.format, ""), end="")
        return EXIT_OK
    if serial_rows:
        print(render_rows(serial_rows, list_columns(), "table", ""), end="")
    else:
        print(tr("No serial ports found."))
    if evdev_reader.evdev_available():
        print()
        print(tr("Input devices (keyboard-wedge scanners for exclusive mode):"))
        if input_rows:
            print(render_rows(input_rows, list_columns(input_devices=True), "table", ""), end="")
        else:
            print(tr("No input devices found, or none that you may open."))
    return EXIT_OK


def port_settings(args: argparse.Namespace) -> PortSettings:
    return PortSettings(
        args.url,
        baudrate=args.baud,
        bytesize=args.data_bits,
        parity=args.parity,
        stopbits=args.stop_bits,
        frames=FrameSettings(suffix=args.suffix, prefix=args.prefix),
        device=args.device,
    )


def event_record(event: ReaderEvent) -> dict[str, Any]:
    if isinstance(event, Scan):
        return {"event": "scan", "code": event.code, "symbology": event.symbology}
    if isinstance(event, Rejected):
        return {
            "event": "rejected",
            "reason": event.reason.value,
            "message": event.message,
            "bytes": event.raw.hex(" "),
        }
    if isinstance(event, Connected):
        return {"event": "connected", "port": event.port}
    assert isinstance(event, Disconnected)
    return {"event": "disconnected", "port": event.port, "reason": event.reason}


def exclusive_settings(args: argparse.Namespace) -> ExclusiveSettings:
    return ExclusiveSettings(
        args.input, frames=FrameSettings(suffix=args.suffix, prefix=args.prefix)
    )


def run_listen(ctx: CommandContext) -> int:
    events: queue.Queue[ReaderEvent] = queue.Queue()
    reader: SerialReader | ExclusiveReader
    if ctx.args.input is not None:
        reader = ExclusiveReader(exclusive_settings(ctx.args), events.put)
    else:
        reader = SerialReader(port_settings(ctx.args), events.put)
    reader.start()
    scans = 0
    try:
        while ctx.args.scans is None or scans < ctx.args.scans:
            try:
                event = events.get(timeout=POLL_S)
            except queue.Empty:
                continue
            print(json.dumps(event_record(event), ensure_ascii=False), flush=True)
            scans += isinstance(event, Scan)
    finally:
        reader.stop()
    sys.stdout.flush()
    return EXIT_OK
