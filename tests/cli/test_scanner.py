"""`posapp scanner list` in every format (serial ports and evdev input devices, or none at all),
and `posapp scanner listen` as a real process over a pseudo-terminal scanner: connected, scans,
rejected noise, unplug, replug at the same path, and --scans N ending it."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo

from posapp.scanning import evdev_reader
from posapp.scanning.evdev_reader import InputDeviceInfo
from tests.cli.helpers import Cli, CliResult
from tests.scanning.ptys import PtyScanner
from ui.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def posapp(capsys: pytest.CaptureFixture[str]) -> Cli:
    """posapp("scanner", "list") runs the command in-process; scanners need no database."""

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def usb_port(device: str, vid: int, pid: int, serial_number: str, product: str) -> ListPortInfo:
    port = ListPortInfo(device, skip_link_detection=True)
    port.vid, port.pid, port.serial_number = vid, pid, serial_number
    port.description, port.manufacturer = product, "Honeywell"
    return port


def machine_with(
    monkeypatch: pytest.MonkeyPatch,
    ports: list[ListPortInfo],
    inputs: list[InputDeviceInfo] | None = None,
) -> None:
    """Serial ports as pyserial lists them; input devices only where evdev is 'installed'."""
    monkeypatch.setattr(list_ports, "comports", lambda *args, **kwargs: ports)
    monkeypatch.setattr(evdev_reader, "list_input_devices", lambda: list(inputs or []))
    monkeypatch.setattr(evdev_reader, "evdev_available", lambda: inputs is not None)


SCANNER_PORT = ("/dev/ttyACM0", 0x0C2E, 0x0B61, "21087B4A12", "Xenon 1900")
SCANNER_INPUT = InputDeviceInfo("/dev/input/event7", "Honeywell Scanner", "0C2E:0B61", "", True)


def test_list_table_shows_usb_ids(posapp: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    machine_with(monkeypatch, [usb_port(*SCANNER_PORT), ListPortInfo("/dev/ttyS0", True)])
    result = posapp("scanner", "list")
    assert result.code == 0 and result.err == ""
    header, rule, *lines = result.out.splitlines()
    assert header.split() == ["Port", "VID:PID", "Serial", "number", "Description", "Manufacturer"]
    assert set(rule) == {"-", " "}
    first = ["/dev/ttyACM0", "0C2E:0B61", "21087B4A12", "Xenon", "1900", "Honeywell"]
    assert lines[0].split() == first
    assert lines[1].strip() == "/dev/ttyS0"
    assert "Input devices" not in result.out  # evdev is not installed


def test_list_csv_and_json(posapp: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    machine_with(monkeypatch, [usb_port(*SCANNER_PORT)])
    csv_result = posapp("scanner", "list", "--format", "csv")
    assert csv_result.code == 0
    assert csv_result.out.splitlines() == [
        "kind,device,vid_pid,serial_number,description,manufacturer",
        "serial,/dev/ttyACM0,0C2E:0B61,21087B4A12,Xenon 1900,Honeywell",
    ]
    json_result = posapp("scanner", "list", "--format", "json")
    assert json_result.code == 0
    assert json_result.json() == [
        {
            "kind": "serial",
            "device": "/dev/ttyACM0",
            "vid_pid": "0C2E:0B61",
            "serial_number": "21087B4A12",
            "description": "Xenon 1900",
            "manufacturer": "Honeywell",
        }
    ]


def test_list_on_a_machine_without_ports(posapp: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    machine_with(monkeypatch, [])
    result = posapp("scanner", "list")
    assert (result.code, result.out, result.err) == (0, "No serial ports found.\n", "")
    assert posapp("scanner", "list", "--format", "json").json() == []
    csv_result = posapp("scanner", "list", "--format", "csv")
    assert csv_result.out == "kind,device,vid_pid,serial_number,description,manufacturer\n"


def test_list_adds_input_devices_when_evdev_is_there(
    posapp: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine_with(monkeypatch, [], [SCANNER_INPUT])
    result = posapp("scanner", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[:3] == ["No serial ports found.", "", lines[2]]
    assert lines[2].startswith("Input devices")
    assert lines[3].split() == ["Device", "VID:PID", "Serial", "number", "Name"]
    assert lines[5].split() == ["/dev/input/event7", "0C2E:0B61", "Honeywell", "Scanner"]
    [row] = posapp("scanner", "list", "--format", "json").json()
    assert row["kind"] == "input" and row["device"] == "/dev/input/event7"
    assert row["vid_pid"] == "0C2E:0B61" and row["description"] == "Honeywell Scanner"
    machine_with(monkeypatch, [], [])
    assert posapp("scanner", "list").out.splitlines()[-1].startswith("No input devices found")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--device", "zz", "'zz' is not VID:PID or VID:PID:SERIAL in hexadecimal"),
        ("--device", "0c2e", "'0c2e' is not VID:PID or VID:PID:SERIAL in hexadecimal"),
        ("--suffix", "\\x", "is not text or \\xNN byte escapes"),
        ("--suffix", "中", "'中' is not text or \\xNN byte escapes"),
    ],
)
def test_listen_refuses_bad_options_plainly(
    posapp: Cli, option: str, value: str, message: str
) -> None:
    result = posapp("scanner", "listen", "--url", "loop://", option, value)
    assert result.code == 2 and result.out == ""
    assert message in result.err
    assert "Traceback" not in result.err


# -- listen, as a real process over a pseudo-terminal -------------------------------------------


class Listener:
    """`posapp scanner listen` in its own process; its JSON lines are read on a thread."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-m", "ui.cli", "scanner", "listen", *args]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def next_event(self, timeout_s: float = 5.0) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=timeout_s)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout_s} s; so far: {self.seen}") from None
        event: dict[str, Any] = json.loads(line)
        self.seen.append(event)
        return event

    def wait_for(self, kind: str, timeout_s: float = 5.0) -> dict[str, Any]:
        """The next event of that kind; any other events before it must be disconnections."""
        deadline = time.monotonic() + timeout_s
        while True:
            event = self.next_event(max(0.01, deadline - time.monotonic()))
            if event["event"] == kind:
                return event
            assert event["event"] == "disconnected", f"{event} before {kind}; {self.seen}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def pty_scanner(tmp_path: Path) -> Iterator[PtyScanner]:
    scanner = PtyScanner(tmp_path / "scanner")
    yield scanner
    scanner.close()


