import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { waitFor } from '../../../test/support/wait-for';
import { openEventStream } from '../../../test/webhooks/event-stream-client';
import { SERVICE_FLAGS, startFlagService, type RunningFlagService } from './flag-service-harness';

const HEADERS_MS = 500;
const REQUEST_MS = 1000;
const IDLE_MS = 1500;
const KEEP_ALIVE_MS = 1000;
/** Node keeps an idle keep-alive connection 1 s longer than it advertises (fewer races with clients). */
const KEEP_ALIVE_BUFFER_MS = 1000;
/** Scheduling slack on a loaded machine (the cut itself comes 0.3–0.4 s after the bound here). */
const SLACK_MS = 2000;
/** Node checks request and headers timeouts every second (connection-limits.ts). */
const CHECK_SLACK_MS = 1000 + SLACK_MS;

interface Cut {
  readonly answer: string;
  readonly ms: number;
}

/** Writes `payload` on a raw connection and waits (bounded) for the server to close it. */
function heldOpen(port: number, payload: string, boundMs: number): Promise<Cut> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(payload));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${boundMs} ms: ${JSON.stringify(payload.slice(0, 60))}`));
    }, boundMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, ms: Date.now() - started });
    });
  });
}

const slowBody = (path: string): string =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"context":`;

describe('connection limits', () => {
  let service: RunningFlagService;
  let port: number;
  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      {
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
        HTTP_IDLE_TIMEOUT_MS: String(IDLE_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS),
        SSE_KEEPALIVE_MS: '200',
      },
    );
    port = Number(new URL(service.url).port);
  });
  afterAll(() => service.close());

  it('cuts slow and silent clients within their bound while a normal client and an SSE stream keep working', async () => {
    const stream = openEventStream(`${service.url}/events/stream`);
    expect(await stream.status).toBe(200);
    const opened = Date.now();

    let evaluations = 0;
    const servedBefore = service.ofrepServed();
    let cutting = true;
    const normalClient = (async () => {
      while (cutting) {
        const res = await fetch(`${service.url}/ofrep/v1/evaluate/flags/kill-switch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"context":{}}',
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        evaluations += 1;
      }
    })();

    const [ofrepCut, fastify, headers, silent, idle] = await Promise.all([
      heldOpen(port, slowBody('/ofrep/v1/evaluate/flags/kill-switch'), 10_000), // 11 of 1,000 bytes
      heldOpen(port, slowBody('/admin/webhooks/subscriptions'), 10_000),
      heldOpen(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n', 10_000), // headers never end
      heldOpen(port, '', 10_000), // not a byte: the headers timeout too
      heldOpen(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', 10_000), // then nothing more
    ]);
    cutting = false;
    await normalClient;

    for (const cut of [ofrepCut, fastify]) {
      expect(cut.answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(cut.ms).toBeGreaterThanOrEqual(REQUEST_MS - 50);
      expect(cut.ms).toBeLessThan(REQUEST_MS + CHECK_SLACK_MS);
    }
    for (const cut of [headers, silent]) {
      expect(cut.answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(cut.ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
      expect(cut.ms).toBeLessThan(HEADERS_MS + CHECK_SLACK_MS);
    }
    expect(idle.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(idle.answer).toMatch(/\r\nKeep-Alive: timeout=1, max=10000\r\n/i); // the defaults' max
    expect(idle.ms).toBeLessThan(KEEP_ALIVE_MS + KEEP_ALIVE_BUFFER_MS + SLACK_MS);
    expect(evaluations).toBeGreaterThan(0);
    // The OFREP handler, OFREP's one path, answered the evaluations and took the slow body.
    expect(service.ofrepServed() - servedBefore).toBeGreaterThan(evaluations);

    // The stream outlives every bound: it keeps receiving keep-alives after they have all passed.
    const keepAlives = (): number => stream.text().split(': keep-alive').length - 1;
    const before = keepAlives();
    await waitFor(() => Date.now() - opened > IDLE_MS + REQUEST_MS && keepAlives() > before + 2, {
      timeoutMs: 10_000,
      message: 'keep-alives on the SSE stream past every timeout',
    });
    stream.close();
  });
});

describe('connection counts', () => {
  let service: RunningFlagService;
  let port: number;
  beforeAll(async () => {
    service = await startFlagService(
      { flags: SERVICE_FLAGS },
      { HTTP_MAX_CONNECTIONS: '3', HTTP_MAX_REQUESTS_PER_SOCKET: '2' },
    );
    port = Number(new URL(service.url).port);
  });
  afterAll(() => service.close());

  const live = (agent: Agent): Promise<{ status: number; connection: string | undefined }> =>
    new Promise((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/health/live', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      })
        .on('error', reject)
        .end();
    });

  it('closes a connection after HTTP_MAX_REQUESTS_PER_SOCKET requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await live(agent)).toEqual({ status: 200, connection: 'keep-alive' });
      expect(await live(agent)).toEqual({ status: 200, connection: 'close' });
      expect((await live(agent)).status).toBe(200); // on a new connection
    } finally {
      agent.destroy();
    }
  });

  it('drops connections beyond HTTP_MAX_CONNECTIONS, and accepts again once one closes', async () => {
    const held = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    try {
      const refused = await heldOpen(port, 'GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n', 5000);
      expect(refused.answer).toBe('');
      held.pop()!.destroy();
      await waitFor(async () => (await fetch(`${service.url}/health/live`)).status === 200, {
        timeoutMs: 5000,
        message: 'a request once a connection slot is free',
      });
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
