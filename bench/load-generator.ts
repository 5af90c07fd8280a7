/**
 * The load generator of bench/service.ts, run as its own process (`fork`) so that its CPU never counts as
 * the server's. It keeps HTTP/1.1 keep-alive connections on raw sockets, sends prebuilt request bytes
 * (one request in flight per connection, bodies cycled) and reads answers by Content-Length, which costs
 * far less than an HTTP client library. The parent sends a LoadJob; the generator replies
 * `{ type: 'measuring' }` when the measured window opens and a LoadResult when it closes, so the parent
 * reads the server's CPU time exactly around the window.
 *
 * At a fixed `rate` the requests are due at evenly spaced times, sent on the next 1 ms tick on an idle
 * connection (or queued until one is free). Each latency runs from the write of the request to the end of
 * its answer: timed from the due time it would add the generator's own tick lag (up to ~1 ms on every
 * request) to both servers. `rate: 0` sends as fast as the answers come (saturation).
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { loadResult, serveLoadJobs } from './load-worker';
import { pacedArrivals } from './paced-arrivals';

export interface LoadJob {
  readonly port: number;
  readonly path: string;
  /** Request bodies, sent in turn. */
  readonly bodies: readonly string[];
  readonly connections: number;
  /** Requests per second offered; 0: as fast as the server answers. */
  readonly rate: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly type: 'result';
  readonly completed: number;
  /** Answers that were not 2xx, and connections that failed. */
  readonly errors: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export type LoadMessage = { readonly type: 'measuring' } | LoadResult;

const HEADER_END = Buffer.from('\r\n\r\n');

function requestBytes(port: number, path: string, body: string): Buffer {
  const payload = Buffer.from(body);
  const head =
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${payload.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

/** Length of the answer at the start of `buffer` (head + body), or -1 while it is incomplete. */
function answerLength(buffer: Buffer): { length: number; status: number } | undefined {
  const headEnd = buffer.indexOf(HEADER_END);
  if (headEnd === -1) return undefined;
  const head = buffer.toString('latin1', 0, headEnd);
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const length = headEnd + 4 + (match ? Number(match[1]) : 0);
  if (buffer.length < length) return undefined;
  return { length, status: Number(head.slice(9, 12)) };
}

async function run(job: LoadJob, report: (message: LoadMessage) => void): Promise<LoadResult> {
  const requests = job.bodies.map((body) => requestBytes(job.port, job.path, body));
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stopped = false;
  const idle: Connection[] = [];
  /** Requests due but not sent yet: every connection was busy (fixed rate only). */
  let queued = 0;

  class Connection {
    private pending: Buffer | undefined;
    private startedAt = 0;

    constructor(readonly socket: Socket) {
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => this.read(chunk));
      socket.on('error', () => {
        errors++;
      });
    }

    send(): void {
      this.startedAt = performance.now();
      this.socket.write(requests[next]);
      next = (next + 1) % requests.length;
    }

    private read(chunk: Buffer): void {
      this.pending = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
      const answer = answerLength(this.pending);
      if (answer === undefined) return;
      this.pending = answer.length < this.pending.length ? this.pending.subarray(answer.length) : undefined;
      if (measuring) {
        latencies.push(performance.now() - this.startedAt);
        if (answer.status < 200 || answer.status > 299) errors++;
      }
      if (stopped) return;
      if (job.rate === 0 || queued > 0) {
        if (queued > 0) queued--;
        this.send();
      } else idle.push(this);
    }
  }

  const connections = await Promise.all(
    Array.from(
      { length: job.connections },
      () =>
        new Promise<Connection>((resolve, reject) => {
          const socket = connect(job.port, '127.0.0.1', () => resolve(new Connection(socket)));
          socket.once('error', reject);
        }),
    ),
  );

  const start = performance.now();
  measuring = true;
  report({ type: 'measuring' });
  if (job.rate === 0) {
    for (const connection of connections) connection.send();
  } else {
    idle.push(...connections);
  }
  await pacedArrivals(start, job.seconds, job.rate, (count) => {
    queued += count;
    while (queued > 0 && idle.length > 0) {
      queued--;
      idle.pop()!.send();
    }
  });
  measuring = false;
  stopped = true;
  const seconds = (performance.now() - start) / 1000;
  for (const connection of connections) connection.socket.destroy();
  return loadResult(latencies, errors, seconds);
}

serveLoadJobs(run);
