"""Installer benchmark: the Linux bundle's size (unpacked and .tar.gz), cold start, build time.

    bash installer/build.sh && .venv/bin/python bench/installer_bench.py [--bundle dist/posapp]
    .venv/bin/python bench/installer_bench.py --build     # also times `bash installer/build.sh`
    .venv/bin/python bench/installer_bench.py --build --fresh   # ... from no build environment

Beside the issue's figures for a naive PyInstaller one-folder bundle of a bare PySide6 window
with SQLAlchemy, reportlab, pyserial and python-barcode (196 MB unpacked, 81 MB as .tgz, built in
34 s): (a) `du -sb` of the bundle, target <= 1.15x the naive one; (b) the .tar.gz build.sh made
(or one made now); (c) cold start of the bundled till to ready-for-scan: a fresh process of the
bundle's own `posapp`, signed in as Cashier on the demo database, offscreen, from starting the
process to its 'ready in' line (POSAPP_EXIT_WHEN_READY=1, ui/gui/app.py), median of --starts,
target <= 1 s; (d) with --build, the build's wall time, target <= 3 minutes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAIVE_MB, NAIVE_TGZ_MB, NAIVE_BUILD_S = 196.0, 81.0, 34.0
SIZE_TARGET_MB = round(NAIVE_MB * 1.15, 1)
START_TARGET_S = 1.0
BUILD_TARGET_S = 180.0
MB = 1_000_000


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def clean_env(home: Path) -> dict[str, str]:
    """What a till's session gives the program: no PYTHONPATH, no .venv on PATH."""
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "POSAPP_LOCALE": "en_US",
    }


def build(fresh: bool) -> float:
    if fresh:
        shutil.rmtree(ROOT / "build" / "installer", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(["bash", str(ROOT / "installer" / "build.sh")], check=True, cwd=ROOT)
    return time.perf_counter() - started


def unpacked_bytes(bundle: Path) -> int:
    out = subprocess.run(["du", "-sb", str(bundle)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0])


def tarball_bytes(bundle: Path) -> tuple[int, str]:
    found = sorted(bundle.parent.glob("posapp-*-linux-*.tar.gz"))
    if found and found[-1].stat().st_mtime >= (bundle / "posapp").stat().st_mtime:
        return found[-1].stat().st_size, found[-1].name
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "posapp.tar.gz"
        with tarfile.open(path, "w:gz", compresslevel=6) as archive:
            archive.add(bundle, arcname="posapp")
        return path.stat().st_size, "made now (gzip -6)"


def cold_start(program: Path, work: Path, db: Path) -> tuple[float, str]:
    """Seconds from starting the process to its 'ready in' line, and that line."""
    env = {**clean_env(work / "home"), "POSAPP_EXIT_WHEN_READY": "1"}
    args = [str(program), "--db", str(db), "--user", "Cashier", "--pin", "0000"]
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=work, env=env, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    ready_after, said = float("nan"), ""
    for line in child.stderr:
        if line.startswith("ready in") and not said:
            ready_after, said = time.perf_counter() - started, line.strip()
    if child.wait(timeout=60) != 0 or not said:
        raise SystemExit(f"{program} did not get ready; run it by hand to see why")
    return ready_after, said


def demo_work_folder(program: Path, work: Path) -> Path:
    """A folder with its own home and demo database, started once (the schema-head cache)."""
    (work / "home").mkdir(parents=True)
    db = work / "shop.db"
    subprocess.run(
        [str(program), "--db", str(db), "demo"],
        cwd=work,
        env=clean_env(work / "home"),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cold_start(program, work, db)
    return db


def measure_starts(bundle: Path, runs: int, venv: Path | None) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "bundle"
        db = demo_work_folder(bundle / "posapp", work)
        if venv is not None:  # its own home and database: its migrations may differ
            venv_work = Path(scratch) / "venv"
            venv_db = demo_work_folder(venv, venv_work)
        results, beside = [], []
        for _ in range(runs):  # interleaved, so both see the same machine load
            results.append(cold_start(bundle / "posapp", work, db))
            if venv is not None:
                beside.append(cold_start(venv, venv_work, venv_db)[0])
    times = [seconds for seconds, _ in results]
    median = statistics.median(times)
    print(f"(c) cold start of the bundled till to ready-for-scan (demo database), {runs} runs:")
    print(
        f"    median {median:.3f} s  (min {min(times):.3f}, max {max(times):.3f}; the app's own"
        f" '{results[len(results) // 2][1]}' counts from loading the screens)"
        f"   target <= {START_TARGET_S} s: {verdict(median <= START_TARGET_S)}"
    )
    if beside:
        print(
            f"    the same command from the development .venv, interleaved: median"
            f" {statistics.median(beside):.3f} s (min {min(beside):.3f}, max {max(beside):.3f})"
        )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "posapp")
    parser.add_argument("--build", action="store_true", help="run installer/build.sh, timed")
    parser.add_argument("--fresh", action="store_true", help="with --build: new build venv too")
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument(
        "--beside-venv", action="store_true", help="also time .venv/bin/posapp, interleaved"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    ok = True
    if args.build:
        seconds = build(args.fresh)
        what = "from nothing (new build venv)" if args.fresh else "reusing the build venv"
        print(
            f"(d) bash installer/build.sh, {what}: {seconds:.0f} s  (naive: {NAIVE_BUILD_S:.0f}"
            f" s)   target <= {BUILD_TARGET_S:.0f} s: {verdict(seconds <= BUILD_TARGET_S)}"
        )
        ok &= seconds <= BUILD_TARGET_S
    bundle = args.bundle.resolve()
    if not (bundle / "posapp").is_file():
        raise SystemExit(f"no bundle at {bundle}: run bash installer/build.sh first (or --build)")
    size = unpacked_bytes(bundle) / MB
    print(f"posapp installer benchmark: {bundle}")
    print(
        f"(a) unpacked (du -sb): {size:.1f} MB = {size / NAIVE_MB:.2f}x the naive {NAIVE_MB:.0f}"
        f" MB   target <= {SIZE_TARGET_MB} MB: {verdict(size <= SIZE_TARGET_MB)}"
    )
    ok &= size <= SIZE_TARGET_MB
    tgz, name = tarball_bytes(bundle)
    print(f"(b) .tar.gz: {tgz / MB:.1f} MB ({name})  (naive: {NAIVE_TGZ_MB:.0f} MB)")
    venv = ROOT / ".venv" / "bin" / "posapp" if args.beside_venv else None
    ok &= measure_starts(bundle, args.starts, venv) <= START_TARGET_S
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    raise SystemExit(main())
