import {
  connect as h2connect,
  type ClientHttp2Session,
  type Http2Server,
  type ServerHttp2Stream,
} from 'node:http2';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { fromBinary } from '@bufbuild/protobuf';
import { FlagdServers } from '@flagfleet/flagd-protocol';
import { SyncFlagsResponseSchema } from '../../../libs/flagd-protocol/src/gen/flagd/sync/v1/sync_pb';
import { EventStreamResponseSchema } from '../../../libs/flagd-protocol/src/gen/flagd/evaluation/v2/evaluation_pb';
import { waitFor } from '../../../test/support/wait-for';
import { startFlagService, type RunningFlagService } from './flag-service-harness';

const KEEPALIVE_MS = 300;
const PADDING = 100_000;
const REVISIONS = 8;

/** A document of about 100 KB whose flag `rev` answers `revision`. */
function document(revision: number): unknown {
  return {
    flags: {
      rev: { state: 'ENABLED', variants: { r: revision }, defaultVariant: 'r' },
      padding: { state: 'ENABLED', variants: { p: `${revision}`.padEnd(PADDING, 'x') }, defaultVariant: 'p' },
    },
  };
}

async function servedRevision(service: RunningFlagService): Promise<number> {
  const response = await fetch(`${service.url}/ofrep/v1/evaluate/flags/rev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"context":{}}',
  });
  return ((await response.json()) as { value: number }).value;
}

async function deploy(service: RunningFlagService, revision: number): Promise<void> {
  await service.writeFlags('flags', document(revision));
  await waitFor(async () => (await servedRevision(service)) === revision, {
    timeoutMs: 10_000,
    message: `revision ${revision} served`,
  });
}

/** The service's sync listener, to watch the server side of each stream (what it holds unsent). */
function syncListener(service: RunningFlagService): Http2Server {
  const listeners = (
    service.app.get(FlagdServers) as unknown as { servers: Map<string, { http2: Http2Server }> }
  ).servers;
  const listener = listeners.get('sync');
  if (listener === undefined) throw new Error('no sync listener');
  return listener.http2;
}

/**
 * A raw HTTP/2 SyncFlags call (gRPC framing by hand): nothing in between buffers for the client, so a paused
 * stream stops granting HTTP/2 flow-control window and the server is left holding what it has not sent.
 */
function openSync(session: ClientHttp2Session, path = '/flagd.sync.v1.FlagSyncService/SyncFlags') {
  const stream = session.request({
    ':method': 'POST',
    ':path': path,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  // An empty SyncFlagsRequest: a zero-length message.
  stream.end(Buffer.alloc(5));
  return stream;
}

/** The complete gRPC messages in `bytes` (5-byte prefix: flag, length). */
function grpcMessages(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = bytes.readUInt32BE(at + 1);
    if (at + 5 + length > bytes.length) break;
    out.push(bytes.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return out;
}

function syncDocuments(bytes: Buffer): Array<{ flags: { rev: { variants: { r: number } } } }> {
  return grpcMessages(bytes).map(
    (message) => JSON.parse(fromBinary(SyncFlagsResponseSchema, message).flagConfiguration) as never,
  );
}

/** The configuration_change events in `bytes`: the keys each one lists. */
function changedKeys(bytes: Buffer): string[][] {
  return grpcMessages(bytes)
    .map((message) => fromBinary(EventStreamResponseSchema, message))
    .filter((event) => event.type === 'configuration_change')
    .map((event) => Object.keys((event.data?.flags ?? {}) as Record<string, unknown>));
}

async function openSyncStreams(service: RunningFlagService): Promise<number> {
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  const found = /flagfleet_flagd_open_streams\{stream="sync"\} (\d+)/.exec(metrics);
  return Number(found?.[1] ?? NaN);
}

describe('flagd sync streams: slow readers and half-open connections (built service)', () => {
  let service: RunningFlagService;
  const serverStreams: ServerHttp2Stream[] = [];

  beforeAll(async () => {
    service = await startFlagService({ flags: document(0) }, { FLAGD_KEEPALIVE_MS: String(KEEPALIVE_MS) });
    syncListener(service).on('stream', (stream) => serverStreams.push(stream));
  });
  afterAll(() => service?.close());

  it('holds one pending document for a client that stops reading, and sends it the latest when it resumes', async () => {
    const session = h2connect(`http://${service.flagdSync}`);
    const stream = openSync(session);
    try {
      // Never read until told: no 'data' listener, paused.
      stream.pause();
      const server = (await waitFor(() => serverStreams.find((s) => !s.destroyed), {
        message: 'the server side of the stream',
      })) as ServerHttp2Stream;
      const documentBytes = JSON.stringify(document(0)).length;
      let mostHeld = 0;
      for (let revision = 1; revision <= REVISIONS; revision++) {
        await deploy(service, revision);
        // Unsent bytes in the server's stream: the document being written, never a backlog of revisions.
        mostHeld = Math.max(mostHeld, server.writableLength);
      }
      // The client's window is full: the server holds part of a document, and never more than one.
      expect(mostHeld).toBeGreaterThan(0);
      expect(mostHeld).toBeLessThan(2 * documentBytes);

      const received: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => received.push(chunk));
      stream.resume();
      const documents = await waitFor(
        () => {
          const all = syncDocuments(Buffer.concat(received));
          return all.at(-1)?.flags.rev.variants.r === REVISIONS ? all : undefined;
        },
        { timeoutMs: 10_000, message: 'the latest document after resuming' },
      );
      // The first document (held while paused), then the newest: the revisions in between were replaced.
      expect((documents ?? []).map((d) => d.flags.rev.variants.r)).toEqual([0, REVISIONS]);
    } finally {
      stream.close();
      session.close();
    }
  }, 60_000);

  it('merges the changes a paused EventStream client has not read into one pending event', async () => {
    // 3,000 flags that all change make one configuration_change of about 100 KB: more than the client's window.
    const many = (value: number, added: number): Record<string, unknown> => {
      const flags: Record<string, unknown> = {};
      for (let i = 0; i < 3000; i++)
        flags[`f-${i}`] = { state: 'ENABLED', variants: { v: value }, defaultVariant: 'v' };
      for (let k = 2; k <= added; k++)
        flags[`added-${k}`] = { state: 'ENABLED', variants: { v: k }, defaultVariant: 'v' };
      return flags;
    };
    const deployMany = async (revision: number, value: number, added: number): Promise<void> => {
      await service.writeFlags('flags', {
        flags: {
          ...many(value, added),
          rev: { state: 'ENABLED', variants: { r: revision }, defaultVariant: 'r' },
        },
      });
      await waitFor(async () => (await servedRevision(service)) === revision, {
        timeoutMs: 10_000,
        message: `revision ${revision} served`,
      });
    };
    await deployMany(100, 0, 0);
    const session = h2connect(`http://${service.flagdEvaluation}`);
    const stream = openSync(session, '/flagd.evaluation.v2.Service/EventStream');
    try {
      stream.pause();
      // Revision 101 changes every f-*: one large event, left half-sent; 102..105 each add a flag.
      await deployMany(101, 1, 0);
      for (let revision = 102; revision <= 105; revision++) await deployMany(revision, 1, revision - 100);
      const received: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => received.push(chunk));
      stream.resume();
      const events =
        (await waitFor(
          () => {
            const all = changedKeys(Buffer.concat(received));
            return all.length >= 2 ? all : undefined;
          },
          { timeoutMs: 10_000, message: 'the held event and the merged one' },
        )) ?? [];
      expect(events[0]).toHaveLength(3001);
      // Four revisions, one event: every key they touched, once.
      expect(events.slice(1).map((keys) => [...keys].sort())).toEqual([
        ['added-2', 'added-3', 'added-4', 'added-5', 'rev'],
      ]);
    } finally {
      stream.close();
      session.close();
    }
  }, 90_000);

  it('releases a half-open connection (the peer stops answering pings) within two ping periods, even mid-write', async () => {
    await deploy(service, 500);
    const proxy = await FreezableProxy.start(Number(service.flagdSync.split(':')[1]));
    const session = h2connect(`http://127.0.0.1:${proxy.port}`);
    session.on('error', () => {});
    const stream = openSync(session);
    stream.on('error', () => {});
    try {
      // The client reads nothing: its window fills and the server's write of the document waits for drain.
      stream.pause();
      await waitFor(() => serverStreams.some((s) => !s.destroyed && s.writableLength > 0), {
        message: 'a write waiting on the server',
      });
      expect(await openSyncStreams(service)).toBe(1);
      // The client's host vanishes: nothing more is forwarded either way, and nothing is closed.
      proxy.freeze();
      const frozenAt = Date.now();
      await waitFor(() => proxy.upstreamClosed, { message: 'the server closed its side of the connection' });
      // The stream is released too (its feed subscription and what it held), though its write never completes.
      await waitFor(async () => (await openSyncStreams(service)) === 0, {
        timeoutMs: 20 * KEEPALIVE_MS,
        message: 'the half-open stream released',
      });
      // Pinged at most two periods later, closed at the next tick: well under this bound.
      expect(Date.now() - frozenAt).toBeLessThan(10 * KEEPALIVE_MS);
    } finally {
      session.destroy();
      await proxy.stop();
    }
  }, 30_000);
});

