# Shared set-up steps for start.sh, test.sh and .ci/run. Source it; do not run it.
# On Debian/Ubuntu it installs what the system lacks (python3-venv, the libraries Qt needs) when it
# can (root, or sudo without a password); otherwise it prints the one line that does.

POSAPP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POSAPP_VENV="${POSAPP_VENV:-$POSAPP_ROOT/.venv}"

# Libraries PySide6's xcb and offscreen platform plugins load, and a CJK font for Chinese.
QT_SYSTEM_PACKAGES="libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0
  libxcb-shm0 libxcb-sync1 libxcb-render0 libxrender1 libx11-xcb1 libsm6 libice6 fonts-noto-cjk"

say() { printf 'posapp: %s\n' "$*" >&2; }

_apt_install() {
    # _apt_install PACKAGE... : install with apt-get if we are allowed to, else print the command.
    local runner=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            runner="sudo"
        else
            say "missing system packages; install them with:"
            printf '  sudo apt-get install -y %s\n' "$*" >&2
            return 1
        fi
    fi
    say "installing system packages: $*"
    $runner env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
        $runner apt-get update -q >/dev/null 2>&1 &&
        $runner env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
    }
}

_missing_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
            printf '%s ' "$pkg"
    done
}

posapp_python() {
    # The python3 to build the environment with: 3.11 or newer.
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    say "posapp needs Python 3.11 or newer; install it with: sudo apt-get install -y python3"
    return 1
}

posapp_venv() {
    # posapp_venv EXTRAS : create the virtual environment if needed and install posapp[EXTRAS].
    local extras="$1" python stamp
    python="$(posapp_python)" || return 1
    if [ ! -x "$POSAPP_VENV/bin/python" ]; then
        if ! "$python" -m venv "$POSAPP_VENV" 2>/dev/null; then
            rm -rf "$POSAPP_VENV"
            local ver
            ver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
            _apt_install "python${ver}-venv" || _apt_install python3-venv || return 1
            "$python" -m venv "$POSAPP_VENV" || return 1
        fi
    fi
    # The stamp holds the pyproject.toml hash and the extras installed with it; a run that needs
    # no more than those (start.sh after test.sh, say) installs nothing.
    stamp="$POSAPP_VENV/.posapp-installed"
    local hash old_hash="" old_extras="" wanted_extras extra missing=""
    hash="$(sha256sum "$POSAPP_ROOT/pyproject.toml" | cut -c1-16)"
    if [ -f "$stamp" ]; then read -r old_hash old_extras < "$stamp" || true; fi
    [ "$old_hash" = "$hash" ] || old_extras=""
    for extra in ${extras//,/ }; do
        case ",$old_extras," in *",$extra,"*) ;; *) missing="$missing $extra" ;; esac
    done
    [ -z "$missing" ] && return 0
    wanted_extras="$(printf '%s\n' ${old_extras//,/ } ${extras//,/ } | sort -u | paste -sd, -)"
    say "installing posapp[$wanted_extras] into $POSAPP_VENV (first run takes a minute)"
    "$POSAPP_VENV/bin/python" -m pip install -q --disable-pip-version-check \
        -e "$POSAPP_ROOT[$wanted_extras]" 2> >(grep -v "^WARNING: Location" >&2) || return 1
    printf '%s %s\n' "$hash" "$wanted_extras" > "$stamp"
}

posapp_qt_libraries() {
    # Install (or name) the system libraries Qt needs; a no-op where they are present.
    local missing
    # shellcheck disable=SC2086
    missing="$(_missing_debian_packages $QT_SYSTEM_PACKAGES)"
    [ -z "$missing" ] && return 0
    # shellcheck disable=SC2086
    _apt_install $missing
}
