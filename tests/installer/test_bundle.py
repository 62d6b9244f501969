"""The built Linux installers, run with nothing of the source tree or a virtual environment around.

    bash installer/build.sh
    POSAPP_BUNDLE=dist/posapp .venv/bin/python -m pytest -m installer tests/installer

Skipped unless $POSAPP_BUNDLE names a built one-folder bundle (`.ci/run` builds one and runs this
in its own step; `bash test.sh` stays fast). Every check runs twice: from the bundle folder and
from the .deb beside it, unpacked into a scratch root with `dpkg -x`. The program runs with a
clean environment: cwd in a temporary folder, its own HOME, no PYTHONPATH, PATH without .venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.installer
if not os.environ.get("POSAPP_BUNDLE"):
    pytest.skip(
        "set POSAPP_BUNDLE=dist/posapp after bash installer/build.sh", allow_module_level=True
    )

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 120
CASHIER = ("--user", "Cashier", "--pin", "0000")
# Qt pieces the till must not carry (installer/bundle_prune.py) and the plugins it must keep
DROPPED = ("libQt6Qml", "libQt6Quick", "libQt6WebEngine", "libQt6Network", "libQt6Pdf")
KEPT_PLUGINS = (
    "platforms/libqxcb.so",
    "platforms/libqoffscreen.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",
    "printsupport/libcupsprintersupport.so",
)


def _bundle() -> Path:
    path = Path(os.environ["POSAPP_BUNDLE"]).resolve()
    assert (path / "posapp").is_file(), f"no posapp executable in {path}"
    return path


@dataclass
class Install:
    """One installed copy: the program, its folder, and a clean place to run it."""

    program: Path
    folder: Path
    work: Path

    def env(self, **extra: str) -> dict[str, str]:
        home = self.work / "home"
        home.mkdir(exist_ok=True)
        base = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        base.update({"QT_QPA_PLATFORM": "offscreen", "POSAPP_LOCALE": "en_US"})
        return {**base, **extra}

    def run(self, *args: str, check: bool = True, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.program), *args],
            cwd=self.work,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
        if check:
            assert result.returncode == 0, f"posapp {' '.join(args)}:\n{result.stderr}"
        return result

    def demo_db(self) -> Path:
        db = self.work / "shop.db"
        if not db.exists():
            self.run("--db", str(db), "demo")
        return db


@pytest.fixture(scope="module")
def bundle() -> Path:
    return _bundle()


@pytest.fixture(scope="module")
def deb(bundle: Path) -> Path:
    found = sorted(bundle.parent.glob("posapp_*.deb"))
    assert found, f"no .deb beside {bundle}"
    return found[-1]


@pytest.fixture(scope="module")
def deb_root(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture(params=["bundle", "deb"])
def install(request: pytest.FixtureRequest, bundle: Path, tmp_path: Path) -> Iterator[Install]:
    folder = (
        bundle if request.param == "bundle" else request.getfixturevalue("deb_root") / "opt/posapp"
    )
    work = tmp_path / "work"
    work.mkdir()
    yield Install(folder / "posapp", folder, work)


def test_version(install: Install) -> None:
    result = install.run("--version")
    assert re.fullmatch(r"posapp \d+\.\d+\.\d+\S*\n", result.stdout), result.stdout
    assert "+source" not in result.stdout  # read from the bundled package metadata


def test_demo_sale_with_coupon_and_printing(install: Install) -> None:
    db = str(install.demo_db())
    coupons = json.loads(install.run("--db", db, "coupons", "list", "--format", "json").stdout)
    coupon = next(c for c in coupons if c["state"] == "issued")
    items = install.run("--db", db, "items", "list", "--format", "json").stdout
    item = next(i for i in json.loads(items) if i["status"] == "available" and i["kind"] != "stock")
    sale = install.run(
        "--db", db, "sale", "--scan", item["barcode"], "--scan", coupon["code"], "--pay", "cash"
    )
    assert "TOTAL" in sale.stdout and "Coupon" in sale.stdout, sale.stdout
    sales = install.run("--db", db, "sales", "list", "--format", "json").stdout
    number = json.loads(sales)[0]["number"]

    sheet = install.work / "x.pdf"
    install.run(
        "--db", db, "coupons", "print", "--campaign", coupon["campaign"], "--out", str(sheet)
    )
    assert sheet.read_bytes().startswith(b"%PDF")
    receipt = install.work / "r.pdf"  # the shop's Chinese name: the bundled CJK font, embedded
    install.run("--db", db, "receipt", "--sale", number, "--format", "pdf", "--out", str(receipt))
    assert b"WenQuanYiMicroHei" in receipt.read_bytes()
    escpos = install.work / "r.bin"  # python-escpos's capability data
    install.run("--db", db, "receipt", "--sale", number, "--format", "escpos", "--out", str(escpos))
    assert escpos.read_bytes().startswith(b"\x1b@")
    chinese = install.run("--db", db, "--locale", "zh_CN", "sales", "list")  # .po and Babel data
    assert "已完成" in chinese.stdout and "¥" in chinese.stdout


def test_the_screens_start_signed_in_and_close(install: Install) -> None:
    db = str(install.demo_db())
    for locale in ("en_US", "zh_CN"):
        result = install.run("--db", db, *CASHIER, POSAPP_EXIT_WHEN_READY="1", POSAPP_LOCALE=locale)
        assert re.search(r"ready in \d+\.\d\d s|就绪", result.stderr), result.stderr
        assert "Traceback" not in result.stderr and "Could not load" not in result.stderr


def test_the_screens_on_an_x_server(install: Install) -> None:
    """The kept xcb platform plugin and its libraries, on a real (virtual) X server."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    db = str(install.demo_db())
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        result = install.run(
            "--db",
            db,
            *CASHIER,
            POSAPP_EXIT_WHEN_READY="1",
            QT_QPA_PLATFORM="xcb",
            DISPLAY=f":{display}",
        )
        assert "ready in" in result.stderr, result.stderr
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _bundle_head(folder: Path) -> str:
    versions = folder / "_internal/posapp/db/migrations/versions"
    revisions, parents = set(), set()
    for script in versions.glob("*.py"):
        text = script.read_text()
        revisions.add(re.search(r'^revision = "([^"]+)"', text, re.M).group(1))  # type: ignore[union-attr]
        parent = re.search(r'^down_revision = "([^"]+)"', text, re.M)
        if parent:
            parents.add(parent.group(1))
    (head,) = revisions - parents
    return head


