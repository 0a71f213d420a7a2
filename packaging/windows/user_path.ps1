# Add or remove a folder in the current user's PATH (HKCU\Environment\Path).
# Used by installer.nsi (the "Command line" component and the uninstaller).
# The other entries are kept exactly as written (%VARIABLES% unexpanded), and
# no administrator rights are needed. The installer broadcasts WM_SETTINGCHANGE
# afterwards, so shells started later see the change.
param(
    [Parameter(Mandatory = $true)][ValidateSet('add', 'remove')][string]$Action,
    [Parameter(Mandatory = $true)][string]$Folder
)
$ErrorActionPreference = 'Stop'
$key = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Environment')
try {
    $old = [string]$key.GetValue('Path', '',
        [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    $want = $Folder.TrimEnd('\')
    # -ne compares without regard to case, as Windows does with paths.
    $parts = @($old -split ';' | Where-Object { $_ -and ($_.TrimEnd('\') -ne $want) })
    if ($Action -eq 'add') { $parts += $want }
    if ($parts.Count -eq 0) {
        $key.DeleteValue('Path', $false)
    } else {
        $key.SetValue('Path', ($parts -join ';'), [Microsoft.Win32.RegistryValueKind]::ExpandString)
    }
} finally {
    $key.Close()
}
