"""The till's scanner settings file: defaults, round trip, damage reported, all-or-nothing save."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from posapp.scanning.config import (
    ScannerConfig,
    ScannerConfigError,
    SerialConfig,
    config_path,
    load_config,
    save_config,
)
from posapp.scanning.ports import DeviceMatch


def test_no_file_means_a_keyboard_scanner_and_no_serial_port() -> None:
    config = load_config()
    assert config == ScannerConfig()
    assert config.wedge_enabled and config.serial.url == ""
    assert str(config_path()).startswith(os.environ["XDG_CONFIG_HOME"])


def test_saved_settings_come_back_and_make_port_settings() -> None:
    config = ScannerConfig(
        serial=SerialConfig(
            url="/dev/ttyACM0", baudrate=115200, parity="E", suffix="#", device="05e0:1200:SN9"
        )
    ).with_gap(22.0)
    path = save_config(config)
    assert load_config(path) == config
    port = config.serial.port_settings()
    assert (port.url, port.baudrate, port.parity, port.frames.suffix) == (
        "/dev/ttyACM0",
        115200,
        "E",
        b"#",
    )
    assert port.device == DeviceMatch(0x05E0, 0x1200, "SN9")


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        json.dumps({"serial": {"baudrate": "fast"}}),
        json.dumps({"serial": {"parity": "X"}}),
    ],
)
def test_a_damaged_file_is_reported_in_plain_words(text: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(ScannerConfigError, match="damaged"):
        load_config()


def test_impossible_settings_are_refused_and_the_old_file_stays(tmp_path: Path) -> None:
    path = tmp_path / "scanner.json"
    save_config(ScannerConfig().with_gap(25.0), path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="key gap"):
        save_config(ScannerConfig().with_gap(0.0), path)
    with pytest.raises(ValueError, match="VID:PID"):
        save_config(ScannerConfig(serial=SerialConfig(device="scanner")), path)
    assert path.read_bytes() == before


def test_an_unwritable_folder_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ScannerConfigError, match="Could not save"):
        save_config(ScannerConfig(), blocker / "scanner.json")
