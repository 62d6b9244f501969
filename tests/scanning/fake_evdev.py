"""A stand-in for the evdev module: plugged-in input devices whose key events wake select()
through a pipe, grab/ungrab, unplug. Shared by the reader's tests and the settings page's."""

from __future__ import annotations

import contextlib
import os
import threading
from types import SimpleNamespace

from posapp.scanning import evdev_reader


class FakeDevice:
    """One plugged-in input device: key events queue up and wake select() through a pipe."""

    def __init__(self, path: str, name: str, ids: tuple[int, int], keys: list[int]) -> None:
        self.path, self.name, self.ids, self.keys = path, name, ids, keys
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        self.pending: list[tuple[int, int]] = []
        self.unplugged = False
        self.grabbed_by: FakeHandle | None = None
        self.lock = threading.Lock()

    def send(self, events: list[tuple[int, int]]) -> None:
        with self.lock:
            self.pending.extend(events)
        os.write(self._wake_write, b"x")

    def unplug(self) -> None:
        self.unplugged = True
        os.write(self._wake_write, b"x")

    def close(self) -> None:
        os.close(self._wake_read)
        os.close(self._wake_write)


class FakeHandle:
    """What evdev.InputDevice(path) gives: an open device."""

    def __init__(self, device: FakeDevice) -> None:
        self.device = device
        self.path, self.name, self.uniq = device.path, device.name, ""
        self.info = SimpleNamespace(vendor=device.ids[0], product=device.ids[1])
        self.fd = device._wake_read
        self.closed = False

    def capabilities(self) -> dict[int, list[int]]:
        return {evdev_reader.EV_KEY: self.device.keys}

    def grab(self) -> None:
        if self.device.grabbed_by is not None:
            raise OSError(16, "Device or resource busy")
        self.device.grabbed_by = self

    def ungrab(self) -> None:
        self.device.grabbed_by = None

    def read(self) -> list[SimpleNamespace]:
        if self.device.unplugged:
            raise OSError(19, "No such device")
        with contextlib.suppress(BlockingIOError):
            os.read(self.fd, 4096)
        with self.device.lock:
            events, self.device.pending = self.device.pending, []
        if not events:
            raise BlockingIOError
        return [SimpleNamespace(type=evdev_reader.EV_KEY, code=c, value=v) for c, v in events]

    def close(self) -> None:
        self.closed = True


class FakeEvdev:
    def __init__(self) -> None:
        self.devices: dict[str, FakeDevice] = {}
        self.all: list[FakeDevice] = []

    def plug(self, path: str, name: str, ids: tuple[int, int], keys: list[int]) -> FakeDevice:
        device = FakeDevice(path, name, ids, keys)
        self.devices[path] = device
        self.all.append(device)
        return device

    def unplug(self, device: FakeDevice) -> None:
        del self.devices[device.path]
        device.unplug()

    def list_devices(self) -> list[str]:
        return list(self.devices)

    def InputDevice(self, path: str) -> FakeHandle:  # the evdev name
        if path not in self.devices:
            raise FileNotFoundError(2, "No such file or directory", path)
        return FakeHandle(self.devices[path])
