import Redis from 'ioredis';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { startRedisServer, type RedisServerHandle } from '../../../test/support/redis-server';
import { waitFor } from '../../../test/support/wait-for';
import { freePort } from '../../../test/support/free-port';
import type { FlagChange } from './change-notifier';
import { type ChangeDelivery, createChangeDelivery } from './change-delivery';
import { StoreUnavailableError } from '@flagfleet/config-store';
import { type Clock, Logger, ManualClock, SystemClock } from '@flagfleet/core';
import { memoryDeliveryStorage } from './backend/memory-backend';
import { redisDeliveryStorage } from './backend/redis-backend';
import type { ChangeDeliveryOptions } from './delivery-options';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-receiver';

const config: ChangeDeliveryOptions = {
  secretKey: 'integration-test-key-0123456789',
  targets: { allowHttp: true, allowedHosts: ['127.0.0.1'] },
  retryScheduleMs: [50, 100, 100],
  claimIdleMs: 400,
  timeoutMs: 5000,
  logLength: 50,
  maxSubscriptions: 1000,
  redis: null,
  replicaId: 'replica-a',
};

/** A replica on the memory backend, as ChangeDeliveryModule builds it without REDIS_URL. */
const inMemory = (options: ChangeDeliveryOptions, clock: Clock = new SystemClock()): ChangeDelivery =>
  createChangeDelivery(options, memoryDeliveryStorage(options, logger, clock), logger, undefined, clock);

const logs: string[] = [];
/** Keeps every line (tests assert on warnings). */
class RecordingLogger extends Logger {
  debug(message: string): void {
    logs.push(message);
  }
  info(message: string): void {
    logs.push(message);
  }
  warn(message: string): void {
    logs.push(message);
  }
  error(message: string): void {
    logs.push(message);
  }
  child(): Logger {
    return this;
  }
}
const logger = new RecordingLogger();

const change = (revision: number, over: Partial<FlagChange> = {}): FlagChange => ({
  kind: 'revision',
  source: 'app/env/flags',
  revision,
  previousRevision: revision - 1,
  versionLabel: `v${revision}`,
  added: [],
  removed: [],
  changed: ['banner'],
  definitions: { banner: { old: { state: 'DISABLED' }, new: { state: 'ENABLED' } } },
  publishedHere: true,
  fetchedAt: Date.now(),
  ...over,
});

/** Polls until the list holds at least `min` items (bounded by waitFor). */
async function listOf<T>(probe: () => Promise<T[]>, min = 1): Promise<T[]> {
  let found: T[] = [];
  await waitFor(async () => (found = await probe()).length >= min);
  return found;
}

const revisionOf = (body: string) => (JSON.parse(body) as { data: { revision: number } }).data.revision;

