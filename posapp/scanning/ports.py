"""Serial port settings, and finding a USB scanner again after it was unplugged.

A USB-serial scanner may come back under another path (/dev/ttyACM0 -> /dev/ttyACM1, COM3 ->
COM5); its USB vendor id, product id and serial number stay the same, so the reader can find it
again with ``serial.tools.list_ports``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from posapp.scanning.frames import FrameSettings

if TYPE_CHECKING:
    from serial.tools.list_ports_common import ListPortInfo

DEFAULT_BAUD = 9600


@dataclass(frozen=True)
class DeviceMatch:
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None

    @classmethod
    def parse(cls, text: str) -> DeviceMatch:
        """'05e0:1200' or '05e0:1200:SN123' (hexadecimal ids, as ``scanner list`` shows them)."""
        parts = text.strip().split(":")
        if len(parts) not in (2, 3):
            raise ValueError(text)
        serial_number = parts[2] if len(parts) == 3 and parts[2] else None
        return cls(int(parts[0], 16), int(parts[1], 16), serial_number)

    def matches(self, port: ListPortInfo) -> bool:
        wanted = (
            (self.vid, port.vid),
            (self.pid, port.pid),
            (self.serial_number, port.serial_number),
        )
        return any(want is not None for want, _ in wanted) and all(
            want is None or want == have for want, have in wanted
        )


@dataclass(frozen=True)
class PortInfo:
    device: str
    description: str
    vid_pid: str  # '05E0:1200', or '' for a port that is not USB
    serial_number: str
    manufacturer: str


def serial_ports() -> list[PortInfo]:
    """The machine's serial ports (COMn, /dev/ttyUSBn, /dev/ttyACMn...), sorted by path."""
    from serial.tools import list_ports  # loaded when asked: a till's start-up skips it

    found = []
    for port in sorted(list_ports.comports(), key=lambda port: port.device):
        vid_pid = f"{port.vid:04X}:{port.pid:04X}" if port.vid is not None else ""
        found.append(
            PortInfo(
                port.device,
                port.description if port.description != "n/a" else "",
                vid_pid,
                port.serial_number or "",
                port.manufacturer or "",
            )
        )
    return found


def find_device(match: DeviceMatch) -> str | None:
    """The path of the first connected port that matches, if any."""
    from serial.tools import list_ports

    for port in list_ports.comports():
        if match.matches(port):
            return str(port.device)
    return None


@dataclass(frozen=True)
class PortSettings:
    url: str  # COM3, /dev/ttyACM0, hwgrep://05e0:1200, socket://host:port, loop://
    baudrate: int = DEFAULT_BAUD
    bytesize: int = 8
    parity: str = "N"  # N, E, O, M, S
    stopbits: float = 1
    frames: FrameSettings = field(default_factory=FrameSettings)
    device: DeviceMatch | None = None  # to find the scanner again under another path
    retry_s: float = 0.5  # how often to look for an unplugged scanner
    read_timeout_s: float = 0.05