/** A TCP proxy that can stop forwarding without closing anything: a half-open connection, as seen by the server. */
class FreezableProxy {
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  upstreamClosed = false;

  private constructor(
    private readonly server: Server,
    private readonly target: number,
  ) {}

  static async start(target: number): Promise<FreezableProxy> {
    const server = createServer();
    const proxy = new FreezableProxy(server, target);
    server.on('connection', (client) => proxy.forward(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  private forward(client: Socket): void {
    const upstream = connect(this.target, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    for (const socket of [client, upstream]) socket.on('error', () => {});
    upstream.on('close', () => (this.upstreamClosed = true));
    client.on('data', (chunk: Buffer) => this.frozen || upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => this.frozen || client.write(chunk));
  }

  freeze(): void {
    this.frozen = true;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('flagd connections whose streams have ended (built service)', () => {
  const IDLE_MS = 1_000;
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService({ flags: document(0) }, { FLAGD_IDLE_TIMEOUT_MS: String(IDLE_MS) });
  });
  afterAll(() => service?.close());

  it('closes a connection that keeps no call open for FLAGD_IDLE_TIMEOUT_MS (GOAWAY), not one with a stream open', async () => {
    const idle = h2connect(`http://${service.flagdEvaluation}`);
    const busy = h2connect(`http://${service.flagdEvaluation}`);
    const goaway = (session: ClientHttp2Session) =>
      new Promise<number>((resolve) => session.once('goaway', () => resolve(Date.now())));
    const idleGone = goaway(idle);
    let busyGone = false;
    void goaway(busy).then(() => (busyGone = true));
    try {
      // One EventStream each; the idle client cancels its own (RST_STREAM) but keeps the connection, as a
      // provider that abandoned its stream would; the busy one keeps reading.
      const abandoned = openSync(idle, '/flagd.evaluation.v2.Service/EventStream');
      const kept = openSync(busy, '/flagd.evaluation.v2.Service/EventStream');
      kept.on('data', () => undefined);
      await new Promise((resolve) => abandoned.once('data', resolve));
      const cancelledAt = Date.now();
      abandoned.close();
      const closedAt = await Promise.race([
        idleGone,
        new Promise<number>((resolve) => setTimeout(() => resolve(-1), 20 * IDLE_MS)),
      ]);
      expect(closedAt).toBeGreaterThan(0);
      expect(closedAt - cancelledAt).toBeGreaterThanOrEqual(IDLE_MS - 50);
      // The connection with its stream open is kept (pinged, not idle).
      expect(busyGone).toBe(false);
      kept.close();
    } finally {
      idle.destroy();
      busy.destroy();
    }
  }, 30_000);
});

describe('flagd connections at once (built service, HTTP_MAX_CONNECTIONS per port)', () => {
  let service: RunningFlagService;

  beforeAll(async () => {
    service = await startFlagService({ flags: document(0) }, { HTTP_MAX_CONNECTIONS: '2' });
  });
  afterAll(() => service?.close());

  /** A SyncFlags call on a connection of its own: resolves true once a document arrives, false if it is cut. */
  function syncOn(session: ClientHttp2Session): Promise<boolean> {
    // A connection dropped on accept may be gone before its first call.
    if (session.destroyed) return Promise.resolve(false);
    const stream = openSync(session);
    stream.on('error', () => undefined);
    return new Promise((resolve) => {
      stream.once('data', () => resolve(true));
      stream.once('close', () => resolve(false));
    });
  }

  it('drops the connection past the cap on accept, and accepts again once one closes', async () => {
    const open = (): ClientHttp2Session =>
      h2connect(`http://${service.flagdSync}`).on('error', () => undefined);
    const sessions = [0, 1, 2].map(open);
    try {
      expect(await syncOn(sessions[0])).toBe(true);
      expect(await syncOn(sessions[1])).toBe(true);
      expect(await syncOn(sessions[2])).toBe(false);
      const closed = new Promise((resolve) => sessions[0].once('close', resolve));
      sessions[0].destroy();
      await closed;
      const again = await waitFor(
        async () => {
          const session = open();
          sessions.push(session);
          return (await syncOn(session)) || undefined;
        },
        { timeoutMs: 10_000, message: 'a connection accepted after one closed' },
      );
      expect(again).toBe(true);
    } finally {
      for (const session of sessions) session.destroy();
    }
  }, 30_000);
});
