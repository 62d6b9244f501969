#!/usr/bin/env bash
# Pack the one-folder bundle as a .deb and a .tar.gz (installer/build.sh calls this).
#   package.sh BUNDLE VERSION DIST STAGE ICONS "QT_SYSTEM_PACKAGES"
# .deb: /opt/posapp (the bundle), /usr/bin/posapp -> /opt/posapp/posapp, a desktop entry, the icon
# (SVG and 256 px PNG), a postinst that names the dialout group for serial scanners, and Depends on
# the libraries Qt's xcb plugin loads from the system (scripts/bootstrap.sh QT_SYSTEM_PACKAGES).
# An AppImage would need FUSE and appimagetool downloads: the tarball is the distribution-neutral
# package instead.
set -euo pipefail
BUNDLE="$1" VERSION="$2" DIST="$3" STAGE="$4" ICONS="$5" QT_PACKAGES="$6"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
DEB_VERSION="${VERSION//+/~}"  # 0.1.0+source -> 0.1.0~source sorts before 0.1.0

depends() {
    # the Qt libraries (not the CJK screen font: Recommends), the CUPS client for printing, and
    # the C library the bundle was linked against (the build machine's, or newer)
    local glibc pkg out=""
    glibc="$(dpkg-query -W -f='${Version}' libc6 2>/dev/null | sed 's/-.*//')"
    [ -n "$glibc" ] && out="libc6 (>= $glibc)"
    for pkg in $QT_PACKAGES libcups2; do
        [ "$pkg" = fonts-noto-cjk ] && continue
        case "$pkg" in  # renamed by the 64-bit time_t transition (Ubuntu 24.04, Debian 13)
            libglib2.0-0 | libcups2) pkg="${pkg}t64 | $pkg" ;;
        esac
        out="${out:+$out, }$pkg"
    done
    printf '%s' "$out"
}

make_deb() {
    local root="$STAGE/root" deb="$DIST/posapp_${DEB_VERSION}_${ARCH}.deb"
    rm -rf "$STAGE" "$DIST"/posapp_*.deb
    mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
        "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/icons/hicolor/256x256/apps" \
        "$root/usr/share/doc/posapp"
    cp -a "$BUNDLE" "$root/opt/posapp"
    ln -s /opt/posapp/posapp "$root/usr/bin/posapp"
    install -m 644 "$HERE/posapp.desktop" "$root/usr/share/applications/posapp.desktop"
    install -m 644 "$HERE/../posapp.svg" "$root/usr/share/icons/hicolor/scalable/apps/posapp.svg"
    install -m 644 "$ICONS/posapp.png" "$root/usr/share/icons/hicolor/256x256/apps/posapp.png"
    install -m 755 "$HERE/postinst" "$root/DEBIAN/postinst"
    printf 'posapp %s: point of sale for consignment shops. See /opt/posapp.\n' "$VERSION" \
        > "$root/usr/share/doc/posapp/README"
    cat > "$root/DEBIAN/control" <<CONTROL
Package: posapp
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: posapp <posapp@localhost>
Installed-Size: $(du -sk "$root" | cut -f1)
Depends: $(depends)
Recommends: fonts-noto-cjk
Section: misc
Priority: optional
Description: point of sale and back office for consignment shops
 A till that sells consigned one-of-a-kind items and store stock, applies
 coupons and keeps each consignor's share; back-office work as "posapp"
 subcommands. Self-contained: its own Python and Qt live in /opt/posapp.
CONTROL
    # gzip: quick to build and read by every dpkg (xz saves a little more, slowly, on 2 cores)
    dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
    echo "$deb"
}

make_tarball() {
    local tarball="$DIST/posapp-${VERSION}-linux-${ARCH}.tar.gz"
    rm -f "$DIST"/posapp-*-linux-*.tar.gz
    tar -C "$(dirname "$BUNDLE")" -cf - "$(basename "$BUNDLE")" | gzip -6 > "$tarball"
    echo "$tarball"
}

# the two compressions run side by side
make_tarball &
tar_job=$!
make_deb
wait "$tar_job"
