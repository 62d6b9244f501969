"""The serial scanner reader: a thread that reads frames and survives unplug and replug.

It opens the port with pyserial's ``serial_for_url``, decodes frames (posapp.scanning.frames) and
reports each event through a callback, from its own thread: ``Connected``, ``Disconnected``, a
``Scan`` or a ``Rejected`` frame. When the scanner goes away (pyserial raises SerialException or
OSError; on Windows ``is_open`` may stay True, so only the exception counts) it reports it, then
tries every ``retry_s`` to open the same URL again, or else the port whose USB ids match
``PortSettings.device``, and goes on by itself.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial

from posapp.scanning.frames import Frame, FrameDecoder, Rejected, Scan
from posapp.scanning.ports import PortSettings, find_device

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connected:
    port: str


@dataclass(frozen=True)
class Disconnected:
    port: str
    reason: str  # pyserial's words, for the log and the diagnosis command


ReaderEvent = Connected | Disconnected | Scan | Rejected
EventSink = Callable[[ReaderEvent], None]
PortError = (serial.SerialException, OSError, ValueError)


class ReaderThread:
    """What every scanner reader shares: a daemon thread, events through a callback (a listener's
    bug never stops it), and serving an open device until it goes away. Subclasses open the
    device (``_run``), read it (``_read``) and close it (``_close``)."""

    thread_name = "scanner-reader"

    def __init__(self, on_event: EventSink) -> None:
        self._on_event = on_event
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stopping.set()
        self._interrupt()
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        raise NotImplementedError

    def _interrupt(self) -> None:
        """Wake a read that is waiting (stop() was asked)."""

    def _read(self, device: Any) -> None:
        raise NotImplementedError

    def _close(self, device: Any) -> None:
        raise NotImplementedError

    def _serve(self, device: Any, where: str, gone: tuple[type[Exception], ...]) -> None:
        """Report the device connected, read it until it raises one of ``gone`` (unplugged) or
        the reader stops, then report it gone and close it."""
        self.connected = True
        self._emit(Connected(where))
        try:
            self._read(device)
        except gone as error:
            log.warning("scanner %s disconnected: %s", where, error)
            self.connected = False
            self._emit(Disconnected(where, str(error)))
        finally:
            self.connected = False
            self._close(device)

    def _emit_frames(self, frames: list[Frame]) -> None:
        for frame in frames:
            if isinstance(frame, Rejected):
                log.warning("scanner frame dropped (%s): %r", frame.reason.value, frame.raw)
            self._emit(frame)

    def _emit(self, event: ReaderEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a listener's bug must not stop the scanner
            log.exception("scanner event listener failed")


class SerialReader(ReaderThread):
    """``start()`` it, ``stop()`` it; ``on_event`` is called on the reader's thread."""

    def __init__(self, settings: PortSettings, on_event: EventSink) -> None:
        super().__init__(on_event)
        self.settings = settings
        self._port: serial.SerialBase | None = None

    def _interrupt(self) -> None:
        port = self._port
        if port is not None and hasattr(port, "cancel_read"):
            with contextlib.suppress(*PortError):
                port.cancel_read()

    @property
    def port(self) -> serial.SerialBase | None:
        """The open port while connected (a ``loop://`` port is written to through it in tests)."""
        return self._port

    # -- the thread ----------------------------------------------------------------------------

    def _run(self) -> None:
        told_absent = False
        while not self._stopping.is_set():
            port, where = self._open()
            if port is None:
                if not told_absent:
                    self._emit(Disconnected(self.settings.url, where))
                    told_absent = True
                self._stopping.wait(self.settings.retry_s)
                continue
            told_absent = True  # the next absence is told by the disconnect below
            self._port = port
            self._serve(port, where, PortError)

    def _close(self, device: Any) -> None:
        self._port = None
        with contextlib.suppress(*PortError):
            device.close()

    def _open(self) -> tuple[serial.SerialBase | None, str]:
        """The open port and its name, or None and why not."""
        urls = [self.settings.url]
        if self.settings.device is not None:
            found = find_device(self.settings.device)
            if found and found != self.settings.url:
                urls.append(found)
        reason = ""
        for url in urls:
            try:
                return self._open_url(url), url
            except PortError as error:
                reason = str(error)
        return None, reason

    def _open_url(self, url: str) -> serial.SerialBase:
        s = self.settings
        return serial.serial_for_url(
            url,
            baudrate=s.baudrate,
            bytesize=s.bytesize,
            parity=s.parity,
            stopbits=s.stopbits,
            timeout=s.read_timeout_s,
        )

    def _read(self, device: Any) -> None:
        decoder = FrameDecoder(self.settings.frames)
        while not self._stopping.is_set():
            data = device.read(max(1, getattr(device, "in_waiting", 0)))
            self._emit_frames(decoder.feed(data, time.monotonic()))
