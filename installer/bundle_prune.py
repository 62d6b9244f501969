"""What the posapp bundle leaves out of PySide6 and the libraries (used by installer/posapp.spec).

PyInstaller's Qt hooks collect every plugin that QtGui, QtWidgets and QtPrintSupport might load,
and every library those plugins link to. A till needs a handful: the desktop and offscreen
platforms, input methods for typing Chinese, the printing backend. ``prune`` drops the rest and
then, on Linux, every shared library nothing kept links to any more (the GTK theme plugin alone
brings in GTK's whole stack). The smoke test (tests/installer/test_bundle.py) proves the kept
pieces run: subcommands, PDFs, the screens offscreen.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

Entry = tuple[str, str, str]  # (destination, source, typecode), as in PyInstaller's TOC lists

KEEP_PLUGINS = {
    # a desktop (xcb: X11, and Wayland sessions through XWayland: without the wayland plugin Qt
    # falls back to xcb; Windows; macOS) and offscreen (CI, the smoke test)
    "platforms": ("qxcb", "qoffscreen", "qwindows", "qcocoa"),
    # typing Chinese item names (ibus) and dead keys (compose); not the virtual keyboard (QtQuick)
    "platforminputcontexts": (
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    ),
    "printsupport": ("cupsprintersupport", "windowsprintersupport", "cocoaprintersupport"),
    "styles": ("qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"),
}
# Qt's own strings (standard buttons, the print dialog) in the languages posapp speaks
KEEP_QT_TRANSLATIONS = ("qtbase_zh_CN", "qt_zh_CN")
DROP_QT_LIBS = re.compile(
    r"^(lib)?Qt6?(Qml|Quick|Network|OpenGL|Svg|Pdf|VirtualKeyboard|Wayland|WlShell|EglFS|EglFs|"
    r"Designer|Test|Sql|Xml|Concurrent)"
)
# Babel's locale data: posapp.i18n.SUPPORTED_LOCALES and the locales they inherit from
BABEL_LOCALES = ("root", "en", "en_US", "en_001", "zh", "zh_Hans", "zh_Hans_CN")
SHARED_LIBRARY = re.compile(r"\.so(\.\d+)*$")
EXTENSION_MODULE = re.compile(r"\.(cpython-[^.]+|abi3)\.so$")
# system libraries a till has (the .deb depends on libcups2): the printing plugin links to the
# system's CUPS client, never a copy that may not match the system's configuration
SYSTEM_LIBRARIES = re.compile(r"^libcups\.so")
# loaded with ctypes by name, so no other file links to them
ALWAYS_KEEP = re.compile(r"^(libpython|libpdfium|libusb)")


def _qt_relative(dest: str) -> str | None:
    """'plugins/platforms/libqxcb.so' for a file of PySide6's Qt, else None."""
    parts = PurePosixPath(dest.replace(os.sep, "/")).parts
    if "PySide6" not in parts:
        return None
    rest = list(parts[parts.index("PySide6") + 1 :])
    if rest and rest[0] == "Qt":
        rest = rest[1:]
    return "/".join(rest)


def keep_file(dest: str) -> bool:
    """Whether one bundled file (by its destination in the bundle) stays."""
    name = PurePosixPath(dest.replace(os.sep, "/")).name
    parts = PurePosixPath(dest.replace(os.sep, "/")).parts
    if DROP_QT_LIBS.match(name) or (
        sys.platform.startswith("linux") and SYSTEM_LIBRARIES.match(name)
    ):
        return False
    if parts[:2] == ("babel", "locale-data"):
        return name.removesuffix(".dat") in BABEL_LOCALES
    rel = _qt_relative(dest)
    if rel is None:
        return True
    if rel.startswith("translations/"):
        return name.startswith(KEEP_QT_TRANSLATIONS)
    if rel.startswith(("qml/", "libexec/", "metatypes/", "typesystems/", "glue/", "include/")):
        return False
    if rel.startswith("plugins/"):
        kind = rel.split("/")[1] if rel.count("/") >= 2 else ""
        stem = name.split(".")[0].removeprefix("lib")
        return any(stem in (wanted, wanted + "d") for wanted in KEEP_PLUGINS.get(kind, ()))
    return True


def _symlink_target(entry: Entry) -> str:
    dest, source, _ = entry
    return os.path.normpath(os.path.join(os.path.dirname(dest), source))


def prune(
    binaries: list[Entry],
    datas: list[Entry],
    imports_of: Callable[[str], Iterable[str]] | None = None,
) -> tuple[list[Entry], list[Entry]]:
    """The binaries and datas that stay; ``imports_of(path)`` names what a library links to
    (Linux: PyInstaller's ldd reading), used to drop libraries nothing kept needs any more."""
    binaries = [entry for entry in binaries if keep_file(entry[0])]
    datas = [entry for entry in datas if keep_file(entry[0])]
    if imports_of is not None and sys.platform.startswith("linux"):
        binaries = _drop_orphans(binaries, imports_of)
    kept = {os.path.normpath(entry[0]) for entry in binaries + datas if entry[2] != "SYMLINK"}
    binaries, datas = (
        [e for e in entries if e[2] != "SYMLINK" or _symlink_target(e) in kept]
        for entries in (binaries, datas)
    )
    return binaries, datas


def _is_library(entry: Entry) -> bool:
    name = os.path.basename(entry[0])
    return (
        entry[2] != "SYMLINK"
        and bool(SHARED_LIBRARY.search(name))
        and not EXTENSION_MODULE.search(name)
        and "plugins" not in PurePosixPath(entry[0]).parts
        and not ALWAYS_KEEP.match(name)
    )


def _drop_orphans(binaries: list[Entry], imports_of: Callable[[str], Iterable[str]]) -> list[Entry]:
    while True:
        needed: set[str] = set()
        for _dest, source, typecode in binaries:
            if typecode != "SYMLINK":
                needed.update(os.path.basename(name) for name in imports_of(source))
        aliases: dict[str, set[str]] = {}
        for entry in binaries:
            if entry[2] == "SYMLINK":
                aliases.setdefault(_symlink_target(entry), set()).add(os.path.basename(entry[0]))
        orphans = {
            entry[0]
            for entry in binaries
            if _is_library(entry)
            and not ({os.path.basename(entry[0])} | aliases.get(os.path.normpath(entry[0]), set()))
            & needed
        }
        if not orphans:
            return binaries
        binaries = [entry for entry in binaries if entry[0] not in orphans]


def direct_imports(path: str) -> list[str]:
    """The libraries an ELF file names as NEEDED (its direct links, not ldd's whole closure).

    readelf comes with binutils, which PyInstaller needs on Linux anyway (objdump, strip)."""
    import subprocess

    result = subprocess.run(
        ["readelf", "-d", "-W", path], capture_output=True, text=True, check=False
    )
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout)
