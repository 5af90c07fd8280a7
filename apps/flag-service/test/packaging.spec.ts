import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

/** No Docker engine here: the files' shape is checked the way `docker compose config` would read them. */
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
    expect(compose.services.lb.ports).toEqual(['8080:8080']);
    expect(compose.services.lb.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('gives every replica the shared Redis, the emulator endpoint and its own replica id', () => {
    const ids = replicas.map((name) => {
      const service = compose.services[name];
      expect(service.build).toBe('.');
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
    expect(dockerfile).toMatch(/^FROM node:22-slim AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/health\/live/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/apps\/flag-service\/src\/main.js"\]$/m);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
  });
});
