"""`posapp hub ...` and `posapp sync ...` as a shop runs them: a hub served by `posapp hub serve` in
its own process, tills linked and synced by other `posapp` processes over HTTP on 127.0.0.1."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

import httpx
import pytest

from posapp.db import open_database
from posapp.models import SyncConflict
from tests.cli.helpers import Cli, CliResult

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r"^posapp_\S+$", re.MULTILINE)


def _posapp() -> list[str]:
    script = shutil.which("posapp", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ui.cli"]


def posapp(*args: str, db: Path) -> CliResult:
    """`posapp --db DB ARGS...` in a process of its own."""
    done = subprocess.run(
        [*_posapp(), "--db", str(db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServedHub:
    """`posapp --db DB hub serve --port P` in its own process; stopped on leaving the block,
    whatever happened inside it."""

    def __init__(self, db: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*_posapp(), "--db", str(db), "hub", "serve", "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_until_answering(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _out, err = self.process.communicate()
                raise AssertionError(f"the hub stopped ({self.process.returncode}): {err}")
            try:
                answer = httpx.get(f"{self.url}/v1/status", timeout=2)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            assert answer.status_code == 401  # up, and asking for a token
            return
        raise AssertionError(f"the hub did not answer on {self.url} within {timeout_s} s")

    def interrupt(self) -> CliResult:
        """Ctrl+C, and what the hub said until it stopped."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return CliResult(self.process.returncode, out, err)

    def __enter__(self) -> ServedHub:
        try:
            self.wait_until_answering()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C is sent as SIGINT")
def test_a_till_syncs_through_a_hub_until_its_token_is_revoked(
    tmp_path: Path, demo_path: Path
) -> None:
    hub_db = tmp_path / "hub.db"
    added = posapp("hub", "add-terminal", "--name", "front-till", db=hub_db)
    assert added.code == 0, added.err
    [token] = TOKEN.findall(added.out)
    assert "it will not be shown again" in added.out
    assert f"posapp sync setup --hub URL --token {token}" in added.out

    with ServedHub(hub_db) as hub:
        busy = posapp("hub", "serve", "--port", str(hub.port), db=hub_db)
        assert busy.code == 1 and busy.out == ""
        assert busy.err.startswith(f"Cannot listen on 127.0.0.1 port {hub.port}: ")

        linked = posapp("sync", "setup", "--hub", hub.url, "--token", token, db=demo_path)
        assert linked.code == 0, linked.err
        assert f"linked to the hub at {hub.url}, which knows it as front-till." in linked.out

        synced = posapp("sync", "now", db=demo_path)
        assert synced.code == 0, synced.err
        assert re.match(r"Synced in \d+\.\d s: [1-9]\d* changes sent, \d+ received", synced.out)
        state = posapp("sync", "status", "--format", "json", db=demo_path).json()
        assert (state["configured"], state["hub_url"], state["waiting"]) == (True, hub.url, 0)
        assert state["last_error"] is None and state["offline_since"] is None
        last_success = datetime.fromisoformat(state["last_success_at"])
        assert last_success.utcoffset() is not None  # ISO 8601 with its UTC offset

        [client] = posapp("hub", "clients", "--format", "json", db=hub_db).json()
        assert (client["name"], client["kind"], client["revoked"]) == (
            "front-till",
            "terminal",
            False,
        )
        assert client["last_seen_at"] is not None

        revoked = posapp("hub", "revoke", "--name", "front-till", db=hub_db)
        assert revoked.code == 0, revoked.err
        refused = posapp("sync", "now", db=demo_path)
        assert refused.code != 0 and refused.out == ""
        assert "token" in refused.err and "posapp sync setup" in refused.err
        assert "Traceback" not in refused.err
        after = posapp("sync", "status", "--format", "json", db=demo_path).json()
        assert after["last_error"] == refused.err.strip()
        assert after["last_success_at"] == state["last_success_at"]
        assert after["offline_since"] is not None

        stopped = hub.interrupt()
    assert stopped.code == 0, stopped.err
    assert stopped.out.startswith(f"The hub is listening on {hub.url} ")
    assert "Traceback" not in stopped.err


def test_sync_now_without_a_hub_says_to_run_setup(cli: Cli) -> None:
    result = cli("sync", "now")
    assert result.code == 2 and result.out == ""
    assert result.err == (
        "This till is not linked to a hub. Run 'posapp sync setup --hub URL --token T'.\n"
    )
    state = cli("sync", "status", "--format", "json").json()
    assert state["configured"] is False and state["last_attempt_at"] is None


def test_setup_refuses_an_address_that_is_not_http(cli: Cli) -> None:
    result = cli("sync", "setup", "--hub", "127.0.0.1:8765", "--token", "posapp_x")
    assert result.code == 2
    assert result.err == "The hub's address starts with http:// or https://.\n"


def test_hub_commands_need_the_hub_database_named(cli: Cli) -> None:
    result = cli("hub", "clients", db=None)
    assert result.code == 2
    assert "--db" in result.err and "posapp --db hub.db hub clients" in result.err


def test_serve_without_the_hub_extra_says_what_to_install(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if uvicorn were not installed
    result = cli("hub", "serve")
    assert result.code == 2 and result.out == ""
    assert "pip install 'posapp[hub]'" in result.err and "uvicorn" in result.err


def test_conflicts_are_listed_newest_first_in_plain_words(cli: Cli, demo_path: Path) -> None:
    db = open_database(str(demo_path))
    with db.unit_of_work() as session:
        session.add(
            SyncConflict(
                id="c-old",
                kind="over_redemption",
                subject="SPRING1",
                found_at=datetime(2025, 3, 1, 9),
                detail={"uses": 2, "max_uses": 1, "origin": "t-1"},
                acknowledged_at=datetime(2025, 3, 2),
                acknowledged_by="Manager",
            )
        )
        session.add(
            SyncConflict(
                id="c-new",
                kind="oversold",
                subject="2000000000015",
                found_at=datetime(2025, 3, 5, 14),
                detail={"order_ref": "W-17", "apology_code": "ABCD-EFGH"},
            )
        )
    db.dispose()

    rows = cli("sync", "conflicts", "--format", "json").json()
    assert [row["id"] for row in rows] == ["c-new", "c-old"]
    assert rows[0] == {
        "found_at": "2025-03-05T14:00:00+00:00",
        "id": "c-new",
        "kind": "oversold",
        "subject": "2000000000015",
        "summary": "online order W-17 could not be delivered; apology coupon ABCD-EFGH",
        "detail": {"order_ref": "W-17", "apology_code": "ABCD-EFGH"},
        "acknowledged": False,
        "acknowledged_at": None,
        "acknowledged_by": None,
    }
    assert rows[1]["summary"] == "used 2 times, 1 allowed" and rows[1]["acknowledged"] is True
    table = cli("sync", "conflicts").out
    assert "sold online and in a shop" in table and "coupon used too often" in table
    assert table.index("sold online") < table.index("coupon used too often")
    assert cli("sync", "status", "--format", "json").json()["open_conflicts"] == 1
