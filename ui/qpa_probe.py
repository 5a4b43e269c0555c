"""Can Qt open a window here? Asked before the QApplication exists, because Qt aborts the
whole process (no exception to catch) when no platform plugin loads: Qt 6.5+'s X11
plugin on a fresh Debian desktop without libxcb-cursor0, or a DISPLAY with no X server.

The check is cheap (a few ms, no child process): it dlopens the platform plugin Qt will
pick, as Qt will (so every library it links to, however deep, is looked up), and for X11
opens and closes one connection to the X server. Nothing here imports Qt."""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Every library Qt's X11 plugin and QtGui load, as Debian 12 packages (the ones the others
# don't pull in). On a desktop most are there already; libxcb-cursor0, libxcb-icccm4 and
# libxcb-keysyms1 usually aren't.
APT_LINE = ("sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
            "libxcb-randr0 libxcb-shape0 libxcb-sync1 libxcb-xfixes0 libxkbcommon-x11-0 "
            "libx11-xcb1 libgl1 libegl1 libfontconfig1 libdbus-1-3 libglib2.0-0")

# The X11 plugin's own libraries and their packages, to name every one that is missing
# (dlopen names only the first).
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-util.so.1": "libxcb-util1", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6",
}

# For tests only: one more library the probe treats as needed by the X11 plugin, so a
# missing one can be simulated on a machine that has them all.
EXTRA_LIBRARY_ENV = "COUNTERPOINT_QPA_PROBE_EXTRA_LIB"

_PROBED = ("xcb", "wayland")


def platform_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why Qt's platform plugin can't start here (one sentence), or None when it can or
    when this can't tell (another OS, a platform chosen that isn't probed)."""
    env = os.environ if env is None else env
    names = _candidates(env)
    if not names:
        return None
    problems = []
    for name in names:
        problem = _plugin_problem(name, env)
        if problem is None:
            return None
        problems.append(problem)
    return problems[0]


def _candidates(env: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in order, when they are all ones probed here."""
    if not sys.platform.startswith("linux"):
        return []
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        names = [part.split(":")[0].strip() for part in chosen.split(";") if part.strip()]
        return names if all(name in _PROBED for name in names) else []
    names = []
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        names.append("wayland")
    if env.get("DISPLAY"):
        names.append("xcb")
    return names


def _plugin_dirs(env: Mapping[str, str]) -> list[Path]:
    dirs = [Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"])] if env.get(
        "QT_QPA_PLATFORM_PLUGIN_PATH") else []
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.origin is not None:
        dirs.append(Path(spec.origin).parent / "Qt" / "plugins" / "platforms")
    return dirs


def _plugin_problem(name: str, env: Mapping[str, str]) -> str | None:
    plugin = next((p for d in _plugin_dirs(env) if (p := d / f"libq{name}.so").is_file()),
                  None)
    if plugin is None:
        return None  # not ours to judge: Qt says what it can't find
    extra = env.get(EXTRA_LIBRARY_ENV) if name == "xcb" else None
    try:
        if extra:
            ctypes.CDLL(extra)
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        missing = _missing(str(exc), extra, XCB_LIBRARIES if name == "xcb" else {})
        return f"Qt's {name} platform plugin can't load: {missing} missing"
    if name == "xcb":
        return _x_server_problem(env.get("DISPLAY", ""))
    return None


def _missing(error: str, extra: str | None, known: Mapping[str, str]) -> str:
    """Each missing library of the plugin's ``known`` ones with its package, or the one
    dlopen names."""
    names = [extra] if extra else []
    for library, package in known.items():
        try:
            ctypes.CDLL(library)
        except OSError:
            names.append(f"{library} ({package})")
    if not names:
        first = error.split(":")[0].strip()
        names.append(first if first.startswith("lib") else error)
    return (", ".join(names[:-1]) + " and " + names[-1] + " are" if len(names) > 1
            else names[0] + " is")


def _x_server_problem(display: str) -> str | None:
    """One connection to the X server, opened and closed (about a millisecond)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # the plugin loaded, so this can't happen; let Qt speak
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        failed = xcb.xcb_connection_has_error(connection)
    finally:
        xcb.xcb_disconnect(connection)
    return f"no X server answers on DISPLAY={display}" if failed else None
