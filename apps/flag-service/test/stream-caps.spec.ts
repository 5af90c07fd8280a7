import { status } from '@grpc/grpc-js';
import { Code, createClient } from '@connectrpc/connect';
import { createConnectTransport } from '@connectrpc/connect-node';
import { Service as EvaluationV2 } from '../../../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { FlagSyncService } from '../../../libs/flagd-protocol/src/gen/flagd/sync/v1/sync_pb';
import { waitFor } from '../../../test/support/wait-for';
import { FlagdGrpcClient, StreamReader } from './flagd-grpc-client';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

async function gauge(service: RunningFlagService, series: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1) ?? NaN);
}

/** The status a stream ends with, read by grpc-js (throws if its first message arrives instead). */
async function refusal(reader: StreamReader<unknown>): Promise<{ code: number; details: string }> {
  await expect(reader.next(5_000)).rejects.toThrow(/stream ended/);
  const { code, details } = reader.ended as Error & { code: number; details: string };
  return { code, details };
}

/** connect-node's client in the Connect protocol (not gRPC): streams go through connect-node on the server. */
const connectTransport = (address: string) =>
  createConnectTransport({ baseUrl: `http://${address}`, httpVersion: '2' });

async function firstMessage<T>(stream: AsyncIterable<T>): Promise<T | undefined> {
  for await (const message of stream) return message;
  return undefined;
}

describe('open streams capped per port (FLAGD_MAX_EVENT_STREAMS, FLAGD_MAX_SYNC_STREAMS, SSE_MAX_STREAMS)', () => {
  let service: RunningFlagService;
  const clients: FlagdGrpcClient[] = [];
  const grpcClient = (...args: ConstructorParameters<typeof FlagdGrpcClient>): FlagdGrpcClient => {
    const client = new FlagdGrpcClient(...args);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      { FLAGD_MAX_EVENT_STREAMS: '2', FLAGD_MAX_SYNC_STREAMS: '1', SSE_MAX_STREAMS: '2' },
    );
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await service?.close();
  });

  it('refuses the EventStream past the cap, v1 and v2 counted together, gRPC and Connect alike, and admits again once one ends', async () => {
    const v1 = grpcClient(
      'flagd/evaluation/v1/evaluation.proto',
      'flagd.evaluation.v1.Service',
      service.flagdEvaluation,
    );
    const v2 = grpcClient(
      'flagd/evaluation/v2/evaluation.proto',
      'flagd.evaluation.v2.Service',
      service.flagdEvaluation,
    );
    const first = new StreamReader(v1.stream('EventStream', {}));
    const second = new StreamReader(v2.stream('EventStream', {}));
    expect(await first.next()).toMatchObject({ type: 'provider_ready' });
    expect(await second.next()).toMatchObject({ type: 'provider_ready' });

    // A third over gRPC (grpc-js)...
    expect(await refusal(new StreamReader(v2.stream('EventStream', {})))).toEqual({
      code: status.RESOURCE_EXHAUSTED,
      details:
        'too many open EventStream streams - this port holds at most 2 (FLAGD_MAX_EVENT_STREAMS) - retry later or on another replica',
    });
    // ...and over the Connect protocol (connect-node's client).
    const connect = createClient(EvaluationV2, connectTransport(service.flagdEvaluation));
    await expect(firstMessage(connect.eventStream({}))).rejects.toMatchObject({
      code: Code.ResourceExhausted,
      rawMessage: expect.stringContaining('(FLAGD_MAX_EVENT_STREAMS)'),
    });
    expect(await gauge(service, 'flagfleet_flagd_open_streams{stream="event"}')).toBe(2);

    first.stream.cancel();
    await waitFor(async () => (await gauge(service, 'flagfleet_flagd_open_streams{stream="event"}')) === 1, {
      message: 'the cancelled EventStream released',
    });
    const again = new StreamReader(v2.stream('EventStream', {}));
    expect(await again.next()).toMatchObject({ type: 'provider_ready' });
    again.stream.cancel();
    second.stream.cancel();
  });

  it('refuses the SyncFlags stream past the cap on the sync port, while FetchAllFlags still answers', async () => {
    const sync = grpcClient('flagd/sync/v1/sync.proto', 'flagd.sync.v1.FlagSyncService', service.flagdSync);
    const open = new StreamReader(sync.stream('SyncFlags', {}));
    expect(await open.next()).toHaveProperty('flagConfiguration');
    expect(await refusal(new StreamReader(sync.stream('SyncFlags', {})))).toEqual({
      code: status.RESOURCE_EXHAUSTED,
      details:
        'too many open SyncFlags streams - this port holds at most 1 (FLAGD_MAX_SYNC_STREAMS) - retry later or on another replica',
    });
    // Connect's client sees the same refusal.
    const connect = createClient(FlagSyncService, connectTransport(service.flagdSync));
    await expect(firstMessage(connect.syncFlags({}))).rejects.toMatchObject({
      code: Code.ResourceExhausted,
      rawMessage: expect.stringContaining('(FLAGD_MAX_SYNC_STREAMS)'),
    });
    // A unary call is no stream: not refused.
    expect(await connect.fetchAllFlags({})).toHaveProperty('flagConfiguration');
    open.stream.cancel();
    await waitFor(async () => (await gauge(service, 'flagfleet_flagd_open_streams{stream="sync"}')) === 0, {
      message: 'the SyncFlags stream released',
    });
  });

  it('answers the SSE stream past the cap 503 with Retry-After and a problem body, and admits again once one ends', async () => {
    const streams = [new AbortController(), new AbortController()];
    for (const stream of streams) {
      const response = await fetch(`${service.url}/events/stream`, { signal: stream.signal });
      expect(response.status).toBe(200);
    }
    expect(await gauge(service, 'flagfleet_sse_open_streams')).toBe(2);

    const refused = await fetch(`${service.url}/events/stream`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'FLAGFLEET_SSE_STREAM_LIMIT',
      detail:
        'too many open event streams: this replica holds at most 2 (SSE_MAX_STREAMS); retry later or on another replica',
    });

    streams[0].abort();
    await waitFor(async () => (await gauge(service, 'flagfleet_sse_open_streams')) === 1, {
      message: 'the closed SSE stream released',
    });
    const again = new AbortController();
    expect((await fetch(`${service.url}/events/stream`, { signal: again.signal })).status).toBe(200);
    again.abort();
    streams[1].abort();
    await waitFor(async () => (await gauge(service, 'flagfleet_sse_open_streams')) === 0, {
      message: 'every SSE stream released',
    });
  });
});
