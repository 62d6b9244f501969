#!/usr/bin/env bash
# Set everything up and open posapp on the demo database (created on the first run).
#   bash start.sh [posapp options...]      e.g. bash start.sh --locale zh_CN
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
posapp_venv gui
posapp_qt_libraries || say "continuing; the window may not open without those libraries"
"$POSAPP_VENV/bin/posapp" "$@" demo --if-empty
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = "Linux" ]; then
    say "no screen found (DISPLAY is not set); on a server try: xvfb-run bash start.sh"
fi
exec "$POSAPP_VENV/bin/posapp" "$@"
