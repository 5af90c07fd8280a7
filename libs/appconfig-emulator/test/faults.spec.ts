import type { AppConfigDataClient } from '@aws-sdk/client-appconfigdata';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import { poll, rejection, sdkClient, startSession, text } from '../src/testing/sdk-session';

describe('emulator faults seen through the real SDK client', () => {
  let emu: RunningEmulator;
  let client: AppConfigDataClient;

  const arm = async (fault: Record<string, unknown>): Promise<void> => {
    const res = await fetch(`${emu.url}/admin/faults`, { method: 'POST', body: JSON.stringify(fault) });
    expect(res.status).toBe(200);
  };

  beforeEach(async () => {
    emu = await startAppConfigEmulator({ pollIntervalSeconds: 1 });
    emu.deploy('app', 'env', 'flags', '{"v":1}');
    client = sdkClient(emu.url);
  });
  afterEach(async () => {
    client.destroy();
    await emu.close();
  });

  it('throttling: the next `count` calls fail with ThrottlingException (429), then calls succeed', async () => {
    const token = await startSession(client, 'app', 'env', 'flags');
    await arm({ type: 'throttling', count: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await rejection(poll(client, token))).toMatchObject({
        name: 'ThrottlingException',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 429 },
      });
    }
    // A failed call does not consume the token.
    expect(text(await poll(client, token))).toBe('{"v":1}');
  });

  it('internal-error: InternalServerException (500), also for StartConfigurationSession', async () => {
    await arm({ type: 'internal-error' });
    expect(await rejection(startSession(client, 'app', 'env', 'flags'))).toMatchObject({
      name: 'InternalServerException',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    expect(await startSession(client, 'app', 'env', 'flags')).not.toBe('');
  });

  it('latency: the call is answered after latencyMs', async () => {
    const token = await startSession(client, 'app', 'env', 'flags');
    await arm({ type: 'latency', latencyMs: 300 });
    const started = Date.now();
    expect(text(await poll(client, token))).toBe('{"v":1}');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('disconnect: the connection drops without an answer', async () => {
    const token = await startSession(client, 'app', 'env', 'flags');
    await arm({ type: 'disconnect' });
    const error = await rejection(poll(client, token));
    expect(error.$metadata).not.toHaveProperty('httpStatusCode');
    expect(String(error.message)).toMatch(/socket hang up|ECONNRESET/i);
    expect(text(await poll(client, token))).toBe('{"v":1}');
  });

  it.each([
    ['expire-tokens', 'Expired'],
    ['corrupt-tokens', 'Corrupted'],
  ])('%s: every outstanding token fails with Problem %s; new sessions work', async (type, problem) => {
    const tokens = [
      await startSession(client, 'app', 'env', 'flags'),
      await startSession(client, 'app', 'env', 'flags'),
    ];
    await arm({ type });
    for (const token of tokens) {
      const error = await rejection(poll(client, token));
      expect(error).toMatchObject({ name: 'BadRequestException', Reason: 'InvalidParameters' });
      expect(error.Details).toEqual({ InvalidParameters: { ConfigurationToken: { Problem: problem } } });
    }
    expect(text(await poll(client, await startSession(client, 'app', 'env', 'flags')))).toBe('{"v":1}');
  });

  it('DELETE /admin/faults clears armed faults', async () => {
    await arm({ type: 'throttling', count: 5 });
    expect((await fetch(`${emu.url}/admin/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(text(await poll(client, await startSession(client, 'app', 'env', 'flags')))).toBe('{"v":1}');
  });

  it('closes promptly while a latency fault holds a call open', async () => {
    await arm({ type: 'latency', latencyMs: 60_000 });
    const pending = rejection(startSession(client, 'app', 'env', 'flags'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await emu.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await pending;
  });
});
