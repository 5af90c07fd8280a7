import { connect as connectTcp } from 'node:net';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { createClient, type Client, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import {
  ResolveBooleanRequestSchema,
  ResolveBooleanResponseSchema,
  Service as EvaluationV1,
} from '../../../libs/flagd-protocol/src/gen/flagd/evaluation/v1/evaluation_pb';
import { Service as EvaluationV2 } from '../../../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { FlagSyncService } from '../../../libs/flagd-protocol/src/gen/flagd/sync/v1/sync_pb';
import { startFlagService, type RunningFlagService } from './flag-service-harness';

const FLAGS = {
  flags: {
    'kill-switch': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    plan: {
      state: 'ENABLED',
      variants: { free: 'free', pro: 'pro' },
      defaultVariant: 'free',
      targeting: { if: [{ '==': [{ var: 'tier' }, 'gold'] }, 'pro', null] },
    },
  },
};

/** One HTTP/1.1 exchange on a fresh TCP connection, exactly the bytes given; resolves with the raw answer. */
function rawHttp1(address: string, head: string, body: Uint8Array): Promise<Buffer> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), host, () => {
      socket.write(head);
      socket.end(body);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

/** A streamed call's first message, bounded. */
async function firstMessage<T>(stream: AsyncIterable<T>, abort: AbortController): Promise<T> {
  const timer = setTimeout(() => abort.abort(), 5000);
  try {
    for await (const message of stream) return message;
    throw new Error('stream ended without a message');
  } finally {
    clearTimeout(timer);
  }
}

describe('flagd ports over HTTP/1.1 (Connect and gRPC-web), beside HTTP/2 on the same port', () => {
  let service: RunningFlagService;
  // A client that ends an HTTP/1.1 stream makes connect-node's next write fail with ERR_STREAM_DESTROYED, which it
  // takes for a hang-up and keeps quiet about; under Jest node's errors are of another realm than `Error`, so it
  // logs them as internal errors instead. Only that line is silenced (outside Jest nothing is logged).
  const consoleError = console.error;
  beforeAll(() => {
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      if (String(args[0]).startsWith('handler for rpc ') && String(args[1]).includes('ERR_STREAM_DESTROYED'))
        return;
      consoleError(...args);
    });
  });
  afterAll(() => jest.restoreAllMocks());
  beforeAll(async () => {
    service = await startFlagService({ flags: FLAGS });
  });
  afterAll(async () => {
    await service?.close();
  });
  const url = (address: string): string => `http://${address}`;

  it('answers a Connect unary call sent as connect-go sends it over net/http (HTTP/1.1, binary)', async () => {
    const message = toBinary(
      ResolveBooleanRequestSchema,
      create(ResolveBooleanRequestSchema, { flagKey: 'kill-switch' }),
    );
    const head =
      'POST /flagd.evaluation.v1.Service/ResolveBoolean HTTP/1.1\r\n' +
      `Host: ${service.flagdEvaluation}\r\n` +
      'User-Agent: connect-go/1.18.1 (go1.24.4)\r\n' +
      `Content-Length: ${message.length}\r\n` +
      'Accept-Encoding: gzip\r\n' +
      'Connect-Accept-Encoding: gzip\r\n' +
      'Connect-Protocol-Version: 1\r\n' +
      'Connect-Timeout-Ms: 5000\r\n' +
      'Content-Type: application/proto\r\n' +
      'Connection: close\r\n\r\n';
    const raw = await rawHttp1(service.flagdEvaluation, head, message);
    const split = raw.indexOf('\r\n\r\n');
    const responseHead = raw.subarray(0, split).toString();
    expect(responseHead).toMatch(/^HTTP\/1\.1 200 /);
    expect(responseHead.toLowerCase()).toContain('content-type: application/proto');
    const answer = fromBinary(ResolveBooleanResponseSchema, bodyOf(raw.subarray(split + 4), responseHead));
    expect(answer).toMatchObject({ value: true, variant: 'on', reason: 'STATIC' });
  });

  it('answers an unknown flag over HTTP/1.1 Connect as a Connect error, not a broken connection', async () => {
    const body = JSON.stringify({ flagKey: 'nope' });
    const raw = await rawHttp1(
      service.flagdEvaluation,
      'POST /flagd.evaluation.v1.Service/ResolveBoolean HTTP/1.1\r\n' +
        `Host: ${service.flagdEvaluation}\r\nContent-Type: application/json\r\n` +
        `Connect-Protocol-Version: 1\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
      Buffer.from(body),
    );
    const text = raw.toString();
    expect(text).toMatch(/^HTTP\/1\.1 404 /);
    expect(JSON.parse(text.slice(text.indexOf('{')))).toMatchObject({ code: 'not_found' });
  });

  describe.each([
    ['Connect', (address: string) => createConnectTransport({ baseUrl: url(address), httpVersion: '1.1' })],
    ['gRPC-web', (address: string) => createGrpcWebTransport({ baseUrl: url(address), httpVersion: '1.1' })],
  ] as const)('%s over HTTP/1.1 (@connectrpc/connect-node, httpVersion 1.1)', (_protocol, transportTo) => {
    let evaluation: Transport;
    let v1: Client<typeof EvaluationV1>;
    let v2: Client<typeof EvaluationV2>;
    let sync: Client<typeof FlagSyncService>;
    beforeAll(() => {
      evaluation = transportTo(service.flagdEvaluation);
      v1 = createClient(EvaluationV1, evaluation);
      v2 = createClient(EvaluationV2, evaluation);
      sync = createClient(FlagSyncService, transportTo(service.flagdSync));
    });

    it('resolves v1 and v2 flags, and all of them', async () => {
      const served = service.flagdServed()['connect-node'];
      await expect(v1.resolveString({ flagKey: 'plan', context: { tier: 'gold' } })).resolves.toMatchObject({
        value: 'pro',
        reason: 'TARGETING_MATCH',
      });
      await expect(v2.resolveBoolean({ flagKey: 'kill-switch' })).resolves.toMatchObject({
        value: true,
        variant: 'on',
      });
      const all = await v1.resolveAll({ context: { tier: 'gold' } });
      expect(Object.keys(all.flags).sort()).toEqual(['kill-switch', 'plan']);
      // HTTP/1.1 calls are connect-node's: the fast path speaks gRPC over HTTP/2 only.
      expect(service.flagdServed()['connect-node']).toBe(served + 3);
    });

    it('streams EventStream and SyncFlags, and fetches all flags', async () => {
      const events = new AbortController();
      const syncs = new AbortController();
      try {
        expect(await firstMessage(v2.eventStream({}, { signal: events.signal }), events)).toMatchObject({
          type: 'provider_ready',
        });
        const first = await firstMessage(sync.syncFlags({}, { signal: syncs.signal }), syncs);
        expect(Object.keys(JSON.parse(first.flagConfiguration).flags).sort()).toEqual([
          'kill-switch',
          'plan',
        ]);
      } finally {
        events.abort();
        syncs.abort();
      }
      const fetched = await sync.fetchAllFlags({});
      expect(JSON.parse(fetched.flagConfiguration).flags.plan.defaultVariant).toBe('free');
    });
  });
});

/** The body of an HTTP/1.1 answer: as sent, or de-chunked. */
function bodyOf(body: Buffer, head: string): Buffer {
  if (!/transfer-encoding: chunked/i.test(head)) return body;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = parseInt(body.subarray(at, lineEnd).toString(), 16);
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
