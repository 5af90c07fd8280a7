#!/usr/bin/env node
// The cross-process tests start their own redis-server on a free port; make sure one is on PATH.
const { execSync, spawnSync } = require('node:child_process');

const has = () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
if (has()) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  console.log('redis-server not found: installing Debian package redis-server ...');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server', {
    stdio: 'inherit',
  });
  if (has()) process.exit(0);
}
console.error(
  'redis-server is required by the tests but is not on PATH.\n' +
    'Install it, e.g. `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS).',
);
process.exit(1);
