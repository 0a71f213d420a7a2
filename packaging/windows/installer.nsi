; Pseudocode Translator: the Windows installer (NSIS 3, Modern UI 2, MultiUser).
;
; Installs for the current user only, without administrator rights, into
; %LOCALAPPDATA%\Programs\Pseudocode Translator (the user may choose another folder).
; Components: the program and its Start-menu shortcut (always), a desktop
; shortcut (off by default), opening .pseudo files with a double-click, and
; the command line on the user's PATH. The uninstaller is listed in
; Settings > Apps and removes exactly what was installed; the user's
; configuration (~\.pseudocode_translator), settings and documents stay.
; Needs 64-bit Windows 10, version 1809 (build 17763) or later, as Qt 6.11 does.
; Neither installing over nor uninstalling a running copy is done: the user is
; asked to close it (silent mode: exit status 2, nothing changed). An upgrade
; keeps the components chosen last time (remembered in the uninstall key).
;
; Built by `python packaging/build.py --installer`, which passes (-D or /D):
;   VERSION         version from pyproject.toml, e.g. 0.1.0
;   VERSION4        the same as four numbers, e.g. 0.1.0.0
;   SOURCE_DIR      the PyInstaller one-folder build (dist/pseudocode-translator)
;   OUTFILE         the setup program to write
;   UNINSTALL_LIST  generated .nsh deleting every file of SOURCE_DIR
;   ICON            resources/icons/app.ico
;   WELCOME_BITMAP  resources/icons/installer-welcome.bmp (Welcome and Finish pages, 164 x 314)
;   COMPRESSION     lzma | zlib | none
;   UNINSTALLER     file name of the uninstaller
; makensis also compiles it on Linux (Debian's nsis package), which the tests do.

Unicode true
ManifestDPIAware true

!macro REQUIRE NAME
  !ifndef ${NAME}
    !error "${NAME} is not defined: build with python packaging/build.py --installer"
  !endif
!macroend
!insertmacro REQUIRE VERSION
!insertmacro REQUIRE VERSION4
!insertmacro REQUIRE SOURCE_DIR
!insertmacro REQUIRE OUTFILE
!insertmacro REQUIRE UNINSTALL_LIST
!insertmacro REQUIRE ICON
!insertmacro REQUIRE WELCOME_BITMAP
!insertmacro REQUIRE UNINSTALLER
!define /ifndef COMPRESSION lzma

!if "${COMPRESSION}" == "none"
  SetCompress off
!else
  SetCompressor /SOLID ${COMPRESSION}
!endif

!define APP_NAME "Pseudocode Translator"
!define APP_ID "PseudocodeTranslator"
!define PUBLISHER "Pseudocode Translator team"
!define CLI_EXE "pseudocode-translator.exe"
!define GUI_EXE "pseudocode-translator-gui.exe"
!define PROGID "PseudocodeTranslator.pseudo"
; Not Software\PseudocodeTranslator: the app's own settings (QSettings) live
; there, and they are the user's, so the uninstaller must not touch that key.
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP_NAME} ${VERSION} Setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "MIT License, ${PUBLISHER}"

; Per user, no elevation: RequestExecutionLevel user, SetShellVarContext current,
; SHCTX = HKCU, $SMPROGRAMS = the user's Start menu.
!define MULTIUSER_EXECUTIONLEVEL Standard
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${UNINST_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallLocation"
!include MultiUser.nsh
!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WinMessages.nsh
!include WinVer.nsh
!include Sections.nsh
!include x64.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_WELCOMEFINISHPAGE_BITMAP "${WELCOME_BITMAP}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_NOAUTOCLOSE    ; the details (a PATH problem) stay readable
!define MUI_UNFINISHPAGE_NOAUTOCLOSE
!define MUI_COMPONENTSPAGE_SMALLDESC
!define MUI_WELCOMEPAGE_TITLE "${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "This installs ${APP_NAME} ${VERSION} for you (no administrator \
rights are needed).$\r$\n$\r$\nWrite Cambridge pseudocode, see it as Python as you type, and run \
it.$\r$\n$\r$\nIt needs 64-bit Windows 10 (version 1809 or later) or Windows 11.$\r$\n$\r$\n\
Close ${APP_NAME} if it is running, then click Next."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME} needs 64-bit Windows 10, version 1809 or \
later (or Windows 11)." /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
  StrCpy $R9 $INSTDIR     ; /D= (empty without it: this script sets no InstallDir)
  !insertmacro MULTIUSER_INIT  ; which sets $INSTDIR to the default or the earlier folder
  ${If} $R9 != ""
    StrCpy $INSTDIR $R9
  ${EndIf}
  Call RecallComponents
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

; Whether a program of the installation runs (the window, the command line or a
; pool worker: all are these two executables): a running image cannot be opened
; for writing. Asks the user to close it, as long as they choose Retry; on
; Cancel (and in silent mode) gives up: exit status 2, nothing changed.
!macro CHECK_NOT_RUNNING PREFIX
Function ${PREFIX}CheckNotRunning
  retry:
  StrCpy $1 ""
  ${ForEach} $2 0 1 + 1
    ${If} $2 == 0
      StrCpy $3 "$INSTDIR\${GUI_EXE}"
    ${Else}
      StrCpy $3 "$INSTDIR\${CLI_EXE}"
    ${EndIf}
    ${If} ${FileExists} $3
      System::Call 'kernel32::CreateFileW(w r3, i 0x40000000, i 0, p 0, i 3, i 0x80, p 0) p .r4'
      ${If} $4 = -1
        StrCpy $1 $3
      ${Else}
        System::Call 'kernel32::CloseHandle(p r4)'
      ${EndIf}
    ${EndIf}
  ${Next}
  ${If} $1 != ""
    DetailPrint "${APP_NAME} is running ($1 is in use)."
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} is running. Close it (every \
window), then click Retry." /SD IDCANCEL IDRETRY retry
    DetailPrint "Nothing was changed: close ${APP_NAME} and try again."
    SetErrorLevel 2
    Abort "${APP_NAME} is running: nothing was changed."
  ${EndIf}
