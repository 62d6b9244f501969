"""A real hub for the tests: uvicorn serving the hub app on 127.0.0.1, on a port of its own."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from posapp.db import Database
from sync.hub.app import create_app
from sync.hub.config import HubConfig


class RunningHub:
    """Start with ``with RunningHub(db) as hub:``; ``hub.url`` is where it listens. Stopping it
    and starting it again on the same port is a hub restart."""

    def __init__(self, db: Database, config: HubConfig | None = None, port: int = 0) -> None:
        self.db = db
        self.config = config or HubConfig()
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningHub:
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say so; without it
        # every answer written in two parts waits ~40 ms for a delayed ACK (Nagle).
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.db, self.config), log_level="warning", lifespan="off", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [listener]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> RunningHub:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()