describe('change delivery, memory (one replica)', () => {
  let receiver: WebhookReceiver;
  let delivery: ChangeDelivery;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    delivery = inMemory(config);
    delivery.start();
  });
  afterEach(async () => {
    await delivery.stop();
    await receiver.close();
  });

  it('receiver answers 500, 500, 200: delivered on the third attempt with the same webhook-id', async () => {
    receiver.respond((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const { subscription, secret } = await delivery.subscriptions.create({ url: receiver.url });
    await delivery.notify(change(2));
    await waitFor(() => receiver.received.length === 3, { message: 'three attempts' });
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const { body, headers } of receiver.received) {
      expect(new Webhook(secret).verify(body, headers as Record<string, string>)).toMatchObject({
        type: 'flags.changed',
        data: {
          source: 'app/env/flags',
          revision: 2,
          versionLabel: 'v2',
          changed: ['banner'],
          flags: { banner: expect.any(Object) },
        },
      });
    }
    const log = await listOf(() => delivery.deliveries.log(subscription.id), 3);
    expect(log.map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [3, 200, 'delivered'],
      [2, 500, 'retrying'],
      [1, 500, 'retrying'],
    ]);
    expect(logs.join('\n')).not.toContain(secret);
  });

  it('queues nothing for a load at start-up (not a change)', async () => {
    await delivery.subscriptions.create({ url: receiver.url });
    await delivery.notify(change(3, { publishedHere: false, previousRevision: null }));
    const ping = await delivery.deliveries.ping((await delivery.subscriptions.list())[0].id);
    expect(ping).toMatchObject({ outcome: 'delivered', type: 'webhook.ping' });
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['webhook.ping']);
  });

  it('410 disables the subscription and dead-letters; replay after re-enabling delivers the same id', async () => {
    receiver.respond(() => ({ status: 410 }));
    const { subscription } = await delivery.subscriptions.create({ url: receiver.url });
    await delivery.notify(change(4));
    const [letter] = await listOf(() => delivery.deliveries.deadLetters());
    expect(letter.reason).toMatch(/410/);
    expect(await delivery.subscriptions.get(subscription.id)).toMatchObject({ enabled: false });
    receiver.respond(() => ({ status: 200 }));
    await delivery.subscriptions.update(subscription.id, { enabled: true });
    await delivery.deliveries.replay(letter.job.id);
    await waitFor(() => receiver.received.length === 2, { message: 'replayed delivery' });
    expect(receiver.received[1].headers['webhook-id']).toBe(letter.job.id);
    expect(await delivery.deliveries.deadLetters()).toEqual([]);
  });

  it('gives up after the schedule and keeps the delivery in the dead-letter list', async () => {
    receiver.respond(() => ({ status: 500 }));
    await delivery.subscriptions.create({ url: receiver.url });
    await delivery.notify(change(5));
    const [letter] = await listOf(() => delivery.deliveries.deadLetters());
    expect(receiver.received).toHaveLength(4); // first attempt + 3 retries
    expect(letter).toMatchObject({ attempts: 4, reason: expect.stringContaining('HTTP 500') });
  });
});

