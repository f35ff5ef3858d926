#!/usr/bin/env node
// The `lathe` command of the npm package lathe-agent: runs the Lathe of this machine's platform, which npm installed
// as the optional dependency lathe-agent-PLATFORM (the archive's folder: launcher, runtime, jar). Nothing is
// downloaded here. LATHE_INSTALLED_BY=npm tells `lathe upgrade` and `lathe doctor` how this copy came. Decision 448.
'use strict';
const { spawn } = require('child_process');
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
const command = path.join(folder, 'bin', process.platform === 'win32' ? 'lathe.cmd' : 'lathe');
const args = process.argv.slice(2);
const env = Object.assign({}, process.env, { LATHE_INSTALLED_BY: 'npm' });

// Where Node can replace itself (22.15+), it does: signals, the terminal and the exit status are then the launcher's own.
if (typeof process.execve === 'function' && process.platform !== 'win32') {
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
