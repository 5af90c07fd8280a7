'use strict';
// `npm start` / `npm run start:emulator`: build dist/ when the sources are newer, then run the program in this
// very process (npm's `exec` leaves no shell between, so SIGTERM reaches the program). Two starts at once
// (two terminals) take turns under one lock held through the build and the loading of the program's modules,
// and the build never deletes dist/ first (nest-cli.json `deleteOutDir: false`): a start never removes or
// half-writes a file another start is loading or running.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PROGRAMS = {
  'flag-service': 'dist/apps/flag-service/src/main.js',
  'appconfig-emulator': 'dist/apps/appconfig-emulator/src/main.js',
};
const LOCK = path.join(ROOT, '.start.lock');
const STAMP = path.join(ROOT, 'dist', '.built-at');
const LOCK_WAIT_MS = 120_000;
const SOURCES = [
  'apps',
  'libs',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  '.swcrc',
  'package-lock.json',
];

const program = PROGRAMS[process.argv[2]];
if (!program) {
  process.stderr.write(`usage: node scripts/start.js ${Object.keys(PROGRAMS).join('|')}\n`);
  process.exit(2);
}

/** Takes the lock (a directory: mkdir is atomic), taking over one whose process is gone; bounded. */
function lock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (!holderAlive()) fs.rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) {
      process.stderr.write(
        `another start holds ${LOCK} for over ${LOCK_WAIT_MS / 1000} s; remove it if stale\n`,
      );
      process.exit(1);
    } else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

function holderAlive() {
  let pid;
  try {
    pid = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
  } catch {
    // The holder has made the directory and not yet written its pid: alive.
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function unlock() {
  fs.rmSync(LOCK, { recursive: true, force: true });
}

/** Newest modification time under the sources (tests and specs excluded: they are not built). */
function newestSource(entry = '') {
  const full = path.join(ROOT, entry);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(full)) {
    if (name === 'node_modules' || name === 'test' || name.endsWith('.spec.ts')) continue;
    newest = Math.max(newest, newestSource(path.join(entry, name)));
  }
  return newest;
}

function upToDate() {
  const built = fs.statSync(STAMP, { throwIfNoEntry: false });
  if (!built || !fs.existsSync(path.join(ROOT, program))) return false;
  return SOURCES.every((entry) => newestSource(entry) <= built.mtimeMs);
}

lock();
try {
  if (!upToDate()) {
    const startedAt = new Date();
    const nest = path.join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js');
    const build = spawnSync(process.execPath, [nest, 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
    // The stamp is the build's start: a source saved during the build is newer and rebuilds next time.
    fs.writeFileSync(STAMP, '');
    fs.utimesSync(STAMP, startedAt, startedAt);
  }
  // Loading is synchronous: once require returns, every module of the program has been read.
  require(path.join(ROOT, program));
} finally {
  unlock();
}
