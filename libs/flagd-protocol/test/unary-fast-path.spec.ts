import { connect, createServer, type ClientHttp2Session, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import {
  create,
  toBinary,
  type DescMessage,
  type JsonObject,
  type MessageInitShape,
} from '@bufbuild/protobuf';
import type { ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { compileFlagDocument, type CompiledFlags } from '@flagfleet/flag-engine';
import * as v1 from '../src/gen/flagd/evaluation/v1/evaluation_pb';
import * as v2 from '../src/gen/flagd/evaluation/v2/evaluation_pb';
import {
  FetchAllFlagsRequestSchema,
  FlagSyncService,
  GetMetadataRequestSchema,
} from '../src/gen/flagd/sync/v1/sync_pb';
import { syncUnary } from '../src/sync/flag-sync';
import { evaluationV1 } from '../src/evaluation/evaluation-v1';
import { evaluationV2 } from '../src/evaluation/evaluation-v2';
import { connectHandlers } from '../src/evaluation/unary-evaluation';
import { EvaluationPort, SnapshotRegistry } from '@flagfleet/serving';
import { callHandler, connectTransport } from '../src/server/call-handler';
import { grpcFrame } from '../src/server/grpc-frame';
import { UnaryCallPolicy, type UnaryTransport } from '../src/server/unary-call-policy';
import { unaryRoutes } from '../src/server/unary-routes';

/** Every outcome of both versions: values of each type, DISABLED, no defaultVariant, rule errors, metadata. */
const DOCUMENT = {
  metadata: { team: 'core' },
  flags: {
    'kill-switch': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      metadata: { owner: 'ops' },
    },
    banner: {
      state: 'ENABLED',
      variants: { red: 'red', blue: 'blue', none: '' },
      defaultVariant: 'red',
      targeting: {
        if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'blue', { '==': [{ var: 'plan' }, 'free'] }, 'none', null],
      },
    },
    ratio: { state: 'ENABLED', variants: { up: 2.7, down: -2.7, zero: 0 }, defaultVariant: 'up' },
    theme: {
      state: 'ENABLED',
      variants: { light: { mode: 'light' }, list: [1, 2] },
      defaultVariant: 'light',
    },
    listy: { state: 'ENABLED', variants: { list: [1, 2] }, defaultVariant: 'list' },
    legacy: { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    'no-default': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      targeting: { if: [{ var: 'beta' }, 'on', null] },
    },
    broken: {
      state: 'ENABLED',
      variants: { on: true },
      defaultVariant: 'on',
      targeting: { if: [true, 'missing', 'on'] },
    },
  },
};
// `big` answers more than the 600 bytes a response may have here.
const OTHER = {
  flags: {
    only: { state: 'ENABLED', variants: { yes: 'other' }, defaultVariant: 'yes' },
    big: { state: 'ENABLED', variants: { large: { text: 'x'.repeat(700) } }, defaultVariant: 'large' },
  },
};

function compiled(document: object): CompiledFlags {
  const outcome = compileFlagDocument(JSON.stringify(document));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.flags;
}

/** Two served sources and one not loaded yet, through the evaluation port (its counts recorded per protocol). */
const EVALUATED: string[] = [];
const PORT: EvaluationPort = (() => {
  const registry = new SnapshotRegistry();
  for (const source of ['app/env/flags', 'app/env/other', 'app/env/pending']) registry.add(source);
  for (const [source, document] of [
    ['app/env/flags', DOCUMENT],
    ['app/env/other', OTHER],
  ] as const) {
    const content = Buffer.from(JSON.stringify(document));
    registry.replace({
      source,
      revision: 1,
      versionLabel: null,
      contentType: 'application/json',
      content,
      contentHash: '',
      flags: compiled(document),
      fetchedAt: 0,
      loadedAt: 0,
    });
  }
  return new EvaluationPort(registry, {
    count: (protocol, result, times) => EVALUATED.push(`${protocol} ${result.key} x${times}`),
    started: () => 0,
    timed: () => {},
  });
})();

