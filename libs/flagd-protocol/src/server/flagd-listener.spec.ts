import {
  connect as connectTcp,
  createServer as createTcpServer,
  type AddressInfo,
  type Server,
} from 'node:net';
import { connect as connectHttp2 } from 'node:http2';
import { FlagdListener } from './flagd-listener';

const LIMITS = { headersTimeoutMs: 300, requestTimeoutMs: 1000, keepAliveTimeoutMs: 1000 };

const portOf = (server: Server): number => (server.address() as AddressInfo).port;

/** A TCP relay to `port` that passes the client's first `slowBytes` bytes on one at a time, a turn apart. */
async function tricklingRelay(port: number, slowBytes: number): Promise<Server> {
  const relay = createTcpServer((client) => {
    const upstream = connectTcp(port, '127.0.0.1');
    let sent = 0;
    let queue = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      for (const byte of chunk) {
        const slow = sent++ < slowBytes;
        queue = queue.then(
          () =>
            new Promise<void>((done) =>
              (slow ? setImmediate : queueMicrotask)(() => (upstream.write(Buffer.of(byte)), done())),
            ),
        );
      }
    });
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((done) => relay.listen(0, '127.0.0.1', done));
  return relay;
}

function http2Get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({ ':path': path });
    let body = '';
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.on('end', () => {
      session.close();
      resolve(body);
    });
    stream.on('error', reject);
  });
}

describe('FlagdListener: HTTP/2 and HTTP/1.1 on one clear-text port', () => {
  let listener: FlagdListener;
  const sessions: string[] = [];
  beforeEach(async () => {
    listener = new FlagdListener(
      (request, response) => response.end(`HTTP/${request.httpVersion} ${request.url}`),
      { http1: LIMITS, maxConnections: 10, onSession: () => sessions.push('session') },
    );
    await new Promise<void>((done) => listener.server.listen(0, '127.0.0.1', done));
  });
  afterEach(async () => {
    listener.destroyAll();
    await listener.close();
  });

  it('serves HTTP/1.1 and HTTP/2 (prior knowledge) on the same port', async () => {
    const port = portOf(listener.server);
    expect(await (await fetch(`http://127.0.0.1:${port}/one`)).text()).toBe('HTTP/1.1 /one');
    expect(await http2Get(port, '/two')).toBe('HTTP/2.0 /two');
    expect(sessions.length).toBeGreaterThan(0);
  });

  it('recognises the HTTP/2 preface when it arrives a byte at a time', async () => {
    const relay = await tricklingRelay(portOf(listener.server), 40);
    try {
      expect(await http2Get(portOf(relay), '/slow')).toBe('HTTP/2.0 /slow');
      expect(await (await fetch(`http://127.0.0.1:${portOf(relay)}/slow-one`)).text()).toBe(
        'HTTP/1.1 /slow-one',
      );
    } finally {
      relay.close();
    }
  });

  it('closes a connection that sends nothing within the headers timeout', async () => {
    const socket = connectTcp(portOf(listener.server), '127.0.0.1');
    const startedAt = Date.now();
    await new Promise<void>((done, fail) => {
      const bound = setTimeout(() => fail(new Error('not closed within 3 s')), 3000);
      socket.on('close', () => {
        clearTimeout(bound);
        done();
      });
      socket.on('error', () => undefined);
    });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs - 50);
  });

  it('stops accepting on close, and destroyAll ends the connections still open', async () => {
    const port = portOf(listener.server);
    const held = connectTcp(port, '127.0.0.1');
    await new Promise<void>((done) => held.once('connect', () => done()));
    const closed = new Promise<void>((done) => held.once('close', () => done()));
    const stopping = listener.close();
    listener.destroyAll();
    await closed;
    await stopping;
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});
