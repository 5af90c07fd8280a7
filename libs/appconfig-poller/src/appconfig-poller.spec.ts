import type { RunningEmulator } from '@flagfleet/appconfig-emulator';
import { MemoryConfigStore } from '@flagfleet/config-store';
import type { PollerModuleOptions } from './poller-options';
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

describe('AppConfigPollerModule against the emulator (real SDK)', () => {
  let emulator: RunningEmulator;
  let store: MemoryConfigStore;
  const running: RunningPoller[] = [];
  /** One replica; `store` (default: the shared one) lets a replica of it stand for another process. */
  const start = async ({
    store: own = store,
    ...overrides
  }: Partial<PollerModuleOptions> & { store?: MemoryConfigStore } = {}) => {
    const poller = await startPoller(emulator, own, overrides);
    running.push(poller);
    return poller;
  };

  beforeEach(async () => {
    emulator = await startEmulator();
    store = new MemoryConfigStore();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((poller) => poller.close()));
    await emulator.close();
  });

  it('loads the first snapshot, becomes ready and announces it as published here', async () => {
    const poller = await start();
    expect(poller.status.isReady()).toBe(false);
    await expect(poller.status.whenReady(3000)).resolves.toBe(true);

    const snapshot = poller.snapshots.get(SOURCE_KEY);
    expect(snapshot).toMatchObject({ revision: 1, versionLabel: 'v1', contentType: 'application/json' });
    expect(snapshot?.flags).not.toBeNull();
    expect(snapshot?.content.toString()).toBe(flagDocument(['alpha']));
    expect(poller.snapshots.defaultSource).toBe(SOURCE_KEY);
    expect(poller.events.changed).toEqual([
      expect.objectContaining({
        source: SOURCE_KEY,
        revision: 1,
        previousRevision: null,
        added: ['alpha'],
        publishedHere: true,
      }),
    ]);
    expect(poller.status.sources()[0]).toMatchObject({
      source: SOURCE_KEY,
      healthy: true,
      snapshotLoaded: true,
      revision: 1,
    });
  });

  it('follows the service interval and redeems each token exactly once', async () => {
    const poller = await start();
    await poller.status.whenReady(3000);
    const startedAt = Date.now();
    const before = emulator.stats().getLatestConfiguration;
    await waitFor(() => emulator.stats().getLatestConfiguration >= before + 2, {
      timeoutMs: 4000,
      message: 'two more polls',
    });
    const elapsed = Date.now() - startedAt;

    // Two polls, each due one interval (1 s + jitter) after the previous: not earlier.
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    // A reused token would be refused as Corrupted and force a second session.
    expect(emulator.stats().startConfigurationSession).toBe(1);
    expect(poller.events.errors).toEqual([]);
    // The unchanged (empty) answers move nothing.
    expect(poller.events.changed).toHaveLength(1);
    // The emulator counts a poll when it arrives; its token is stored after the answer: wait for that write.
    const nextPollAt = await waitFor(
      async () => {
        const stored = await store.readToken(SOURCE_KEY);
        return stored !== null && stored.nextPollAt > Date.now() ? stored.nextPollAt : 0;
      },
      { timeoutMs: 2000, message: 'the next poll planned after the last one' },
    );
    expect(nextPollAt - Date.now()).toBeLessThanOrEqual(1050 + 100);
  });

  it('shows the next planned poll, after the last one, on the holder and on a replica that does not poll', async () => {
    const holder = await start({ replicaId: 'holder' });
    await holder.status.whenReady(3000);
    const other = await startPoller(emulator, store.replica(), { replicaId: 'other' });
    running.push(other);
    const samples = [];
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      samples.push(holder.status.sources()[0], other.status.sources()[0]);
      await new Promise((resolve) => setTimeout(resolve, 37));
    }
    const token = await store.readToken(SOURCE_KEY);
    for (const status of samples.filter((sample) => sample.lastPollAt !== null)) {
      expect(status.nextPollAt).toBeGreaterThan(status.lastPollAt!);
    }
    expect(samples.filter((sample) => sample.lastPollAt !== null).length).toBeGreaterThan(50);
    expect(other.status.sources()[0].nextPollAt).toBeGreaterThanOrEqual(token!.nextPollAt - 1100);
    expect(holder.status.sources()[0].nextPollAt).toBe(token!.nextPollAt);
  });

  it('brings a deploy to the snapshot within one interval, with the keys that changed', async () => {
    const poller = await start();
    await poller.status.whenReady(3000);
    emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha', 'beta'], false), 'application/json', 'v2');
    const deployedAt = Date.now();
    await waitFor(() => poller.snapshots.get(SOURCE_KEY)?.versionLabel === 'v2', {
      timeoutMs: 3000,
      message: 'v2',
    });

    expect(Date.now() - deployedAt).toBeLessThan(1000 + 50 + 300);
    expect(poller.events.changed[1]).toMatchObject({
      revision: 2,
      previousRevision: 1,
      versionLabel: 'v2',
      added: ['beta'],
      removed: [],
      changed: ['alpha'],
      publishedHere: true,
    });
    expect(poller.events.changed[1].previous?.versionLabel).toBe('v1');
  });

  it('serves freeform (non-JSON) profiles as bytes without validation', async () => {
    emulator.deploy(APP, ENV, 'settings', 'retries: 3\n', 'application/x-yaml', 'y1');
    const poller = await start({ sources: [{ application: APP, environment: ENV, profile: 'settings' }] });
    await expect(poller.status.whenReady(3000)).resolves.toBe(true);

    const snapshot = poller.snapshots.get(`${APP}/${ENV}/settings`);
    expect(snapshot).toMatchObject({ flags: null, contentType: 'application/x-yaml', versionLabel: 'y1' });
    expect(snapshot?.content.toString()).toBe('retries: 3\n');
  });

  it('lets a cold replica serve from the store without calling AppConfig', async () => {
    const first = await start();
    await first.status.whenReady(3000);
    await first.close();
    const calls = emulator.stats();

    const cold = await start({ store: store.replica(), replicaId: 'cold' });
    // Loaded during init, before any poll could have answered.
    expect(cold.status.isReady()).toBe(true);
    expect(cold.snapshots.get(SOURCE_KEY)).toMatchObject({ revision: 1, versionLabel: 'v1' });
    expect(emulator.stats()).toEqual(calls);
    expect(cold.events.changed).toEqual([expect.objectContaining({ revision: 1, publishedHere: false })]);
  });

  it('shares one poll per interval between replicas, and every replica moves once per revision', async () => {
    const a = await start({ replicaId: 'a' });
    const b = await start({ store: store.replica(), replicaId: 'b' });
    await Promise.all([a.status.whenReady(3000), b.status.whenReady(3000)]);
    emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha', 'gamma']), 'application/json', 'v2');
    await waitFor(() => [a, b].every((r) => r.snapshots.get(SOURCE_KEY)?.revision === 2), {
      timeoutMs: 3000,
      message: 'rev 2',
    });

    expect(emulator.stats().startConfigurationSession).toBe(1);
    for (const replica of [a, b]) expect(replica.events.changed.map((e) => e.revision)).toEqual([1, 2]);
    // Exactly one replica created each revision.
    for (const revision of [1, 2]) {
      const publishers = [a, b].filter(
        (r) => r.events.changed.find((e) => e.revision === revision)?.publishedHere,
      );
      expect(publishers).toHaveLength(1);
    }
  });

  it('stops its timers and releases the lease on shutdown', async () => {
    const poller = await start({ replicaId: 'leaving' });
    await poller.status.whenReady(3000);
    await poller.close();
    running.splice(running.indexOf(poller), 1);
    const calls = emulator.stats().getLatestConfiguration;

    expect(await store.leaseHolder(SOURCE_KEY)).toBeNull();
    // A replica that stopped does not poll again: let two intervals' worth of ticks pass on another one.
    const other = await start({ store: store.replica(), replicaId: 'staying' });
    // The emulator counts a poll on arrival; the replica records it once the answer is in: wait for that.
    await waitFor(() => other.status.sources()[0].lastPollAt !== null, {
      timeoutMs: 3000,
      message: 'next poll recorded by the staying replica',
    });
    expect(emulator.stats().getLatestConfiguration).toBeGreaterThan(calls);
  });
});