interface Answer {
  status: unknown;
  contentType: unknown;
  grpcStatus: unknown;
  grpcMessage: unknown;
  body: string;
}

/** One raw HTTP/2 exchange: what a client can observe of the answer (the date header aside). */
function exchange(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  body: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', te: 'trailers', ...headers });
    const answer: Answer = {
      status: undefined,
      contentType: undefined,
      grpcStatus: undefined,
      grpcMessage: undefined,
      body: '',
    };
    const chunks: Buffer[] = [];
    stream.on('response', (head) => {
      answer.status = head[':status'];
      answer.contentType = head['content-type'];
      answer.grpcStatus = head['grpc-status'];
    });
    stream.on('trailers', (trailers) => {
      answer.grpcStatus = trailers['grpc-status'];
      // As sent: both transports spell it as the gRPC spec says (grpc-message.ts).
      answer.grpcMessage = trailers['grpc-message'];
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => resolve({ ...answer, body: Buffer.concat(chunks).toString('hex') }));
    stream.end(body);
  });
}

const encode = <D extends DescMessage>(schema: D, init: MessageInitShape<D>): Buffer =>
  grpcFrame(toBinary(schema, create(schema, init)));

/** The evaluation port's listener as FlagdServers builds it, or connect-node alone, on the same functions. */
class Side {
  readonly counted: string[] = [];
  /** The call policy both transports of this side run: its `served` says which transport served each call. */
  readonly policy = new UnaryCallPolicy({
    // x-api-key `none`: no key given; `wrong`: a key not accepted.
    authorize: (headers) =>
      headers['x-api-key'] === 'none'
        ? 'unauthenticated'
        : headers['x-api-key'] === 'wrong'
          ? 'permission-denied'
          : 'ok',
    metrics: {
      rpcFinished: (method, outcome) => this.counted.push(`${method} ${outcome}`),
      streamsChanged: () => {},
    },
    maxRequestBytes: 512,
    maxResponseBytes: 600,
  });
  private server!: Http2Server;
  session!: ClientHttp2Session;

  constructor(private readonly fastPath: boolean) {}

  /** Calls served so far by each transport. */
  served(): Record<UnaryTransport, number> {
    return { ...this.policy.served };
  }

  async start(): Promise<void> {
    const evaluations = {
      v1: evaluationV1(PORT),
      v2: evaluationV2(PORT),
      // The sync document limit is the answer's: `big` is over it.
      sync: syncUnary({ port: PORT, maxMessageBytes: 600 }),
    };
    const options = {
      policy: this.policy,
      routes: (router: ConnectRouter) => {
        router.service(v2.Service, connectHandlers(evaluations.v2));
        router.service(v1.Service, connectHandlers(evaluations.v1));
        router.service(FlagSyncService, connectHandlers(evaluations.sync));
      },
      unary: unaryRoutes([
        [v2.Service, evaluations.v2],
        [v1.Service, evaluations.v1],
        [FlagSyncService, evaluations.sync],
      ]),
    };
    this.server = createServer(this.fastPath ? callHandler(options) : connectTransport(options));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.session = connect(`http://127.0.0.1:${(this.server.address() as AddressInfo).port}`);
  }

