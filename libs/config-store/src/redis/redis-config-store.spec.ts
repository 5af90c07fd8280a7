import Redis from 'ioredis';
import { gunzipSync, gzipSync } from 'node:zlib';
import { contentHash } from '../content-hash';
import { startRedisServer, RedisServerHandle } from '../../../../test/support/redis-server';
import { waitFor } from '../../../../test/support/wait-for';
import { LeaseLostError, StoreUnavailableError } from '../errors';
import { describeConfigStoreContract, newDocument } from '../testing/config-store.contract';
import { RedisConfigStore, RedisConfigStoreOptions } from './redis-config-store';
import { revisionChannel } from './redis-keys';

/** Fail fast and reconnect fast: tests bound every wait well under Jest's timeout. */
const FAST = { commandTimeoutMs: 300, maxBackoffMs: 100 } as const;

describeConfigStoreContract('RedisConfigStore', async () => {
  const server = await startRedisServer();
  return {
    replica: async () => {
      const store = new RedisConfigStore({ url: server.url, ...FAST });
      await store.ready();
      return store;
    },
    leaseTtlMs: 60,
    elapse: async () => undefined,
    teardown: () => server.stop(),
  };
});

describe('RedisConfigStore', () => {
  let server: RedisServerHandle;
  let admin: Redis;
  let stores: RedisConfigStore[];
  let source: string;
  let counter = 0;

  const open = (options: Partial<RedisConfigStoreOptions> = {}) => {
    const store = new RedisConfigStore({ url: server.url, ...FAST, ...options });
    stores.push(store);
    return store;
  };
  const connected = (store: RedisConfigStore) =>
    waitFor(() => store.health().connected, { timeoutMs: 3000, message: 'store connected' });

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });
  beforeEach(() => {
    stores = [];
    counter += 1;
    source = `redis-app-${counter}/env/profile`;
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('keeps every key of a source under the prefix and one hash tag', async () => {
    const store = open({ keyPrefix: 'ff-test:' });
    const lease = (await store.acquireLease(source, 'a', 10_000))!;
    await store.writeToken(lease, { token: 't', sessionStartedAt: 1, nextPollAt: 2 });
    await store.publishDocument(lease, newDocument('{}'));
    const keys = (await admin.keys('ff-test:*')).sort();
    expect(keys).toEqual([
      `ff-test:{${source}}:document`,
      `ff-test:{${source}}:fence`,
      `ff-test:{${source}}:lease`,
      `ff-test:{${source}}:token`,
    ]);
    const slots = await Promise.all(
      keys.map((key) => admin.call('CLUSTER', 'KEYSLOT', key).catch(() => null)),
    );
    // CLUSTER KEYSLOT needs cluster mode on some builds; when it answers, all slots are equal.
    if (slots.every((slot) => slot !== null)) expect(new Set(slots).size).toBe(1);
  });

  it('fences a paused holder: after takeover its token and document writes fail and the new state stands', async () => {
    const [a, b] = [open(), open()];
    const leaseA = (await a.acquireLease(source, 'replica-a', 80))!;
    await a.writeToken(leaseA, { token: 'a-1', sessionStartedAt: 1, nextPollAt: 1 });
    // A "pauses": it stops renewing; Redis expires the lease by itself.
    await waitFor(async () => (await b.leaseHolder(source)) === null, {
      timeoutMs: 2000,
      message: 'lease expiry',
    });
    const leaseB = (await b.acquireLease(source, 'replica-b', 10_000))!;
    expect(leaseB.fence).toBe(leaseA.fence + 1);
    await b.writeToken(leaseB, { token: 'b-1', sessionStartedAt: 2, nextPollAt: 2 });
    await b.publishDocument(leaseB, newDocument('from-b'));

    // A resumes and carries on as if it still held the lease.
    await expect(
      a.writeToken(leaseA, { token: 'a-2', sessionStartedAt: 1, nextPollAt: 1 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.publishDocument(leaseA, newDocument('from-a'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await a.renewLease(leaseA, 10_000)).toBeNull();
    expect(await a.releaseLease(leaseA)).toBe(false);

    expect(await a.readToken(source)).toMatchObject({ token: 'b-1' });
    expect((await a.readDocument(source))!.content.toString()).toBe('from-b');
    expect(await a.leaseHolder(source)).toMatchObject({ owner: 'replica-b', fence: leaseB.fence });
  });

  it('starts cold from the document in Redis without any publish', async () => {
    const writer = open();
    const lease = (await writer.acquireLease(source, 'w', 10_000))!;
    await writer.publishDocument(lease, newDocument('{"flags":{}}', { versionLabel: '7' }));
    const cold = open();
    expect(await cold.readDocument(source)).toMatchObject({
      revision: 1,
      versionLabel: '7',
      content: Buffer.from('{"flags":{}}'),
    });
  });

  it('stores the document gzipped, and still reads a plain document written by an older version', async () => {
    const store = open();
    const text = JSON.stringify({
      flags: Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [
          `flag-${i}`,
          { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' },
        ]),
      ),
    });
    const lease = (await store.acquireLease(source, 'w', 10_000))!;
    await store.publishDocument(lease, newDocument(text));
    const key = `flagfleet:{${source}}:document`;
    const stored = await admin.hgetallBuffer(key);
    expect(stored.content).toBeUndefined();
    expect(gunzipSync(stored.contentGzip).toString()).toBe(text);
    expect(stored.contentGzip.length).toBeLessThan(text.length / 10);

    // What a replica of an older version left: plain bytes in `content`.
    await admin.hdel(key, 'contentGzip');
    await admin.hset(key, 'content', '{"flags":{}}', 'contentHash', contentHash('{"flags":{}}'));
    expect(await open().readDocument(source)).toMatchObject({
      revision: 1,
      content: Buffer.from('{"flags":{}}'),
    });
    // The next publish replaces it with the gzipped form.
    await store.publishDocument(lease, newDocument(text));
    expect(Object.keys(await admin.hgetallBuffer(key)).sort()).toEqual(
      ['contentGzip', 'contentHash', 'contentType', 'fetchedAt', 'revision', 'versionLabel'].sort(),
    );
  });

  it('stops decompressing a stored document at DOCUMENT_MAX_BYTES (a gzip bomb) with FLAGFLEET_DOCUMENT_TOO_LARGE', async () => {
    const store = open({ maxDocumentBytes: 1024 * 1024 });
    const bomb = Buffer.alloc(64 * 1024 * 1024, 0x20); // 64 MiB of spaces: about 64 KiB gzipped
    await admin.hset(`flagfleet:{${source}}:document`, {
      contentGzip: gzipSync(bomb),
      contentType: 'application/json',
      contentHash: contentHash(bomb),
      fetchedAt: '1',
      revision: '1',
    });
    await expect(store.readDocument(source)).rejects.toMatchObject({
      code: 'FLAGFLEET_DOCUMENT_TOO_LARGE',
      message: expect.stringContaining('DOCUMENT_MAX_BYTES (1048576 bytes)'),
    });
    // A plain `content` field (older versions) is bounded the same way.
    await admin.hdel(`flagfleet:{${source}}:document`, 'contentGzip');
    await admin.hset(`flagfleet:{${source}}:document`, 'content', Buffer.alloc(1024 * 1024 + 1));
    await expect(store.readDocument(source)).rejects.toMatchObject({ code: 'FLAGFLEET_DOCUMENT_TOO_LARGE' });
  });

  it('refuses a stored document whose content does not match its hash, content type included', async () => {
    const store = open();
    const lease = (await store.acquireLease(source, 'w', 10_000))!;
    await store.publishDocument(lease, newDocument('{"flags":{}}'));
    const key = `flagfleet:{${source}}:document`;
    await admin.hset(key, 'contentGzip', gzipSync('{"flags":{"forged":{}}}'), 'contentType', 'text/html');
    await expect(store.readDocument(source)).rejects.toMatchObject({
      code: 'FLAGFLEET_STORE_DOCUMENT_CORRUPT',
      message: expect.stringContaining(source),
    });
  });

  it('catches up on a revision whose message it missed, via the periodic check', async () => {
    const replica = open({ catchUpIntervalMs: 50 });
    const seen: number[] = [];
    replica.onRevision((s, r) => s === source && seen.push(r));
    await connected(replica);
    await seedDocument(admin, source, 1);
    await replica.readDocument(source); // tracks the source at revision 1
    await seedDocument(admin, source, 2); // a publish whose message never arrived
    await waitFor(() => seen.length === 1, { timeoutMs: 2000, message: 'catch-up of revision 2' });
    expect(seen).toEqual([2]);
  });

  it('catches up on the first revision of a source it found empty, whose message it missed', async () => {
    const replica = open({ catchUpIntervalMs: 50 });
    const seen: number[] = [];
    replica.onRevision((s, r) => s === source && seen.push(r));
    await connected(replica);
    expect(await replica.readDocument(source)).toBeNull(); // a replica starting before the first poll
    await seedDocument(admin, source, 1); // the first publish, its message missed
    await waitFor(() => seen.length === 1, { timeoutMs: 2000, message: 'catch-up of revision 1' });
    expect(seen).toEqual([1]);
  });

  it('catches up when its subscriber reconnects', async () => {
    const replica = open({ catchUpIntervalMs: 0 });
    const seen: number[] = [];
    replica.onRevision((s, r) => s === source && seen.push(r));
    await connected(replica);
    await seedDocument(admin, source, 1);
    await replica.readDocument(source);
    await admin.client('KILL', 'TYPE', 'pubsub');
    await seedDocument(admin, source, 2);
    await waitFor(() => seen.length === 1, { timeoutMs: 3000, message: 'revision 2 after resubscribe' });
    expect(seen).toEqual([2]);
  });

  it('ignores malformed revision messages and announces only what the store holds', async () => {
    const replica = open({ catchUpIntervalMs: 0 });
    const seen: number[] = [];
    replica.onRevision((s, r) => s === source && seen.push(r));
    await connected(replica);
    const channel = revisionChannel('flagfleet:', 0);
    for (const message of ['not json', '{"source":1,"revision":2}', 'null', '{"__proto__":{"x":1}}'])
      await admin.publish(channel, message);
    await seedDocument(admin, source, 3);
    await admin.publish(channel, JSON.stringify({ source, revision: 3 }));
    await admin.publish(channel, JSON.stringify({ source, revision: 3 }));
    await admin.publish(channel, JSON.stringify({ source, revision: 2 }));
    await seedDocument(admin, source, 4);
    await admin.publish(channel, JSON.stringify({ source, revision: 4 }));
    await waitFor(() => seen.includes(4), { message: 'revision 4' });
    expect(seen).toEqual([3, 4]);
  });

  it('takes a forged revision message as a hint: the revision announced is the one in the store', async () => {
    const [publisher, replica] = [open(), open({ catchUpIntervalMs: 0 })];
    const seen: number[] = [];
    replica.onRevision((s, r) => s === source && seen.push(r));
    await Promise.all([connected(publisher), connected(replica)]);
    const lease = (await publisher.acquireLease(source, 'p', 10_000))!;
    await publisher.publishDocument(lease, newDocument('first'));
    await waitFor(() => seen.includes(1), { message: 'revision 1' });
    await admin.publish(revisionChannel('flagfleet:', 0), JSON.stringify({ source, revision: 999_999_999 }));
    await publisher.publishDocument(lease, newDocument('second'));
    await waitFor(() => seen.includes(2), { message: 'revision 2 after the forged message' });
    expect(seen).not.toContain(999_999_999);
    expect((await replica.readDocument(source))!.content.toString()).toBe('second');
  });

  it('keeps two fleets on one Redis (databases 0 and 1, the same prefix) apart', async () => {
    const fleet = (db: number) =>
      [0, 1].map(() => open({ url: `${server.url}/${db}`, catchUpIntervalMs: 0 }));
    const [[publisher0, replica0], [publisher1, replica1]] = [fleet(0), fleet(1)];
    const seen: Record<number, number[]> = { 0: [], 1: [] };
    replica0.onRevision((s, r) => s === source && seen[0].push(r));
    replica1.onRevision((s, r) => s === source && seen[1].push(r));
    await Promise.all([publisher0, replica0, publisher1, replica1].map(connected));
    const lease1 = (await publisher1.acquireLease(source, 'p1', 10_000))!;
    for (let i = 1; i <= 5; i += 1) await publisher1.publishDocument(lease1, newDocument(`db1-${i}`));
    const lease0 = (await publisher0.acquireLease(source, 'p0', 10_000))!;
    await publisher0.publishDocument(lease0, newDocument('db0-1'));
    await publisher0.publishDocument(lease0, newDocument('db0-2'));
    await waitFor(() => seen[0].includes(2) && seen[1].includes(5), { message: 'both fleets' });
    // Hints close together may be read as one revision: only the latest of each fleet's own is certain.
    expect(seen[0].every((revision) => revision <= 2)).toBe(true);
    expect(seen[0].at(-1)).toBe(2);
    expect(seen[1].at(-1)).toBe(5);
  });

  it('survives Redis going down: reports disconnected, fails fast, then recovers on its own', async () => {
    const bounce = await startRedisServer();
    const store = new RedisConfigStore({ url: bounce.url, ...FAST });
    stores.push(store);
    try {
      await connected(store);
      await bounce.stop();
      await waitFor(() => !store.health().connected, { timeoutMs: 2000, message: 'disconnected health' });
      expect(store.health()).toMatchObject({ kind: 'redis', connected: false, detail: expect.any(String) });

      const started = Date.now();
      await expect(store.acquireLease(source, 'a', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readDocument(source)).rejects.toMatchObject({ code: 'FLAGFLEET_STORE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(1500);

      await bounce.restart();
      await waitFor(() => store.health().connected, { timeoutMs: 3000, message: 'reconnected health' });
      const lease = await waitFor(() => store.acquireLease(source, 'a', 1000).catch(() => null), {
        timeoutMs: 2000,
      });
      expect(await store.publishDocument(lease!, newDocument('after restart'))).toMatchObject({
        published: true,
      });
    } finally {
      await store.close();
      await bounce.stop();
    }
  });

  it('reports a hung Redis (SIGSTOP: sockets open, no answers) from failed operations, and recovers', async () => {
    const hung = await startRedisServer();
    const store = new RedisConfigStore({ url: hung.url, ...FAST, catchUpIntervalMs: 0 });
    stores.push(store);
    try {
      await connected(store);
      hung.pause();
      // The connection state alone still says "ready": only a real operation can tell.
      const pausedAt = Date.now();
      await expect(store.readToken(source)).rejects.toBeInstanceOf(StoreUnavailableError);
      const health = store.health();
      expect(health).toMatchObject({
        kind: 'redis',
        connected: false,
        detail: expect.stringMatching(/timed out/i),
      });
      expect(health.failingSince).toBeGreaterThanOrEqual(pausedAt);
      expect(health.detail).toContain('client ready');
      hung.resume();
      await waitFor(() => store.readToken(source).then(() => true), { timeoutMs: 3000, message: 'a read' });
      expect(store.health()).toEqual({ kind: 'redis', connected: true });
    } finally {
      hung.resume();
      await store.close();
      await hung.stop();
    }
  });

  it('starts while Redis is down and connects, subscribed, once it is up', async () => {
    const late = await startRedisServer();
    await late.stop();
    const [store, publisher] = [
      new RedisConfigStore({ url: late.url, ...FAST }),
      new RedisConfigStore({ url: late.url, ...FAST }),
    ];
    stores.push(store, publisher);
    try {
      const seen: number[] = [];
      store.onRevision((s, r) => s === source && seen.push(r));
      await expect(store.readDocument(source)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(store.health().connected).toBe(false);
      await late.restart();
      await waitFor(() => store.health().connected && publisher.health().connected, {
        timeoutMs: 3000,
        message: 'both connected',
      });
      const lease = (await publisher.acquireLease(source, 'p', 1000))!;
      await publisher.publishDocument(lease, newDocument('late'));
      await waitFor(() => seen.length === 1, { message: 'revision 1' });
    } finally {
      await Promise.all([store.close(), publisher.close()]);
      await late.stop();
    }
  });

  it('fails fast on a hung Redis (SIGSTOP) instead of hanging', async () => {
    const hung = await startRedisServer();
    const store = new RedisConfigStore({ url: hung.url, ...FAST });
    stores.push(store);
    try {
      await connected(store);
      hung.pause();
      const started = Date.now();
      await expect(store.readToken(source)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(1500);
      hung.resume();
      await waitFor(
        () =>
          store
            .readToken(source)
            .then(() => true)
            .catch(() => false),
        { timeoutMs: 3000 },
      );
    } finally {
      await store.close();
      await hung.stop();
    }
  });

  it('rejects calls after close with a coded error', async () => {
    const store = open();
    await store.close();
    await expect(store.readDocument(source)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

/** Writes revision `revision` straight into Redis without publishing: a message that got lost. */
async function seedDocument(admin: Redis, source: string, revision: number): Promise<void> {
  const document = newDocument(`content-${revision}`);
  await admin.hset(`flagfleet:{${source}}:document`, {
    content: document.content,
    contentType: document.contentType,
    contentHash: document.contentHash,
    fetchedAt: String(document.fetchedAt),
    revision: String(revision),
  });
}
