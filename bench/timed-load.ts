/**
 * A paced load generator for bench/deploy-stall.ts, run as its own process (`fork`): POSTs one body to one
 * path at a fixed rate over keep-alive connections for `seconds`, then replies with every request's send time
 * (epoch ms) and latency, so the parent can split them by window (calm, loading).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface TimedLoadJob {
  readonly port: number;
  readonly path: string;
  readonly body: string;
  readonly rate: number;
  readonly seconds: number;
}

/** [sentAt epoch ms, latency ms] per completed request; failures have latency -1. */
export type TimedLoadResult = [number, number][];

function run(job: TimedLoadJob): Promise<TimedLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const samples: TimedLoadResult = [];
  const payload = Buffer.from(job.body);
  const total = Math.round(job.rate * job.seconds);
  const start = performance.now();
  let sent = 0;
  let done = 0;
  return new Promise((resolve) => {
    const send = (): void => {
      const sentAt = Date.now();
      const began = performance.now();
      const finish = (latency: number): void => {
        samples.push([sentAt, latency]);
        if (++done === total) {
          agent.destroy();
          resolve(samples);
        }
      };
      const req = request(
        {
          port: job.port,
          host: '127.0.0.1',
          path: job.path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': payload.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode === 200 ? performance.now() - began : -1));
        },
      );
      req.on('error', () => finish(-1));
      req.end(payload);
    };
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * job.rate));
      while (sent < due) {
        sent++;
        send();
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

process.on('message', (job: TimedLoadJob) => {
  void run(job).then((samples) => process.send?.(samples, () => process.exit(0)));
});
