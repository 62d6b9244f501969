# Build posapp's Windows installer (run in PowerShell from the repository root; see installer/README.md).
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Needs: Python 3.11+ (py launcher), Inno Setup 6.3+ (ISCC.exe), git.
$ErrorActionPreference = "Stop"
$PyInstallerVersion = "6.22.3"
$Work = "build\installer"
Remove-Item -Recurse -Force "$Work\src", "dist\posapp" -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force "$Work\src" | Out-Null
git archive --format=zip -o "$Work\src.zip" HEAD               # a clean export of the commit
Expand-Archive -Force "$Work\src.zip" "$Work\src"
if (-not (Test-Path "$Work\venv\Scripts\python.exe")) { py -3.11 -m venv "$Work\venv" }
& "$Work\venv\Scripts\python.exe" -m pip install -q "pyinstaller==$PyInstallerVersion" "$Work\src[gui]"
& "$Work\venv\Scripts\pyinstaller.exe" --noconfirm --log-level ERROR --distpath dist `
    --workpath "$Work\pyinstaller" "$Work\src\installer\posapp.spec"
$Version = & "$Work\venv\Scripts\python.exe" -c "import posapp; print(posapp.__version__)"
& "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" "/DAppVersion=$Version" installer\windows\posapp.iss
