import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../../..');
const read = (file: string): string => readFileSync(resolve(ROOT, file), 'utf8');

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
}

/** A Compose CLI (`docker compose` or Debian's `docker-compose`), when one is installed: `.ci/run` installs one. */
function composeCli(): string[] | undefined {
  const works = (command: string[]): boolean =>
    spawnSync(command[0], [...command.slice(1), 'version'], { stdio: 'ignore' }).status === 0;
  return [['docker', 'compose'], ['docker-compose']].find(works);
}

/** No Docker engine here: `docker compose config` validates the file, and its shape is checked as it reads it. */
describe('packaging', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const replicas = ['flagfleet-1', 'flagfleet-2', 'flagfleet-3'];

  it('composes Redis, the emulator on ./flags, three replicas and a load balancer', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'emulator',
      'flagfleet-1',
      'flagfleet-2',
      'flagfleet-3',
      'lb',
      'redis',
    ]);
    expect(compose.services.redis.healthcheck?.test).toContain('ping');
    expect(compose.services.emulator.command).toEqual(['node', 'dist/apps/appconfig-emulator/src/main.js']);
    expect(compose.services.emulator.volumes).toContain('./flags:/flags:ro');
    expect(compose.services.emulator.environment).toMatchObject({
      EMULATOR_FLAGS_DIR: '/flags',
      EMULATOR_HOST: '0.0.0.0',
    });
    expect(compose.services.lb.ports).toEqual(['8080:8080', '8013:8013', '8015:8015']);
    expect(compose.services.lb.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  const cli = composeCli();
  if (!cli)
    console.log('no Compose CLI (docker compose / docker-compose) installed: `compose config` check skipped');
  (cli ? it : it.skip)('passes `docker compose config`, which refuses an invalid file', () => {
    const [command, ...prefix] = cli ?? [];
    const config = (file: string) =>
      spawnSync(command, [...prefix, '-f', file, 'config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    const valid = config('docker-compose.yml');
    expect({ status: valid.status, stderr: valid.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    const dir = mkdtempSync(join(tmpdir(), 'flagfleet-compose-'));
    try {
      writeFileSync(join(dir, 'compose.yml'), 'services:\n  web:\n    image: nginx\n    ports: 8080\n');
      const invalid = config(join(dir, 'compose.yml'));
      expect(invalid.status).not.toBe(0);
      expect(invalid.stderr).toMatch(/ports/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the one image once: only the emulator service has `build`, every replica uses its image', () => {
    const services = compose.services as Record<string, { build?: unknown; image?: string }>;
    const building = Object.keys(services).filter((name) => services[name].build !== undefined);
    expect(building).toEqual(['emulator']);
    for (const name of ['flagfleet-1', 'flagfleet-2', 'flagfleet-3'])
      expect(services[name].image).toBe(services.emulator.image);
  });

  it('runs the emulator from the image without the service health check, reachable from outside (operations.md)', () => {
    const line = read('docs/operations.md')
      .split('\n')
      .find(
        (text) =>
          text.includes('node dist/apps/appconfig-emulator/src/main.js') && text.startsWith('docker run'),
      );
    expect(line).toContain('--no-healthcheck');
    expect(line).toContain('EMULATOR_HOST=0.0.0.0');
  });

  it('gives every replica the shared Redis, the emulator endpoint and its own replica id', () => {
    const ids = replicas.map((name) => {
      const service = compose.services[name];
      expect(service.image).toBe('flagfleet:local');
      expect(service.environment).toMatchObject({
        APPCONFIG_SOURCES: 'local/local/flags',
        APPCONFIG_ENDPOINT: 'http://emulator:2773',
        REDIS_URL: 'redis://redis:6379',
        AWS_REGION: expect.any(String),
      });
      expect(service.depends_on).toMatchObject({
        redis: { condition: 'service_healthy' },
        emulator: { condition: 'service_healthy' },
      });
      return service.environment?.REPLICA_ID;
    });
    expect(new Set(ids).size).toBe(3);
  });

  it('balances the three replicas on port 8080 in nginx', () => {
    const nginx = read('deploy/nginx.conf');
    for (const name of replicas) expect(nginx).toContain(`server ${name}:8080`);
    expect(nginx).toMatch(/listen 8080;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
  });

  it('builds in stages, runs as a non-root user, and checks its health', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM node:24-slim AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/apps\/flag-service\/src\/main.js"\]$/m);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
  });
});
