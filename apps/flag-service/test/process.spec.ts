import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SERVICE_MAIN, startService, type ServiceProcess } from '../../../test/support/service-process';
import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS } from './flag-service-harness';

/** The built entry point, as deployments run it. */
describe('the service process', () => {
  let flagsDir: string;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    flagsDir = await mkdtemp(join(tmpdir(), 'flagfleet-process-'));
    await writeFile(join(flagsDir, 'flags.json'), JSON.stringify(SERVICE_FLAGS));
  });
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await rm(flagsDir, { recursive: true, force: true });
  });

  it('starts on the embedded default, prints the URLs to try, and stops promptly on SIGTERM', async () => {
    service = await startService({ env: { FLAGS_DIR: flagsDir, LOG_LEVEL: 'info' } });
    const running = service;
    // The banner follows listen(); readiness can answer a moment before it is written.
    await waitFor(() => running.logs().includes(`flagfleet listening on http://localhost:${running.port}`), {
      message: 'the banner',
    });
    expect(service.logs()).toContain(`/ofrep/v1/evaluate/flags/kill-switch`);
    // Start-up says each warning that matters once, in JSON; no multi-line SDK warning.
    const before = service.logs().slice(0, service.logs().indexOf('flagfleet listening'));
    const warnings = before.split('\n').filter((line) => line.includes('"level":40'));
    const expected = ['ADMIN_API_KEYS is unset'];
    if (Number(process.versions.node.split('.')[0]) < 22) expected.push('is past end of life');
    expect(warnings).toHaveLength(expected.length);
    for (const text of expected) expect(warnings.filter((line) => line.includes(text))).toHaveLength(1);
    expect(before).not.toContain('NodeVersionSupportWarning');
    const answer = await fetch(`${service.url}/ofrep/v1/evaluate/flags/kill-switch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"context":{}}',
    });
    expect(await answer.json()).toMatchObject({ value: false });
    const started = Date.now();
    await service.kill('SIGTERM', 8000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(service.logs()).not.toMatch(/"level":50/);
  });

  it('refuses an invalid environment with a clear message and exit code 2', () => {
    const run = spawnSync(process.execPath, [SERVICE_MAIN], {
      env: {
        ...process.env,
        PORT: 'x',
        POLL_INTERVAL_SECONDS: '1',
        WEBHOOK_ALLOW_HTTP: 'yes',
        SSE_KEEPALIVE_MS: 'often',
      },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('invalid environment');
    for (const name of ['PORT', 'POLL_INTERVAL_SECONDS', 'WEBHOOK_ALLOW_HTTP', 'SSE_KEEPALIVE_MS'])
      expect(run.stderr).toContain(`  - ${name} `);
    expect(run.stderr).not.toContain('    at '); // a list of problems, not a stack trace
  });

  it('fails clearly when FLAGS_DIR has nothing to serve', () => {
    const run = spawnSync(process.execPath, [SERVICE_MAIN], {
      env: {
        ...process.env,
        FLAGS_DIR: join(flagsDir, 'missing'),
        PORT: '0',
        FLAGD_EVALUATION_PORT: 'off',
        FLAGD_SYNC_PORT: 'off',
      },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FLAGS_DIR .* has no <profile>\.json/);
  });

  it('prints an Agent API example of a source it serves, which answers 200', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flagfleet-banner-'));
    await writeFile(join(dir, 'shop.json'), JSON.stringify(SERVICE_FLAGS));
    const other = await startService({ env: { FLAGS_DIR: dir } });
    try {
      await waitFor(() => other.logs().includes('flagfleet listening'), { message: 'the banner' });
      const line =
        other
          .logs()
          .split('\n')
          .find((text) => text.includes('Agent API')) ?? '';
      expect(line).toContain(`/applications/local/environments/local/configurations/shop`);
      const url = /curl -s (\S+)/.exec(line)?.[1] ?? '';
      expect((await fetch(url, { headers: { Context: 'targetingKey=user-1' } })).status).toBe(200);
    } finally {
      await other.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gets ready with an invalid document present at start: the rejected source shows degraded in /status', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flagfleet-rejected-'));
    await writeFile(join(dir, 'flags.json'), JSON.stringify(SERVICE_FLAGS));
    await writeFile(join(dir, 'broken.json'), '{"flags": {"x": {"state": "ENABLED"}}}');
    // startService waits for /health/ready 200: the rejected source held it at 503 (waitingFor) forever.
    const other = await startService({ env: { FLAGS_DIR: dir } });
    try {
      const status = (await (await fetch(`${other.url}/status`)).json()) as {
        health: string;
        sources: { source: string; lastError: { message: string } }[];
      };
      expect(status.health).toBe('degraded');
      const broken = status.sources.find(
        (source: { source: string }) => source.source === 'local/local/broken',
      );
      expect(broken).toMatchObject({ healthy: false, snapshotLoaded: false, rejection: expect.any(Object) });
      expect(broken?.lastError.message).toContain('nothing loaded yet');
      const ready = await fetch(`${other.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(other.logs()).toContain('rejected; nothing to serve for this source until a valid one');
      expect(other.logs()).not.toContain('keeping the last good one');
    } finally {
      await other.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
