"""This till's scanner settings, kept in a small JSON file in the user's config folder.

Scanners are plugged into one machine, so their settings belong to the machine, not to the shop's
database: ``scanner.json`` in ``platformdirs.user_config_dir("posapp")``. A missing file means the
defaults (a keyboard-wedge scanner, no serial port); a damaged one is reported in plain words and
the defaults are used, never a crash. Saving writes a temporary file and renames it over the old
one, so a full disk or a killed process leaves the previous settings whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from posapp.i18n import tr
from posapp.scanning.frames import FrameSettings
from posapp.scanning.ports import DEFAULT_BAUD, DeviceMatch, PortSettings
from posapp.scanning.wedge import WedgeSettings

CONFIG_NAME = "scanner.json"
PARITIES = ("N", "E", "O", "M", "S")
BYTE_SIZES = (5, 6, 7, 8)
STOP_BITS = (1.0, 1.5, 2.0)


class ScannerConfigError(ValueError):
    """The settings file could not be read or written; ``str()`` says why, in plain words."""


@dataclass(frozen=True)
class SerialConfig:
    url: str = ""  # empty: no serial scanner on this till
    baudrate: int = DEFAULT_BAUD
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1.0
    suffix: str = ""  # besides CR and LF, as text ('#', or '\x03' written as a real character)
    prefix: str = ""
    device: str = ""  # 'VID:PID[:SERIAL]' to find the scanner again under another port

    def port_settings(self) -> PortSettings:
        return PortSettings(
            self.url,
            baudrate=self.baudrate,
            bytesize=self.bytesize,
            parity=self.parity,
            stopbits=self.stopbits,
            frames=FrameSettings(
                suffix=self.suffix.encode("latin-1"), prefix=self.prefix.encode("latin-1")
            ),
            device=DeviceMatch.parse(self.device) if self.device else None,
        )


@dataclass(frozen=True)
class ScannerConfig:
    serial: SerialConfig = field(default_factory=SerialConfig)
    wedge: WedgeSettings = field(default_factory=WedgeSettings)
    wedge_enabled: bool = True
    exclusive_device: str = ""  # Linux evdev device read exclusively ('' = none)

    def with_gap(self, max_gap_ms: float) -> ScannerConfig:
        return replace(self, wedge=replace(self.wedge, max_gap_ms=max_gap_ms))


def config_path() -> Path:
    return Path(user_config_dir("posapp", appauthor=False)) / CONFIG_NAME


def load_config(path: Path | None = None) -> ScannerConfig:
    """The saved settings, or the defaults when there are none; ScannerConfigError if damaged."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ScannerConfig()
    except OSError as error:
        raise ScannerConfigError(
            tr("Could not read the scanner settings {path}: {reason}", path=path, reason=error)
        ) from error
    try:
        return config_from_dict(json.loads(text))
    except (ValueError, TypeError, AttributeError) as error:
        raise ScannerConfigError(
            tr(
                "The scanner settings {path} are damaged ({reason}); the defaults are used "
                "until they are saved again.",
                path=path,
                reason=error,
            )
        ) from error


def save_config(config: ScannerConfig, path: Path | None = None) -> Path:
    """Write the settings whole or not at all; ScannerConfigError says why not."""
    check_config(config)
    path = path or config_path()
    text = json.dumps(asdict(config), indent=2, ensure_ascii=False)
    temporary = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".scanner-", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise ScannerConfigError(
            tr("Could not save the scanner settings {path}: {reason}", path=path, reason=error)
        ) from error
    return path


def config_from_dict(data: dict[str, Any]) -> ScannerConfig:
    serial = data.get("serial") or {}
    wedge = data.get("wedge") or {}
    config = ScannerConfig(
        serial=SerialConfig(
            url=str(serial.get("url", "")),
            baudrate=int(serial.get("baudrate", DEFAULT_BAUD)),
            bytesize=int(serial.get("bytesize", 8)),
            parity=str(serial.get("parity", "N")),
            stopbits=float(serial.get("stopbits", 1.0)),
            suffix=str(serial.get("suffix", "")),
            prefix=str(serial.get("prefix", "")),
            device=str(serial.get("device", "")),
        ),
        wedge=WedgeSettings(
            max_gap_ms=float(wedge.get("max_gap_ms", WedgeSettings.max_gap_ms)),
            min_length=int(wedge.get("min_length", WedgeSettings.min_length)),
            terminators=str(wedge.get("terminators", WedgeSettings.terminators)),
            prefix=str(wedge.get("prefix", "")),
        ),
        wedge_enabled=bool(data.get("wedge_enabled", True)),
        exclusive_device=str(data.get("exclusive_device", "")),
    )
    check_config(config)
    return config


def check_config(config: ScannerConfig) -> None:
    """ValueError, in plain words, for a setting no scanner could have."""
    serial, wedge = config.serial, config.wedge
    if serial.baudrate <= 0:
        raise ValueError(tr("The baud rate must be a positive number."))
    if serial.parity not in PARITIES:
        raise ValueError(tr("Parity must be one of N, E, O, M, S."))
    if serial.bytesize not in BYTE_SIZES or serial.stopbits not in STOP_BITS:
        raise ValueError(tr("Data bits must be 5 to 8 and stop bits 1, 1.5 or 2."))
    if serial.device:
        try:
            DeviceMatch.parse(serial.device)
        except ValueError:
            raise ValueError(
                tr("{value!r} is not VID:PID or VID:PID:SERIAL in hexadecimal", value=serial.device)
            ) from None
    if not 1 <= wedge.max_gap_ms <= 200 or wedge.min_length < 1:
        raise ValueError(
            tr("The key gap must be 1 to 200 ms and the shortest code at least 1 character.")
        )
    if not wedge.terminators:
        raise ValueError(tr("A keyboard scanner needs Enter or Tab to end a code."))
