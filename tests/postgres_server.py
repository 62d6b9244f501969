"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder, listening
only on 127.0.0.1, stopped and deleted when the test session ends (or the interpreter exits).

    with PostgresServer(find_binaries()) as server:
        url = server.create_database("t_1")  # postgresql+psycopg://posapp@127.0.0.1:PORT/t_1

As root (initdb refuses to run as root) the cluster belongs to the ``postgres`` OS user: its
commands run as that user and its folder is chowned to it. Durability is switched off (fsync,
synchronous_commit, full_page_writes): a test database never outlives a crash.

The pytest fixtures are at the bottom: ``postgres_server`` (one server per session) and
``postgres_url`` (a fresh empty database per test). Without PostgreSQL or psycopg they skip the
test, unless ``POSAPP_REQUIRE_POSTGRES=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from psycopg.sql import Composed

SUPERUSER = "posapp"
OS_USER_AS_ROOT = "postgres"
REQUIRE_VARIABLE = "POSAPP_REQUIRE_POSTGRES"
START_TIMEOUT_S = 60
TEST_SETTINGS = {  # appended to postgresql.conf; the port goes on the command line
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


class PostgresFailed(RuntimeError):
    """A PostgreSQL program failed; the message holds its output."""


# Runs beside the server: once the test process is gone (killed, even with SIGKILL, so that neither
# the fixture's teardown nor atexit ran), it stops the server and deletes its folder.
# $1 test process id, $2 bin dir, $3 data dir, $4 the temporary folder.
_WATCHDOG = """
while kill -0 "$1" 2>/dev/null || [ -d "/proc/$1" ]; do sleep 1; done
"$2/pg_ctl" stop -m immediate -D "$3" >/dev/null 2>&1
rm -rf "$4"
"""


def find_binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: the newest /usr/lib/postgresql/N/bin
    (Debian's layout, not on PATH), else wherever pg_ctl is on PATH; None if there is none."""
    debian = [
        folder
        for folder in Path("/usr/lib/postgresql").glob("*/bin")
        if folder.parent.name.isdigit() and _complete(folder)
    ]
    if debian:
        return max(debian, key=lambda folder: int(folder.parent.name))
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is not None:
        folder = Path(pg_ctl).resolve().parent
        if _complete(folder):
            return folder
    return None


def _complete(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a fresh temporary folder; start() it, stop() it (idempotent)."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = 0
        self.root: Path | None = None  # the temporary folder: data/, the log and the socket
        self._os_user = pwd.getpwnam(OS_USER_AS_ROOT) if os.geteuid() == 0 else None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)

    @property
    def data_dir(self) -> Path:
        assert self.root is not None, "the server was not started"
        return self.root / "data"

    @property
    def log_file(self) -> Path:
        assert self.root is not None, "the server was not started"
        return self.root / "server.log"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Create the cluster and start the server; on any failure, leave nothing behind."""
        atexit.register(self.stop)  # a session that dies without teardown still stops it
        try:
            self.root = Path(tempfile.mkdtemp(prefix="posapp-pg-"))
            if self._os_user is not None:
                os.chown(self.root, self._os_user.pw_uid, self._os_user.pw_gid)
            self._initdb()
            self._start_on_a_free_port()
            self._start_watchdog()
        except BaseException:
            self.stop()
            raise

    def _initdb(self) -> None:
        options = ["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]
        self._run("initdb", "-D", str(self.data_dir), *options, "--no-instructions")
        settings = "".join(f"{key} = {value}\n" for key, value in TEST_SETTINGS.items())
        settings += f"unix_socket_directories = '{self.data_dir.parent}'\n"
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# posapp tests\n" + settings)

    def _start_on_a_free_port(self, attempts: int = 3) -> None:
        """pg_ctl start -w on a port free a moment ago; another process may take it in between,
        so a start that fails to bind is retried on a new port."""
        for attempt in range(1, attempts + 1):
            self.port = _free_port()
            waiting = ["-w", "-t", str(START_TIMEOUT_S)]
            logging = ["-l", str(self.log_file), "-o", f"-p {self.port}"]
            try:
                self._run("pg_ctl", "start", *waiting, "-D", str(self.data_dir), *logging)
                return
            except PostgresFailed as failure:
                log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
                if attempt == attempts or "could not bind" not in log:
                    raise PostgresFailed(f"{failure}\nserver log:\n{log[-4000:]}") from None

    def _start_watchdog(self) -> None:
        assert self.root is not None
        places = [str(os.getpid()), str(self.bin_dir), str(self.data_dir), str(self.root)]
        self._watchdog = subprocess.Popen(
            ["sh", "-c", _WATCHDOG, "posapp-pg-watchdog", *places],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C meant for pytest leaves it running
            **self._as_postgres_user(),
        )

    def stop(self) -> None:
        """Stop the server if it runs (fast shutdown: connections are cut) and delete its folder.
        Safe to call twice, and after a start that failed half-way."""
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None
        if self.root is not None:
            if (self.data_dir / "postmaster.pid").exists():
                self._run(
                    "pg_ctl", "stop", "-m", "fast", "-w", "-D", str(self.data_dir), check=False
                )
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
        atexit.unregister(self.stop)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        """Run one PostgreSQL program, as the postgres OS user when we are root."""
        completed = subprocess.run(
            [str(self.bin_dir / program), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=START_TIMEOUT_S + 30,
            **self._as_postgres_user(),
        )
        if check and completed.returncode != 0:
            output = (completed.stdout + completed.stderr).strip()
            raise PostgresFailed(f"{program} {' '.join(args)} failed:\n{output}")

    def _as_postgres_user(self) -> dict[str, Any]:
        """subprocess arguments: as the postgres OS user when we are root, in the server's
        folder, with a plain environment."""
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
        arguments: dict[str, Any] = {"cwd": self.root, "env": env}
        if self._os_user is not None:
            env["HOME"] = self._os_user.pw_dir
            arguments |= {"user": self._os_user.pw_uid, "group": self._os_user.pw_gid}
            arguments["extra_groups"] = []
        return arguments

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """CREATE DATABASE (a copy of ``template`` if given, which nobody may be connected to);
        returns its URL. Without a name, the next ``t_<n>``."""
        from psycopg import sql

        name = name or f"t_{next(self._names)}"
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_plain(name)))
        if template is not None:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self._admin(query)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE, cutting off whoever is still connected to it."""
        from psycopg import sql

        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin(self, query: Composed) -> None:
        """One statement in autocommit on the maintenance database (CREATE DATABASE and the
        like cannot run in a transaction)."""
        import psycopg

        dsn = f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres"
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(query)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _plain(name: str) -> str:
    """A database name that needs no quoting in a URL."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    return name


# --- pytest fixtures (imported by tests/conftest.py) ---------------------------------------------


def _unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it when the run must cover PostgreSQL (CI)."""
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_VARIABLE}=1 requires the PostgreSQL tests to run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, started on first use (~1 s)."""
    bin_dir = find_binaries()
    if bin_dir is None:
        _unavailable("PostgreSQL is not installed")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[hub]')")
    with PostgresServer(bin_dir) as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database of its own for one test: its SQLAlchemy URL (dropped after)."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url.rsplit("/", 1)[1])
