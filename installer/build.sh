#!/usr/bin/env bash
# Build posapp's Linux installers from a clean checkout, into dist/:
#   dist/posapp/                              the PyInstaller one-folder bundle (run dist/posapp/posapp)
#   dist/posapp_<version>_<arch>.deb          installs it in /opt/posapp, `posapp` on PATH, menu entry
#   dist/posapp-<version>-linux-<arch>.tar.gz the same folder for any distribution (unpack, run)
#
#   bash installer/build.sh [--ref REF | --worktree] [--no-packages]
#
# The app is built from a clean export of a commit (default HEAD, `git archive`), so nothing that
# is not committed (a .venv, caches, someone's work in progress) gets in; --worktree builds the
# files of the working tree instead (tracked and new ones, not the ignored), to try a change.
# It makes its own build environment (build/installer/venv) with `pip install '.[gui]'
# pyinstaller`: the app's own dependencies only, never the test tools of .venv.
# Needs: python3 (3.11+) with venv, git, binutils (PyInstaller), dpkg-deb (Debian's dpkg).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/bootstrap.sh
source scripts/bootstrap.sh  # posapp_python, QT_SYSTEM_PACKAGES
PYINSTALLER_VERSION="6.22.3"
WORK="$ROOT/build/installer"
DIST="$ROOT/dist"
REF="HEAD"
SOURCE_MODE="ref"
PACKAGES=1
while [ $# -gt 0 ]; do
    case "$1" in
        --ref) REF="$2"; shift 2 ;;
        --worktree) SOURCE_MODE="worktree"; shift ;;
        --no-packages) PACKAGES=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) say "unknown option $1 (see --help)"; exit 2 ;;
    esac
done
started=$SECONDS
step() { printf 'posapp build [%3ss]: %s\n' "$((SECONDS - started))" "$*" >&2; }

stage_source() {
    local src="$WORK/src"
    rm -rf "$src"
    mkdir -p "$src"
    if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
        step "no git repository: copying the source folder as it is"
        tar -C "$ROOT" --exclude=./.venv --exclude=./.venv-core --exclude=./build \
            --exclude=./dist --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$src" -xf -
    elif [ "$SOURCE_MODE" = worktree ]; then
        step "source: the working tree's files (tracked and new, not ignored)"
        git -C "$ROOT" ls-files -z -c -o --exclude-standard |
            while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
            tar -C "$ROOT" --null -T - -cf - | tar -C "$src" -xf -
    else
        step "source: a clean export of $REF ($(git -C "$ROOT" rev-parse --short "$REF"))"
        git -C "$ROOT" archive --format=tar "$REF" | tar -C "$src" -xf -
    fi
}

build_venv() {
    # Recreated when the dependencies (pyproject.toml) or PyInstaller's version change.
    local venv="$WORK/venv" python key
    python="$(posapp_python)"
    key="$(cat "$WORK/src/pyproject.toml" - <<<"$PYINSTALLER_VERSION $python" | sha256sum | cut -c1-16)"
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.posapp-build" 2>/dev/null)" != "$key" ]; then
        step "build environment: pip install '.[gui]' pyinstaller==$PYINSTALLER_VERSION"
        rm -rf "$venv"
        "$python" -m venv "$venv"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check \
            "pyinstaller==$PYINSTALLER_VERSION" "$WORK/src[gui]" 2> >(grep -v "^WARNING: Location" >&2)
        echo "$key" > "$venv/.posapp-build"
    else
        step "build environment: reusing it, reinstalling posapp from the source"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps \
            --force-reinstall "$WORK/src" 2> >(grep -v "^WARNING: Location" >&2)
    fi
    rm -rf "$WORK/src/build"  # setuptools' own build folder: not part of the source
}

bundle() {
    step "PyInstaller: dist/posapp/"
    rm -rf "$DIST/posapp"
    (cd "$WORK" && "$WORK/venv/bin/pyinstaller" --noconfirm --log-level ERROR \
        --distpath "$DIST" --workpath "$WORK/pyinstaller" "$WORK/src/installer/posapp.spec")
}

main() {
    mkdir -p "$WORK" "$DIST"
    stage_source
    build_venv
    bundle
    if [ "$PACKAGES" = 1 ]; then
        local version
        version="$("$WORK/venv/bin/python" -c 'import posapp; print(posapp.__version__)')"
        step "packages: .deb and .tar.gz"
        bash "$WORK/src/installer/linux/package.sh" "$DIST/posapp" "$version" "$DIST" "$WORK/deb" \
            "$WORK/pyinstaller/posapp/icons" "$QT_SYSTEM_PACKAGES"
    fi
    step "done: $(du -sh "$DIST/posapp" | cut -f1) in dist/posapp; $(cd "$DIST" && ls -1 ./*.deb ./*.tar.gz 2>/dev/null | tr '\n' ' ')"
}

main
