import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { Webhook } from 'standardwebhooks';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../libs/change-delivery/src/testing/webhook-receiver';
import { openEventStream } from '../../../test/webhooks/event-stream-client';
import { waitFor } from '../../../test/support/wait-for';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';
import { FlagdGrpcClient, StreamReader, fromStruct, type ProtoStruct } from './flagd-grpc-client';

const ADMIN_KEY = 'admin-key-for-source-change-tests';
const one = (key: string, value: string) => ({
  flags: { [key]: { state: 'ENABLED', variants: { v: value }, defaultVariant: 'v' } },
});
const source = (profile: string) => `local/local/${profile}`;

/**
 * A source added (a new FLAGS_DIR file), a revision loaded (an edit), the source removed (the file gone):
 * each protocol's clients hear of each, from the one change feed.
 */
describe('source changes reach every protocol', () => {
  let service: RunningFlagService;
  const removeFile = (profile: string) => rm(join(service.flagsDir, `${profile}.json`));

  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      {
        SSE_KEEPALIVE_MS: '200',
        ADMIN_API_KEYS: ADMIN_KEY,
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      },
    );
  });
  afterAll(async () => {
    await OpenFeature.close();
    await service?.close();
  });

  it('SSE: a new source can be followed, each revision is an event, a removal is told and ends the stream', async () => {
    const url = `${service.url}/events/stream?source=${encodeURIComponent(source('sse-x'))}`;
    const before = openEventStream(url);
    expect(await before.status).toBe(404);
    await service.writeFlags('sse-x', one('sx', 'one'));
    const stream = (await waitFor(
      async () => {
        const attempt = openEventStream(url);
        if ((await attempt.status) === 200) return attempt;
        attempt.close();
        return undefined;
      },
      { timeoutMs: 10_000, message: 'the stream of the added source' },
    )) as ReturnType<typeof openEventStream>;
    try {
      await service.writeFlags('sse-x', one('sx', 'two'));
      const revised = await waitFor(() => stream.events[0], { timeoutMs: 10_000, message: 'the revision' });
      expect(JSON.parse(revised.data)).toMatchObject({ type: 'refetchEvaluation', source: source('sse-x') });
      await removeFile('sse-x');
      const removed = await waitFor(() => stream.events[1], { timeoutMs: 10_000, message: 'the removal' });
      expect(JSON.parse(removed.data)).toMatchObject({
        type: 'refetchEvaluation',
        source: source('sse-x'),
        removed: true,
      });
      await waitFor(() => stream.ended, { timeoutMs: 5_000, message: 'the stream ended' });
      expect(await openEventStream(url).status).toBe(404);
    } finally {
      stream.close();
    }
  });

  it("SSE resolves the source through the evaluation port: its refusal's one wording, an empty source the default", async () => {
    const unknown = await fetch(`${service.url}/events/stream?source=${encodeURIComponent(source('nope'))}`);
    expect(unknown.status).toBe(404);
    const { detail } = (await unknown.json()) as { detail: string };
    expect(detail).toBe(`unknown source "${source('nope')}"`);
    const ofrep = await fetch(`${service.url}/ofrep/v1/evaluate/flags/any`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flagfleet-source': source('nope') },
      body: '{"context":{}}',
    });
    expect(((await ofrep.json()) as { errorDetails: string }).errorDetails).toBe(
      `${detail} (X-Flagfleet-Source)`,
    );
    // As OFREP's empty X-Flagfleet-Source header: the default source.
    const stream = openEventStream(`${service.url}/events/stream?source=`);
    try {
      expect(await stream.status).toBe(200);
    } finally {
      stream.close();
    }
  });

  it('flagd EventStream: every key of an added source is written, a revision updates, a removal deletes', async () => {
    const v2 = FlagdGrpcClient.evaluationV2(service.flagdEvaluation);
    const events = new StreamReader(v2.stream('EventStream', {}));
    const next = async () => {
      for (;;) {
        const message = await events.next(10_000);
        if (message.type === 'configuration_change') return fromStruct(message.data as ProtoStruct);
      }
    };
    try {
      expect(await events.next()).toMatchObject({ type: 'provider_ready' });
      await service.writeFlags('event-x', one('ex', 'one'));
      expect(await next()).toEqual({ flags: { ex: { type: 'write' } } });
      await service.writeFlags('event-x', one('ex', 'two'));
      expect(await next()).toEqual({ flags: { ex: { type: 'update' } } });
      await removeFile('event-x');
      expect(await next()).toEqual({ flags: { ex: { type: 'delete' } } });
    } finally {
      events.stream.cancel();
      v2.close();
    }
  });

  it('flagd SyncFlags: an added source can be synced, a revision is sent, a removal sends an empty flag set', async () => {
    await service.writeFlags('sync-x', one('yx', 'one'));
    const sync = FlagdGrpcClient.sync(service.flagdSync);
    const stream = new StreamReader(sync.stream('SyncFlags', {}, { 'flagd-selector': source('sync-x') }));
    const flagsOf = async () =>
      JSON.parse((await stream.next(10_000)).flagConfiguration as string).flags as Record<string, unknown>;
    try {
      // Until the new source loads it matches nothing: the stream is sent no flags, then the source's (as flagd).
      let first = await flagsOf();
      if (Object.keys(first).length === 0) first = await flagsOf();
      expect(Object.keys(first)).toEqual(['yx']);
      await service.writeFlags('sync-x', one('yx', 'two'));
      expect(await flagsOf()).toMatchObject({ yx: { variants: { v: 'two' } } });
      await removeFile('sync-x');
      expect(await flagsOf()).toEqual({});
    } finally {
      stream.stream.cancel();
      sync.close();
    }
  });

  it('the in-process flagd provider serves an added source, follows a revision, stops serving a removed one', async () => {
    await service.writeFlags('provider-x', one('px', 'one'));
    const [host, port] = service.flagdSync.split(':');
    await waitFor(
      async () =>
        (
          await fetch(`${service.url}/ofrep/v1/evaluate/flags/px`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-flagfleet-source': source('provider-x') },
            body: '{"context":{}}',
          })
        ).status === 200,
      { timeoutMs: 10_000, message: 'the added source served' },
    );
    await OpenFeature.setProviderAndWait(
      'provider-x',
      new FlagdProvider({
        host,
        port: Number(port),
        resolverType: 'in-process',
        selector: source('provider-x'),
      }),
    );
    const client = OpenFeature.getClient('provider-x');
    expect(await client.getStringValue('px', 'default')).toBe('one');
    await service.writeFlags('provider-x', one('px', 'two'));
    await waitFor(async () => (await client.getStringValue('px', 'default')) === 'two', {
      timeoutMs: 10_000,
      message: 'the revision served in process',
    });
    await removeFile('provider-x');
    await waitFor(
      async () => (await client.getStringDetails('px', 'default')).errorCode === 'FLAG_NOT_FOUND',
      {
        timeoutMs: 10_000,
        message: 'the removed flags no longer served in process',
      },
    );
  });

  it('webhooks: a source added is source.added, its revisions flags.changed, its removal source.removed, its return source.added', async () => {
    let receiver: WebhookReceiver | undefined;
    try {
      receiver = await startWebhookReceiver();
      const created = await fetch(`${service.url}/admin/webhooks/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url }),
      });
      expect(created.status).toBe(201);
      const { secret } = (await created.json()) as { secret: string };
      const received = (index: number) =>
        waitFor(
          () => {
            const hook = receiver?.received[index];
            return hook && new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>);
          },
          { timeoutMs: 10_000, message: `webhook ${index}` },
        ) as Promise<{ type: string; data: Record<string, unknown> }>;
      await service.writeFlags('hook-x', one('hx', 'one'));
      expect(await received(0)).toEqual({
        type: 'source.added',
        timestamp: expect.any(String),
        data: { source: source('hook-x'), revision: 1, versionLabel: null, added: ['hx'] },
      });
      expect(await received(1)).toMatchObject({
        type: 'flags.changed',
        data: { source: source('hook-x'), revision: 1, added: ['hx'], removed: [], changed: [] },
      });
      await service.writeFlags('hook-x', one('hx', 'two'));
      const revised = await received(2);
      expect(revised).toMatchObject({
        type: 'flags.changed',
        data: { source: source('hook-x'), added: [], changed: ['hx'] },
      });
      await removeFile('hook-x');
      const removal = {
        source: source('hook-x'),
        revision: revised.data.revision,
        versionLabel: revised.data.versionLabel,
      };
      expect(await received(3)).toEqual({
        type: 'source.removed',
        timestamp: expect.any(String),
        data: { ...removal, removed: ['hx'] },
      });
      // Back with the content it had: no new revision, yet served again, and told so.
      await service.writeFlags('hook-x', one('hx', 'two'));
      expect(await received(4)).toEqual({
        type: 'source.added',
        timestamp: expect.any(String),
        data: { ...removal, added: ['hx'] },
      });
      expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(5);
    } finally {
      await receiver?.close();
    }
  });
});

describe('SSE resume after a restart (memory store: revisions start again at 1)', () => {
  let service: RunningFlagService;
  beforeAll(async () => {
    service = await startFlagService({ flags: SERVICE_FLAGS }, { SSE_KEEPALIVE_MS: '200' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it.each(['8', '999', '1-000000000000', 'garbage'])(
    'an id it cannot resume from (%s) gets the current event at once, so the client refetches',
    async (lastId) => {
      const stream = openEventStream(`${service.url}/events/stream`, { 'last-event-id': lastId });
      try {
        expect(await stream.status).toBe(200);
        const event = await waitFor(() => stream.events[0], { timeoutMs: 5_000, message: 'an event' });
        expect(JSON.parse(event.data)).toMatchObject({ type: 'refetchEvaluation', revision: 1 });
        expect(event.id).toMatch(/^1-[0-9a-f]{12}$/);
      } finally {
        stream.close();
      }
    },
  );

  it('the id of what is served now resumes quietly (keep-alives, no event)', async () => {
    const first = openEventStream(`${service.url}/events/stream`, { 'last-event-id': 'x' });
    const id = (await waitFor(() => first.events[0], { timeoutMs: 5_000 })).id as string;
    first.close();
    const resumed = openEventStream(`${service.url}/events/stream`, { 'last-event-id': id });
    try {
      await waitFor(() => resumed.text().includes(': keep-alive'), {
        timeoutMs: 5_000,
        message: 'a keep-alive',
      });
      expect(resumed.events).toEqual([]);
    } finally {
      resumed.close();
    }
  });
});
