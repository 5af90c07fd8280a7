import type { RunningEmulator } from '@flagfleet/appconfig-emulator';
import { RedisConfigStore } from '@flagfleet/config-store';
import { startRedisServer, type RedisServerHandle } from '../../../test/support/redis-server';
import { waitFor } from '../../../test/support/wait-for';
import {
  APP,
  ENV,
  PROFILE,
  SOURCE_KEY,
  flagDocument,
  startEmulator,
  startPoller,
  type RunningPoller,
} from './testing/poller-test-bed';

describe('two pollers sharing a RedisConfigStore', () => {
  let redis: RedisServerHandle;
  let emulator: RunningEmulator;
  const stores: RedisConfigStore[] = [];
  const pollers: RunningPoller[] = [];

  const replica = async (replicaId: string): Promise<RunningPoller> => {
    const store = new RedisConfigStore({ url: redis.url, commandTimeoutMs: 500, maxBackoffMs: 100 });
    stores.push(store);
    await store.ready();
    const poller = await startPoller(emulator, store, { replicaId });
    pollers.push(poller);
    return poller;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    emulator = await startEmulator();
  });

  afterAll(async () => {
    await Promise.all(pollers.map((poller) => poller.close()));
    await Promise.all(stores.map((store) => store.close()));
    await emulator.close();
    await redis.stop();
  });

  it('makes one session and one GetLatestConfiguration per interval for both, and both serve each deploy', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')]);
    await Promise.all([a.status.whenReady(3000), b.status.whenReady(3000)]);
    const startedAt = Date.now();
    const before = emulator.stats().getLatestConfiguration;

    emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha', 'beta']), 'application/json', 'v2');
    await waitFor(() => [a, b].every((r) => r.snapshots.get(SOURCE_KEY)?.versionLabel === 'v2'), {
      timeoutMs: 3000,
      message: 'both replicas on v2',
    });
    await waitFor(() => emulator.stats().getLatestConfiguration >= before + 2, {
      timeoutMs: 3000,
      message: 'two polls',
    });
    const elapsedIntervals = (Date.now() - startedAt) / 1000;

    expect(emulator.stats().startConfigurationSession).toBe(1);
    // One call per interval for the fleet (two replicas polling independently would double it).
    expect(emulator.stats().getLatestConfiguration - before).toBeLessThanOrEqual(
      Math.ceil(elapsedIntervals) + 1,
    );
    for (const r of [a, b]) {
      expect(r.events.changed.map((e) => [e.revision, e.versionLabel])).toEqual([
        [1, 'v1'],
        [2, 'v2'],
      ]);
      expect(r.events.changed[1]).toMatchObject({ added: ['beta'], removed: [], changed: [] });
    }
    expect([a, b].filter((r) => r.events.changed[1].publishedHere)).toHaveLength(1);
    expect([...a.events.errors, ...b.events.errors]).toEqual([]);
  });
});
