/**
 * What both load generators (bench/load-generator.ts, bench/grpc-load-generator.ts) share: the result of a
 * measured window, and the loop that takes jobs from the parent process and answers with results.
 */
import type { LoadJob, LoadMessage, LoadResult } from './load-generator';

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The result of a window: one latency (ms) per completed request. */
export function loadResult(latencies: readonly number[], errors: number, seconds: number): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    type: 'result',
    completed: latencies.length,
    errors,
    seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

/** In a forked generator: runs each job the parent sends, reporting `measuring` and then the result. */
export function serveLoadJobs(
  run: (job: LoadJob, report: (message: LoadMessage) => void) => Promise<LoadResult>,
): void {
  if (!process.send) return;
  const send = (message: LoadMessage): void => {
    process.send!(message);
  };
  process.on('message', (job: LoadJob) => {
    run(job, send).then(send, (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
