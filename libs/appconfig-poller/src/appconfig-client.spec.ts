import type { RunningEmulator } from '@flagfleet/appconfig-emulator';
import { AppConfigClient } from './appconfig-client';
import { resolvePollerOptions } from './poller-options';
import { APP, ENV, PROFILE, SOURCE, flagDocument, startEmulator } from './testing/poller-test-bed';

describe('AppConfigClient (real SDK against the emulator)', () => {
  let emulator: RunningEmulator;
  let client: AppConfigClient;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = new AppConfigClient(
      resolvePollerOptions({
        sources: [SOURCE],
        replicaId: 'replica-1',
        client: { endpoint: emulator.url, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
      }),
    );
  });
  afterAll(async () => {
    client.onApplicationShutdown();
    await emulator.close();
  });

  it('returns the content once per session, then "unchanged" as null content and no label', async () => {
    const token = await client.startSession(SOURCE, signal);
    const first = await client.getLatest(token, signal);
    expect(first).toMatchObject({
      nextPollIntervalSeconds: 1,
      contentType: 'application/json',
      versionLabel: 'v1',
    });
    expect(first.content?.toString()).toBe(flagDocument(['alpha']));

    const second = await client.getLatest(first.nextToken, signal);
    expect(second.content).toBeNull();
    expect(second.versionLabel).toBeNull();
    expect(second.nextToken).not.toBe(first.nextToken);
  });

  it('surfaces AppConfig exceptions by name', async () => {
    await expect(
      client.startSession({ application: APP, environment: ENV, profile: 'absent' }, signal),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const token = await client.startSession({ application: APP, environment: ENV, profile: PROFILE }, signal);
    await client.getLatest(token, signal);
    await expect(client.getLatest(token, signal)).rejects.toMatchObject({ name: 'BadRequestException' });
  });
});
