#!/usr/bin/env bash
# Build posapp's macOS app and disk image (run on a Mac from the repository root; see
# installer/README.md). Needs Python 3.11+ (python.org or Homebrew), git, Xcode's command line tools.
#   bash installer/macos/build.sh [--sign "Developer ID Application: NAME (TEAMID)"]
# -> dist/posapp.app and dist/posapp-<version>-macos-<arch>.dmg
set -euo pipefail
cd "$(dirname "$0")/../.."
PYINSTALLER_VERSION="6.22.3"
WORK=build/installer
IDENTITY=""
[ "${1:-}" = "--sign" ] && IDENTITY="$2"
rm -rf "$WORK/src" dist/posapp dist/posapp.app "$WORK/dmg"
mkdir -p "$WORK/src"
git archive --format=tar HEAD | tar -x -C "$WORK/src"  # a clean export of the commit
[ -x "$WORK/venv/bin/python" ] || python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "pyinstaller==$PYINSTALLER_VERSION" "$WORK/src[gui]"
"$WORK/venv/bin/pyinstaller" --noconfirm --log-level ERROR --distpath dist \
    --workpath "$WORK/pyinstaller" "$WORK/src/installer/posapp.spec"
VERSION="$("$WORK/venv/bin/python" -c 'import posapp; print(posapp.__version__)')"
if [ -n "$IDENTITY" ]; then
    codesign --deep --force --options runtime --timestamp --sign "$IDENTITY" dist/posapp.app
fi
mkdir -p "$WORK/dmg"
cp -R dist/posapp.app "$WORK/dmg/"
ln -s /Applications "$WORK/dmg/Applications"  # drag the app onto it
hdiutil create -volname "posapp $VERSION" -srcfolder "$WORK/dmg" -ov -format UDZO \
    "dist/posapp-$VERSION-macos-$(uname -m).dmg"
