"""The serial reader over loop:// and over a pseudo-terminal: scans, noise, unplug and replug."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from posapp.scanning.frames import FrameSettings, Rejected, RejectReason, Scan
from posapp.scanning.ports import DeviceMatch, PortSettings
from posapp.scanning.reader import Connected, Disconnected, SerialReader
from tests.scanning.ptys import EventLog, PtyScanner

FAST_RETRY = 0.05


def at_least(log: EventLog, kind: type, n: int) -> bool:
    return len(log.of_type(kind)) >= n


@pytest.fixture
def events() -> EventLog:
    return EventLog()


@pytest.fixture
def pty_scanner(tmp_path: Path) -> Iterator[PtyScanner]:
    scanner = PtyScanner(tmp_path / "scanner")
    yield scanner
    scanner.close()


def started(settings: PortSettings, events: EventLog) -> SerialReader:
    reader = SerialReader(settings, events)
    reader.start()
    events.wait_for(lambda _: at_least(events, Connected, 1))
    return reader


def test_loop_port_gives_scans_with_symbology_and_rejects_noise(events: EventLog) -> None:
    reader = started(PortSettings("loop://", frames=FrameSettings(suffix=b"#")), events)
    try:
        assert reader.port is not None
        reader.port.write(b"]E02000000000015\r\n\xff\xfe\x01\r")
        reader.port.write(b"ABCD")
        reader.port.write(b"1234#")
        events.wait_for(lambda _: at_least(events, Scan, 2))
    finally:
        reader.stop()
    assert events.of_type(Scan) == [Scan("2000000000015", "]E0"), Scan("ABCD1234")]
    [rejected] = events.of_type(Rejected)
    assert isinstance(rejected, Rejected) and rejected.reason is RejectReason.NOT_PRINTABLE
    assert not reader.running


def test_frame_cut_off_is_rejected_after_the_timeout(events: EventLog) -> None:
    settings = PortSettings("loop://", frames=FrameSettings(timeout_s=0.1))
    reader = started(settings, events)
    try:
        assert reader.port is not None
        reader.port.write(b"20000")
        events.wait_for(lambda _: at_least(events, Rejected, 1))
    finally:
        reader.stop()
    assert events.of_type(Rejected) == [Rejected(RejectReason.NO_TERMINATOR, b"20000")]


def test_pty_scans_arrive_in_order(pty_scanner: PtyScanner, events: EventLog) -> None:
    reader = started(PortSettings(str(pty_scanner.path)), events)
    try:
        codes = [f"2{n:012d}" for n in range(50)]
        for code in codes:
            pty_scanner.send(code.encode() + b"\r\n")
        events.wait_for(lambda _: at_least(events, Scan, 50))
    finally:
        reader.stop()
    assert [scan.code for scan in events.of_type(Scan)] == codes  # type: ignore[attr-defined]


def test_unplug_is_reported_and_replug_is_picked_up_by_itself(
    pty_scanner: PtyScanner, events: EventLog
) -> None:
    settings = PortSettings(str(pty_scanner.path), retry_s=FAST_RETRY)
    reader = started(settings, events)
    try:
        pty_scanner.send(b"1111\r")
        events.wait_for(lambda _: at_least(events, Scan, 1))
        pty_scanner.unplug()
        events.wait_for(lambda _: at_least(events, Disconnected, 1))
        assert not reader.connected
        pty_scanner.plug()  # a new pty, a new /dev/pts path, behind the same name
        events.wait_for(lambda _: at_least(events, Connected, 2))
        pty_scanner.send(b"2222\r")
        events.wait_for(lambda _: at_least(events, Scan, 2))
        assert reader.connected
    finally:
        reader.stop()
    kinds = [type(event).__name__ for event in events.events]
    assert kinds == ["Connected", "Scan", "Disconnected", "Connected", "Scan"]
    assert [scan.code for scan in events.of_type(Scan)] == ["1111", "2222"]  # type: ignore[attr-defined]


def test_absent_scanner_is_reported_once_then_connects_when_plugged(
    tmp_path: Path, events: EventLog
) -> None:
    path = tmp_path / "later"
    reader = SerialReader(PortSettings(str(path), retry_s=FAST_RETRY), events)
    reader.start()
    scanner: PtyScanner | None = None
    try:
        events.wait_for(lambda _: at_least(events, Disconnected, 1))
        scanner = PtyScanner(path)
        events.wait_for(lambda _: at_least(events, Connected, 1))
    finally:
        reader.stop()
        if scanner is not None:
            scanner.close()
    assert [type(event).__name__ for event in events.events] == ["Disconnected", "Connected"]


def test_device_match_parses_hex_ids_and_serial_number() -> None:
    assert DeviceMatch.parse("05e0:1200") == DeviceMatch(0x05E0, 0x1200, None)
    assert DeviceMatch.parse("05E0:1200:SN42") == DeviceMatch(0x05E0, 0x1200, "SN42")
    with pytest.raises(ValueError):
        DeviceMatch.parse("05e0")


def test_scanner_back_under_another_path_is_found_by_its_usb_ids(
    tmp_path: Path, events: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The configured path stays gone; the port list names the new one (the OS enumeration is
    the one thing replaced: there is no USB device here)."""
    from serial.tools import list_ports
    from serial.tools.list_ports_common import ListPortInfo

    moved = PtyScanner(tmp_path / "ttyACM1")
    info = ListPortInfo(str(moved.path), skip_link_detection=True)
    info.vid, info.pid, info.serial_number = 0x05E0, 0x1200, "SN42"
    monkeypatch.setattr(list_ports, "comports", lambda: [info])
    gone = str(tmp_path / "ttyACM0")
    settings = PortSettings(gone, device=DeviceMatch(0x05E0, 0x1200, "SN42"), retry_s=FAST_RETRY)
    reader = started(settings, events)
    try:
        moved.send(b"3333\r")
        events.wait_for(lambda _: at_least(events, Scan, 1))
    finally:
        reader.stop()
        moved.close()
    assert events.of_type(Connected) == [Connected(str(moved.path))]
    assert events.of_type(Scan) == [Scan("3333")]
