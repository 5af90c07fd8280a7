#!/usr/bin/env node
// The tests start their own Redis on free ports: standalone `redis-server`, a Redis Cluster (built
// with `redis-cli --cluster create`) and a Sentinel set (`redis-server --sentinel`). Make sure
// redis-server and redis-cli are on PATH, installing Debian's packages when root with apt.
const { execSync, spawnSync } = require('node:child_process');

const TOOLS = ['redis-server', 'redis-cli'];
const PACKAGES = 'redis-server redis-tools redis-sentinel';
const missing = () => TOOLS.filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0);
if (missing().length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  console.log(`${missing().join(' and ')} not found: installing Debian packages ${PACKAGES} ...`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${PACKAGES}`, {
    stdio: 'inherit',
  });
  if (missing().length === 0) process.exit(0);
}
console.error(
  `${missing().join(' and ')} required by the tests but not on PATH (Redis 7 or later: the Cluster tests use --cluster-port).\n` +
    `Install them, e.g. \`sudo apt-get install ${PACKAGES}\` (Debian/Ubuntu) or \`brew install redis\` (macOS).`,
);
process.exit(1);
