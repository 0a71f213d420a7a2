"""Windows process table without PowerShell (Wine has none): Toolhelp32 + NtQueryInformationProcess.

Used by wine_smoke.py to stand in for smoke_support._windows_processes / loads_qt,
which call powershell.exe (Get-CimInstance, Get-Process), absent under Wine;
and by kill_race.py. Runs in the Windows CPython. Each process comes with its
creation time (FILETIME), which smoke_support.descendants needs: Windows reuses
process ids and never clears a dead parent's id.
"""
import ctypes
from ctypes import wintypes

k32 = ctypes.WinDLL("kernel32", use_last_error=True)
ntdll = ctypes.WinDLL("ntdll")
psapi = ctypes.WinDLL("psapi", use_last_error=True)
k32.OpenProcess.restype = wintypes.HANDLE
k32.CreateToolhelp32Snapshot.restype = wintypes.HANDLE
INVALID = ctypes.c_void_p(-1).value


class PROCESSENTRY32W(ctypes.Structure):
    _fields_ = [("dwSize", wintypes.DWORD), ("cntUsage", wintypes.DWORD),
                ("th32ProcessID", wintypes.DWORD), ("th32DefaultHeapID", ctypes.c_void_p),
                ("th32ModuleID", wintypes.DWORD), ("cntThreads", wintypes.DWORD),
                ("th32ParentProcessID", wintypes.DWORD), ("pcPriClassBase", ctypes.c_long),
                ("dwFlags", wintypes.DWORD), ("szExeFile", ctypes.c_wchar * 260)]


class UNICODE_STRING(ctypes.Structure):
    _fields_ = [("Length", ctypes.c_ushort), ("MaximumLength", ctypes.c_ushort),
                ("Buffer", ctypes.c_void_p)]


def _cmdline(handle) -> str:
    size = wintypes.ULONG(0)
    buf = ctypes.create_string_buffer(65536)
    status = ntdll.NtQueryInformationProcess(handle, 60, buf, len(buf), ctypes.byref(size))
    if status != 0:
        return ""
    us = UNICODE_STRING.from_buffer(buf)
    if not us.Buffer:
        return ""
    return ctypes.wstring_at(us.Buffer, us.Length // 2)


class PROCESS_BASIC_INFORMATION(ctypes.Structure):
    _fields_ = [("ExitStatus", ctypes.c_long), ("PebBaseAddress", ctypes.c_void_p),
                ("AffinityMask", ctypes.c_void_p), ("BasePriority", ctypes.c_long),
                ("UniqueProcessId", ctypes.c_void_p), ("InheritedFromUniqueProcessId", ctypes.c_void_p)]


def _read(handle, address, size):
    buf = ctypes.create_string_buffer(size)
    done = ctypes.c_size_t(0)
    if not k32.ReadProcessMemory(handle, ctypes.c_void_p(address), buf, size, ctypes.byref(done)):
        return None
    return buf.raw[:done.value]


def _cmdline_from_peb(pid) -> str:
    """x64: PEB+0x20 -> RTL_USER_PROCESS_PARAMETERS, +0x70 -> CommandLine (UNICODE_STRING)."""
    h = k32.OpenProcess(0x0400 | 0x0010, False, pid)
    if not h:
        return ""
    try:
        pbi = PROCESS_BASIC_INFORMATION()
        if ntdll.NtQueryInformationProcess(h, 0, ctypes.byref(pbi), ctypes.sizeof(pbi), None) != 0:
            return ""
        if not pbi.PebBaseAddress:  # a process still starting
            return ""
        raw = _read(h, pbi.PebBaseAddress + 0x20, 8)
        if not raw:
            return ""
        params = int.from_bytes(raw, "little")
        if not params:
            return ""
        raw = _read(h, params + 0x70, 16)
        if not raw:
            return ""
        length = int.from_bytes(raw[0:2], "little")
        buffer = int.from_bytes(raw[8:16], "little")
        text = _read(h, buffer, length)
        return text.decode("utf-16-le", "replace") if text else ""
    finally:
        k32.CloseHandle(h)


def _created(handle) -> int | None:
    times = [wintypes.FILETIME() for _ in range(4)]
    if not k32.GetProcessTimes(handle, *[ctypes.byref(t) for t in times]):
        return None
    return (times[0].dwHighDateTime << 32) | times[0].dwLowDateTime


def _image(handle) -> str:
    buf = ctypes.create_unicode_buffer(1024)
    n = wintypes.DWORD(len(buf))
    if k32.QueryFullProcessImageNameW(handle, 0, buf, ctypes.byref(n)):
        return buf.value
    return ""


def processes():
    """[(pid, ppid, exe, cmdline, created)] of every process (created: None if unknown)."""
    snap = k32.CreateToolhelp32Snapshot(2, 0)
    if snap in (None, INVALID):
        raise OSError(ctypes.get_last_error(), "CreateToolhelp32Snapshot")
    rows = []
    try:
        entry = PROCESSENTRY32W()
        entry.dwSize = ctypes.sizeof(entry)
        ok = k32.Process32FirstW(snap, ctypes.byref(entry))
        while ok:
            pid, ppid = entry.th32ProcessID, entry.th32ParentProcessID
            exe = cmd = ""
            created = None
            h = k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
            if h:
                try:
                    exe, cmd, created = _image(h), _cmdline(h), _created(h)
                finally:
                    k32.CloseHandle(h)
            if not cmd:
                cmd = _cmdline_from_peb(pid)
            rows.append((pid, ppid, exe, cmd, created))
            ok = k32.Process32NextW(snap, ctypes.byref(entry))
    finally:
        k32.CloseHandle(snap)
    return rows


def module_names(pid):
    """Lower-case base names of the modules loaded in ``pid`` (None: cannot tell)."""
    h = k32.OpenProcess(0x0400 | 0x0010, False, pid)
    if not h:
        return None
    try:
        mods = (ctypes.c_void_p * 2048)()
        needed = wintypes.DWORD(0)
        if not psapi.EnumProcessModulesEx(h, mods, ctypes.sizeof(mods), ctypes.byref(needed), 3):
            return None
        names = []
        for i in range(min(needed.value // ctypes.sizeof(ctypes.c_void_p), 2048)):
            buf = ctypes.create_unicode_buffer(260)
            if psapi.GetModuleBaseNameW(h, ctypes.c_void_p(mods[i]), buf, 260):
                names.append(buf.value.lower())
        return names
    finally:
        k32.CloseHandle(h)


if __name__ == "__main__":
    import os
    for row in processes():
        print(row)
    print("self modules:", len(module_names(os.getpid()) or []))
