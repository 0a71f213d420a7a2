"""Work around PySide6 6.12 on Python 3.11: every call of a void Qt method drops a reference to None.

PySide6 6.12's stable-ABI build returns ``None`` from void methods without
taking a reference (harmless on Python 3.12+, where None is immortal). On
Python 3.11 each such call (``setText``, ``update``, ``processEvents`` ...)
lowers None's reference count by one, and after a few thousand calls the
interpreter aborts with "Fatal Python error: none_dealloc". PySide6 6.11 does
not do this. Until the project pins a fixed version, ``protect_none()``
gives None a reference count so large that it can never reach zero, which
is what Python 3.12 does for it anyway. It changes nothing else and does
nothing on other versions.
"""

from __future__ import annotations

import sys

_HEADROOM = 1 << 40
_done = False


def _pyside_version() -> tuple[int, ...] | None:
    try:
        import PySide6  # light: the Qt modules are imported separately
    except ImportError:
        return None
    return tuple(PySide6.__version_info__[:2])


def needs_protection() -> bool:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    version = _pyside_version()
    return version is not None and version >= (6, 12)


def protect_none() -> bool:
    """Make None's reference count unreachable by the leak; True if it was applied."""
    global _done
    if _done or not needs_protection():
        return False
    import ctypes

    refcount = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is PyObject's first field
    refcount.value += _HEADROOM
    _done = True
    return True