def test_listen_follows_a_scanner_through_unplug_and_replug(pty_scanner: PtyScanner) -> None:
    path = str(pty_scanner.path)
    listener = Listener("--url", path, "--scans", "2")
    try:
        assert listener.wait_for("connected", timeout_s=15) == {"event": "connected", "port": path}
        pty_scanner.send(b"]E02000000000015\r\n")
        scan = listener.next_event()
        assert scan == {"event": "scan", "code": "2000000000015", "symbology": "]E0"}
        pty_scanner.send(b"\xff\xfe\r")
        rejected = listener.next_event()
        assert rejected["event"] == "rejected" and rejected["reason"] == "not_printable"
        assert rejected["bytes"] == "ff fe" and "baud rate" in rejected["message"]
        pty_scanner.unplug()
        disconnected = listener.next_event()
        assert disconnected["event"] == "disconnected" and disconnected["port"] == path
        assert listener.process.poll() is None  # still listening
        pty_scanner.plug()
        assert listener.wait_for("connected") == {"event": "connected", "port": path}
        pty_scanner.send(b"ABC-123\r")
        assert listener.next_event() == {"event": "scan", "code": "ABC-123", "symbology": None}
        assert listener.process.wait(5) == 0  # --scans 2: done after the second scan
        assert listener.process.stderr is not None
        assert "Traceback" not in listener.process.stderr.read()
    finally:
        listener.stop()
    kinds = [event["event"] for event in listener.seen]
    assert kinds == ["connected", "scan", "rejected", "disconnected", "connected", "scan"]