  async stop(): Promise<void> {
    this.session?.close();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const context = (fields: JsonObject): JsonObject => fields;
const CONTEXTS = [
  undefined,
  context({ plan: 'pro' }),
  context({ plan: 'free', beta: true }),
  context({ targetingKey: 'u-1', nested: { a: [1, 'x', null] } }),
];
const KEYS = [
  'kill-switch',
  'banner',
  'ratio',
  'theme',
  'listy',
  'legacy',
  'no-default',
  'broken',
  'missing',
];
const TYPED = ['ResolveBoolean', 'ResolveString', 'ResolveFloat', 'ResolveInt', 'ResolveObject'] as const;

/** Every typed method of both versions × every flag × every context, and v1 ResolveAll per context. */
function evaluationCalls(): Array<{ name: string; path: string; body: Buffer }> {
  const calls: Array<{ name: string; path: string; body: Buffer }> = [];
  for (const [version, gen] of [
    ['v1', v1],
    ['v2', v2],
  ] as const) {
    for (const method of TYPED) {
      const schema = (gen as unknown as Record<string, DescMessage>)[`${method}RequestSchema`];
      for (const flagKey of KEYS)
        for (const [i, ctx] of CONTEXTS.entries())
          calls.push({
            name: `${version} ${method} ${flagKey} context ${i}`,
            path: `/flagd.evaluation.${version}.Service/${method}`,
            body: grpcFrame(toBinary(schema, create(schema, { flagKey, context: ctx }))),
          });
    }
  }
  for (const [i, ctx] of CONTEXTS.entries())
    calls.push({
      name: `v1 ResolveAll context ${i}`,
      path: '/flagd.evaluation.v1.Service/ResolveAll',
      body: encode(v1.ResolveAllRequestSchema, { context: ctx }),
    });
  return calls;
}

describe('the unary gRPC fast path answers as connect-node does', () => {
  const fast = new Side(true);
  const plain = new Side(false);
  beforeAll(() => Promise.all([fast.start(), plain.start()]));
  afterAll(() => Promise.all([fast.stop(), plain.stop()]));

  const both = async (headers: Record<string, string>, body: Buffer): Promise<[Answer, Answer]> =>
    Promise.all([exchange(fast.session, headers, body), exchange(plain.session, headers, body)]);

  /** What each side's transports served during `run`. */
  const servedDuring = async (
    run: () => Promise<void>,
  ): Promise<{ fast: Record<UnaryTransport, number>; plain: Record<UnaryTransport, number> }> => {
    const before = { fast: fast.served(), plain: plain.served() };
    await run();
    const delta = (after: Record<UnaryTransport, number>, earlier: Record<UnaryTransport, number>) => ({
      'fast-path': after['fast-path'] - earlier['fast-path'],
      'connect-node': after['connect-node'] - earlier['connect-node'],
    });
    return { fast: delta(fast.served(), before.fast), plain: delta(plain.served(), before.plain) };
  };

  it('every evaluation method, flag and context: the same status, message and bytes, counted alike', async () => {
    const calls = evaluationCalls();
    const served = await servedDuring(async () => {
      for (const call of calls) {
        const [a, b] = await both({ ':path': call.path, 'content-type': 'application/grpc' }, call.body);
        expect({ call: call.name, ...a }).toEqual({ call: call.name, ...b });
      }
    });
    expect(fast.counted).toEqual(plain.counted);
    expect(fast.counted).toHaveLength(calls.length);
    // Not vacuous: the fast path served every call on one side, connect-node every call on the other, over
    // every unary method, and the outcomes span successes and errors.
    expect(served).toEqual({
      fast: { 'fast-path': calls.length, 'connect-node': 0 },
      plain: { 'fast-path': 0, 'connect-node': calls.length },
    });
    expect(new Set(fast.counted.map((line) => line.split(' ')[0])).size).toBe(11);
    expect(new Set(fast.counted.map((line) => line.split(' ')[1]))).toEqual(
      new Set(['ok', 'not_found', 'invalid_argument', 'unknown']),
    );
  });

  it('selector headers, API keys, grpc+proto and a deadline: the same answers', async () => {
    const body = encode(v2.ResolveStringRequestSchema, { flagKey: 'only' });
    const path = '/flagd.evaluation.v2.Service/ResolveString';
    const variants: Array<Record<string, string>> = [
      { 'flagd-selector': 'app/env/other' },
      { 'flagd-selector': 'source=app/env/other' },
      { 'flagd-selector': '  ' },
      { 'flagd-selector': 'nope' },
      { 'flagd-selector': 'app/env/unknown' },
      { 'flagd-selector': 'app/env/pending' },
      { 'x-api-key': 'none' },
      { 'x-api-key': 'wrong' },
      { 'content-type': 'application/grpc+proto' },
      { 'grpc-timeout': '5S' },
    ];
    const served = await servedDuring(async () => {
      for (const extra of variants) {
        const [a, b] = await both({ ':path': path, 'content-type': 'application/grpc', ...extra }, body);
        expect({ extra, ...a }).toEqual({ extra, ...b });
      }
    });
    expect(fast.counted.slice(-variants.length)).toEqual(plain.counted.slice(-variants.length));
    expect(served.fast).toEqual({ 'fast-path': variants.length, 'connect-node': 0 });
  });

  it("sync's unary methods: FetchAllFlags of every source and selector, GetMetadata — the same answers", async () => {
    const fetch = '/flagd.sync.v1.FlagSyncService/FetchAllFlags';
    const calls: Array<[Record<string, string>, Buffer]> = [
      [{ ':path': fetch }, encode(FetchAllFlagsRequestSchema, {})],
      [{ ':path': fetch }, encode(FetchAllFlagsRequestSchema, { selector: 'app/env/flags' })],
      [{ ':path': fetch, 'flagd-selector': 'app/env/other' }, encode(FetchAllFlagsRequestSchema, {})],
      [{ ':path': fetch }, encode(FetchAllFlagsRequestSchema, { selector: 'app/env/pending' })],
      [{ ':path': fetch }, encode(FetchAllFlagsRequestSchema, { selector: 'app/env/unknown' })],
      [{ ':path': fetch }, encode(FetchAllFlagsRequestSchema, { selector: 'nope' })],
      [{ ':path': fetch }, encode(FetchAllFlagsRequestSchema, { selector: 'owner=nope' })],
      [{ ':path': fetch, 'x-api-key': 'none' }, encode(FetchAllFlagsRequestSchema, {})],
      [{ ':path': '/flagd.sync.v1.FlagSyncService/GetMetadata' }, encode(GetMetadataRequestSchema, {})],
    ];
    const served = await servedDuring(async () => {
      for (const [headers, body] of calls) {
        const [a, b] = await both({ 'content-type': 'application/grpc', ...headers }, body);
        expect({ headers, ...a }).toEqual({ headers, ...b });
      }
    });
    expect(served).toEqual({
      fast: { 'fast-path': calls.length, 'connect-node': 0 },
      plain: { 'fast-path': 0, 'connect-node': calls.length },
    });
    expect(fast.counted.slice(-calls.length)).toEqual(plain.counted.slice(-calls.length));
    expect(new Set(fast.counted.slice(-calls.length).map((line) => line.split(' ')[1]))).toEqual(
      new Set(['ok', 'resource_exhausted', 'unavailable', 'invalid_argument', 'unauthenticated']),
    );
  });

  it('bodies that are not one message, and a message over the limit: the same statuses, not counted', async () => {
    const path = '/flagd.evaluation.v2.Service/ResolveBoolean';
    const one = encode(v2.ResolveBooleanRequestSchema, { flagKey: 'kill-switch' });
    const bodies = [
      Buffer.alloc(0),
      Buffer.from([0, 0, 0]),
      one.subarray(0, one.length - 1),
      Buffer.concat([one, one]),
      Buffer.concat([one, one.subarray(0, 3)]),
      grpcFrame(Buffer.from([0xff, 0xff, 0xff])),
      grpcFrame(Buffer.from([1]), 1),
      encode(v2.ResolveBooleanRequestSchema, { flagKey: 'kill-switch', context: { blob: 'x'.repeat(600) } }),
    ];
    const countedBefore = fast.counted.length;
    const served = await servedDuring(async () => {
      for (const body of bodies) {
        const [a, b] = await both({ ':path': path, 'content-type': 'application/grpc' }, body);
        const sent = body.toString('hex').slice(0, 40);
        expect({ sent, ...a }).toEqual({ sent, ...b });
        expect(a.grpcStatus).not.toBe('0');
      }
    });
    expect(fast.counted.length).toBe(countedBefore);
    // Refused before admission, by either transport.
    expect(served.fast).toEqual({ 'fast-path': 0, 'connect-node': 0 });
    expect(served.plain).toEqual({ 'fast-path': 0, 'connect-node': 0 });
  });

  it('an answer over the size limit: RESOURCE_EXHAUSTED from both, counted as that by both', async () => {
    const [a, b] = await both(
      {
        ':path': '/flagd.evaluation.v2.Service/ResolveObject',
        'content-type': 'application/grpc',
        'flagd-selector': 'app/env/other',
      },
      encode(v2.ResolveObjectRequestSchema, { flagKey: 'big' }),
    );
    expect(a).toEqual(b);
    expect(a.grpcStatus).toBe('8');
    // The call policy measures the answer on both transports, so neither counts it ok.
    expect(fast.counted.at(-1)).toBe('flagd.evaluation.v2.Service/ResolveObject resource_exhausted');
    expect(plain.counted.at(-1)).toBe('flagd.evaluation.v2.Service/ResolveObject resource_exhausted');
  });

  it('leaves to connect-node what it does not take: JSON, compressed requests, unknown paths, other protocols', async () => {
    const requests: Array<[Record<string, string>, Buffer]> = [
      [
        { ':path': '/flagd.evaluation.v2.Service/ResolveBoolean', 'content-type': 'application/grpc+json' },
        grpcFrame(Buffer.from('{"flagKey":"kill-switch"}')),
      ],
      [
        {
          ':path': '/flagd.evaluation.v2.Service/ResolveBoolean',
          'content-type': 'application/grpc',
          'grpc-encoding': 'gzip',
        },
        grpcFrame(Buffer.alloc(0)),
      ],
      [
        { ':path': '/flagd.evaluation.v2.Service/ResolveBoolean', 'content-type': 'application/json' },
        Buffer.from('{"flagKey":"kill-switch"}'),
      ],
      [
        {
          ':path': '/flagd.evaluation.v2.Service/ResolveBoolean',
          'content-type': 'application/grpc-web+proto',
        },
        encode(v2.ResolveBooleanRequestSchema, { flagKey: 'kill-switch' }),
      ],
      [
        { ':path': '/flagd.evaluation.v2.Service/Nope', 'content-type': 'application/grpc' },
        grpcFrame(Buffer.alloc(0)),
      ],
    ];
    const served = await servedDuring(async () => {
      for (const [headers, body] of requests) {
        const [a, b] = await both(headers, body);
        expect({ headers, ...a }).toEqual({ headers, ...b });
      }
    });
    // Every request but the unknown method was admitted, by connect-node on both sides, under the same policy.
    expect(served).toEqual({
      fast: { 'fast-path': 0, 'connect-node': requests.length - 1 },
      plain: { 'fast-path': 0, 'connect-node': requests.length - 1 },
    });
  });

  it('a malformed grpc-timeout: refused by the fast path itself as connect-node refuses it, never admitted', async () => {
    const served = await servedDuring(async () => {
      const [a, b] = await both(
        {
          ':path': '/flagd.evaluation.v2.Service/ResolveBoolean',
          'content-type': 'application/grpc',
          'grpc-timeout': 'soon',
        },
        grpcFrame(Buffer.alloc(0)),
      );
      expect(a).toEqual(b);
      expect(a).toMatchObject({
        grpcStatus: '3',
        grpcMessage: 'protocol error: invalid grpc timeout value: soon',
      });
    });
    expect(served).toEqual({
      fast: { 'fast-path': 0, 'connect-node': 0 },
      plain: { 'fast-path': 0, 'connect-node': 0 },
    });
  });

  it("an answer over the size limit in any codec: the policy's refusal is connect-node's own", async () => {
    // connect-node with no interceptor: its own writeMaxBytes check and text.
    const bare = createServer(
      connectNodeAdapter({
        routes: (router) => router.service(v2.Service, connectHandlers(evaluationV2(PORT))),
        readMaxBytes: 512,
        writeMaxBytes: 600,
      }),
    );
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const session = connect(`http://127.0.0.1:${(bare.address() as AddressInfo).port}`);
    try {
      const path = '/flagd.evaluation.v2.Service/ResolveObject';
      const selector = { 'flagd-selector': 'app/env/other' };
      const requests: Array<[Record<string, string>, Buffer]> = [
        [
          { ':path': path, 'content-type': 'application/grpc', ...selector },
          encode(v2.ResolveObjectRequestSchema, { flagKey: 'big' }),
        ],
        [
          { ':path': path, 'content-type': 'application/grpc+json', ...selector },
          grpcFrame(Buffer.from('{"flagKey":"big"}')),
        ],
        [
          { ':path': path, 'content-type': 'application/json', ...selector },
          Buffer.from('{"flagKey":"big"}'),
        ],
      ];
      // Read as a client decodes it: bare connect-node percent-encodes more than the gRPC spec asks.
      const decoded = (answer: Answer): Answer => ({
        ...answer,
        grpcMessage:
          typeof answer.grpcMessage === 'string' ? decodeURIComponent(answer.grpcMessage) : undefined,
      });
      for (const [headers, body] of requests) {
        const [a, b] = (await both(headers, body)).map(decoded);
        const own = decoded(await exchange(session, headers, body));
        expect({ headers, ...a }).toEqual({ headers, ...own });
        expect({ headers, ...b }).toEqual({ headers, ...own });
        expect(plain.counted.at(-1)).toBe('flagd.evaluation.v2.Service/ResolveObject resource_exhausted');
      }
    } finally {
      session.close();
      await new Promise((resolve) => bare.close(resolve));
    }
  });
});

describe('the unary gRPC fast path: deadlines and cancellation', () => {
  const fast = new Side(true);
  beforeAll(() => fast.start());
  afterAll(() => fast.stop());
  const path = '/flagd.evaluation.v2.Service/ResolveBoolean';

  it('answers DEADLINE_EXCEEDED when the message has not arrived by the grpc-timeout', async () => {
    const stream = fast.session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '50m',
    });
    const started = Date.now();
    const trailers = await new Promise<Record<string, unknown>>((resolve) =>
      stream.once('trailers', resolve),
    );
    expect(trailers).toMatchObject({ 'grpc-status': '4', 'grpc-message': 'the operation timed out' });
    expect(Date.now() - started).toBeLessThan(5_000);
    stream.close();
  });

  it('drops a call the client cancels before its message ends: no answer, nothing counted', async () => {
    const counted = fast.counted.length;
    const stream = fast.session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '1S',
    });
    stream.write(encode(v2.ResolveBooleanRequestSchema, { flagKey: 'kill-switch' }).subarray(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 20));
    stream.close(0x8); // RST_STREAM CANCEL, as grpc-js cancels
    await new Promise((resolve) => stream.once('close', resolve));
    // The connection still serves the next call, and the cancelled one was never evaluated.
    const answer = await exchange(
      fast.session,
      { ':path': path, 'content-type': 'application/grpc' },
      encode(v2.ResolveBooleanRequestSchema, { flagKey: 'kill-switch' }),
    );
    expect(answer.grpcStatus).toBe('0');
    expect(fast.counted.slice(counted)).toEqual(['flagd.evaluation.v2.Service/ResolveBoolean ok']);
  });
});
