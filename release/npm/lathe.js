#!/usr/bin/env node
// The `lathe` command of the npm package lathe-agent: runs the Lathe of this machine's platform, which npm installed
// as the optional dependency lathe-agent-PLATFORM (the archive's folder: launcher, runtime, jar). Nothing is
// downloaded here. LATHE_INSTALLED_BY=npm tells `lathe upgrade` and `lathe doctor` how this copy came. Decision 448.
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const platform = `${process.platform}-${process.arch}`;
const pkg = `lathe-agent-${platform}`;
let folder;
try {
  folder = path.dirname(require.resolve(`${pkg}/package.json`));
} catch (e) {
  process.stderr.write(`lathe: no Lathe for ${platform} is installed (the package ${pkg} is missing: npm skips it when `
    + 'optional dependencies are turned off, and it exists for linux-x64, linux-arm64, darwin-arm64, darwin-x64 and win32-x64)\n');
  process.exit(1);
}
const windows = process.platform === 'win32';
const env = Object.assign({}, process.env, { LATHE_INSTALLED_BY: 'npm' });
delete env.LATHE_JAR;
const jar = jarWithItsTime(folder);
// Elsewhere the package's bin/lathe runs Lathe; on Windows this runs the runtime itself (windowsCommand)
let command = path.join(folder, 'bin', 'lathe');
let args = process.argv.slice(2);
if (windows) {
  [command, ...args] = windowsCommand(folder, jar || path.join(folder, 'lib', 'lathe.jar'), args, env);
} else if (jar) {
  env.LATHE_JAR = jar;
}

/**
 * Windows: Node runs no .cmd file without a shell (CVE-2024-27980), and a shell would parse the words of the prompt
 * itself, so this gives runtime\bin\java.exe the command line the archive's bin\lathe.cmd gives it (decision 491; the
 * test LauncherCommandLineTest holds it to the POSIX launcher's): the AOT cache and heap of each command, the native
 * libraries loaded from lib\ as they are.
 */
function windowsCommand(folder, jarFile, args, env) {
  const lib = path.join(folder, 'lib');
  const first = args.length > 0 ? args[0] : '';
  let inProcess = env.CI !== undefined && env.CI !== '' && !['false', '0'].includes(env.CI.toLowerCase());
  for (const arg of args) {
    if (arg === '--') break;
    if (arg === '--standalone') inProcess = true;
  }
  const isFolder = (p) => { try { return fs.statSync(p).isDirectory(); } catch (e) { return false; } };
  const client = first === 'run' && !inProcess;
  let cache = 'lathe.aot';
  if (client) cache = 'lathe-client.aot';
  if (first === 'serve') cache = 'lathe-serve.aot';
  // a folder named run or serve does not make the command the terminal UI
  const command = first === 'run' || first === 'serve';
  if (args.length === 0 || first === 'attach' || (first !== '' && !command && isFolder(first))) cache = 'lathe-tui.aot';
  const options = ['-XX:+UseSerialGC', '-XX:-UsePerfData', '--enable-native-access=ALL-UNNAMED',
    `-Dlathe.home=${folder}`, `-Dlathe.installedBy=${env.LATHE_INSTALLED_BY}`, `-Dtree-sitter-lib=${folder}`];
  if (fs.existsSync(path.join(lib, 'jlinenative.dll'))) {
    options.push('-Dorg.jline.terminal.provider=jni', `-Dlibrary.jline.path=${lib}`, '-Dlibrary.jline.name=jlinenative.dll');
  }
  if (fs.existsSync(path.join(lib, 'sqlitejdbc.dll'))) {
    options.push(`-Dorg.sqlite.lib.path=${lib}`, '-Dorg.sqlite.lib.name=sqlitejdbc.dll', `-Dorg.sqlite.tmpdir=${lib}`);
  }
  options.push('-XX:TieredStopAtLevel=1');
  if (first === 'run') options.push('-XX:C1MaxInlineLevel=3', '-XX:C1MaxInlineSize=15');
  if (first === 'serve') options.push('-XX:CompileThresholdScaling=0.3', '-XX:ReservedCodeCacheSize=240m');
  // TrimNativeHeapInterval, which bin/lathe adds here on Linux, only works with Linux's C library
  if (first === '' || first.startsWith('-') || first === 'serve' || first === 'attach') options.push('-Xms16m');
  if (client) options.push('-Xms4m', '-Xmn2m', '-Djdk.reflect.useNativeAccessorOnly=true');
  if (fs.existsSync(path.join(lib, cache))) options.push(`-XX:AOTCache=${path.join(lib, cache)}`, '-Xlog:aot=off', '-Xlog:cds=off');
  return [path.join(folder, 'runtime', 'bin', 'java.exe'), ...options, '-jar', jarFile, ...args];
}

