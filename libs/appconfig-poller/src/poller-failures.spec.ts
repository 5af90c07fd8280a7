import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { RunningEmulator } from '@flagfleet/appconfig-emulator';
import {
  MemoryConfigStore,
  StoreUnavailableError,
  type NewDocument,
  type PollLease,
  type PublishOutcome,
} from '@flagfleet/config-store';
import { waitFor } from '../../../test/support/wait-for';
import { PollerEvent } from './events';
import { SESSION_MAX_AGE_MS } from './poll-schedule';
import {
  APP,
  ENV,
  PROFILE,
  SOURCE,
  SOURCE_KEY,
  SkewedClock,
  armFault,
  flagDocument,
  startEmulator,
  startPoller,
  type RunningPoller,
} from './testing/poller-test-bed';

describe('AppConfig poller failure handling (real SDK against the emulator)', () => {
  let emulator: RunningEmulator;
  let store: MemoryConfigStore;
  const running: RunningPoller[] = [];
  const start = async (
    overrides: Parameters<typeof startPoller>[2] = {},
    target: Pick<RunningEmulator, 'url'> = emulator,
  ): Promise<RunningPoller> => {
    const poller = await startPoller(target, store, overrides);
    running.push(poller);
    return poller;
  };
  const ready = async (overrides: Parameters<typeof startPoller>[2] = {}): Promise<RunningPoller> => {
    const poller = await start(overrides);
    if (!(await poller.status.whenReady(3000))) throw new Error('poller never became ready');
    return poller;
  };
  /** Resolves once a poll has succeeded after `since`. */
  const succeededSince = (poller: RunningPoller, since: number, message: string) =>
    waitFor(() => (poller.status.sources()[0].lastSuccessAt ?? 0) > since, { timeoutMs: 4000, message });

  beforeEach(async () => {
    emulator = await startEmulator();
    store = new MemoryConfigStore();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((poller) => poller.close()));
    await emulator.close();
  });

  it.each(['expire-tokens', 'corrupt-tokens'])(
    'repairs a refused token (%s) with a new session, and the unchanged document fires no change',
    async (fault) => {
      const poller = await ready();
      const armedAt = Date.now();
      await armFault(emulator, { type: fault });
      await waitFor(() => emulator.stats().startConfigurationSession === 2, {
        timeoutMs: 3000,
        message: 'new session',
      });
      await succeededSince(poller, armedAt, 'poll after the new session');

      expect(emulator.stats().configurationsReturned).toBe(2); // the new session re-sent the full document
      expect(poller.events.changed).toHaveLength(1);
      expect(poller.snapshots.get(SOURCE_KEY)?.revision).toBe(1);
      expect(poller.events.errors).toEqual([]);
    },
  );

  it('replaces a session older than 23 hours before its token can expire', async () => {
    const poller = await ready();
    const agedAt = Date.now();
    poller.clock.skewMs = SESSION_MAX_AGE_MS;
    await waitFor(() => emulator.stats().startConfigurationSession === 2, {
      timeoutMs: 3000,
      message: 'new session',
    });
    await succeededSince(poller, agedAt, 'poll in the new session');

    const token = await store.readToken(SOURCE_KEY);
    expect(token?.sessionStartedAt).toBeGreaterThanOrEqual(Date.now() + SESSION_MAX_AGE_MS - 5000);
    expect(poller.events.changed).toHaveLength(1);
    expect(poller.events.errors).toEqual([]);
  });

  it.each([
    ['throttling', 'ThrottlingException'],
    ['internal-error', 'InternalServerException'],
    ['disconnect', 'TimeoutError'],
  ])('backs off on %s, keeps serving, then recovers', async (fault, errorName) => {
    const poller = await ready();
    const healthAtError: boolean[] = [];
    poller.moduleRef.get(EventEmitter2).on(PollerEvent.POLLER_ERROR, () => {
      healthAtError.push(poller.status.sources()[0].healthy);
      // The last good snapshot stays served throughout.
      expect(poller.snapshots.get(SOURCE_KEY)?.revision).toBe(1);
    });
    await armFault(emulator, { type: fault, count: 3 });
    await waitFor(() => poller.events.recovered.length === 1, { timeoutMs: 4000, message: 'recovery' });

    expect(poller.events.errors).toHaveLength(3);
    for (const error of poller.events.errors) {
      expect(error).toMatchObject({ source: SOURCE_KEY, errorName });
      expect(error.retryInMs).toBeGreaterThanOrEqual(25);
      expect(error.retryInMs).toBeLessThanOrEqual(200);
    }
    expect(healthAtError).toEqual([false, false, false]);
    expect(poller.events.recovered[0].downForMs).toBeGreaterThan(0);
    expect(poller.status.sources()[0]).toMatchObject({ healthy: true, consecutiveFailures: 0 });
    expect(poller.status.sources()[0].lastError?.name).toBe(poller.events.errors[2].errorName);
    expect(poller.events.changed).toHaveLength(1);
  });

  it('abandons a call that outlives the request timeout and recovers', async () => {
    const poller = await ready({
      client: {
        endpoint: emulator.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        requestTimeoutMs: 300,
      },
    });
    await armFault(emulator, { type: 'latency', latencyMs: 1500 });
    await waitFor(() => poller.events.recovered.length === 1, { timeoutMs: 4000, message: 'recovery' });

    expect(poller.events.errors[0]).toMatchObject({ errorName: 'AppConfigTimeoutError' });
    expect(poller.snapshots.get(SOURCE_KEY)?.revision).toBe(1);
  });

  it('reports a missing profile as unhealthy, keeps retrying, and picks it up once deployed', async () => {
    const missing = { application: APP, environment: ENV, profile: 'later' };
    const poller = await start({ sources: [SOURCE, missing] });
    const missingKey = `${APP}/${ENV}/later`;
    await waitFor(() => poller.events.errors.filter((e) => e.source === missingKey).length >= 2, {
      timeoutMs: 3000,
      message: 'repeated not-found errors',
    });

    expect(poller.events.errors[0]).toMatchObject({
      source: missingKey,
      errorName: 'ResourceNotFoundException',
    });
    const [found, notFound] = poller.status.sources();
    expect(found).toMatchObject({ source: SOURCE_KEY, healthy: true, snapshotLoaded: true });
    expect(notFound).toMatchObject({ source: missingKey, healthy: false, snapshotLoaded: false });
    expect(notFound.lastError?.name).toBe('ResourceNotFoundException');
    expect(poller.status.isReady()).toBe(false);

    emulator.deploy(APP, ENV, 'later', flagDocument(['late']), 'application/json', 'l1');
    await expect(poller.status.whenReady(3000)).resolves.toBe(true);
    await waitFor(() => poller.status.sources()[1].healthy, { message: 'healthy again' });
    expect(poller.events.recovered).toEqual([expect.objectContaining({ source: missingKey })]);
  });

  it('rejects an invalid document once, keeps the last good one, then accepts the next valid one', async () => {
    const poller = await ready();
    // A second replica: whichever of the two polls, both show the rejection, and it is announced once.
    const other = await startPoller(emulator, store.replica(), { replicaId: 'other' });
    running.push(other);
    const rejected = () => [...poller.events.rejected, ...other.events.rejected];
    const invalid = JSON.stringify({ flags: { broken: { state: 'SOMETIMES', variants: {} } } });
    emulator.deploy(APP, ENV, PROFILE, invalid, 'application/json', 'bad');
    await waitFor(() => rejected().length === 1, { timeoutMs: 3000, message: 'config.rejected' });

    const [event] = rejected();
    expect(event).toMatchObject({ source: SOURCE_KEY, versionLabel: 'bad' });
    expect(event.problems.length).toBeGreaterThan(0);
    expect(poller.snapshots.get(SOURCE_KEY)?.versionLabel).toBe('v1');
    expect((await store.readDocument(SOURCE_KEY))?.revision).toBe(1);
    const codes = [...new Set(event.problems.map((problem) => problem.code))];
    const rejection = {
      versionLabel: 'bad',
      contentHash: event.contentHash,
      problemCodes: codes,
      problemCount: event.problems.length,
      servingRevision: 1,
    };
    const showsRejection = async (replica: RunningPoller) => {
      await waitFor(() => replica.status.sources()[0].rejection !== null, {
        timeoutMs: 3000,
        message: 'the rejection on /status',
      });
      const status = replica.status.sources()[0];
      expect(status).toMatchObject({ healthy: false, consecutiveFailures: 0, revision: 1, rejection });
      expect(status.lastError).toMatchObject({ name: 'ConfigRejected', at: status.rejection?.at });
      expect(status.lastError?.message).toContain('revision 1 keeps serving');
      expect(status.lastError?.message).toContain(codes[0]);
    };
    await showsRejection(poller);
    await showsRejection(other);
    // A new session re-sends the rejected bytes: still rejected, not announced twice.
    await armFault(emulator, { type: 'expire-tokens' });
    await waitFor(() => emulator.stats().startConfigurationSession === 2, {
      timeoutMs: 3000,
      message: 'new session',
    });
    const polls = emulator.stats().getLatestConfiguration;
    await waitFor(() => emulator.stats().getLatestConfiguration > polls, {
      timeoutMs: 3000,
      message: 'a poll in the new session',
    });
    expect(rejected()).toHaveLength(1);
    await showsRejection(poller);
    await showsRejection(other);

    emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha', 'fixed']), 'application/json', 'v3');
    for (const replica of [poller, other]) {
      await waitFor(() => replica.status.sources()[0].healthy && replica.status.sources()[0].revision === 2, {
        timeoutMs: 3000,
        message: 'v3 served and healthy',
      });
      expect(replica.status.sources()[0]).toMatchObject({
        rejection: null,
        lastError: null,
        versionLabel: 'v3',
      });
    }
    expect(poller.events.changed.map((e) => e.revision)).toEqual([1, 2]);
  });

  it('renews the lease while a slow call runs, so no other replica can take over', async () => {
    const poller = await ready({ replicaId: 'slow', leaseTtlMs: 300 });
    await armFault(emulator, { type: 'latency', latencyMs: 900 });
    const before = emulator.stats().getLatestConfiguration;
    const first = await waitFor(
      async () => {
        const holder = await store.leaseHolder(SOURCE_KEY);
        return holder?.owner === 'slow' ? holder : null;
      },
      { timeoutMs: 3000, message: 'slow call' },
    );

    // Past the original TTL, still inside the call: the lease has been extended, not lost.
    await waitFor(
      async () => ((await store.leaseHolder(SOURCE_KEY))?.expiresAt ?? 0) > first!.expiresAt + 300,
      {
        timeoutMs: 800,
        message: 'renewal',
      },
    );
    expect(emulator.stats().getLatestConfiguration).toBe(before);
    expect(await store.replica().acquireLease(SOURCE_KEY, 'other', 1000)).toBeNull();
    await waitFor(() => emulator.stats().getLatestConfiguration > before, {
      timeoutMs: 3000,
      message: 'slow call answered',
    });
    expect(poller.events.errors).toEqual([]);
  });

  it('fetches the document again when publishing it failed, instead of losing it', async () => {
    class StoreFailingOnce extends MemoryConfigStore {
      failNextPublish = false;
      override async publishDocument(lease: PollLease, document: NewDocument): Promise<PublishOutcome> {
        if (!this.failNextPublish) return super.publishDocument(lease, document);
        this.failNextPublish = false;
        throw new StoreUnavailableError('injected');
      }
    }
    const flaky = new StoreFailingOnce();
    store = flaky;
    const poller = await ready();
    flaky.failNextPublish = true;
    emulator.deploy(APP, ENV, PROFILE, flagDocument(['alpha', 'delta']), 'application/json', 'v2');
    await waitFor(() => poller.snapshots.get(SOURCE_KEY)?.versionLabel === 'v2', {
      timeoutMs: 4000,
      message: 'v2',
    });

    expect(poller.events.errors.map((e) => e.errorName)).toEqual(['StoreUnavailableError']);
    expect(emulator.stats().startConfigurationSession).toBe(2); // the re-fetch came from a new session
    expect(poller.events.changed.map((e) => e.versionLabel)).toEqual(['v1', 'v2']);
  });

  it('drops its result when the lease is lost during a call, and the new holder carries on', async () => {
    const clock = new SkewedClock();
    store = new MemoryConfigStore({ clock });
    const poller = await ready({ replicaId: 'slow' });
    await armFault(emulator, { type: 'latency', latencyMs: 600 });
    const before = emulator.stats().getLatestConfiguration;
    await waitFor(async () => (await store.leaseHolder(SOURCE_KEY))?.owner === 'slow', {
      timeoutMs: 3000,
      message: 'slow call',
    });
    const tokenBefore = await store.readToken(SOURCE_KEY);

    // The slow holder's lease expires (as if it were paused) and another replica takes it.
    clock.skewMs = 60_000;
    const intruder = store.replica();
    const lease = await intruder.acquireLease(SOURCE_KEY, 'intruder', 60_000);
    expect(lease).not.toBeNull();
    await waitFor(() => emulator.stats().getLatestConfiguration > before, {
      timeoutMs: 3000,
      message: 'slow call answered',
    });
    await waitFor(() => poller.status.sources()[0].leaseHolder === null, {
      timeoutMs: 3000,
      message: 'slow cycle ended',
    });

    expect(await store.readToken(SOURCE_KEY)).toEqual(tokenBefore); // the stale holder wrote nothing
    expect(poller.events.errors).toEqual([]);
    const releasedAt = Date.now();
    await intruder.releaseLease(lease!);
    // The stored token was spent by the dropped call: the next holder repairs the chain with a new session.
    await waitFor(() => emulator.stats().startConfigurationSession === 2, {
      timeoutMs: 3000,
      message: 'repair',
    });
    await succeededSince(poller, releasedAt, 'poll after repair');
    expect(poller.events.changed).toHaveLength(1);
  });

  describe('with BACKUP_DIR', () => {
    let backupDir: string;
    beforeEach(async () => {
      backupDir = await mkdtemp(join(tmpdir(), 'flagfleet-backup-'));
    });
    afterEach(() => rm(backupDir, { recursive: true, force: true }));

    it('keeps the last good document on disk and serves it at a cold start without AppConfig or store', async () => {
      const first = await ready({ backupDir });
      await waitFor(
        async () => (await readdir(backupDir)).includes(`${encodeURIComponent(SOURCE_KEY)}.json`),
        {
          message: 'backup file',
        },
      );
      expect((await readdir(backupDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      await first.close();
      running.splice(0);

      store = new MemoryConfigStore(); // Redis lost everything
      const cold = await start({ backupDir }, { url: 'http://127.0.0.1:9' }); // AppConfig unreachable
      expect(cold.status.isReady()).toBe(true);
      expect(cold.snapshots.get(SOURCE_KEY)).toMatchObject({ versionLabel: 'v1', revision: 1 });
      expect(cold.snapshots.get(SOURCE_KEY)?.content.toString()).toBe(flagDocument(['alpha']));
      await waitFor(() => cold.events.errors.length > 0, { message: 'poll error' });
      expect(cold.snapshots.get(SOURCE_KEY)?.versionLabel).toBe('v1');
    });
  });
});