describe('change delivery, attempts that get no HTTP answer (issue 23)', () => {
  let delivery: ChangeDelivery;
  beforeEach(() => {
    logs.length = 0;
    delivery = inMemory({ ...config, timeoutMs: 300, retryScheduleMs: [60_000] });
    delivery.start();
  });
  afterEach(() => delivery.stop());

  it('a refused connection is recorded and logged with its class and message', async () => {
    const port = await freePort(); // nothing listens on it
    const { subscription, secret } = await delivery.subscriptions.create({
      url: `http://127.0.0.1:${port}/hook?token=abc`,
    });
    await delivery.notify(change(30));
    const [attempt] = await listOf(() => delivery.deliveries.log(subscription.id));
    expect(attempt).toMatchObject({ status: null, outcome: 'retrying' });
    expect(attempt.error).toMatch(new RegExp(`^connection refused: .*ECONNREFUSED.*${port}`));
    const line = logs.find((l) => l.includes(attempt.deliveryId));
    expect(line).toMatch(/attempt 1 .*got no answer: connection refused: /);
    expect(line).toContain(subscription.id);
    for (const hidden of ['token=abc', secret]) expect(logs.join('\n')).not.toContain(hidden);
  });

  it('a receiver that never answers is recorded and logged as a timeout', async () => {
    const silent = createServer(() => undefined); // accepts, reads, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const { subscription } = await delivery.subscriptions.create({ url: `http://127.0.0.1:${port}/hook` });
      await delivery.notify(change(31));
      const [attempt] = await listOf(() => delivery.deliveries.log(subscription.id));
      expect(attempt).toMatchObject({
        status: null,
        outcome: 'retrying',
        error: 'timeout: no answer within 300 ms',
      });
      expect(attempt.latencyMs).toBeGreaterThanOrEqual(290);
      expect(logs.find((l) => l.includes(attempt.deliveryId))).toMatch(
        /got no answer: timeout: no answer within 300 ms/,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('change delivery on an injected clock (retries without waiting for them)', () => {
  it('retries after the scheduled delays, stamping each attempt with the clock', async () => {
    const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'));
    const receiver = await startWebhookReceiver();
    // The production schedule's first delays: 5 s, then 5 min (each ±20 % jitter).
    const delivery = inMemory({ ...config, retryScheduleMs: [5_000, 300_000] }, clock);
    delivery.start();
    try {
      receiver.respond((_req, i) => ({ status: i < 2 ? 500 : 200 }));
      const { subscription } = await delivery.subscriptions.create({ url: receiver.url });
      await delivery.notify(change(20));
      const stamps: number[] = [];
      for (const [delayMs, attempts] of [
        [5_000, 1],
        [300_000, 2],
      ] as const) {
        await waitFor(() => receiver.received.length === attempts, { message: `attempt ${attempts}` });
        stamps.push(clock.now());
        const [last] = await listOf(() => delivery.deliveries.log(subscription.id), attempts);
        const dueIn = Date.parse(last.nextAttemptAt!) - clock.now();
        expect(dueIn).toBeGreaterThanOrEqual(delayMs * 0.8);
        expect(dueIn).toBeLessThanOrEqual(delayMs * 1.2);
        expect(receiver.received).toHaveLength(attempts); // not before its time
        clock.advance(delayMs * 1.2);
      }
      await waitFor(() => receiver.received.length === 3, { message: 'the delivering attempt' });
      stamps.push(clock.now());
      expect(receiver.received.map((r) => Number(r.headers['webhook-timestamp']))).toEqual(
        stamps.map((ms) => Math.floor(ms / 1000)),
      );
      const log = await listOf(() => delivery.deliveries.log(subscription.id), 3);
      expect(log.map((a) => [a.attempt, a.outcome, Date.parse(a.at)])).toEqual([
        [3, 'delivered', stamps[2]],
        [2, 'retrying', stamps[1]],
        [1, 'retrying', stamps[0]],
      ]);
    } finally {
      await delivery.stop();
      await receiver.close();
    }
  });
});

describe('change delivery, Redis (two replicas on one Redis)', () => {
  let redis: RedisServerHandle;
  let receiver: WebhookReceiver;
  const connections: Redis[] = [];
  const replicas: ChangeDelivery[] = [];
  let inspect: Redis;

  /** `commandTimeout` bounds commands (not the blocking read): a hung Redis then fails them. */
  const replica = (commandTimeout?: number): ChangeDelivery => {
    const commands = new Redis(redis.url, { maxRetriesPerRequest: 1, disconnectTimeout: 50, commandTimeout });
    const blocking = new Redis(redis.url, { maxRetriesPerRequest: 1, disconnectTimeout: 50 });
    connections.push(commands, blocking);
    const options = { ...config, replicaId: `replica-${replicas.length}` };
    const storage = redisDeliveryStorage(
      options,
      { commands, blocking, keyPrefix: 'test:' },
      logger,
      new SystemClock(),
    );
    const delivery = createChangeDelivery(options, storage, logger);
    replicas.push(delivery);
    return delivery;
  };
  /** Every entry acknowledged and deleted: nothing more will be delivered. */
  const drained = () =>
    waitFor(async () => (await inspect.xlen('test:{webhooks}:queue')) === 0, {
      message: 'the queue to drain',
    });

  beforeAll(async () => {
    redis = await startRedisServer();
    inspect = new Redis(redis.url);
  });
  beforeEach(async () => {
    await inspect.flushall();
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.stop()));
    await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => undefined)));
    await receiver.close();
  });
  afterAll(async () => {
    await inspect.quit();
    await redis.stop();
  });

  it('enqueues once per change and delivers exactly once per subscriber across workers', async () => {
    const [a, b] = [replica(), replica()];
    a.start();
    b.start();
    const other = await startWebhookReceiver();
    try {
      const first = await a.subscriptions.create({ url: receiver.url });
      const second = await b.subscriptions.create({ url: other.url });
      // Every replica hears the change; only the publisher enqueues, and a repeat is a no-op.
      await Promise.all([
        a.notify(change(7)),
        b.notify(change(7, { publishedHere: false })),
        b.notify(change(7)),
      ]);
      await waitFor(() => receiver.received.length >= 1 && other.received.length >= 1);
      await drained();
      expect(receiver.received).toHaveLength(1);
      expect(other.received).toHaveLength(1);
      // The lib adds the Cluster hash tag to the caller's plain prefix: one slot for every key.
      expect((await inspect.keys('*')).filter((key) => !key.startsWith('test:{webhooks}:'))).toEqual([]);
      expect(() =>
        new Webhook(first.secret).verify(
          receiver.received[0].body,
          receiver.received[0].headers as Record<string, string>,
        ),
      ).not.toThrow();
      expect(() =>
        new Webhook(second.secret).verify(
          other.received[0].body,
          other.received[0].headers as Record<string, string>,
        ),
      ).not.toThrow();
    } finally {
      await other.close();
    }
  });

  it('a source added and removed: one signed source.added before its revisions, one source.removed after, fleet-wide', async () => {
    const [a, b] = [replica(), replica()];
    a.start();
    b.start();
    const { secret } = await a.subscriptions.create({ url: receiver.url });
    // Every replica whose folder gained the file tells its notifier (twice here), before the revision.
    const added = change(3, { kind: 'added', changed: [], added: ['banner'], definitions: {} });
    await Promise.all([a.notify(added), b.notify(added), b.notify(added)]);
    await Promise.all([a.notify(change(3)), b.notify(change(3, { publishedHere: false }))]);
    const removal = change(3, { kind: 'removed', changed: [], removed: ['banner'], definitions: {} });
    await Promise.all([a.notify(removal), b.notify(removal), b.notify(removal)]);
    await waitFor(() => receiver.received.length >= 3, { message: 'the addition, revision and removal' });
    await drained();
    const events = receiver.received.map(
      (hook) =>
        new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string },
    );
    const subject = { source: 'app/env/flags', revision: 3, versionLabel: 'v3' };
    expect(events).toEqual([
      { type: 'source.added', timestamp: expect.any(String), data: { ...subject, added: ['banner'] } },
      expect.objectContaining({ type: 'flags.changed', data: expect.objectContaining({ revision: 3 }) }),
      { type: 'source.removed', timestamp: expect.any(String), data: { ...subject, removed: ['banner'] } },
    ]);
    const ids = receiver.received.map((hook) => hook.headers['webhook-id']);
    expect(new Set(ids).size).toBe(3);
  });

  it("queues a removal whose queueing failed while the queue's Redis hung, once, when it answers again", async () => {
    const a = replica(300);
    a.start();
    await a.subscriptions.create({ url: receiver.url });
    redis.pause();
    try {
      await a.notify(change(4, { kind: 'removed', changed: [], removed: ['banner'] }));
    } finally {
      redis.resume();
    }
    expect(logs.join('\n')).toContain('change notification for app/env/flags@4 failed');
    await waitFor(() => receiver.received.length >= 1, {
      timeoutMs: 8000,
      message: 'the removal after the outage',
    });
    await drained();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['source.removed']);
  });

  it('remembers at most 32 source events of a source until they are queued: the last 32, in order', async () => {
    const a = replica(300);
    a.start();
    await a.subscriptions.create({ url: receiver.url });
    // Told in one turn, before any is queued: a source whose file comes and goes faster than the queue takes them.
    const events = Array.from({ length: 40 }, (_, i) =>
      change(i + 1, {
        kind: i % 2 === 0 ? 'added' : 'removed',
        changed: [],
        added: ['banner'],
        removed: ['banner'],
        definitions: {},
      }),
    );
    await Promise.all(events.map((event) => a.notify(event)));
    await waitFor(() => receiver.received.length >= 32, { message: 'the last 32 source events' });
    await drained();
    expect(receiver.received.map((hook) => revisionOf(hook.body))).toEqual(
      Array.from({ length: 32 }, (_, i) => i + 9),
    );
  });

  it("queues a change whose queueing failed while the queue's Redis hung, once, when it answers again", async () => {
    const [a, b] = [replica(300), replica(300)];
    a.start();
    b.start();
    await a.subscriptions.create({ url: receiver.url });
    redis.pause();
    try {
      await Promise.all([a.notify(change(1)), b.notify(change(1, { publishedHere: false }))]);
    } finally {
      redis.resume();
    }
    expect(logs.join('\n')).toContain('change notification for app/env/flags@1 failed');
    await waitFor(() => receiver.received.length >= 1, {
      timeoutMs: 8000,
      message: 'the delivery after the outage',
    });
    await drained();
    expect(receiver.received.map((r) => revisionOf(r.body))).toEqual([1]);
  });

  it('Redis hanging while a delivery is acknowledged: acknowledged later, not sent again', async () => {
    const a = replica(300);
    a.start();
    let release: (v?: unknown) => void = () => undefined;
    const answered = new Promise((resolve) => (release = resolve));
    receiver.respond(() => ({ status: 200, after: answered }));
    await a.subscriptions.create({ url: receiver.url });
    await a.notify(change(1));
    await waitFor(() => receiver.received.length === 1, { message: 'the attempt' });
    redis.pause();
    try {
      release();
      await waitFor(() => logs.some((line) => line.includes('Command timed out')), {
        message: 'a failed ack',
      });
    } finally {
      redis.resume();
    }
    await drained();
    expect(receiver.received).toHaveLength(1);
  });

  it('a replica queues, after the grace, what the publisher never queued; in order, each once', async () => {
    const [a, b] = [replica(), replica()];
    a.start();
    b.start();
    await a.subscriptions.create({ url: receiver.url });
    // The publisher died before queueing 1 and 2; both replicas saw both changes.
    await Promise.all(
      [1, 2].flatMap((r) => [a, b].map((x) => x.notify(change(r, { publishedHere: false })))),
    );
    await waitFor(() => receiver.received.length >= 2, { message: 'both revisions' });
    await drained();
    expect(receiver.received.map((r) => revisionOf(r.body))).toEqual([1, 2]);
  });

  it('queues again, under the same webhook-id, a revision whose record a failover lost', async () => {
    const a = replica();
    a.start();
    await a.subscriptions.create({ url: receiver.url });
    await a.notify(change(1));
    await waitFor(() => receiver.received.length === 1, { message: 'the first delivery' });
    await drained();
    // A promoted Redis replica that lagged: the record of revision 1 and its dedupe key are gone.
    await inspect.del('test:{webhooks}:queued', ...(await inspect.keys('test:{webhooks}:dedupe:*')));
    await waitFor(() => receiver.received.length === 2, { message: 'the revision queued again' });
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    await drained();
  });

  it('500, 500, 200 through the stream: third attempt, same webhook-id', async () => {
    const [a, b] = [replica(), replica()];
    a.start();
    b.start();
    receiver.respond((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const { subscription } = await a.subscriptions.create({ url: receiver.url });
    await a.notify(change(8));
    await waitFor(() => receiver.received.length === 3, { message: 'three attempts' });
    await drained();
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const log = await b.deliveries.log(subscription.id);
    expect(log.map((e) => e.outcome)).toEqual(['delivered', 'retrying', 'retrying']);
  });

  it("a dead worker's delivery is claimed and delivered by another", async () => {
    let release: (v?: unknown) => void = () => undefined;
    const hung = new Promise((resolve) => (release = resolve));
    receiver.respond((_req, i) => ({ status: 200, after: i === 0 ? hung : undefined }));
    const doomed = replica();
    doomed.start();
    await doomed.subscriptions.create({ url: receiver.url });
    await doomed.notify(change(9));
    await waitFor(() => receiver.received.length === 1, { message: 'the first attempt' });
    // The holder "dies" mid-attempt: its connections vanish, so it neither acks nor heartbeats.
    connections[0].disconnect();
    connections[1].disconnect();
    const survivor = replica();
    survivor.start();
    await waitFor(() => receiver.received.length === 2, { timeoutMs: 5000, message: 'the claimed delivery' });
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    await drained();
    release();
  });

  it('delivers in revision order per subscription, even while an earlier one is retried', async () => {
    const [a, b] = [replica(), replica()];
    receiver.respond((req, i) => ({ status: i === 0 ? 503 : 200 }));
    await a.subscriptions.create({ url: receiver.url });
    for (const revision of [10, 11, 12]) await a.notify(change(revision));
    a.start();
    b.start();
    await waitFor(() => receiver.received.length === 4, { message: 'four requests' });
    await drained();
    expect(receiver.received.map((r) => revisionOf(r.body))).toEqual([10, 10, 11, 12]);
  });

  it('answers a Redis failure as the config store does: StoreUnavailableError (503)', async () => {
    const a = replica();
    await a.subscriptions.create({ url: receiver.url });
    connections[0].disconnect();
    const failure = await a.subscriptions.list().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(failure).toMatchObject({ code: 'FLAGFLEET_STORE_UNAVAILABLE', status: 503 });
    await expect(a.deliveries.deadLetters()).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
