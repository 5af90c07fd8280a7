#!/usr/bin/env node
// What the tests run besides Node: Redis (standalone `redis-server`, a Redis Cluster built with
// `redis-cli --cluster create`, a Sentinel set) on free ports, a headless Chromium that
// puppeteer-core drives for the browser tests, Python's gRPC (a flagd client in a second language), and
// openssl (certificates for the TLS tests). Make sure each is on PATH, installing Debian's
// packages when root with apt.
const { execSync, spawnSync } = require('node:child_process');

const TOOLS = [
  {
    commands: ['redis-server', 'redis-cli'],
    packages: 'redis-server redis-tools redis-sentinel',
    why: 'Redis 7 or later: the Cluster tests use --cluster-port',
    hint: '`sudo apt-get install redis-server redis-tools redis-sentinel` (Debian/Ubuntu) or `brew install redis` (macOS)',
  },
  {
    // One of these is enough (test/support/chromium.ts looks for them, or CHROMIUM_PATH).
    commands: ['chromium'],
    alternatives: [process.env.CHROMIUM_PATH, 'chromium-browser', 'google-chrome'].filter(Boolean),
    packages: 'chromium',
    why: 'the browser tests (OFREP web provider from another origin)',
    hint: '`sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chrome or Chromium binary',
  },
  {
    commands: ['openssl'],
    present: () => spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0,
    packages: 'openssl',
    why: 'the TLS tests (a certificate made for each run)',
    hint: '`sudo apt-get install openssl` (Debian/Ubuntu)',
  },
  {
    // The system interpreter, where Debian installs them (FLAGFLEET_PYTHON overrides it).
    commands: ['python3-grpcio'],
    present: () =>
      spawnSync(process.env.FLAGFLEET_PYTHON ?? '/usr/bin/python3', ['-c', 'import grpc, google.protobuf'], {
        stdio: 'ignore',
      }).status === 0,
    packages: 'python3-grpcio python3-protobuf',
    why: 'the flagd client test in a second language (apps/flag-service/test/flagd-python-client.spec.ts)',
    hint: '`sudo apt-get install python3-grpcio python3-protobuf` (Debian/Ubuntu), or set FLAGFLEET_PYTHON to a python3 with grpcio and protobuf',
  },
];

const runs = (command) => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
const missing = (tool) => {
  if (tool.present !== undefined) return tool.present() ? [] : tool.commands;
  return tool.alternatives?.some(runs) ? [] : tool.commands.filter((command) => !runs(command));
};
const wanted = () => TOOLS.filter((tool) => missing(tool).length > 0);
if (wanted().length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  const packages = wanted()
    .map((tool) => tool.packages)
    .join(' ');
  console.log(
    `${wanted().flatMap(missing).join(', ')} not found: installing Debian packages ${packages} ...`,
  );
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`, {
    stdio: 'inherit',
  });
  if (wanted().length === 0) process.exit(0);
}
for (const tool of wanted())
  console.error(
    `${missing(tool).join(' and ')} required by the tests (${tool.why}) but not on PATH. Install: ${tool.hint}.`,
  );
process.exit(1);