/**
 * The AOT caches were made for lib/lathe.jar with its time of last change, which the JVM checks, and npm sets every
 * file's time to the install's. A copy with the build's time in the user's cache folder (its own, mode 0700, written
 * under a temporary name, compared, then renamed) lets them be used; the install folder is never written. Without it
 * (no cache folder, a check fails) Lathe still runs, only without its caches.
 */
function jarWithItsTime(folder) {
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    const modified = meta.lathe && meta.lathe.jarModified;
    const installed = path.join(folder, 'lib', 'lathe.jar');
    const stat = fs.statSync(installed);
    if (!Number.isInteger(modified) || Math.floor(stat.mtimeMs / 1000) === modified) return null;
    const cacheHome = process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME)
      ? process.env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
    const dir = path.join(cacheHome, 'lathe', 'jar', `${meta.version}-${platform}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const own = fs.lstatSync(dir);
    // Windows has no uid or mode bits here (the user's profile folder is theirs): only that it is a folder
    const mine = (st) => windows || st.uid === process.getuid();
    if (!own.isDirectory() || !mine(own) || (!windows && (own.mode & 0o077) !== 0)) return null;
    const copy = path.join(dir, 'lathe.jar');
    const ready = (p) => {
      try {
        const s = fs.lstatSync(p);
        return s.isFile() && mine(s) && s.size === stat.size && Math.floor(s.mtimeMs / 1000) === modified;
      } catch (e) {
        return false;
      }
    };
    if (ready(copy)) return copy;
    const temporary = path.join(dir, `.lathe.jar.${process.pid}.${crypto.randomBytes(6).toString('hex')}`);
    try {
      fs.copyFileSync(installed, temporary, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(temporary, 0o600);
      if (!sameBytes(installed, temporary)) return null;
      fs.utimesSync(temporary, modified, modified);
      fs.renameSync(temporary, copy);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return ready(copy) ? copy : null;
  } catch (e) {
    return null;
  }
}

function sameBytes(a, b) {
  const digest = (p) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  return digest(a) === digest(b);
}

// Where Node can replace itself (22.15+), it does: signals, the terminal and the exit status are then the launcher's own.
if (typeof process.execve === 'function' && !windows) {
  process.execve(command, [command, ...args], env);
}

const child = spawn(command, args, { stdio: 'inherit', env });
// A terminal's Ctrl-C, Ctrl-\ and hang-up reach the whole foreground group, Lathe included: sending them again would
// count twice. A signal sent to this process alone (kill PID) is passed on.
const fromTerminal = ['SIGINT', 'SIGQUIT', 'SIGHUP'];
const passedOn = ['SIGTERM', 'SIGUSR1', 'SIGUSR2'];
const handlers = new Map();
for (const signal of [...fromTerminal, ...passedOn]) {
  const handler = () => { if (passedOn.includes(signal) && child.exitCode === null) child.kill(signal); };
  handlers.set(signal, handler);
  process.on(signal, handler);
}
child.on('error', (e) => {
  process.stderr.write(`lathe: cannot run ${command}: ${e.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // end the same way, so the shell sees 128+N
    for (const [s, h] of handlers) process.removeListener(s, h);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code === null ? 1 : code);
});
