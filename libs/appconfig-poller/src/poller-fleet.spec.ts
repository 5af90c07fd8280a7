import { EventEmitter2 } from '@nestjs/event-emitter';
import type { RunningEmulator } from '@flagfleet/appconfig-emulator';
import { RedisConfigStore, type ConfigStore } from '@flagfleet/config-store';
import { startRedisServer, type RedisServerHandle } from '../../../test/support/redis-server';
import { waitFor } from '../../../test/support/wait-for';
import { PollerEvent, type FlagsChangedEvent } from './events';
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

  const replica = async (
    replicaId: string,
    options: { leaseTtlMs?: number; wrap?: (store: ConfigStore) => ConfigStore } = {},
  ): Promise<RunningPoller> => {
    const store = new RedisConfigStore({ url: redis.url, commandTimeoutMs: 500, maxBackoffMs: 100 });
    stores.push(store);
    await store.ready();
    const { wrap = (s: ConfigStore) => s, ...overrides } = options;
    const poller = await startPoller(emulator, wrap(store), { replicaId, ...overrides });
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

  it('stamps loadedAt when the snapshot starts being served, after the compile, on every replica', async () => {
    const [a, b] = await Promise.all([replica('c'), replica('d')]);
    await Promise.all([a.status.whenReady(3000), b.status.whenReady(3000)]);
    // Heavy enough that compiling it takes far longer than the margin below.
    const flags = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [
        `flag-${i}`,
        {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting: { if: [{ in: [{ var: 'country' }, ['de', 'fr', `c${i}`]] }, 'on', null] },
        },
      ]),
    );
    const served: { replica: string; loadedAt: number; servedAt: number; publishedHere: boolean }[] = [];
    for (const [name, r] of [
      ['c', a],
      ['d', b],
    ] as const) {
      r.moduleRef.get(EventEmitter2).on(PollerEvent.FLAGS_CHANGED, (event: FlagsChangedEvent) => {
        if (event.versionLabel === 'heavy')
          served.push({
            replica: name,
            loadedAt: event.snapshot.loadedAt,
            servedAt: Date.now(),
            publishedHere: event.publishedHere,
          });
      });
    }
    emulator.deploy(APP, ENV, PROFILE, JSON.stringify({ flags }), 'application/json', 'heavy');
    await waitFor(() => served.length === 2, { timeoutMs: 10_000, message: 'both replicas serving "heavy"' });
    // At least one of them compiles a revision another replica published (the path that stamped too early).
    expect(served.filter((s) => !s.publishedHere).length).toBeGreaterThanOrEqual(1);
    // flags.changed is emitted right after the swap: loadedAt is at most a few ms before it.
    for (const s of served) expect(s.servedAt - s.loadedAt).toBeLessThan(30);
  });

  it('hands a deploy whose holder lost its lease while compiling to the next holder, in a new session', async () => {
    // Only these two replicas poll: the ones of earlier tests stop.
    await Promise.all(pollers.splice(0).map((poller) => poller.close()));
    const leaseTtlMs = 1000;
    // The holder's first store read after the fetch (the compile's) blocks its event loop past the lease
    // TTL, as a long compile does, then waits until the other replica has started its new session. (Not
    // "until the other holds the lease": it can take, use and release it between two looks.)
    let armed = false;
    let sessionsBefore = 0;
    const stalling =
      (self: string) =>
      (store: ConfigStore): ConfigStore =>
        new Proxy(store, {
          get(target, name, receiver) {
            const value: unknown = Reflect.get(target, name, receiver);
            if (name !== 'readDocument' || typeof value !== 'function') return value;
            return async (source: string) => {
              if (armed && (await target.leaseHolder(source))?.owner === self) {
                armed = false;
                const until = Date.now() + leaseTtlMs + 200;
                while (Date.now() < until); // the stall: no timer (lease renewal included) runs
                await waitFor(() => emulator.stats().startConfigurationSession > sessionsBefore, {
                  timeoutMs: 5000,
                  message: 'the other replica starting a new session',
                }).catch(() => undefined);
              }
              return (value as ConfigStore['readDocument']).call(target, source);
            };
          },
        });
    const [a, b] = await Promise.all([
      replica('stall-a', { leaseTtlMs, wrap: stalling('stall-a') }),
      replica('stall-b', { leaseTtlMs, wrap: stalling('stall-b') }),
    ]);
    await Promise.all([a.status.whenReady(3000), b.status.whenReady(3000)]);
    sessionsBefore = emulator.stats().startConfigurationSession;
    armed = true;
    emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha', 'stalled']), 'application/json', 'v-stalled');
    await waitFor(() => [a, b].every((r) => r.snapshots.get(SOURCE_KEY)?.versionLabel === 'v-stalled'), {
      timeoutMs: 8000,
      message: 'both replicas serving the deploy received by the stalled holder',
    });
    expect(armed).toBe(false); // the stall happened
    expect(emulator.stats().startConfigurationSession).toBe(sessionsBefore + 1);
    // /status of each replica says what happened: one dropped the result, the other fetched it again.
    // (the stalled holder records its side once its dropped publish fails, possibly after the deploy serves).
    const errorNames = () =>
      [a, b]
        .map((r) => r.status.sources().find((s) => s.source === SOURCE_KEY)?.lastError?.name ?? '')
        .sort();
    await waitFor(() => errorNames().join() === 'LeaseLostAfterFetch,UnpublishedContent', {
      timeoutMs: 5000,
      message: `both sides in /status (${errorNames().join()})`,
    });
  });
});
