; Inno Setup script for posapp on Windows (Inno Setup 6.3 or newer).
; It packs the one-folder bundle that installer/posapp.spec builds into dist\posapp. From the
; repository root, on Windows (see installer/README.md):
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\posapp.iss
; -> dist\posapp-0.1.0-windows-x64-setup.exe
;
; The shop's database and settings live in the user's folder (%LOCALAPPDATA%\posapp, from
; platformdirs), never in {app}: an upgrade replaces the program files only, the uninstaller
; leaves the shop's data where it is, and the new version migrates an older database on start.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define BundleDir "..\..\dist\posapp"

[Setup]
AppId={{6F1C2A52-8E0B-4F5E-9C31-5B7D2E4A9D10}
AppName=posapp
AppVersion={#AppVersion}
AppVerName=posapp {#AppVersion}
AppPublisher=posapp
DefaultDirName={autopf}\posapp
DefaultGroupName=posapp
DisableProgramGroupPage=yes
; per-machine by default (the till's every user), or per-user without administrator rights
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=posapp-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\installer\pyinstaller\posapp\icons\posapp.ico
UninstallDisplayIcon={app}\posappw.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "addtopath"; Description: "Add the posapp command to PATH (back-office commands)"; GroupDescription: "Command line:"

[InstallDelete]
; the previous version's program files (never the shop's data: that is not in {app})
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\posapp"; Filename: "{app}\posappw.exe"; Comment: "Till and back office"
Name: "{autodesktop}\posapp"; Filename: "{app}\posappw.exe"; Tasks: desktopicon

[Registry]
; posapp.exe (the console program) on PATH: the machine's PATH for an administrator install,
; the user's otherwise
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
    ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
    Tasks: addtopath; Check: IsAdminInstallMode and NeedsAddPath(ExpandConstant('{app}'))
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; \
    ValueData: "{olddata};{app}"; \
    Tasks: addtopath; Check: (not IsAdminInstallMode) and NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\posappw.exe"; Description: "{cm:LaunchProgram,posapp}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Root: Integer;
  Key, Paths: string;
begin
  if IsAdminInstallMode then begin
    Root := HKEY_LOCAL_MACHINE;
    Key := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';
  end else begin
    Root := HKEY_CURRENT_USER;
    Key := 'Environment';
  end;
  if not RegQueryStringValue(Root, Key, 'Path', Paths) then begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') = 0;
end;