def test_an_older_database_is_migrated_on_first_start(install: Install) -> None:
    from tests.core.old_databases import database_at

    old = install.work / "old.db"
    database_at(old, "0001")
    result = install.run("--db", str(old), *CASHIER, POSAPP_EXIT_WHEN_READY="1")
    assert "ready in" in result.stderr, result.stderr
    with sqlite3.connect(old) as connection:
        stamped = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert stamped == _bundle_head(install.folder)
    assert install.run("--db", str(old), "sales", "list").stdout.count("T1-") == 2


def test_data_and_settings_live_in_the_users_folders(install: Install) -> None:
    before = sorted(p.relative_to(install.folder) for p in install.folder.rglob("*"))
    install.run("demo")  # no --db: the user's data folder
    install.run("--user", "Cashier", "--pin", "0000", POSAPP_EXIT_WHEN_READY="1")
    home = install.work / "home"
    assert (home / ".local/share/posapp/posapp.db").is_file()
    after = sorted(p.relative_to(install.folder) for p in install.folder.rglob("*"))
    assert after == before  # nothing written into the install folder (no database, no caches)


def test_qt_is_pruned_and_what_is_kept_loads(bundle: Path) -> None:
    internal = bundle / "_internal"
    names = [p.name for p in internal.rglob("*")]
    assert not [n for n in names if n.startswith(DROPPED)]
    assert not (internal / "PySide6/Qt/qml").exists()
    assert not (internal / "babel/locale-data/fr.dat").exists()
    assert not [n for n in names if n.startswith(("zxing", "pytest", "hypothesis"))]
    plugins = internal / "PySide6/Qt/plugins"
    for plugin in KEPT_PLUGINS:
        ldd = subprocess.run(
            ["ldd", str(plugins / plugin)],
            env={"LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6/Qt/lib'}"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "not found" not in ldd, f"{plugin}:\n{ldd}"
    assert (internal / "printing/fonts/wqy-microhei.ttc").is_file()
    assert (internal / "escpos/capabilities.json").is_file()


def test_deb_layout(deb: Path, deb_root: Path) -> None:
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True)
    depends = re.search(r"^ Depends: (.*)$", info.stdout, re.M)
    assert (
        depends
        and "libxcb-cursor0" in depends.group(1)
        and "libxkbcommon-x11-0" in depends.group(1)
        and "libglib2.0-0t64 | libglib2.0-0" in depends.group(1)  # Ubuntu 24.04 or Debian 12
    )
    assert "postinst" in info.stdout
    postinst = subprocess.run(
        ["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True
    ).stdout
    assert b"dialout" in postinst
    assert os.readlink(deb_root / "usr/bin/posapp") == "/opt/posapp/posapp"
    desktop = (deb_root / "usr/share/applications/posapp.desktop").read_text()
    assert "Exec=posapp" in desktop and "Icon=posapp" in desktop
    assert (deb_root / "usr/share/icons/hicolor/scalable/apps/posapp.svg").is_file()
    assert (deb_root / "usr/share/icons/hicolor/256x256/apps/posapp.png").is_file()


def test_tarball_holds_the_bundle(bundle: Path) -> None:
    (tarball,) = sorted(bundle.parent.glob("posapp-*-linux-*.tar.gz"))[-1:]
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert "posapp/posapp" in names and "posapp/_internal/posapp/db/migrations/env.py" in names