FunctionEnd
!macroend
!insertmacro CHECK_NOT_RUNNING ""
!insertmacro CHECK_NOT_RUNNING "un."

; An earlier version installed here is uninstalled first (silently), so that
; files it had and this version has not do not stay behind.
Function RemovePrevious
  ReadRegStr $0 SHCTX "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} ${FileExists} "$0\${UNINSTALLER}"
    DetailPrint "Removing the version installed in $0"
    ExecWait '"$0\${UNINSTALLER}" /S _?=$0' $1
    Delete "$0\${UNINSTALLER}"
    RMDir "$0"
  ${EndIf}
FunctionEnd

Section "-${APP_NAME}" SecApp
  SectionIn RO
  Call CheckNotRunning
  Call RemovePrevious
  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; Settings > Apps (Apps & Features): name, version, icon, size, uninstaller.
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" "$0"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" \
      "$INSTDIR\${GUI_EXE}" 0 SW_SHOWNORMAL "" "Cambridge pseudocode to Python"
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" \
      "$INSTDIR\${GUI_EXE}" 0 SW_SHOWNORMAL "" "Cambridge pseudocode to Python"
SectionEnd

Section "Open .pseudo files with ${APP_NAME}" SecAssoc
  WriteRegStr SHCTX "Software\Classes\.pseudo" "" "${PROGID}"
  WriteRegStr SHCTX "Software\Classes\.pseudo" "PerceivedType" "text"
  WriteRegStr SHCTX "Software\Classes\.pseudo\OpenWithProgids" "${PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\${PROGID}" "" "Pseudocode program"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\shell" "" "open"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\shell\open\command" "" \
      '"$INSTDIR\${GUI_EXE}" "%1"'
  WriteRegStr SHCTX "Software\Classes\Applications\${GUI_EXE}" "FriendlyAppName" "${APP_NAME}"
  WriteRegStr SHCTX "Software\Classes\Applications\${GUI_EXE}\SupportedTypes" ".pseudo" ""
  WriteRegStr SHCTX "Software\Classes\Applications\${GUI_EXE}\shell\open\command" "" \
      '"$INSTDIR\${GUI_EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0x1000, p 0, p 0)' ; SHCNE_ASSOCCHANGED
SectionEnd

Section "Command line on PATH" SecPath
  InitPluginsDir
  File "/oname=$PLUGINSDIR\user_path.ps1" "user_path.ps1" ; makensis runs in this folder
  nsExec::ExecToLog '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile \
      -NonInteractive -ExecutionPolicy Bypass -File "$PLUGINSDIR\user_path.ps1" -Action add \
      -Folder "$INSTDIR"'
  Pop $0
  ${If} $0 != 0
    DetailPrint "Could not add $INSTDIR to PATH ($0); use the full path of ${CLI_EXE}."
  ${EndIf}
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
SectionEnd

; Remembered for the next upgrade (RECALL_COMPONENT): what the user chose this time.
!macro REMEMBER_COMPONENT SECTION VALUE
  ${If} ${SectionIsSelected} ${SECTION}
    WriteRegDWORD SHCTX "${UNINST_KEY}" "${VALUE}" 1
  ${Else}
    WriteRegDWORD SHCTX "${UNINST_KEY}" "${VALUE}" 0
  ${EndIf}
