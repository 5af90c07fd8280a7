/**
 * The gRPC load generator of bench/service.ts, run as its own process (`fork`) like bench/load-generator.ts
 * and driven by the same messages (a LoadJob in; `measuring`, then a LoadResult out), so that the flagd
 * RPC workload is measured exactly as the HTTP ones are. It calls one unary method over one HTTP/2
 * connection (as a provider's channel does) with plain node:http2, `connections` calls in flight at most:
 * prebuilt request frames, answers checked by their `grpc-status` trailer only. Far cheaper per call than
 * @grpc/grpc-js, so the server, not the client, is what is measured.
 *
 * `bodies` are the request messages, base64-encoded protobuf (the 5-byte gRPC prefix is added here).
 */
import { connect, type ClientHttp2Session } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { grpcFrame } from '../libs/flagd-protocol/src/server/grpc-frame';
import type { LoadJob, LoadMessage, LoadResult } from './load-generator';
import { loadResult, serveLoadJobs } from './load-worker';
import { pacedArrivals } from './paced-arrivals';

const frame = (base64: string): Buffer => grpcFrame(Buffer.from(base64, 'base64'));

async function run(job: LoadJob, report: (message: LoadMessage) => void): Promise<LoadResult> {
  const frames = job.bodies.map(frame);
  const headers = {
    ':method': 'POST',
    ':path': job.path,
    'content-type': 'application/grpc',
    te: 'trailers',
  };
  const session: ClientHttp2Session = connect(`http://127.0.0.1:${job.port}`);
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  session.on('error', () => undefined);
  let next = 0;
  let inFlight = 0;
  let queued = 0;
  let errors = 0;
  let measuring = false;
  let stopped = false;
  const latencies: number[] = [];

  const send = (): void => {
    inFlight++;
    const startedAt = performance.now();
    const stream = session.request(headers);
    let status: string | undefined;
    stream.on('trailers', (trailers) => (status = String(trailers['grpc-status'])));
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
    stream.on('close', () => {
      inFlight--;
      if (measuring) {
        latencies.push(performance.now() - startedAt);
        if (status !== '0') errors++;
      }
      if (stopped) return;
      if (job.rate === 0) send();
      else if (queued > 0) {
        queued--;
        send();
      }
    });
    stream.end(frames[next]);
    next = (next + 1) % frames.length;
  };

  const start = performance.now();
  measuring = true;
  report({ type: 'measuring' });
  if (job.rate === 0) for (let i = 0; i < job.connections; i++) send();
  await pacedArrivals(start, job.seconds, job.rate, (count) => {
    queued += count;
    while (queued > 0 && inFlight < job.connections) {
      queued--;
      send();
    }
  });
  measuring = false;
  stopped = true;
  const seconds = (performance.now() - start) / 1000;
  session.destroy();
  return loadResult(latencies, errors, seconds);
}

serveLoadJobs(run);
