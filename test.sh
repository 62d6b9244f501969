#!/usr/bin/env bash
# Run the whole test suite (sets up the environment first, like start.sh).
#   bash test.sh [pytest options...]
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
posapp_venv gui,dev
posapp_qt_libraries
cd "$POSAPP_ROOT"
exec "$POSAPP_VENV/bin/python" -m pytest "$@"
