import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { startAppConfigEmulator, type RunningEmulator } from '@flagfleet/appconfig-emulator';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../libs/change-delivery/src/testing/webhook-receiver';
import {
  APP,
  ENV,
  PROFILE,
  SOURCE_KEY,
  flagDocument,
} from '../../libs/appconfig-poller/src/testing/poller-test-bed';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server';
import { SERVICE_MAIN, startServices, type ServiceProcess } from '../support/service-process';
import { waitFor } from '../support/wait-for';
import { openEventStream, type StreamedEvent } from './event-stream-client';

// Cross-process: three built service replicas share one real Redis and one emulator.
const BUILT = existsSync(SERVICE_MAIN);
const describeBuilt = BUILT ? describe : describe.skip;
if (!BUILT) console.log('dist/ missing (run `npm run build`): webhook cross-process tests skipped');

const ADMIN_KEY = 'admin-key-for-webhook-tests';
const QUEUE = 'flagfleet:{webhooks}:queue';

describeBuilt('webhooks and SSE across three replicas', () => {
  jest.setTimeout(60_000);
  let redis: RedisServerHandle;
  let inspect: Redis;
  let emulator: RunningEmulator;
  let replicas: ServiceProcess[] = [];
  const receivers: WebhookReceiver[] = [];
  const secrets: string[] = [];
  let version = 0;

  const deploy = () => {
    version += 1;
    return emulator.deploy(
      APP,
      ENV,
      PROFILE,
      flagDocument(['banner'], version % 2 === 0),
      'application/json',
      `v${version}`,
    );
  };
  const admin = (replica: ServiceProcess, path: string, init: RequestInit = {}) =>
    fetch(`${replica.url}/admin/webhooks${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
  const subscribe = async (replica: ServiceProcess, receiver: WebhookReceiver) => {
    const answer = await admin(replica, '/subscriptions', {
      method: 'POST',
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { subscription: { id: string }; secret: string };
    secrets.push(body.secret);
    return body;
  };
  const receiver = async () => {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  };
  const drained = () =>
    waitFor(async () => (await inspect.xlen(QUEUE)) === 0, {
      timeoutMs: 10_000,
      message: 'the queue to drain',
    });
  const revisionOf = (body: string) => (JSON.parse(body) as { data: { revision: number } }).data.revision;

  beforeAll(async () => {
    redis = await startRedisServer();
    inspect = new Redis(redis.url);
    emulator = await startAppConfigEmulator({ pollIntervalSeconds: 1 });
    deploy();
    const env = {
      REDIS_URL: redis.url,
      APPCONFIG_SOURCES: SOURCE_KEY,
      APPCONFIG_ENDPOINT: emulator.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'emulator', // the emulator accepts any signature
      AWS_SECRET_ACCESS_KEY: 'emulator',
      ADMIN_API_KEYS: ADMIN_KEY,
      LOG_LEVEL: 'debug', // the most verbose logs must still hold no secret
      WEBHOOK_SECRET_KEY: 'e2e-secret-key-0123456789abcdef',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE_MS: '200,400,800,1600',
      WEBHOOK_CLAIM_IDLE_MS: '1000',
      WEBHOOK_TIMEOUT_MS: '30000',
      SSE_KEEPALIVE_MS: '500',
    };
    replicas = await startServices(['a', 'b', 'c'].map((name) => ({ name, env })));
  });

  afterAll(async () => {
    await Promise.allSettled(replicas.map((r) => r.kill('SIGTERM')));
    await Promise.allSettled(receivers.map((r) => r.close()));
    await inspect?.quit();
    await emulator?.close();
    await redis?.stop();
  });

  it('one change: each subscriber gets exactly one signed delivery', async () => {
    const [first, second] = [await receiver(), await receiver()];
    const subA = await subscribe(replicas[0], first);
    const subB = await subscribe(replicas[1], second);
    const revision = deploy();
    await waitFor(() => first.received.length >= 1 && second.received.length >= 1, {
      timeoutMs: 15_000,
      message: 'both deliveries',
    });
    await drained();
    expect(first.received).toHaveLength(1);
    expect(second.received).toHaveLength(1);
    const payload = new Webhook(subA.secret).verify(
      first.received[0].body,
      first.received[0].headers as Record<string, string>,
    );
    expect(payload).toMatchObject({
      type: 'flags.changed',
      data: { source: SOURCE_KEY, versionLabel: `v${revision}`, changed: ['banner'] },
    });
    expect(() =>
      new Webhook(subB.secret).verify(
        second.received[0].body,
        second.received[0].headers as Record<string, string>,
      ),
    ).not.toThrow();
    for (const sub of [subA, subB])
      expect(
        (await admin(replicas[2], `/subscriptions/${sub.subscription.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
  });

  it('receiver answers 500 twice then 200: delivered on the third attempt with the same webhook-id', async () => {
    const flaky = await receiver();
    flaky.respond((_req, i) => ({ status: i < 2 ? 500 : 200 }));
    const { subscription, secret } = await subscribe(replicas[1], flaky);
    deploy();
    await waitFor(() => flaky.received.length === 3, { timeoutMs: 15_000, message: 'three attempts' });
    await drained();
    expect(flaky.received).toHaveLength(3);
    expect(new Set(flaky.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const { body, headers } of flaky.received) {
      expect(() => new Webhook(secret).verify(body, headers as Record<string, string>)).not.toThrow();
    }
    const log = (await (await admin(replicas[0], `/subscriptions/${subscription.id}/deliveries`)).json()) as {
      outcome: string;
      status: number;
    }[];
    expect(log.map((a) => [a.status, a.outcome])).toEqual([
      [200, 'delivered'],
      [500, 'retrying'],
      [500, 'retrying'],
    ]);
    expect((await admin(replicas[0], `/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
  });

  it('admin API: ping, rotate, 410 disables, dead letter replayed after re-enabling', async () => {
    const target = await receiver();
    const { subscription, secret } = await subscribe(replicas[0], target);
    const ping = await admin(replicas[1], `/subscriptions/${subscription.id}/test`, { method: 'POST' });
    expect(await ping.json()).toMatchObject({ outcome: 'delivered', status: 204, type: 'webhook.ping' });
    const rotated = (await (
      await admin(replicas[2], `/subscriptions/${subscription.id}/rotate-secret`, { method: 'POST' })
    ).json()) as {
      secret: string;
    };
    secrets.push(rotated.secret);
    expect(rotated.secret).not.toBe(secret);
    const listed = await (await admin(replicas[0], '/subscriptions')).text();
    expect(listed).toContain(subscription.id);
    expect(listed).not.toContain(rotated.secret);

    target.respond(() => ({ status: 410 }));
    deploy();
    type Letter = { job: { id: string; subscriptionId: string } };
    const letter = (await waitFor(
      async () => {
        const all = (await (await admin(replicas[1], '/dead-letters')).json()) as Letter[];
        return all.find((l) => l.job.subscriptionId === subscription.id);
      },
      { timeoutMs: 15_000, message: 'the dead letter' },
    )) as Letter;
    expect(await (await admin(replicas[2], `/subscriptions/${subscription.id}`)).json()).toMatchObject({
      enabled: false,
    });

    target.respond(() => ({ status: 200 }));
    const enable = await admin(replicas[2], `/subscriptions/${subscription.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ enabled: true }),
    });
    expect(enable.status).toBe(200);
    expect(
      (await admin(replicas[0], `/dead-letters/${letter.job.id}/replay`, { method: 'POST' })).status,
    ).toBe(202);
    // The same webhook-id a second time: the 410 attempt, then the replay.
    const sameId = () => target.received.filter((r) => r.headers['webhook-id'] === letter.job.id);
    await waitFor(() => sameId().length === 2, { timeoutMs: 10_000, message: 'the replayed delivery' });
    const replayed = sameId()[1];
    expect(() =>
      new Webhook(rotated.secret).verify(replayed.body, replayed.headers as Record<string, string>),
    ).not.toThrow();
    expect(() =>
      new Webhook(secret).verify(replayed.body, replayed.headers as Record<string, string>),
    ).not.toThrow();
    expect(
      (await admin(replicas[0], `/dead-letters/${letter.job.id}/replay`, { method: 'POST' })).status,
    ).toBe(404);
    expect((await admin(replicas[0], `/subscriptions/${subscription.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
  });

  it('refuses private-address targets and keeps the admin API behind admin keys', async () => {
    for (const url of [
      'http://10.0.0.7/hook',
      'http://169.254.169.254/latest',
      'http://[::1]:8080/',
      'https://localhost/',
    ]) {
      const answer = await admin(replicas[0], '/subscriptions', {
        method: 'POST',
        body: JSON.stringify({ url }),
      });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ code: 'FLAGFLEET_WEBHOOK_TARGET_REFUSED' });
    }
    expect((await fetch(`${replicas[0].url}/admin/webhooks/subscriptions`)).status).toBe(401);
  });

  it('SSE: the client gets the change, and after reconnecting elsewhere is told at once of what it missed', async () => {
    // The OFREP bulk answer advertises the stream (eventStreams); connect where it points.
    const bulk = await fetch(`${replicas[0].url}/ofrep/v1/evaluate/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flagfleet-source': SOURCE_KEY },
      body: JSON.stringify({ context: {} }),
    });
    const { eventStreams } = (await bulk.json()) as {
      eventStreams: { type: string; endpoint: { requestUri: string } }[];
    };
    expect(eventStreams).toEqual([
      expect.objectContaining({
        type: 'sse',
        endpoint: { requestUri: expect.stringMatching(/^\/events\/stream\?/) },
      }),
    ]);
    const stream = openEventStream(replicas[0].url + eventStreams[0].endpoint.requestUri);
    expect(await stream.status).toBe(200);
    deploy();
    const seen = (await waitFor(() => stream.events[0], {
      timeoutMs: 15_000,
      message: 'a change event',
    })) as StreamedEvent;
    expect(JSON.parse(seen.data)).toMatchObject({ type: 'refetchEvaluation', source: SOURCE_KEY });
    await waitFor(() => stream.text().includes(': keep-alive'), { message: 'a keep-alive' });
    stream.close();
    const lastId = seen.id as string;
    // `<revision>-<content hash>`: the revision leads.
    const lastRevision = Number.parseInt(lastId, 10);
    // Two changes happen while the client is away.
    deploy();
    await waitFor(async () => (await replicaRevision(replicas[1])) >= lastRevision + 1, {
      timeoutMs: 15_000,
    });
    deploy();
    await waitFor(async () => (await replicaRevision(replicas[1])) >= lastRevision + 2, {
      timeoutMs: 15_000,
    });
    const resumed = openEventStream(
      `${replicas[1].url}/events/stream?source=${encodeURIComponent(SOURCE_KEY)}`,
      {
        'last-event-id': lastId,
      },
    );
    try {
      // One refetch covers any number of missed changes: the event of what is served now.
      await waitFor(() => resumed.events.length >= 1, { timeoutMs: 5000, message: 'the missed change' });
      await waitFor(() => resumed.text().includes(': keep-alive'), { message: 'a keep-alive' });
      expect(resumed.events.map((e) => Number.parseInt(e.id ?? '', 10))).toEqual([lastRevision + 2]);
    } finally {
      resumed.close();
    }
  });

  it('the replica holding a delivery is SIGKILLed mid-attempt: another delivers it, same webhook-id', async () => {
    const target = await receiver();
    let release: (v?: unknown) => void = () => undefined;
    const hung = new Promise((r) => (release = r));
    target.respond((_req, i) => ({ status: 200, after: i === 0 ? hung : undefined }));
    const { subscription } = await subscribe(replicas[2], target);
    deploy();
    await waitFor(() => target.received.length === 1, { timeoutMs: 15_000, message: 'the first attempt' });
    // The consumer name holding this subscription's entry is `<host>-<pid>-<random>`.
    const pending = (await inspect.xpending(QUEUE, 'deliverers', '-', '+', 10)) as [
      string,
      string,
      number,
      number,
    ][];
    let holderPid = 0;
    for (const [entryId, consumer] of pending) {
      const [[, fields]] = (await inspect.xrange(QUEUE, entryId, entryId)) as [string, string[]][];
      if (fields[fields.indexOf('job') + 1].includes(subscription.id))
        holderPid = Number(consumer.split('-').at(-2));
    }
    const holder = replicas.find((r) => r.pid === holderPid);
    expect(holder).toBeDefined();
    await holder?.kill('SIGKILL');
    await waitFor(() => target.received.length === 2, {
      timeoutMs: 15_000,
      message: 'the delivery claimed by a survivor',
    });
    expect(target.received[1].headers['webhook-id']).toBe(target.received[0].headers['webhook-id']);
    expect(revisionOf(target.received[1].body)).toBe(revisionOf(target.received[0].body));
    await drained();
    release();
    expect(target.received).toHaveLength(2);
  });

  it('never writes a webhook secret to the logs', () => {
    expect(secrets.length).toBeGreaterThan(0);
    for (const replica of replicas) {
      const logs = replica.logs();
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(logs).not.toContain(secret);
        expect(logs).not.toContain(secret.slice('whsec_'.length));
      }
    }
  });
});

async function replicaRevision(replica: ServiceProcess): Promise<number> {
  // An id the replica cannot resume from gets the event of what it serves: `<revision>-<content hash>`.
  const probe = openEventStream(`${replica.url}/events/stream`, { 'last-event-id': '0' });
  try {
    await waitFor(() => probe.events.length > 0, { timeoutMs: 2000 });
    return Math.max(...probe.events.map((e) => Number.parseInt(e.id ?? '', 10)));
  } finally {
    probe.close();
  }
}
