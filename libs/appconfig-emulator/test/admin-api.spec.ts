import {
  CONTENT_LIMIT_BYTES,
  startAppConfigEmulator,
  type RunningEmulator,
} from '@flagfleet/appconfig-emulator';
import { poll, sdkClient, startSession, text } from '../src/testing/sdk-session';

describe('emulator admin API', () => {
  let emu: RunningEmulator;
  beforeEach(async () => {
    emu = await startAppConfigEmulator();
  });
  afterEach(() => emu.close());

  const put = (
    path: string,
    body: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Response> => fetch(`${emu.url}/admin/applications/${path}`, { method: 'PUT', body, headers });

  it('PUT deploys versions n+1 with the request content type and Version-Label, served to SDK sessions', async () => {
    const first = await put('my%20app/environments/prod/configurations/flags', '{"a":1}', {
      'content-type': 'application/json',
    });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ versionNumber: 1 });
    const second = await put('my%20app/environments/prod/configurations/flags', 'b=2', {
      'content-type': 'text/plain',
      'version-label': 'v2.0',
    });
    expect(await second.json()).toEqual({ versionNumber: 2 });

    const client = sdkClient(emu.url);
    const out = await poll(client, await startSession(client, 'my app', 'prod', 'flags'));
    client.destroy();
    expect(text(out)).toBe('b=2');
    expect(out.ContentType).toBe('text/plain');
    expect(out.VersionLabel).toBe('v2.0');
  });

  it("accepts content up to AppConfig's hosted-store default of 2 MB", async () => {
    const res = await put('a/environments/e/configurations/p', Buffer.alloc(2 * 1024 * 1024, 32));
    expect(res.status).toBe(200);
    expect(CONTENT_LIMIT_BYTES).toBe(2 * 1024 * 1024);
  });

  it('refuses content over the limit with 413 and keeps the previous version', async () => {
    await put('a/environments/e/configurations/p', 'kept');
    const res = await put('a/environments/e/configurations/p', Buffer.alloc(CONTENT_LIMIT_BYTES + 1, 32));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'FLAGFLEET_EMULATOR_PAYLOAD_TOO_LARGE' });
    expect(emu.deploy('a', 'e', 'p', 'next')).toBe(2);
  });

  it('refuses an identifier over 128 characters', async () => {
    const res = await put(`${'x'.repeat(129)}/environments/e/configurations/p`, '{}');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'FLAGFLEET_EMULATOR_REQUEST_INVALID' });
  });

  it('counts calls in GET /admin/stats and resets them with DELETE', async () => {
    emu.deploy('a', 'e', 'p', '{}');
    const client = sdkClient(emu.url);
    const out = await poll(client, await startSession(client, 'a', 'e', 'p'));
    await poll(client, out.NextPollConfigurationToken!);
    client.destroy();
    const stats = {
      startConfigurationSession: 1,
      getLatestConfiguration: 2,
      configurationsReturned: 1,
      listDeployments: 0,
      getHostedConfigurationVersion: 0,
    };
    expect(await (await fetch(`${emu.url}/admin/stats`)).json()).toEqual(stats);
    expect(emu.stats()).toEqual(stats);
    expect((await fetch(`${emu.url}/admin/stats`, { method: 'DELETE' })).status).toBe(200);
    expect(emu.stats()).toEqual({
      startConfigurationSession: 0,
      getLatestConfiguration: 0,
      configurationsReturned: 0,
      listDeployments: 0,
      getHostedConfigurationVersion: 0,
    });
  });

  it.each([
    ['not JSON', '{'],
    ['unknown type', '{"type":"meteor"}'],
    ['bad count', '{"type":"throttling","count":0}'],
    ['latency without latencyMs', '{"type":"latency"}'],
    ['array', '[]'],
  ])('refuses a fault with %s (400, coded)', async (_case, body) => {
    const res = await fetch(`${emu.url}/admin/faults`, { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'FLAGFLEET_EMULATOR_REQUEST_INVALID' });
  });

  it('answers unknown routes with a coded 404', async () => {
    const res = await fetch(`${emu.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'FLAGFLEET_EMULATOR_ROUTE_NOT_FOUND' });
  });

  it('does not let a __proto__ key in a session request pollute objects', async () => {
    const res = await fetch(`${emu.url}/configurationsessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"__proto__":{"polluted":true},"ApplicationIdentifier":"a"}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a session request that is not JSON with BadRequestException', async () => {
    const res = await fetch(`${emu.url}/configurationsessions`, { method: 'POST', body: 'nope' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await res.json()).toEqual({ Message: 'Request body is not valid JSON' });
  });
});

describe('emulator admin API exposure', () => {
  const adminCalls: Array<[string, string, string?]> = [
    ['PUT', '/admin/applications/local/environments/local/configurations/flags', '{"flags":{}}'],
    ['POST', '/admin/faults', '{"type":"internal-error"}'],
    ['DELETE', '/admin/faults'],
    ['GET', '/admin/stats'],
    ['DELETE', '/admin/stats'],
  ];

  it('with adminApi: false answers every admin route 404 and still serves deployments', async () => {
    const emu = await startAppConfigEmulator({ adminApi: false });
    try {
      for (const [method, path, body] of adminCalls) {
        const res = await fetch(`${emu.url}${path}`, { method, body });
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect(await res.json()).toMatchObject({ code: 'FLAGFLEET_EMULATOR_ROUTE_NOT_FOUND' });
      }
      emu.deploy('a', 'e', 'p', '{"kept":true}');
      const client = sdkClient(emu.url);
      const out = await poll(client, await startSession(client, 'a', 'e', 'p'));
      client.destroy();
      expect(text(out)).toBe('{"kept":true}');
    } finally {
      await emu.close();
    }
  });

  it('warns when the admin API listens beyond loopback, and only then', async () => {
    const start = async (options: { host?: string; adminApi?: boolean }): Promise<string[]> => {
      const lines: string[] = [];
      const emu = await startAppConfigEmulator({ ...options, logger: (line) => lines.push(line) });
      await emu.close();
      return lines.filter((line) => line.startsWith('warning:'));
    };
    expect(await start({ host: '0.0.0.0' })).toEqual([
      expect.stringContaining('admin API (deploy, faults) has no authentication'),
    ]);
    expect(await start({})).toEqual([]);
    expect(await start({ host: '::1' })).toEqual([]);
    expect(await start({ host: '0.0.0.0', adminApi: false })).toEqual([]);
  });
});