!macroend
Section "-Remember the components"
  !insertmacro REMEMBER_COMPONENT ${SecDesktop} "ComponentDesktop"
  !insertmacro REMEMBER_COMPONENT ${SecAssoc} "ComponentAssoc"
  !insertmacro REMEMBER_COMPONENT ${SecPath} "ComponentPath"
SectionEnd

; The components of an earlier installation, as the user left them: from the
; values the installer remembers, else (an older installer) from what is there.
!macro RECALL_COMPONENT SECTION VALUE PRESENT
  ClearErrors
  ReadRegDWORD $0 SHCTX "${UNINST_KEY}" "${VALUE}"
  ${If} ${Errors}
    StrCpy $0 ${PRESENT}
  ${EndIf}
  ${If} $0 == 1
    !insertmacro SelectSection ${SECTION}
  ${Else}
    !insertmacro UnselectSection ${SECTION}
  ${EndIf}
!macroend

Function RecallComponents
  ReadRegStr $0 SHCTX "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""  ; an upgrade: the choices made last time
    StrCpy $1 0
    ${If} ${FileExists} "$DESKTOP\${APP_NAME}.lnk"
      StrCpy $1 1
    ${EndIf}
    !insertmacro RECALL_COMPONENT ${SecDesktop} "ComponentDesktop" $1
    ReadRegStr $2 SHCTX "Software\Classes\.pseudo" ""
    StrCpy $1 0
    ${If} $2 == "${PROGID}"
      StrCpy $1 1
    ${EndIf}
    !insertmacro RECALL_COMPONENT ${SecAssoc} "ComponentAssoc" $1
    !insertmacro RECALL_COMPONENT ${SecPath} "ComponentPath" 1
  ${EndIf}
FunctionEnd

LangString DESC_SecDesktop ${LANG_ENGLISH} "A shortcut to ${APP_NAME} on the desktop."
LangString DESC_SecAssoc ${LANG_ENGLISH} "Double-clicking a .pseudo file opens it in ${APP_NAME}."
LangString DESC_SecPath ${LANG_ENGLISH} "The command line (pseudocode-translator) in cmd and \
PowerShell: adds the program folder to your PATH, for windows opened afterwards."
!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(DESC_SecDesktop)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAssoc} $(DESC_SecAssoc)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecPath} $(DESC_SecPath)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  Call un.CheckNotRunning

  ; PATH: only our entry goes.
  InitPluginsDir
  File "/oname=$PLUGINSDIR\user_path.ps1" "user_path.ps1" ; makensis runs in this folder
  nsExec::ExecToLog '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile \
      -NonInteractive -ExecutionPolicy Bypass -File "$PLUGINSDIR\user_path.ps1" -Action remove \
      -Folder "$INSTDIR"'
  Pop $0
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000

  ; .pseudo: what still points to us (another program may have taken it since).
  ReadRegStr $0 SHCTX "Software\Classes\.pseudo" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue SHCTX "Software\Classes\.pseudo" ""
    DeleteRegValue SHCTX "Software\Classes\.pseudo" "PerceivedType"
  ${EndIf}
  DeleteRegValue SHCTX "Software\Classes\.pseudo\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.pseudo\OpenWithProgids"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.pseudo"
  DeleteRegKey SHCTX "Software\Classes\${PROGID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\${GUI_EXE}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0x1000, p 0, p 0)'

  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"

  ; Exactly the installed files, then their folders if nothing else is in them.
  !include "${UNINSTALL_LIST}"
  ; Something could still hold a file (an antivirus scan, a copy started meanwhile):
  ; then the uninstaller and its Apps & Features entry stay, so that it can be run again.
  ${If} ${FileExists} "$INSTDIR\${GUI_EXE}"
  ${OrIf} ${FileExists} "$INSTDIR\${CLI_EXE}"
  ${OrIf} ${FileExists} "$INSTDIR\_internal\python3*.dll"
    DetailPrint "Some files are in use and stay in $INSTDIR; uninstall again after closing them."
    MessageBox MB_OK|MB_ICONEXCLAMATION "Some files of ${APP_NAME} are in use and could not be \
removed. Close ${APP_NAME}, then uninstall it again (Settings > Apps)." /SD IDOK
    SetErrorLevel 2
  ${Else}
    Delete "$INSTDIR\${UNINSTALLER}"
    RMDir "$INSTDIR"
    DeleteRegKey SHCTX "${UNINST_KEY}"
  ${EndIf}
SectionEnd
