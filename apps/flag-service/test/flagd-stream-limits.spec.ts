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
  const servers = (service.app.get(FlagdServers) as unknown as { servers: Map<string, Http2Server> }).servers;
  const server = servers.get('sync');
  if (server === undefined) throw new Error('no sync listener');
  return server;
}

/**
 * A raw HTTP/2 SyncFlags call (gRPC framing by hand): nothing in between buffers for the client, so a paused
 * stream stops granting HTTP/2 flow-control window and the server is left holding what it has not sent.
 */
function openSync(session: ClientHttp2Session) {
  const stream = session.request({
    ':method': 'POST',
    ':path': '/flagd.sync.v1.FlagSyncService/SyncFlags',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  // An empty SyncFlagsRequest: a zero-length message.
  stream.end(Buffer.alloc(5));
  return stream;
}

/** The gRPC messages in `bytes` (5-byte prefix: flag, length), decoded as SyncFlagsResponse documents. */
function syncDocuments(bytes: Buffer): Array<{ flags: { rev: { variants: { r: number } } } }> {
  const out = [];
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = bytes.readUInt32BE(at + 1);
    if (at + 5 + length > bytes.length) break;
    const message = fromBinary(SyncFlagsResponseSchema, bytes.subarray(at + 5, at + 5 + length));
    out.push(JSON.parse(message.flagConfiguration));
    at += 5 + length;
  }
  return out;
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

  it('closes a half-open connection (the peer stops answering pings) within two ping periods, ending its stream', async () => {
    const proxy = await FreezableProxy.start(Number(service.flagdSync.split(':')[1]));
    const session = h2connect(`http://127.0.0.1:${proxy.port}`);
    const stream = openSync(session);
    stream.on('data', () => {});
    stream.on('error', () => {});
    try {
      await waitFor(async () => (await openSyncStreams(service)) === 1, { message: 'one open sync stream' });
      // The client's host vanishes: nothing more is forwarded either way, and nothing is closed.
      proxy.freeze();
      const frozenAt = Date.now();
      await waitFor(async () => (await openSyncStreams(service)) === 0, {
        timeoutMs: 20 * KEEPALIVE_MS,
        message: 'the half-open stream released',
      });
      // Pinged at most two periods later, closed at the next tick: well under this bound.
      expect(Date.now() - frozenAt).toBeLessThan(10 * KEEPALIVE_MS);
      await waitFor(() => proxy.upstreamClosed, { message: 'the server closed its side of the connection' });
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
