@echo off
rem Lathe as the Windows release ships it (bin/release --platform win32-x64, docs/releases.md): the same command line
rem as the POSIX launcher bin/lathe of the other platforms gives each command (the reasons are written there and in the
rem checkout's bin/lathe), run by the runtime beside it, never a JDK on PATH or in JAVA_HOME, with the AOT cache made
rem for exactly this runtime and jar. It writes nothing inside its own folder: the native libraries ship as plain files
rem in lib\ and are loaded from there (decision 445). The npm package does not come through here: its lathe.js runs
rem runtime\bin\java.exe itself (decision 491), because Node runs no .cmd without a shell.
rem Every variable is local (setlocal) and cleared before Java starts (endlocal on the same line, whose variables were
rem already expanded): none of them reaches Lathe's environment or the commands it runs.
setlocal EnableExtensions DisableDelayedExpansion
for %%I in ("%~dp0..") do set "_lathe_home=%%~fI"
set "_lathe_lib=%_lathe_home%\lib"
set "_lathe_java=%_lathe_home%\runtime\bin\java.exe"
if not exist "%_lathe_java%" goto incomplete
if not exist "%_lathe_lib%\lathe.jar" goto incomplete

set "_lathe_first=%~1"
rem `lathe run` is daemon-first (DESIGN section 3) unless --standalone (before any --) or a set CI keep it in this process
set "_lathe_in_process=false"
if defined CI if /i not "%CI%"=="false" if not "%CI%"=="0" set "_lathe_in_process=true"
:scan
if [%1]==[] goto scanned
if "%~1"=="--" goto scanned
if "%~1"=="--standalone" set "_lathe_in_process=true"
shift
goto scan
:scanned

rem the AOT cache each command starts from, as bin/lathe picks it
set "_lathe_cache=lathe.aot"
set "_lathe_kind=other"
if "%_lathe_first%"=="run" if "%_lathe_in_process%"=="false" set "_lathe_kind=client"
if "%_lathe_first%"=="run" if "%_lathe_in_process%"=="true" set "_lathe_kind=run"
if "%_lathe_first%"=="serve" set "_lathe_kind=serve"
if "%_lathe_first%"=="attach" set "_lathe_kind=tui"
if "%_lathe_first%"=="" set "_lathe_kind=tui"
rem a folder named run or serve does not make the command the terminal UI
if not "%_lathe_first%"=="" if exist "%_lathe_first%\*" if not "%_lathe_first%"=="run" if not "%_lathe_first%"=="serve" set "_lathe_kind=tui"
if "%_lathe_kind%"=="client" set "_lathe_cache=lathe-client.aot"
if "%_lathe_kind%"=="serve" set "_lathe_cache=lathe-serve.aot"
if "%_lathe_kind%"=="tui" set "_lathe_cache=lathe-tui.aot"

rem the options in the POSIX launcher's order; TrimNativeHeapInterval is left out: only Linux's C library trims, and
rem the JVM turns it off elsewhere
set _lathe_options=-XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED
if not defined LATHE_INSTALLED_BY set "LATHE_INSTALLED_BY=archive"
set _lathe_options=%_lathe_options% "-Dlathe.home=%_lathe_home%" "-Dlathe.installedBy=%LATHE_INSTALLED_BY%" "-Dtree-sitter-lib=%_lathe_home%"
if exist "%_lathe_lib%\jlinenative.dll" set _lathe_options=%_lathe_options% -Dorg.jline.terminal.provider=jni "-Dlibrary.jline.path=%_lathe_lib%" -Dlibrary.jline.name=jlinenative.dll
if exist "%_lathe_lib%\sqlitejdbc.dll" set _lathe_options=%_lathe_options% "-Dorg.sqlite.lib.path=%_lathe_lib%" -Dorg.sqlite.lib.name=sqlitejdbc.dll "-Dorg.sqlite.tmpdir=%_lathe_lib%"
set _lathe_options=%_lathe_options% -XX:TieredStopAtLevel=1
if "%_lathe_first%"=="run" set _lathe_options=%_lathe_options% -XX:C1MaxInlineLevel=3 -XX:C1MaxInlineSize=15
if "%_lathe_kind%"=="serve" set _lathe_options=%_lathe_options% -XX:CompileThresholdScaling=0.3 -XX:ReservedCodeCacheSize=240m
set "_lathe_server_heap=false"
if "%_lathe_first%"=="" set "_lathe_server_heap=true"
if "%_lathe_first%"=="serve" set "_lathe_server_heap=true"
if "%_lathe_first%"=="attach" set "_lathe_server_heap=true"
if defined _lathe_first if "%_lathe_first:~0,1%"=="-" set "_lathe_server_heap=true"
if "%_lathe_server_heap%"=="true" set _lathe_options=%_lathe_options% -Xms16m
if "%_lathe_kind%"=="client" set _lathe_options=%_lathe_options% -Xms4m -Xmn2m -Djdk.reflect.useNativeAccessorOnly=true
rem bin/release's training records the cache this command would start from (AotTraining --launcher)
if defined LATHE_AOT_OUTPUT (
  set _lathe_options=%_lathe_options% "-XX:AOTCacheOutput=%LATHE_AOT_OUTPUT%\%_lathe_cache%"
) else if exist "%_lathe_lib%\%_lathe_cache%" (
  set _lathe_options=%_lathe_options% "-XX:AOTCache=%_lathe_lib%\%_lathe_cache%" -Xlog:aot=off -Xlog:cds=off
)
rem the client's and the in-process run's caches recorded without method profiles, which only C2 reads (decisions 533,
rem 548); after the block above, which expands the options once, when the whole block is read
if defined LATHE_AOT_OUTPUT if "%_lathe_kind%"=="client" set _lathe_options=%_lathe_options% -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining
if defined LATHE_AOT_OUTPUT if "%_lathe_cache%"=="lathe.aot" set _lathe_options=%_lathe_options% -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining

endlocal & "%_lathe_java%" %_lathe_options% -jar "%_lathe_lib%\lathe.jar" %*
exit /b %errorlevel%

:incomplete
echo lathe: this copy in %_lathe_home% is incomplete (no runtime\bin\java.exe or lib\lathe.jar); install it again 1>&2
exit /b 1
